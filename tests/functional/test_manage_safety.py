"""No manage path gives a 500, every post needs its CSRF token, and no answer leaks the link."""

from __future__ import annotations

import pytest

from directory.extensions import db
from directory.web.manage.links import manage_token
from tests.functional.moderate_helpers import outbox
from tests.functional.test_manage import ORGANISER, csrf, edit_form, manage_path, published

JUNK = [
    {},
    {"resumes_on": "9999-99-99", "note": "x" * 5000, "reason": "\x00" * 3},
    {"resumes_on": "2026-02-30", "reason": "y" * 5000, "email": "a@b@c", "nickname": ""},
    {"email": "x" * 400 + "@example.org", "name": "", "format": "teleport", "cost": "\u202e\ufeff"},
    {"schedules-0-kind": "sometimes", "schedules-0-start_time": "25:99", "schedules-7-note": "?",
     "schedules-0-timezone": "Mars/Olympus", "languages": "zz", "topics": ["a", "b"],
     "add_schedule": "y"},
    {"schedules-0-remove": "y", "organization_name": "Nobody We Know", "postal_code": "00000",
     "format": "in_person", "name": "Junk\x00"},
    {"name": "Junk", "format": "online", "join_url": "javascript:alert(1)", "send": "y",
     "organiser_email": "not-email", "nickname": "n" * 500},
    {"reason": "\x00\x01", "note": "\x00", "resumes_on": "\x00", "email": "\x00@x.org"},
]  # fmt: skip


def _manage_rules(app) -> list:
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("manage.")]
    assert {rule.endpoint for rule in rules} >= {"manage.listing", "manage.edit",
                                                 "manage.request_link", "manage.links"}  # fmt: skip
    return rules


def _paths(rule, tokens: list[str], group_id: int) -> list[str]:
    if "token" in rule.arguments:
        return [rule.rule.replace("<token>", token) for token in tokens]
    if "group_id" in rule.arguments:
        path = rule.rule.replace("<id:group_id>", "{}")
        return [path.format(group_id), path.format(99999999), path.format("9" * 40)]
    return [rule.rule]


def _tokens(group) -> list[str]:
    return [manage_token(group), "garbage", manage_token(group)[:-4] + "abcd", "a" * 3000]


def test_junk_posted_to_every_manage_route_never_gives_a_500(db_app, client):
    group = published()
    token = csrf(client.get("/manage/links").text)
    for rule in _manage_rules(db_app):
        if "POST" not in rule.methods:
            continue
        for path in _paths(rule, _tokens(group), group.id):
            for data in JUNK:
                response = client.post(path, data={"csrf_token": token, **data})
                assert response.status_code < 500, (path, data, response.status_code)
                assert 'href="tel:988"' in response.text or response.status_code in (302, 303)
            raw = f"csrf_token={token}&name=%ff%fe&email=%c0%af&reason=%ed%a0%80".encode()
            response = client.post(path, data=raw, content_type="application/x-www-form-urlencoded")
            assert response.status_code < 500, (path, "undecodable", response.status_code)
            # The listing is still there, published, whatever was posted.
            db.session.expire_all()
            assert group.status in ("published", "closed")


def test_every_manage_post_needs_its_csrf_token(db_app, client):
    group = published()
    posts = [rule for rule in _manage_rules(db_app) if "POST" in rule.methods]
    assert len(posts) >= 8
    for rule in posts:
        for path in _paths(rule, [manage_token(group)], group.id)[:1]:
            data = {"reason": "Closing", "email": ORGANISER, "resumes_on": ""}
            response = client.post(path, data=data)
            assert response.status_code == 400, path
            assert "We could not handle that request" in response.text
            forged = client.post(path, data={**data, "csrf_token": "forged"})
            assert forged.status_code == 400, path
    db.session.expire_all()
    assert group.status == "published" and group.paused_at is None and outbox() == []


def test_over_https_a_post_from_another_site_is_refused(db_app, client):
    group = published()
    https = "https://localhost"
    token = csrf(client.get(manage_path(group), base_url=https).text)
    for referer in (None, "https://elsewhere.example/"):
        headers = {"Referer": referer} if referer else {}
        refused = client.post(manage_path(group, "confirm"), base_url=https,
                              data={"csrf_token": token}, headers=headers)  # fmt: skip
        assert refused.status_code == 400, referer


def test_over_https_a_post_works_with_the_origin_only_referer_the_pages_send(db_app, client):
    # strict-origin: the browser names the site, never the page and its token.
    group = published()
    https = "https://localhost"
    page = client.get(manage_path(group), base_url=https)
    done = client.post(manage_path(group, "confirm"), base_url=https,
                       data={"csrf_token": csrf(page.text)},
                       headers={"Referer": "https://localhost/"})  # fmt: skip
    assert done.status_code == 303
    db.session.expire_all()
    assert group.verified_at.year >= 2026


def test_every_manage_answer_is_private(db_app, client, monkeypatch):
    group = published()
    paths = [manage_path(group), manage_path(group, "edit"), manage_path(group, "pause"),
             manage_path(group, "close"), "/manage/garbage", "/manage/links",
             f"/groups/{group.id}/organiser", "/groups/99999/organiser"]  # fmt: skip
    for path in paths:
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
        assert response.headers["Referrer-Policy"] == "strict-origin", path
        assert 'name="robots" content="noindex"' in response.text or response.status_code == 404
    posted = client.post(manage_path(group, "confirm"))  # refused: still private
    assert posted.headers["Referrer-Policy"] == "strict-origin"


@pytest.mark.parametrize("path", ["/groups/{id}", "/groups/{id}/organiser"])
def test_the_organisers_private_contact_stays_off_the_public_pages(db_app, client, path):
    group = published()
    page = client.get(path.format(id=group.id)).text
    for private in (ORGANISER, "555-0199"):
        assert private not in page


def test_control_characters_in_a_whole_edit_never_reach_the_database(db_app, client):
    group = published()
    data = edit_form(client, group, name="New\x00Name", description="a\x00b", room="\x00")
    assert client.post(manage_path(group, "edit"), data=data).status_code == 303
    path = manage_path(group, "pause")
    page = client.post(path, data={"csrf_token": csrf(client.get(path).text), "note": "\x00!"})
    assert page.status_code == 303
    path = manage_path(group, "close")
    page = client.post(path, data={"csrf_token": csrf(client.get(path).text), "reason": "\x00"})
    assert page.status_code == 400 and 'id="reason-error"' in page.text
