"""The moderators' stale list: listings out of search or due for review, with their reminders."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import event

from directory.extensions import db
from directory.models import Reminder
from tests.factories import make_group, make_organization
from tests.functional.moderate_helpers import add_moderator, sign_in

NOW = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
MONTH = dt.timedelta(days=30)


def _names(page: str) -> list[str]:
    return re.findall(r'<h3><a href="/moderate/items/\d+">([^<]+)</a></h3>', page)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr("directory.web.moderate.stale.utcnow", lambda: NOW)


@pytest.fixture
def client(db_app):
    """Return a test client of the app on each database."""
    return db_app.test_client()


def _listing(name, verified_at, **fields):
    fields.setdefault("organiser_email", "rosa@example.org")
    fields.setdefault("created_at", dt.datetime(2023, 1, 5, tzinfo=dt.UTC))
    return make_group(name=name, verified_at=verified_at, **fields)


def _remind(group, *moments):
    for moment in moments:
        db.session.add(Reminder(group=group, sent_at=moment, sent_to="rosa@example.org"))


@pytest.fixture
def stale(db_app):
    """Two listings out of search, two due for review, and ones the list leaves out."""
    found = {
        "hidden": _listing("Old Grief Circle", NOW - 20 * MONTH),
        "never": _listing("Never Confirmed Peers", None, organiser_email=None),
        "review": _listing("Anxiety Evenings", NOW - 8 * MONTH),
        "paused": _listing("Paused Bipolar Group", NOW - 7 * MONTH, paused_at=NOW - 7 * MONTH),
    }
    _listing("Fresh Group", NOW - 2 * MONTH)
    _listing("Old But Archived", NOW - 30 * MONTH, status="archived")
    _listing("Old But Waiting", NOW - 30 * MONTH, status="pending")
    _remind(found["hidden"], *(NOW - n * MONTH for n in range(1, 10)))
    _remind(found["review"], dt.datetime(2026, 11, 3, 8, tzinfo=dt.UTC))
    db.session.commit()
    return found


def test_the_stale_list_needs_a_signed_in_moderator(client, db_app):
    response = client.get("/moderate/stale")
    assert response.status_code == 302
    assert "/moderate/login" in response.headers["Location"]


def test_it_lists_the_stale_listings_longest_unconfirmed_first_with_counts(client, moderator,
                                                                          stale):  # fmt: skip
    page = client.get("/moderate/stale").text
    assert _names(page) == [
        "Never Confirmed Peers", "Old Grief Circle", "Anxiety Evenings", "Paused Bipolar Group",
    ]  # fmt: skip
    assert 'Everything <span class="count">(4)</span>' in page
    assert 'Out of search <span class="count">(2)</span>' in page
    assert 'Due for review <span class="count">(2)</span>' in page
    assert f'href="/moderate/items/{stale["hidden"].id}"' in page
    hidden = client.get("/moderate/stale?kind=hidden").text
    assert _names(hidden) == ["Never Confirmed Peers", "Old Grief Circle"]
    review = client.get("/moderate/stale?kind=review").text
    assert _names(review) == ["Anxiety Evenings", "Paused Bipolar Group"]
    assert "Paused</span>" in review


def _entry(page: str, name: str) -> str:
    start = page.index(f">{name}</a></h3>")
    end = page.find('<li class="hit">', start)
    return page[start : end if end != -1 else None]


def test_each_listing_shows_its_last_confirmation_and_reminder_history(client, moderator, stale):
    page = client.get("/moderate/stale").text
    old = _entry(page, "Old Grief Circle")
    assert "Last confirmed" in old and 'datetime="2025-04-' in old
    assert "9 reminders sent:" in old
    assert old.count("<time") == 1 + 6 and "and 3 earlier" in old
    assert ">Nov 1, 2026</time>" in old  # the newest first
    never = _entry(page, "Never Confirmed Peers")
    assert "Never confirmed; listed" in never and "Jan 5, 2023" in never
    assert "No organiser email on file" in never
    anxiety = _entry(page, "Anxiety Evenings")
    assert "One reminder sent:" in anxiety and ">Nov 3, 2026</time>" in anxiety
    assert "Another reminder goes" not in anxiety  # sent less than a month ago
    paused = _entry(page, "Paused Bipolar Group")
    assert "No reminder sent yet; one goes with the next run." in paused
    assert "rosa@example.org" not in page


def test_a_moderator_limited_to_organisations_sees_only_theirs(client, db_app):
    mine, other = make_organization(name="Lakeside NAMI"), make_organization(name="Elsewhere")
    _listing("Lakeside Old Circle", NOW - 20 * MONTH, organization=mine)
    _listing("Elsewhere Old Circle", NOW - 20 * MONTH, organization=other)
    _listing("Unhosted Old Circle", NOW - 9 * MONTH)
    db.session.commit()
    sign_in(client, add_moderator("lee@example.org", organization_ids=[mine.id]))
    page = client.get("/moderate/stale").text
    assert _names(page) == ["Lakeside Old Circle"]
    assert 'Everything <span class="count">(1)</span>' in page
    assert "Hosted by Lakeside NAMI" in page


def test_a_long_list_comes_in_pages_with_the_same_few_queries(client, moderator, db_app):
    for number in range(51):
        confirmed = NOW - 20 * MONTH + number * dt.timedelta(hours=1)
        group = _listing(f"Stale Group {number:02d}", confirmed, organization=make_organization())
        _remind(group, NOW - MONTH, NOW - 2 * MONTH)
    db.session.commit()
    statements = []
    engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        first = client.get("/moderate/stale").text
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(_names(first)) == 50 and _names(first)[0] == "Stale Group 00"
    assert "Page 1 of 2" in first and 'href="/moderate/stale?page=2"' in first
    reads = [sql for sql in statements if "support_group" in sql or "reminder" in sql]
    assert len(reads) <= 3, reads  # counts, the page with its organisations, its reminders
    second = client.get("/moderate/stale?page=2").text
    assert _names(second) == ["Stale Group 50"]


def test_the_moderators_bar_links_to_it_and_junk_parameters_are_harmless(client, moderator,
                                                                         stale):  # fmt: skip
    queue = client.get("/moderate").text
    assert 'href="/moderate/stale">Stale listings</a>' in queue
    page = client.get("/moderate/stale").text
    assert 'href="/moderate/stale" aria-current="page">Stale listings' in page
    for junk in ("?page=abc", "?page=-3", "?page=99999999999999999999", "?kind=<x>", "?kind="):
        response = client.get("/moderate/stale" + junk)
        assert response.status_code == 200, junk
        assert len(_names(response.text)) == 4, junk


def test_an_empty_list_says_so(client, moderator):
    make_group(name="Fresh Group", verified_at=NOW - MONTH)
    db.session.commit()
    page = client.get("/moderate/stale").text
    assert _names(page) == []
    assert "Every published listing has been confirmed recently." in page
