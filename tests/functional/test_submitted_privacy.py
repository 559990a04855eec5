"""A listing sent in on the site, once approved, shows its organiser's contact nowhere public."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from directory import listings
from directory.extensions import db
from directory.interchange.feed_cache import wait_for_builds
from directory.presenting import present
from directory.services import Actor, approve, submit_group
from tests.functional.test_feeds import FEEDS
from tests.unit.services.test_submissions import _fields
from tests.unit.test_presenting import _text

PRIVATE = ("Rosa Private", "rosa.private@example.org", "555-0177", "(312) 555-0177")


@pytest.fixture
def published(db_app):
    fields = _fields(
        name="Fullerton Grief Circle",
        organiser_name="Rosa Private",
        organiser_email="rosa.private@example.org",
        organiser_phone="(312) 555-0177",
    )
    submission = submit_group(db.session, fields, language="en", organization_name="Grief Co")
    db.session.commit()
    approve(db.session, submission.group, Actor.command("test"))
    db.session.commit()
    return submission.group


def _public_urls(group) -> list[str]:
    return [
        f"/groups/{group.id}",
        f"/groups/{group.id}?locale=es",
        f"/groups/{group.id}.ics",
        "/search?q=fullerton",
        "/search?near=60614",
        f"/api/v1/groups/{group.id}",
        "/api/v1/groups?q=fullerton",
        *FEEDS,
    ]


def test_no_public_page_api_or_feed_shows_the_organisers_contact(db_app, published):
    client = db_app.test_client()
    wait_for_builds()
    for url in _public_urls(published):
        response = client.get(url)
        if response.status_code == 503:  # a feed still being built the first time
            wait_for_builds()
            response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        if url.startswith("/groups/") or "fullerton" in url:
            assert "Fullerton Grief Circle" in body, url
        for secret in PRIVATE:
            assert secret not in body, (url, secret)


@pytest.mark.parametrize("locale", ["en", "es"])
def test_the_presented_listing_carries_none_of_the_organisers_contact(db_app, published, locale):
    group = listings.get_published(published.id)
    with db_app.test_request_context(), force_locale(locale):
        text = _text(present(group))
    assert "Fullerton Grief Circle" in text
    for secret in PRIVATE:
        assert secret not in text, secret


def test_the_pages_for_reporting_asking_for_a_link_and_a_closed_group_keep_it_private(
    db_app, published
):
    from directory.services import close, pause

    client = db_app.test_client()
    pause(db.session, published, Actor.organiser("rosa.private@example.org"))
    db.session.commit()
    urls = [f"/groups/{published.id}", f"/groups/{published.id}/report",
            f"/groups/{published.id}/organiser", f"/api/v1/groups/{published.id}"]  # fmt: skip
    for url in urls:
        body = client.get(url).get_data(as_text=True)
        assert "Fullerton Grief Circle" in body, url
        for secret in PRIVATE:
            assert secret not in body, (url, secret)
    close(db.session, published, Actor.organiser("rosa.private@example.org"), "Moved away")
    db.session.commit()
    gone = client.get(f"/groups/{published.id}")
    assert gone.status_code == 410
    for secret in PRIVATE:
        assert secret not in gone.get_data(as_text=True)
