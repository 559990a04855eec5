"""Choose the listings whose organiser is due a reminder to confirm them, and record each one.

A published listing (paused ones too: a pause ages like any other word from the organiser)
with an organiser address is due once its last confirmation (``verified_at``, else when it
was listed) is ``review_after`` old, and at most once per ``every``. ``remind`` records a
reminder, commits, and only then sends it: two runs that overlap, or a run that stops part
way, never remind one listing twice within ``every`` (see ``record_reminder``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from directory.models import AuditAction, Group, Reminder, Status

from .actors import Actor, ServiceError
from .audit import record

#: Listings read at a time: a directory of 100,000 never loads at once.
BATCH = 100
#: Who the audit trail names for a reminder sent by the scheduled command.
REMINDER_ACTOR = Actor.system("remind")


class NotDue(ServiceError):
    """The listing is no longer due a reminder (another run sent one, or it was confirmed)."""


def last_confirmed():
    """Return the SQL moment a listing's freshness counts from: verified, else listed."""
    return func.coalesce(Group.verified_at, Group.created_at)


def confirmed_moment(group: Group) -> dt.datetime:
    """Return the moment ``group``'s freshness counts from: verified, else listed."""
    return group.verified_at or group.created_at


def days_unconfirmed(group: Group, now: dt.datetime) -> int:
    """Return the whole days since ``group`` was last confirmed (or listed)."""
    return max(0, (now - confirmed_moment(group)).days)


def _reminded_since(moment: dt.datetime):
    return exists().where(Reminder.group_id == Group.id, Reminder.sent_at > moment)


def _due(now: dt.datetime, review_after: dt.timedelta, every: dt.timedelta):
    return and_(
        Group.status == Status.PUBLISHED.value,
        Group.organiser_email.is_not(None),
        Group.organiser_email != "",
        last_confirmed() <= now - review_after,
        ~_reminded_since(now - every),
    )


def due_for_reminder(
    session: Session, now: dt.datetime, review_after: dt.timedelta, every: dt.timedelta,
    *, after_id: int = 0, limit: int = BATCH,
) -> list[Group]:  # fmt: skip
    """Return up to ``limit`` listings due a reminder at ``now``, by id, after ``after_id``."""
    query = (
        select(Group)
        .where(_due(now, review_after, every), Group.id > after_id)
        .order_by(Group.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def due_in_batches(
    session: Session, now: dt.datetime, review_after: dt.timedelta, every: dt.timedelta,
    size: int | None = None,
) -> Iterator[list[Group]]:  # fmt: skip
    """Yield the listings due a reminder, ``size`` (BATCH) at a time, by id, each read afresh."""
    size = size or BATCH
    after = 0
    while batch := due_for_reminder(session, now, review_after, every, after_id=after,
                                    limit=size):  # fmt: skip
        after = batch[-1].id  # read before the caller commits (and so expires) the batch
        yield batch


def is_due(group: Group, now: dt.datetime, review_after: dt.timedelta) -> bool:
    """Return whether ``group`` itself calls for a reminder (leaving earlier reminders aside)."""
    return (
        group.status == Status.PUBLISHED.value
        and bool(group.organiser_email)
        and confirmed_moment(group) <= now - review_after
    )


def record_reminder(
    session: Session, group: Group, now: dt.datetime, review_after: dt.timedelta,
    every: dt.timedelta, actor: Actor = REMINDER_ACTOR,
) -> Reminder:  # fmt: skip
    """Record that ``group``'s organiser is reminded at ``now``, with its audit record.

    Raise NotDue (the caller rolls back) when it is not due after all: confirmed meanwhile,
    or reminded within ``every`` by a run that overlaps this one. The listing's row is locked
    first (PostgreSQL), and the reminder written before the check (SQLite's write lock), so
    of two runs that claim one listing at once the second sees the first's reminder.
    """
    locked = select(Group).where(Group.id == group.id).with_for_update()
    session.execute(locked.execution_options(populate_existing=True))
    reminder = Reminder(group=group, sent_at=now, sent_to=group.organiser_email or "")
    session.add(reminder)
    session.flush()
    session.refresh(group)
    if not is_due(group, now, review_after):
        raise NotDue(f"listing {group.id} is not due a reminder any more")
    earlier = select(func.count(Reminder.id)).where(
        Reminder.group_id == group.id, Reminder.sent_at > now - every, Reminder.id != reminder.id
    )
    if session.scalar(earlier):
        raise NotDue(f"listing {group.id} was reminded less than {every.days} days ago")
    reminder.sent_to, reminder.about_verified_at = group.organiser_email, group.verified_at
    record(session, group, actor, AuditAction.REMINDED, note=_note(group))
    session.flush()
    return reminder


def _note(group: Group) -> str:
    if group.verified_at is not None:
        when = f"last confirmed {group.verified_at:%Y-%m-%d}"
    else:
        when = f"never confirmed; listed {group.created_at:%Y-%m-%d}"
    return f"asked the organiser to confirm it ({when})"


def reminders_of(session: Session, group_ids: list[int]) -> dict[int, list[dt.datetime]]:
    """Return when each listing's reminders were sent, newest first, in one query."""
    sent: dict[int, list[dt.datetime]] = {group_id: [] for group_id in group_ids}
    if not group_ids:
        return sent
    query = (
        select(Reminder.group_id, Reminder.sent_at)
        .where(Reminder.group_id.in_(group_ids))
        .order_by(Reminder.group_id, Reminder.sent_at.desc(), Reminder.id.desc())
    )
    for group_id, moment in session.execute(query):
        sent[group_id].append(moment)
    return sent
