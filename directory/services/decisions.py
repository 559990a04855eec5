"""Decide a listing's status: approve, reject, archive, and settle a possible duplicate.

These are the only functions that move a listing between pending, published, rejected and
archived (the importer's own moves are in ``imports``). Each checks the actor may act on the
listing and that its status allows it, applies the change, writes its audit record and
flushes; none commits, so the caller's transaction keeps or undoes everything together.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from directory.models import AuditAction, DuplicateFlag, Group, Status, utcnow

from .actors import Actor, ServiceError
from .audit import diff, record

#: Where each decision may start from.
APPROVABLE = (Status.PENDING,)
REJECTABLE = (Status.PENDING,)
ARCHIVABLE = (Status.PENDING, Status.PUBLISHED)
DUPLICATE_OUTCOMES = ("not_duplicate", "reject", "merge")
#: What "merge" carries from the newer listing into the one kept, where the kept one has none.
MERGED_FIELDS = (
    "description", "contact_name", "contact_email", "contact_phone", "website", "join_url",
    "join_phone", "join_instructions", "cost_note",
)  # fmt: skip


def _check(group: Group, actor: Actor, allowed: tuple[Status, ...], verb: str) -> None:
    actor.check(group)
    if group.status not in allowed:
        wanted = " or ".join(status.value for status in allowed)
        raise ServiceError(
            f"listing {group.id} is {group.status}: only a {wanted} listing can be {verb}"
        )


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("a reason is required")
    return reason


def _move(
    session: Session, group: Group, actor: Actor, action: AuditAction, status: Status,
    note: str | None, **fields,
) -> dict[str, list]:  # fmt: skip
    before = {"status": group.status, **{name: getattr(group, name) for name in fields}}
    group.status = status.value
    for name, value in fields.items():
        setattr(group, name, value)
    changes = diff(before, {"status": status.value, **fields})
    record(session, group, actor, action, changes, note)
    session.flush()
    return changes


def approve(session: Session, group: Group, actor: Actor, note: str | None = None) -> dict:
    """Publish a pending listing; return its changes.

    A listing with no verified date (a new submission) is verified now, since a moderator has
    just checked it; one that has a date (from a feed) keeps it: approving is not the
    organiser confirming the group still meets.
    """
    _check(group, actor, APPROVABLE, "approved")
    extra = {"verified_at": utcnow()} if group.verified_at is None else {}
    return _move(session, group, actor, AuditAction.APPROVED, Status.PUBLISHED, note, **extra)


def reject(session: Session, group: Group, actor: Actor, reason: str) -> dict:
    """Reject a pending listing with a reason (sent to its submitter); return its changes."""
    reason = _reason(reason)
    _check(group, actor, REJECTABLE, "rejected")
    return _move(session, group, actor, AuditAction.REJECTED, Status.REJECTED, reason)


def archive_group(session: Session, group: Group, actor: Actor, reason: str) -> dict:
    """Take a pending or published listing out of the directory; return its changes.

    An import never brings back a listing a person archived (see ``imports``).
    """
    reason = _reason(reason)
    _check(group, actor, ARCHIVABLE, "archived")
    return _move(session, group, actor, AuditAction.ARCHIVED, Status.ARCHIVED, reason)


def resolve_duplicate(
    session: Session, flag: DuplicateFlag, actor: Actor, outcome: str, reason: str | None = None
) -> None:
    """Settle a possible duplicate: keep both, reject the newer one, or merge it into the other.

    "not_duplicate" keeps both (the listing stays pending, for a moderator to approve like
    any other); "reject" rejects the newer one; "merge" fills the kept listing's empty
    fields and adds the topics, audiences, languages and access notes only the newer one
    has (a moderator's edit, audited on the kept listing), then rejects the newer one as
    merged. The flag is removed in every case.
    """
    if outcome not in DUPLICATE_OUTCOMES:
        raise ServiceError(f"outcome must be one of {', '.join(DUPLICATE_OUTCOMES)}")
    group, other = flag.group, flag.duplicate_of
    actor.check(group)
    if outcome == "merge":
        actor.check(other)
        _merge(session, group, other, actor)
        reject(session, group, actor, reason or f"merged into listing {other.id}")
    elif outcome == "reject":
        reject(session, group, actor, reason or f"a duplicate of listing {other.id}")
    else:
        note = f"not a duplicate of listing {other.id}" + (f": {reason}" if reason else "")
        record(session, group, actor, AuditAction.DUPLICATE_RESOLVED, {}, note)
    session.delete(flag)
    session.flush()


def _merge(session: Session, newer: Group, kept: Group, actor: Actor) -> None:
    from .editing import edit_group

    changes: dict = {
        name: getattr(newer, name)
        for name in MERGED_FIELDS
        if getattr(newer, name) and not getattr(kept, name)
    }
    for name in ("topics", "audiences", "accessibility"):
        extra = {term.slug for term in getattr(newer, name)} - {
            term.slug for term in getattr(kept, name)
        }
        if extra:
            changes[name] = sorted({term.slug for term in getattr(kept, name)} | extra)
    languages = {lang.code for lang in newer.languages} - {lang.code for lang in kept.languages}
    if languages:
        changes["languages"] = sorted({lang.code for lang in kept.languages} | languages)
    if changes:
        edit_group(session, kept, changes, actor)
