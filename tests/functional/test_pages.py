"""Every public page shows the crisis line, stays in its lane and sends safe headers."""

from __future__ import annotations

import re

import pytest

from directory.extensions import db
from tests.factories import make_group
from tests.functional.public_helpers import empty_search  # noqa: F401 - a fixture

GUIDE_PAGES = ("/", "/about", "/choosing-a-group", "/privacy")


def test_home_has_one_search_form_common_topics_and_an_honest_word(client):
    make_group(name="Grief Circle of Oak Park", topics=("grief",))
    make_group(name="Hidden Pending Group", status="pending")
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert page.count("<form") == 1
    assert 'action="/search"' in page
    assert 'method="get"' in page
    assert 'name="q"' in page
    assert 'name="near"' in page
    assert 'href="/search?topic=grief"' in page
    assert 'href="/search?audience=family-and-friends"' in page
    assert "complement to professional care" in page
    assert "The directory lists 1 group." in page
    assert "Hidden Pending Group" not in page


@pytest.mark.parametrize("url", [*GUIDE_PAGES, "/search", "/embed", "/no-such-page", "/groups/999"])
@pytest.mark.usefixtures("empty_search")
def test_every_page_shows_the_crisis_line_in_the_header(client, url):
    page = client.get(url).get_data(as_text=True)
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    assert 'href="tel:988"' in header
    assert 'href="sms:988"' in header
    assert 'href="https://988lifeline.org/chat/"' in header
    assert "In an emergency call" in header
    assert 'href="tel:911"' in header


def test_server_error_page_keeps_the_crisis_line(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert 'href="tel:988"' in page


def test_missing_page_is_a_404_with_a_way_home(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "We could not find that page" in page
    assert 'href="/"' in page


@pytest.mark.parametrize("url", GUIDE_PAGES)
def test_guides_have_landmarks_a_skip_link_and_one_h1(client, url):
    page = client.get(url).get_data(as_text=True)
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page
    assert "<header" in page
    assert "<footer" in page
    assert "<nav" in page
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert re.search(r'<html lang="en">', page)


def test_about_says_what_peer_support_is_and_is_not(client):
    page = client.get("/about").get_data(as_text=True)
    for words in (
        "Shared experience",
        "Mutual support",
        "Confidentiality",
        "No judgment",
        "not therapy",
        "complement to professional care",
        'id="report"',
    ):
        assert words in page


def test_privacy_page_says_what_is_and_is_not_kept(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert "Your searches" in page
    assert "not stored" in page
    assert "cookie named “locale”" in page
    assert "No map image server is set up" in page


def test_privacy_page_names_the_tile_server_when_one_is_set(app):
    app.config["TILE_URL"] = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
    page = app.test_client().get("/privacy").get_data(as_text=True)
    assert "tile.openstreetmap.org" in page


def test_security_headers_are_set(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "img-src 'self' data:;" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.usefixtures("empty_search")
def test_public_pages_set_no_cookie_unless_a_language_is_chosen(client):
    for url in (*GUIDE_PAGES, "/search", "/embed"):
        assert "Set-Cookie" not in client.get(url).headers, url
