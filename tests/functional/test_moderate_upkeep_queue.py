"""The queue's upkeep kinds: organisers' changes and the public's problem reports."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import event

from directory import services
from directory.extensions import db
from directory.models import Group
from tests.factories import make_group, make_organization
from tests.functional.moderate_helpers import add_moderator, sign_in, submit

DAY = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


def _names(page: str) -> list[str]:
    return re.findall(r'<h3><a href="/moderate/items/\d+">([^<]+)</a></h3>', page)


def _count(page: str, label: str) -> int:
    found = re.search(rf'{re.escape(label)} <span class="count">\((\d+)\)</span>', page)
    assert found, f"no count for {label}"
    return int(found[1])


@pytest.fixture
def client(db_app):
    """Return a test client of the app on each database."""
    return db_app.test_client()


def changed(group: Group, description: str, at: dt.datetime) -> None:
    """Have the organiser send a change to the listing's description at ``at``."""
    outcome = services.request_change(db.session, group, {"description": description})
    outcome.request.created_at = at
    db.session.commit()


def reported(group: Group, at: dt.datetime, kind: str = "stopped", who: str = "a") -> None:
    """Store a visitor's report about the listing, sent at ``at``."""
    report = services.report_problem(db.session, group, kind, reporter=who)
    report.created_at = at
    db.session.commit()


@pytest.fixture
def upkeep_items(db_app):
    """A pending submission, a changed listing, a reported one, both, and a quiet one."""
    ours, theirs = make_organization(name="Northside NAMI"), make_organization(name="Other Org")
    changed_group = make_group(name="Changed Circle", organization=ours)
    reported_group = make_group(name="Reported Circle", organization=theirs)
    both = make_group(name="Both Circle", organization=ours)
    quiet = make_group(name="Quiet Circle", organization=ours)
    closed = make_group(name="Closed Circle", organization=ours)
    for group in (changed_group, reported_group, both, quiet, closed):
        group.created_at = DAY - dt.timedelta(days=400)
    db.session.commit()
    new = submit("Pending Circle", organization_name="Northside NAMI")
    new.group.created_at = DAY
    db.session.commit()
    changed(changed_group, "Now on Wednesdays.", DAY + dt.timedelta(days=3))
    reported(reported_group, DAY + dt.timedelta(days=1))
    changed(both, "New room.", DAY + dt.timedelta(days=5))
    reported(both, DAY + dt.timedelta(days=2), kind="wrong_place")
    reported(both, DAY + dt.timedelta(days=6), who="b")
    reported(closed, DAY + dt.timedelta(days=4))
    closed.status = "closed"
    db.session.commit()
    return {"ours": ours, "theirs": theirs, "quiet": quiet, "closed": closed}


def test_changes_and_reports_wait_beside_submissions_oldest_reason_first(client, upkeep_items):
    sign_in(client, add_moderator())
    page = client.get("/moderate").text
    # The submission came in on DAY; the others wait since their oldest open change or report.
    assert _names(page) == [
        "Pending Circle", "Reported Circle", "Both Circle", "Changed Circle", "Closed Circle"
    ]  # fmt: skip
    assert "Listings waiting for a moderator, oldest first: 5." in page
    assert _count(page, "Everything") == 5
    assert _count(page, "New submissions") == 1
    assert _count(page, "Changes from organisers") == 2
    assert _count(page, "Problem reports") == 3
    assert "Quiet Circle" not in page
    assert "2 open problem reports." in page and "1 open problem report." in page
    assert "The organiser sent changes." in page


@pytest.mark.parametrize(
    ("kind", "names"),
    [
        ("change", ["Both Circle", "Changed Circle"]),
        ("report", ["Reported Circle", "Both Circle", "Closed Circle"]),
        ("new", ["Pending Circle"]),
    ],
)
def test_the_queue_filters_to_changes_or_reports(client, upkeep_items, kind, names):
    sign_in(client, add_moderator())
    assert _names(client.get(f"/moderate?kind={kind}").text) == names


def test_a_limited_moderator_counts_and_sees_only_their_organisations(client, upkeep_items):
    ours = upkeep_items["ours"]
    sign_in(client, add_moderator("limited@example.org", organization_ids=[ours.id]))
    page = client.get("/moderate").text
    assert _names(page) == ["Pending Circle", "Both Circle", "Changed Circle", "Closed Circle"]
    assert _count(page, "Problem reports") == 2
    assert _count(page, "Changes from organisers") == 2
    assert "Reported Circle" not in client.get("/moderate?kind=report").text


def test_a_decided_change_and_a_resolved_report_leave_the_queue(client, upkeep_items):
    moderator = add_moderator()
    sign_in(client, moderator)
    actor = services.Actor.for_moderator(moderator)
    for report in services.open_reports(db.session, upkeep_items["closed"].id):
        services.resolve_report(db.session, report, actor, "It closed: nothing to do.")
    group = db.session.scalar(db.select(Group).where(Group.name == "Changed Circle"))
    services.reject_change(db.session, services.open_request(db.session, group), actor, "No.")
    db.session.commit()
    page = client.get("/moderate").text
    assert _names(page) == ["Pending Circle", "Reported Circle", "Both Circle"]
    assert _count(page, "Changes from organisers") == 1


def test_a_long_queue_of_changes_and_reports_still_takes_a_few_queries(client, db_app):
    sign_in(client, add_moderator())
    for number in range(30):
        group = make_group(name=f"Changed {number:02d}", organization=make_organization())
        db.session.commit()
        changed(group, f"Words {number}", DAY + dt.timedelta(minutes=number))
        reported(group, DAY + dt.timedelta(minutes=number, seconds=30))
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        page = client.get("/moderate").text
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(_names(page)) == 30 and _names(page)[0] == "Changed 00"
    queries = [sql for sql in statements if "support_group" in sql]
    assert len(queries) <= 3, queries  # counts, the page, its organisations: never one per row
