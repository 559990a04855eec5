"""Approve, reject, archive and settle duplicates: status rules, audit records, no commits."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditRecord, DuplicateFlag, Group, Moderator
from directory.services import (
    Actor,
    NotAllowed,
    ServiceError,
    approve,
    archive_group,
    history,
    reject,
    resolve_duplicate,
)
from tests.factories import make_group, make_organization


def _moderator(email="ana@example.org", **fields) -> Moderator:
    moderator = Moderator(email=email, password_hash="x", **fields)
    db.session.add(moderator)
    db.session.flush()
    return moderator


def _pending(**fields) -> Group:
    group = make_group(status="pending", **fields)
    db.session.commit()
    return group


def test_approving_publishes_and_records_who_and_what(db_app):
    group = _pending()
    moderator = _moderator()
    changes = approve(db.session, group, Actor.for_moderator(moderator), note="looks right")
    assert group.status == "published"
    [entry] = history(db.session, group.id)
    assert (entry.action, entry.actor_kind, entry.actor_id) == (
        "approved",
        "moderator",
        moderator.id,
    )
    assert entry.actor_label == "ana@example.org" and entry.note == "looks right"
    assert entry.changes == {"status": ["pending", "published"]} == changes


def test_approving_a_listing_never_verified_verifies_it_now(db_app):
    group = _pending(verified_at=None)
    changes = approve(db.session, group, Actor.command("test"))
    assert group.verified_at is not None
    assert changes["verified_at"][0] is None and changes["verified_at"][1].startswith("20")


def test_operations_never_commit(db_app):
    group = _pending()
    reject(db.session, group, Actor.command("test"), "not a peer support group")
    db.session.rollback()
    assert db.session.get(Group, group.id).status == "pending"
    assert db.session.scalars(select(AuditRecord)).all() == []


@pytest.mark.parametrize(
    ("status", "operation"),
    [("archived", "approve"), ("published", "approve"), ("rejected", "reject"),
     ("archived", "archive"), ("rejected", "archive")],
)  # fmt: skip
def test_status_rules_refuse_with_a_clear_message(db_app, status, operation):
    group = make_group(status=status)
    db.session.commit()
    actor = Actor.command("test")
    calls = {
        "approve": lambda: approve(db.session, group, actor),
        "reject": lambda: reject(db.session, group, actor, "spam"),
        "archive": lambda: archive_group(db.session, group, actor, "closed"),
    }
    with pytest.raises(ServiceError, match=f"is {status}: only a"):
        calls[operation]()
    assert group.status == status
    assert history(db.session, group.id) == []


def test_reject_and_archive_need_a_reason(db_app):
    group = _pending()
    with pytest.raises(ServiceError, match="reason is required"):
        reject(db.session, group, Actor.command("test"), "  ")
    with pytest.raises(ServiceError, match="reason is required"):
        archive_group(db.session, group, Actor.command("test"), "")
    assert group.status == "pending"


def test_archiving_records_the_reason(db_app):
    group = make_group()
    db.session.commit()
    archive_group(db.session, group, Actor.command("test"), "stopped meeting")
    [entry] = history(db.session, group.id)
    assert entry.action == "archived" and entry.note == "stopped meeting"
    assert entry.changes == {"status": ["published", "archived"]}


def test_a_moderator_limited_to_organisations_cannot_decide_others(db_app):
    mine, theirs = make_organization(), make_organization()
    group = _pending(organization=theirs)
    own = _pending(organization=mine)
    moderator = _moderator(organizations=[mine])
    actor = Actor.for_moderator(moderator)
    with pytest.raises(NotAllowed):
        approve(db.session, group, actor)
    assert group.status == "pending"
    approve(db.session, own, actor)
    assert own.status == "published"


def _flagged() -> DuplicateFlag:
    original = make_group(name="Grief Circle")
    newer = make_group(name="Grief Circle", status="pending")
    flag = DuplicateFlag(group=newer, duplicate_of=original, reason="same name")
    db.session.add(flag)
    db.session.commit()
    return flag


def test_not_a_duplicate_removes_the_flag_and_keeps_the_listing_pending(db_app):
    flag = _flagged()
    newer, original = flag.group, flag.duplicate_of
    resolve_duplicate(db.session, flag, Actor.command("test"), "not_duplicate")
    assert db.session.scalars(select(DuplicateFlag)).all() == []
    assert newer.status == "pending"
    [entry] = history(db.session, newer.id)
    assert entry.action == "duplicate_resolved"
    assert entry.note == f"not a duplicate of listing {original.id}"


def test_rejecting_a_duplicate_rejects_the_newer_listing(db_app):
    flag = _flagged()
    newer, original = flag.group, flag.duplicate_of
    resolve_duplicate(db.session, flag, Actor.command("test"), "reject")
    assert (newer.status, original.status) == ("rejected", "published")
    [entry] = history(db.session, newer.id)
    assert entry.action == "rejected" and entry.note == f"a duplicate of listing {original.id}"
    with pytest.raises(ServiceError, match="outcome must be"):
        resolve_duplicate(db.session, _flagged(), Actor.command("test"), "combine")
