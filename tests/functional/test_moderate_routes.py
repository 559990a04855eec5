"""Every /moderate page refuses an anonymous visitor, whoever adds it and whenever."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from directory.web.moderate import OPEN_ENDPOINTS

#: A stand-in value per URL converter, so any rule can be asked for.
DUMMY = {"int": "1", "id": "1", "float": "1.0", "uuid": "00000000-0000-0000-0000-000000000001"}
_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>")
#: Methods that change something: each must be refused with 401, not redirected.
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _moderate_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if (rule.rule.startswith("/moderate") or rule.endpoint.startswith("moderate."))
        and rule.endpoint not in OPEN_ENDPOINTS
    ]


def _path(rule) -> str:
    return _ARGUMENT.sub(lambda match: DUMMY.get(match[1] or "", "x"), rule.rule)


def unprotected(app) -> list[str]:
    """Return 'METHOD path -> status' for each /moderate route an anonymous client got into."""
    app.config["WTF_CSRF_ENABLED"] = False  # so a POST meets the sign-in guard, not CSRF
    client = app.test_client()
    found = []
    for rule in _moderate_rules(app):
        path = _path(rule)
        if "GET" in rule.methods:
            response = client.get(path)
            location = urlsplit(response.headers.get("Location", "")).path
            if response.status_code != 302 or location != "/moderate/login":
                found.append(f"GET {path} -> {response.status_code} {location}")
        for method in WRITES:
            if method in rule.methods:
                response = client.open(path, method=method)
                if response.status_code != 401:
                    found.append(f"{method} {path} -> {response.status_code}")
    return found


def test_every_moderate_route_refuses_an_anonymous_request(app):
    assert _moderate_rules(app), "no protected /moderate route found: is the blueprint there?"
    assert "moderate.logout" in {rule.endpoint for rule in _moderate_rules(app)}
    assert unprotected(app) == []


def test_a_refused_page_sends_to_sign_in_and_back(app):
    probe = "/moderate/_probe/7?kind=new"
    app.add_url_rule("/moderate/_probe/<int:item>", "moderate._probe", lambda item: "private")
    response = app.test_client().get(probe)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/moderate/login"
    assert parse_qs(location.query) == {"next": ["/moderate/_probe/7?kind=new"]}


def test_the_check_catches_a_route_that_slips_past_the_guard(app):
    def leaky(slug):
        return "private contacts"

    # Registered on the app, not the blueprint, so the blueprint's guard never runs for it.
    app.add_url_rule("/moderate/leak/<slug>", "leaky", leaky, methods=["GET", "POST"])
    app.add_url_rule("/moderate/guarded/<int:item>", "moderate._guarded", lambda item: "ok")
    assert unprotected(app) == ["GET /moderate/leak/x -> 200 ", "POST /moderate/leak/x -> 200"]
