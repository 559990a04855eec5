"""Keep a published listing current: confirm it still meets, pause it, resume it, close it.

These are the organiser's operations (by their signed manage link); a moderator may do them
too. Each checks the listing's status, applies the change, writes its audit record and
flushes; none commits. ``revoke_links`` is the moderator's: it ends every manage link sent.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from directory.models import AuditAction, Group, ProblemReport, ReportKind, Status, utcnow

from .actors import Actor, ServiceError
from .audit import diff, record

#: The longest pause an organiser can set with a date (a longer one is a close, or no date).
LONGEST_PAUSE = dt.timedelta(days=366)
#: The longest closing reason kept.
REASON_LIMIT = 1000


def _published(group: Group, actor: Actor, verb: str) -> None:
    actor.check(group)
    if group.status != Status.PUBLISHED.value:
        raise ServiceError(f"listing {group.id} is {group.status}: only a published one is {verb}")


def local_today(group: Group, now: dt.datetime | None = None) -> dt.date:
    """Return today's date where the group meets."""
    return (now or utcnow()).astimezone(zoneinfo.ZoneInfo(group.effective_timezone)).date()


def _set(session: Session, group: Group, actor: Actor, action: AuditAction, note=None, **fields):
    before = {name: getattr(group, name) for name in fields}
    for name, value in fields.items():
        setattr(group, name, value)
    changes = diff(before, fields)
    record(session, group, actor, action, changes, note)
    session.flush()
    return changes


def _settle_stopped_reports(group: Group, actor: Actor, note: str) -> None:
    """Resolve open "stopped meeting" reports once the organiser says the group meets."""
    session = object_session(group)
    query = select(ProblemReport).where(
        ProblemReport.group_id == group.id,
        ProblemReport.kind == ReportKind.STOPPED.value,
        ProblemReport.resolved_at.is_(None),
    )
    now = utcnow()
    for report in session.scalars(query):
        report.resolved_at, report.resolved_by, report.resolution = now, actor.label[:254], note


def confirm(session: Session, group: Group, actor: Actor, now: dt.datetime | None = None) -> dict:
    """Record that the group still meets: its verified date moves to now; return the change.

    The earlier date stays in the audit trail. Open reports that it stopped meeting are
    resolved (the organiser has just said otherwise).
    """
    _published(group, actor, "confirmed")
    _settle_stopped_reports(group, actor, "the organiser confirmed it still meets")
    return _set(session, group, actor, AuditAction.CONFIRMED, verified_at=now or utcnow())


def pause(
    session: Session, group: Group, actor: Actor, resumes_on: dt.date | None = None,
    note: str | None = None, now: dt.datetime | None = None,
) -> dict:  # fmt: skip
    """Mark the group not meeting, until ``resumes_on`` (a local date) or until resumed.

    It stays listed, marked "Not meeting until ...", and leaves "soonest" results meanwhile.
    Pausing is also a confirmation: the organiser has just said how the group stands.
    """
    _published(group, actor, "paused")
    now = now or utcnow()
    today = local_today(group, now)
    if resumes_on is not None and resumes_on <= today:
        raise ServiceError("the date it meets again must be after today")
    if resumes_on is not None and resumes_on - today > LONGEST_PAUSE:
        raise ServiceError("a pause with a date can last a year at most")
    note = (note or "").strip()[:REASON_LIMIT] or None
    return _set(
        session, group, actor, AuditAction.PAUSED, note,
        paused_at=now, resumes_on=resumes_on, verified_at=now,
    )  # fmt: skip


def resume(session: Session, group: Group, actor: Actor, now: dt.datetime | None = None) -> dict:
    """End a pause: the group meets again (also a confirmation)."""
    _published(group, actor, "resumed")
    if group.paused_at is None:
        raise ServiceError("the group is not paused")
    now = now or utcnow()
    return _set(
        session, group, actor, AuditAction.RESUMED, paused_at=None, resumes_on=None,
        verified_at=now,
    )  # fmt: skip


def close(session: Session, group: Group, actor: Actor, reason: str) -> dict:
    """Close the group for good: it leaves search, and its page says it no longer meets."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("a reason is required")
    if len(reason) > REASON_LIMIT:
        raise ServiceError(f"the reason is longer than {REASON_LIMIT} characters")
    _published(group, actor, "closed")
    return _set(
        session, group, actor, AuditAction.CLOSED, reason, status=Status.CLOSED.value,
        paused_at=None, resumes_on=None,
    )  # fmt: skip


def revoke_links(session: Session, group: Group, actor: Actor, reason: str | None = None) -> None:
    """End every manage link sent for ``group`` so far (a fresh one can be asked for)."""
    actor.check(group)
    _set(
        session, group, actor, AuditAction.LINK_REVOKED, (reason or "").strip() or None,
        manage_version=(group.manage_version or 0) + 1,
    )  # fmt: skip
