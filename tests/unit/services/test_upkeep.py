"""Organisers keep a listing current: confirm, pause, resume, close; edits as change requests."""

from __future__ import annotations

import datetime as dt

import pytest

from directory.extensions import db
from directory.models import ChangeRequest, Moderator, Organization
from directory.services import (
    Actor,
    ServiceError,
    approve_change,
    close,
    confirm,
    history,
    pause,
    reject_change,
    request_change,
    resume,
    revoke_links,
    set_trusted_organiser,
    set_trusted_organization,
)
from tests.factories import make_group

NOW = dt.datetime(2026, 6, 1, 15, 0, tzinfo=dt.UTC)
EARLIER = dt.datetime(2025, 1, 10, 12, 0, tzinfo=dt.UTC)


def _published(**fields):
    group = make_group(status="published", verified_at=EARLIER,
                       organiser_email="Org@Example.org", **fields)  # fmt: skip
    db.session.commit()
    return group


def _moderator() -> Actor:
    moderator = db.session.query(Moderator).filter_by(email="mod@example.org").first()
    if moderator is None:
        moderator = Moderator(email="mod@example.org", password_hash="x")
        db.session.add(moderator)
        db.session.flush()
    return Actor.for_moderator(moderator)


def _organiser(group) -> Actor:
    return Actor.organiser(group.organiser_email)


def test_confirming_moves_the_verified_date_and_keeps_the_old_one_in_the_trail(db_app):
    group = _published()
    changes = confirm(db.session, group, _organiser(group), now=NOW)
    db.session.commit()
    assert group.verified_at == NOW
    [entry] = history(db.session, group.id)
    assert entry.action == "confirmed" and changes["verified_at"][0].startswith("2025-01-10")
    assert entry.changes == changes


def test_only_a_published_listing_is_confirmed(db_app):
    group = make_group(status="pending", organiser_email="o@example.org")
    db.session.commit()
    with pytest.raises(ServiceError, match="only a published one"):
        confirm(db.session, group, _organiser(group))


def test_a_pause_has_a_future_date_or_none_and_resuming_ends_it(db_app):
    group = _published()
    actor = _organiser(group)
    with pytest.raises(ServiceError, match="after today"):
        pause(db.session, group, actor, dt.date(2026, 6, 1), now=NOW)
    with pytest.raises(ServiceError, match="a year at most"):
        pause(db.session, group, actor, dt.date(2027, 7, 1), now=NOW)
    pause(db.session, group, actor, dt.date(2026, 7, 1), "summer break", now=NOW)
    assert group.paused_on(dt.date(2026, 6, 30)) and not group.paused_on(dt.date(2026, 7, 1))
    assert group.verified_at == NOW
    resume(db.session, group, actor, now=NOW + dt.timedelta(days=2))
    assert group.paused_at is None and group.resumes_on is None
    with pytest.raises(ServiceError, match="not paused"):
        resume(db.session, group, actor)
    pause(db.session, group, actor, None, now=NOW)
    assert group.paused_on(dt.date(2030, 1, 1))
    assert [e.action for e in history(db.session, group.id)] == ["paused", "resumed", "paused"]


def test_closing_needs_a_reason_and_ends_the_listing(db_app):
    group = _published()
    with pytest.raises(ServiceError, match="reason"):
        close(db.session, group, _organiser(group), "  ")
    close(db.session, group, _organiser(group), "The facilitator moved away")
    assert group.status == "closed"
    [entry] = history(db.session, group.id)
    assert entry.action == "closed" and entry.note == "The facilitator moved away"
    with pytest.raises(ServiceError):
        confirm(db.session, group, _organiser(group))


def test_an_unchanged_edit_is_a_confirmation_not_an_empty_request(db_app):
    group = _published(name="Grief Circle")
    outcome = request_change(db.session, group, {"name": " Grief Circle ", "cost": "free"})
    assert outcome.kind == "confirmed" and outcome.request is None
    assert db.session.query(ChangeRequest).count() == 0
    assert [e.action for e in history(db.session, group.id)] == ["confirmed"]


def test_an_edit_waits_as_a_request_with_only_the_changed_fields(db_app):
    group = _published(name="Grief Circle", cost="free")
    schedule = {"weekdays": "TH", "start_time": dt.time(18, 0), "end_time": dt.time(19, 30)}
    outcome = request_change(
        db.session, group, {"name": "Grief Circle", "cost": "donation", "schedules": [schedule]},
        language="es",
    )  # fmt: skip
    db.session.commit()
    assert outcome.kind == "requested"
    request = outcome.request
    assert set(request.fields) == {"cost", "schedules"} and request.language == "es"
    assert request.changes["cost"] == ["free", "donation"]
    assert group.cost == "free"  # the public sees the old details until it is approved
    changes = approve_change(db.session, request, _moderator(), "checked by phone")
    db.session.commit()
    assert group.cost == "donation" and group.schedules[0].end_time == dt.time(19, 30)
    assert changes["cost"] == ["free", "donation"] and "verified_at" in changes
    assert request.outcome == "approved" and not request.is_open
    actions = [e.action for e in history(db.session, group.id)]
    assert actions == ["change_requested", "change_approved"]
    with pytest.raises(ServiceError, match="decided already"):
        approve_change(db.session, request, _moderator())


def test_a_newer_edit_replaces_the_open_request_and_a_rejection_needs_a_reason(db_app):
    group = _published(cost="free")
    first = request_change(db.session, group, {"cost": "donation"}).request
    second = request_change(db.session, group, {"cost": "fee", "cost_note": "$5"}).request
    db.session.commit()
    assert first.outcome == "replaced" and second.is_open
    with pytest.raises(ServiceError, match="reason"):
        reject_change(db.session, second, _moderator(), "")
    reject_change(db.session, second, _moderator(), "We called: it is free")
    assert second.outcome == "rejected" and group.cost == "free"


def test_a_bad_value_in_an_edit_is_refused_and_nothing_is_stored(db_app):
    group = _published()
    with pytest.raises(ServiceError):
        request_change(db.session, group, {"cost": "priceless"})
    assert db.session.query(ChangeRequest).count() == 0


def test_a_trusted_organiser_publishes_at_once_still_audited(db_app):
    group = _published(cost="free")
    set_trusted_organiser(db.session, " org@EXAMPLE.org ", True, _moderator())
    outcome = request_change(db.session, group, {"cost": "donation"})
    assert outcome.kind == "published" and group.cost == "donation"
    actions = [e.action for e in history(db.session, group.id)]
    assert actions == ["trust_changed", "edited", "confirmed"]
    set_trusted_organiser(db.session, "org@example.org", False, _moderator())
    assert request_change(db.session, group, {"cost": "fee"}).kind == "requested"


def test_a_trusted_organisation_publishes_its_organisers_edits(db_app):
    org = Organization(name="NAMI Lakeside")
    group = _published(organization=org, cost="free")
    set_trusted_organization(db.session, org, True, _moderator())
    assert request_change(db.session, group, {"cost": "donation"}).kind == "published"


def test_revoking_links_moves_the_version(db_app):
    group = _published()
    before = group.manage_version
    revoke_links(db.session, group, _moderator())
    assert group.manage_version == before + 1
    assert history(db.session, group.id)[-1].action == "link_revoked"
