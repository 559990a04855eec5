"""Submit, preview, ask and answer: stored pending, audited, duplicates flagged, nothing extra."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import AuditRecord, DuplicateFlag, Group, Moderator, Organization, Submission
from directory.services import (
    Actor,
    ServiceError,
    answer_submission,
    approve,
    ask_submitter,
    history,
    preview_group,
    resolve_duplicate,
    submit_group,
)
from tests.factories import make_group, make_organization

PLACE = {
    "name": "Lincoln Park Library", "room": "Room 2", "address_1": "1150 W Fullerton Ave",
    "address_2": None, "city": "Chicago", "region": "IL", "postal_code": "60614",
    "country": "US", "latitude": 41.9253, "longitude": -87.6581, "timezone": "America/Chicago",
}  # fmt: skip
TUESDAY = {"kind": "weekly", "weekdays": "TU", "start_time": dt.time(19), "end_time":
           dt.time(20, 30)}  # fmt: skip


def _fields(**extra) -> dict:
    fields = {
        "name": "Lincoln Park Grief Circle",
        "description": "For anyone grieving.",
        "format": "in_person",
        "location": dict(PLACE),
        "schedules": [dict(TUESDAY)],
        "topics": ["grief"],
        "languages": ["en", "es"],
        "organiser_name": "Rosa",
        "organiser_email": "Rosa@Example.org",
        "contact_email": "circle@example.org",
    }
    fields.update(extra)
    return fields


def _moderator() -> Actor:
    moderator = Moderator(email="ana@example.org", password_hash="x")
    db.session.add(moderator)
    db.session.flush()
    return Actor.for_moderator(moderator)


def test_a_submission_is_stored_pending_with_its_record(db_app):
    submission = submit_group(db.session, _fields(), language="es", organization_name="Grief Co")
    db.session.commit()
    group = submission.group
    assert group.status == "pending" and group.source == "submission"
    assert group.verified_at is None
    assert group.organization.name == "Grief Co"
    assert group.organiser_email == "Rosa@example.org"  # the domain folded, as email-validator does
    assert [s.weekdays for s in group.schedules] == ["TU"]
    assert submission.language == "es" and not submission.waiting_for_submitter
    (entry,) = history(db.session, group.id)
    assert entry.action == "submitted" and entry.actor_kind == "organiser"
    assert entry.changes["name"] == [None, "Lincoln Park Grief Circle"]
    assert entry.changes["status"] == [None, "pending"]


def test_an_organisation_named_like_one_listed_is_that_one(db_app):
    org = make_organization(name="Lakeside NAMI")
    db.session.commit()
    submission = submit_group(db.session, _fields(), organization_name="  lakeside   nami ")
    assert submission.group.organization is org
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 1


def test_bad_values_store_nothing(db_app):
    with pytest.raises(ServiceError):
        submit_group(db.session, _fields(schedules=[{**TUESDAY, "weekdays": "XX"}]))
    with pytest.raises(ServiceError):
        submit_group(db.session, _fields(organiser_email=""))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Group)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditRecord)) == 0


def test_a_likely_duplicate_is_flagged_not_refused(db_app):
    twin = make_group(name="Lincoln Park Grief Circle")
    db.session.commit()
    submission = submit_group(db.session, _fields())
    db.session.commit()
    (flag,) = db.session.scalars(select(DuplicateFlag))
    assert flag.group is submission.group and flag.duplicate_of is twin
    assert "possible duplicate" in history(db.session, submission.group.id)[0].note


def test_a_preview_stores_nothing_and_names_the_duplicate(db_app):
    org = make_organization(name="Lakeside NAMI")
    twin = make_group(name="Lincoln Park Grief Circle")
    db.session.commit()
    group, found = preview_group(db.session, _fields(organization=org.id))
    assert found is twin
    assert group.name == "Lincoln Park Grief Circle" and group.organization.name == "Lakeside NAMI"
    assert group.location.city == "Chicago"
    db.session.commit()  # nothing of the preview joined the session
    assert db.session.scalar(select(func.count()).select_from(Group)) == 1
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 0
    assert org.groups == [] or all(g.id is not None for g in org.groups)


def test_ask_then_answer_with_corrections(db_app):
    submission = submit_group(db.session, _fields())
    db.session.commit()
    actor = _moderator()
    ask_submitter(db.session, submission, actor, "Is it the second floor room?")
    assert submission.waiting_for_submitter
    changed = answer_submission(
        db.session, submission, "Yes, Room 201.", {"location": {**PLACE, "room": "Room 201"}}
    )
    db.session.commit()
    assert changed == {"location.room": ["Room 2", "Room 201"]}
    assert not submission.waiting_for_submitter
    assert submission.group.corrected_fields == []
    actions = [entry.action for entry in history(db.session, submission.group.id)]
    assert actions == ["submitted", "asked", "answered"]
    with pytest.raises(ServiceError):  # a link is used once
        answer_submission(db.session, submission, "again", {})
    approve(db.session, submission.group, actor)
    with pytest.raises(ServiceError):
        ask_submitter(db.session, submission, actor, "too late")


def test_merge_fills_the_kept_listing_and_rejects_the_newer(db_app):
    kept = make_group(name="Lincoln Park Grief Circle", contact_email=None, topics=("grief",))
    db.session.commit()
    submission = submit_group(db.session, _fields(topics=["grief", "suicide-loss"]))
    db.session.commit()
    (flag,) = db.session.scalars(select(DuplicateFlag))
    resolve_duplicate(db.session, flag, _moderator(), "merge")
    db.session.commit()
    assert submission.group.status == "rejected"
    assert kept.contact_email == "circle@example.org"
    assert {t.slug for t in kept.topics} == {"grief", "suicide-loss"}
    assert "contact_email" in kept.corrected_fields
    assert history(db.session, kept.id)[-1].action == "edited"
    assert db.session.scalar(select(func.count()).select_from(DuplicateFlag)) == 0
