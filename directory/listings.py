"""Read published listings and directory statistics for pages and commands."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from directory.extensions import db
from directory.models import Group, Location, Schedule, Status

#: The largest id a database integer column holds.
MAX_ID = 2**63 - 1

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


def published_count() -> int:
    """Return how many listings are published."""
    return db.session.scalar(
        select(func.count()).select_from(Group).where(Group.status == Status.PUBLISHED)
    )


def recently_verified(limit: int = 10) -> list[Group]:
    """Return the most recently verified published listings."""
    query = (
        select(Group)
        .where(Group.status == Status.PUBLISHED)
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
