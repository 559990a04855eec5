"""Problem reports from the public: stored, counted by distinct reporter, resolved."""

from __future__ import annotations

import pytest

from directory.extensions import db
from directory.models import Moderator
from directory.services import (
    Actor,
    ServiceError,
    confirm,
    history,
    open_reports,
    report_problem,
    reported_not_meeting,
    resolve_report,
)
from directory.services.reports import reporter_key
from tests.factories import make_group


def _group(**fields):
    group = make_group(status="published", organiser_email="o@example.org", **fields)
    db.session.commit()
    return group


def test_a_report_is_stored_with_a_hash_not_the_address(db_app):
    group = _group()
    key = reporter_key("secret", "203.0.113.9", group.id)
    report = report_problem(db.session, group, "wrong_time", details="It is at 7 now",
                            contact_email="Visitor@Example.org", reporter=key)  # fmt: skip
    db.session.commit()
    assert "203.0.113.9" not in key and len(key) == 32
    assert report.contact_email == "Visitor@example.org"
    [entry] = history(db.session, group.id)
    assert entry.action == "reported" and entry.note == "wrong_time"
    assert "7 now" not in (entry.note or "") and entry.changes == {}


@pytest.mark.parametrize(
    ("kind", "details", "email", "message"),
    [
        ("stopped-forever", None, None, "not a kind"),
        ("other", "  ", None, "say what is wrong"),
        ("wrong_place", "x" * 2001, None, "longer than"),
        ("wrong_place", None, "not an address", "email"),
    ],
)
def test_bad_reports_are_refused(db_app, kind, details, email, message):
    group = _group()
    with pytest.raises(ServiceError, match=message):
        report_problem(db.session, group, kind, details=details, contact_email=email,
                       reporter="k")  # fmt: skip


def test_an_unpublished_listing_cannot_be_reported(db_app):
    group = make_group(status="pending")
    db.session.commit()
    with pytest.raises(ServiceError):
        report_problem(db.session, group, "stopped", reporter="k")


def test_two_distinct_reporters_mark_a_listing_not_meeting_until_someone_acts(db_app):
    group, other = _group(), _group()
    report_problem(db.session, group, "stopped", reporter="a")
    report_problem(db.session, group, "stopped", reporter="a")
    assert reported_not_meeting(db.session, [group.id, other.id]) == set()
    report_problem(db.session, group, "stopped", reporter="b")
    report_problem(db.session, other, "wrong_time", reporter="c")
    report_problem(db.session, other, "wrong_time", reporter="d")
    assert reported_not_meeting(db.session, [group.id, other.id]) == {group.id}
    confirm(db.session, group, Actor.organiser("o@example.org"))
    assert reported_not_meeting(db.session, [group.id]) == set()
    assert open_reports(db.session, group.id) == []


def test_a_moderator_resolves_a_report_with_a_note(db_app):
    group = _group()
    report = report_problem(db.session, group, "broken_contact", reporter="a")
    moderator = Moderator(email="m@example.org", password_hash="x")
    db.session.add(moderator)
    db.session.flush()
    actor = Actor.for_moderator(moderator)
    with pytest.raises(ServiceError, match="what was done"):
        resolve_report(db.session, report, actor, "")
    resolve_report(db.session, report, actor, "Fixed the phone number")
    assert report.resolved_by == "m@example.org" and open_reports(db.session, group.id) == []
    with pytest.raises(ServiceError, match="already"):
        resolve_report(db.session, report, actor, "again")
