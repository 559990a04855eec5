"""Every POST needs a CSRF token: the app refuses one without, before any view runs."""

from __future__ import annotations

import re

from flask import render_template_string, request


def _add_form_route(app):
    """Add a small form, as any future POST view would be, to exercise the real protection."""
    seen = []

    @app.route("/_csrf_probe", methods=["GET", "POST"])
    def probe():
        if request.method == "POST":
            seen.append(request.form["q"])
            return "stored"
        return render_template_string('<input name="csrf_token" value="{{ csrf_token() }}">')

    return seen


def test_post_without_a_csrf_token_is_refused(app, client):
    seen = _add_form_route(app)
    response = client.post("/_csrf_probe", data={"q": "grief"})
    assert response.status_code == 400
    assert seen == []


def test_post_with_the_page_token_is_accepted(app, client):
    seen = _add_form_route(app)
    page = client.get("/_csrf_probe").get_data(as_text=True)
    token = re.search(r'value="([^"]+)"', page)[1]
    response = client.post("/_csrf_probe", data={"q": "grief", "csrf_token": token})
    assert response.status_code == 200
    assert seen == ["grief"]


def test_posting_to_a_read_only_page_is_not_allowed(client):
    assert client.post("/search", data={"q": "grief"}).status_code == 405


def test_a_refused_post_still_shows_the_crisis_line(app, client):
    _add_form_route(app)
    page = client.post("/_csrf_probe", data={"q": "grief"}).get_data(as_text=True)
    assert "We could not handle that request" in page
    assert 'href="tel:988"' in page


def test_api_errors_are_json(client):
    response = client.post("/api/v1/groups")
    assert response.status_code == 405
    assert response.get_json() == {"error": {"message": "Method not allowed."}}
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["message"] == "Not found."
