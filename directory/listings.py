"""Read published listings and directory statistics for pages and commands.

Also the two rules every view of a listing shares: how fresh it is (``freshness_moment``)
and when it meets around a pause (``meeting_schedules``).
"""

from __future__ import annotations

import datetime as dt
import types
import zoneinfo
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from directory.extensions import db
from directory.models import AuditAction, AuditRecord, Group, Location, Schedule, Status, utcnow

#: The largest id the listings' integer column holds (PostgreSQL's INTEGER is 32 bits).
MAX_ID = 2**31 - 1

#: What a listing page needs loaded up front, so rendering issues no further queries.
LISTING_LOAD = (
    selectinload(Group.organization),
    selectinload(Group.location),
    selectinload(Group.schedules),
    selectinload(Group.topics),
    selectinload(Group.audiences),
    selectinload(Group.accessibility),
    selectinload(Group.languages),
)


#: What ``directory.schedule`` reads of a schedule (``models.Schedule``, ``ScheduleSpec``).
SCHEDULE_FIELDS = (
    "kind", "weekdays", "interval", "anchor_date", "month_weeks", "dates", "start_time",
    "end_time", "timezone", "valid_from", "valid_until",
)  # fmt: skip


def freshness_moment(
    verified_at: dt.datetime | None, created_at: dt.datetime | None
) -> dt.datetime | None:
    """Return when a listing's freshness counts from: its last confirmation, else its listing.

    An imported listing whose feed gave no date has no confirmation: its clock starts the
    day it was listed here.
    """
    return verified_at or created_at


def hidden_before(now: dt.datetime | None = None) -> dt.datetime:
    """Return the moment before which an unconfirmed listing has left search (HIDE_AFTER)."""
    return (now or utcnow()) - current_app.config["HIDE_AFTER"]


def paused_today(listing, now: dt.datetime | None = None) -> bool:
    """Return whether a listing (a Group or a search Hit) is paused today where it meets.

    A pause whose resume date has come is over, without anyone resuming it.
    """
    zone = getattr(listing, "effective_timezone", None) or listing.timezone or "UTC"
    try:
        today = (now or utcnow()).astimezone(zoneinfo.ZoneInfo(zone)).date()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # a bad zone in imported data
        today = (now or utcnow()).astimezone(dt.UTC).date()
    return listing.paused_on(today)


def searchable(now: dt.datetime | None = None):
    """Return the condition search's freshness sets: confirmed (else listed) within HIDE_AFTER."""
    return func.coalesce(Group.verified_at, Group.created_at) >= hidden_before(now)


def _resumed(schedule, day: dt.date):
    """Return ``schedule`` as it meets from ``day`` on, on its own beat (anchor kept)."""
    if schedule.valid_from is not None and schedule.valid_from >= day:
        return schedule
    changed = {"anchor_date": schedule.anchor_date or schedule.valid_from, "valid_from": day}
    if hasattr(schedule, "_replace"):  # a ScheduleSpec of the search index
        return schedule._replace(**changed)
    values = {name: getattr(schedule, name) for name in SCHEDULE_FIELDS}
    return types.SimpleNamespace(
        **{**values, **changed},
        id=getattr(schedule, "id", None),
        note=getattr(schedule, "note", None),
    )


def meeting_schedules(
    schedules: Iterable, paused_at: dt.datetime | None, resumes_on: dt.date | None
) -> list:
    """Return the schedules to count meetings from, around a pause.

    A paused listing meets from the local date it resumes (each schedule valid from then);
    paused with no date, it has no meetings to count until it is resumed. Not paused, the
    schedules as they are. A resume date that has passed changes nothing.
    """
    if paused_at is None:
        return list(schedules)
    if resumes_on is None:
        return []
    return [_resumed(schedule, resumes_on) for schedule in schedules]


def published_count() -> int:
    """Return how many listings are published (searchable or not)."""
    return db.session.scalar(
        select(func.count()).select_from(Group).where(Group.status == Status.PUBLISHED)
    )


def searchable_count(now: dt.datetime | None = None) -> int:
    """Return how many published listings search shows: those confirmed within HIDE_AFTER."""
    return db.session.scalar(
        select(func.count())
        .select_from(Group)
        .where(Group.status == Status.PUBLISHED, searchable(now))
    )


def recently_verified(limit: int = 10) -> list[Group]:
    """Return the most recently verified published listings search shows."""
    query = (
        select(Group)
        .where(Group.status == Status.PUBLISHED, searchable())
        .order_by(Group.verified_at.desc().nulls_last(), Group.id)
        .limit(limit)
        .options(*LISTING_LOAD)
    )
    return list(db.session.scalars(query))


def get_published(group_id: int) -> Group | None:
    """Return one published listing, or None when it does not exist or is not public."""
    if not 0 < group_id <= MAX_ID:  # a larger id would overflow the database's integer
        return None
    query = (
        select(Group)
        .where(Group.id == group_id, Group.status == Status.PUBLISHED)
        .options(*LISTING_LOAD)
    )
    return db.session.scalar(query)


def get_closed(group_id: int) -> Group | None:
    """Return one closed listing (its page says it no longer meets), or None."""
    if not 0 < group_id <= MAX_ID:
        return None
    query = (
        select(Group)
        .where(Group.id == group_id, Group.status == Status.CLOSED)
        .options(selectinload(Group.location), selectinload(Group.topics))
    )
    return db.session.scalar(query)


def similar_search(group: Group) -> list[tuple[str, str]]:
    """Return search parameters for groups like ``group``: its topics, near its place.

    An online or phone group's are the groups that meet the same way; one without a place
    or topics gets the closest search that can be made. A list of pairs, for a MultiDict
    and for a link to the full search.
    """
    args = [("topic", term.slug) for term in group.topics]
    location = group.location
    if group.format in ("online", "phone") or location is None:
        args.append(("format", group.format))
    elif location.latitude is not None and location.longitude is not None:
        args += [("lat", f"{location.latitude:.5f}"), ("lon", f"{location.longitude:.5f}")]
    elif location.postal_code or location.city:
        near = location.postal_code or ", ".join(p for p in (location.city, location.region) if p)
        args.append(("near", near))
    return args


def closed_at(group_id: int) -> dt.datetime | None:
    """Return when a listing was last closed, from its audit trail (None if never)."""
    query = select(func.max(AuditRecord.at)).where(
        AuditRecord.group_id == group_id, AuditRecord.action == AuditAction.CLOSED.value
    )
    return db.session.scalar(query)


def stats() -> dict[str, list[tuple[str, int]]]:
    """Count listings by status, by format (published) and by state (published)."""
    published = Group.status == Status.PUBLISHED
    by_status = db.session.execute(
        select(Group.status, func.count()).group_by(Group.status).order_by(Group.status)
    ).all()
    by_format = db.session.execute(
        select(Group.format, func.count())
        .where(published)
        .group_by(Group.format)
        .order_by(func.count().desc())
    ).all()
    region = func.coalesce(Location.region, "(online/phone)")
    by_state = db.session.execute(
        select(region, func.count())
        .select_from(Group)
        .outerjoin(Location, Group.location_id == Location.id)
        .where(published)
        .group_by(region)
        .order_by(func.count().desc(), region)
    ).all()
    return {
        "status": [tuple(r) for r in by_status],
        "format": [tuple(r) for r in by_format],
        "state": [tuple(r) for r in by_state],
    }


def map_points(group_ids: list[int]) -> dict[int, tuple[float, float]]:
    """Return the meeting place's (latitude, longitude) of each given group that has one."""
    if not group_ids:
        return {}
    rows = db.session.execute(
        select(Group.id, Location.latitude, Location.longitude)
        .join(Location, Group.location_id == Location.id)
        .where(Group.id.in_(group_ids), Location.latitude.is_not(None))
    )
    return {group_id: (lat, lon) for group_id, lat, lon in rows}


def schedules_for(group_ids: list[int]) -> dict[int, list[Schedule]]:
    """Return the schedules of each given group, in their listing order."""
    if not group_ids:
        return {}
    found: dict[int, list[Schedule]] = {group_id: [] for group_id in group_ids}
    query = select(Schedule).where(Schedule.group_id.in_(group_ids)).order_by(Schedule.id)
    for schedule in db.session.scalars(query):
        found[schedule.group_id].append(schedule)
    return found
