"""Record what an import does to its listings, and tell which decisions a feed must respect.

The importer (``directory.interchange.upsert``) writes thousands of listings at once, so these
add their audit records without flushing each; it flushes once at the end, and the caller's
commit keeps or undoes the whole import together with its records.

A person's decision outlives the feed: a listing a moderator (or a command) archived or
rejected, or its organiser closed, is never brought back by a re-import, and fields a
moderator corrected are kept (``Group.corrected_fields``). Whether a person archived a
listing is read from the trail, so no column has to keep it in step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import ActorKind, AuditAction, AuditRecord, Group, Status

from .actors import Actor, describe
from .audit import diff, record

#: Actions that set a listing's status, the last of which says who decided it.
STATUS_ACTIONS = tuple(action.value for action in (
    AuditAction.CREATED, AuditAction.SUBMITTED, AuditAction.IMPORTED, AuditAction.RESTORED,
    AuditAction.APPROVED, AuditAction.REJECTED, AuditAction.ARCHIVED, AuditAction.CLOSED,
))  # fmt: skip


@dataclass(frozen=True)
class Decision:
    """A person's last say on a listing's status, which an import keeps."""

    status: str
    who: str
    at: dt.datetime | None

    def message(self) -> str:
        """Say what the import left as it was, for the import report."""
        when = f" on {self.at:%Y-%m-%d}" if self.at else ""
        again = "archived" if self.status == Status.ARCHIVED else "unpublished"
        return f"{self.status} by {self.who}{when}; kept {again}, as decided"


def people_decisions(session: Session, source: str) -> dict[int, Decision]:
    """Return, per archived, rejected or closed listing of ``source``, the decision kept.

    Rejected and closed listings are always kept (only people reject, organisers close
    their own group); archived ones when the last
    status change was not the import's own (an import archives what leaves the feed, and
    restores it when it comes back).
    """
    closed = (Status.ARCHIVED.value, Status.REJECTED.value, Status.CLOSED.value)
    query = (
        select(Group.id, Group.status, AuditRecord.actor_kind, AuditRecord.actor_label,
               AuditRecord.at)
        .join(AuditRecord, AuditRecord.group_id == Group.id)
        .where(Group.source == source, Group.status.in_(closed),
               AuditRecord.action.in_(STATUS_ACTIONS))
        .order_by(Group.id, AuditRecord.at, AuditRecord.id)
    )  # fmt: skip
    last = {row.id: row for row in session.execute(query)}
    found = {}
    for group_id, status in session.execute(
        select(Group.id, Group.status).where(Group.source == source, Group.status.in_(closed))
    ):
        row = last.get(group_id)
        if row is not None and row.actor_kind != ActorKind.IMPORT:
            found[group_id] = Decision(status, describe(row.actor_kind, row.actor_label), row.at)
        elif row is None and status in (Status.REJECTED, Status.CLOSED):
            found[group_id] = Decision(status, "a moderator", None)
    return found


def imported(
    session: Session, group: Group, actor: Actor, described: dict[str, Any], note: str = ""
) -> None:
    """Record a listing an import created, from its description (``Prepared.state()``)."""
    changes = diff({}, {**described, "status": group.status})
    record(session, group, actor, AuditAction.IMPORTED, changes, note)


def updated(
    session: Session, group: Group, actor: Actor, before: dict, after: dict, note: str = ""
) -> dict:
    """Record an import's changes to a listing (restored, if its status came back)."""
    changes = diff(before, after)
    if changes:
        restored = "status" in changes
        action = AuditAction.RESTORED if restored else AuditAction.UPDATED
        record(session, group, actor, action, changes, note)
    return changes


def archived(session: Session, group: Group, actor: Actor, reason: str) -> None:
    """Archive a listing the feed no longer lists, or marks as no longer meeting."""
    before = group.status
    group.status = Status.ARCHIVED.value
    changes = {"status": [before, group.status]}
    record(session, group, actor, AuditAction.ARCHIVED, changes, reason)
