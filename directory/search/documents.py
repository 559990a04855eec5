"""Read published listings from the database and turn each into an index document.

Listings are read with plain column queries in batches, not as ORM objects, so reading
100,000 of them stays fast and small. A listing's schedules become its searchable weekdays
and times of day, its plain-words schedule text and its next meeting; a paused listing has
no next meeting before the day it resumes (none at all when paused with no date), though its
schedule text stays as it is.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from directory import listings
from directory import schedule as schedules
from directory.folding import words
from directory.geo import STATE_NAMES
from directory.models import (
    Group,
    Location,
    Organization,
    Schedule,
    Status,
    TaxonomyTerm,
    group_accessibility,
    group_audience,
    group_language,
    group_topic,
)
from directory.search.schema import COSTS, FORMATS, ROW_STRUCT, TIMES

log = logging.getLogger(__name__)

BATCH_SIZE = 2000
_IDS = bindparam("ids", expanding=True)
_WEEKDAY_INDEX = {code: index for index, code in enumerate(schedules.WEEKDAY_CODES)}


class ScheduleSpec(NamedTuple):
    """The attributes ``directory.schedule`` reads, detached from the database."""

    kind: str
    weekdays: str | None
    interval: int
    anchor_date: dt.date | None
    month_weeks: str | None
    dates: str | None
    start_time: dt.time
    end_time: dt.time | None
    timezone: str
    valid_from: dt.date | None
    valid_until: dt.date | None


SCHEDULE_COLUMNS = (
    Schedule.kind,
    Schedule.weekdays,
    Schedule.interval,
    Schedule.anchor_date,
    Schedule.month_weeks,
    Schedule.dates,
    Schedule.start_time,
    Schedule.end_time,
    Schedule.timezone,
    Schedule.valid_from,
    Schedule.valid_until,
)


def published_ids(session: Session) -> list[int]:
    """Return the ids of every published listing, in order."""
    query = select(Group.id).where(Group.status == Status.PUBLISHED).order_by(Group.id)
    return list(session.scalars(query))


def _first_after(spec: tuple, after: dt.datetime) -> dt.datetime | None:
    try:
        upcoming = schedules.next_occurrences(ScheduleSpec(*spec), after, 1)
    except schedules.ScheduleError:
        return None
    return upcoming[0] if upcoming else None


def next_meeting(
    specs: Iterable[tuple], after: dt.datetime, memo: dict | None = None
) -> dt.datetime | None:
    """Return the first meeting after ``after`` over all of a listing's schedules.

    ``memo`` keeps answers per schedule for one ``after``: many listings share a schedule.
    """
    found = None
    for spec in specs:
        if memo is None:
            upcoming = _first_after(spec, after)
        else:
            key = tuple(spec)
            if key not in memo:
                memo[key] = _first_after(spec, after)
            upcoming = memo[key]
        if upcoming and (found is None or upcoming < found):
            found = upcoming
    return found


@lru_cache(maxsize=20_000)
def _facts_of(spec: ScheduleSpec) -> tuple[str, int, int] | None:
    """Return (plain words, weekday bits, time-of-day bit) of one schedule, or None."""
    try:
        text = schedules.describe(spec)
        days = 0
        for code in schedules.weekday_set(spec):
            days |= 1 << _WEEKDAY_INDEX[code]
    except schedules.ScheduleError as error:
        log.warning("schedule skipped in the search index: %s", error)
        return None
    return text, days, 1 << TIMES.index(schedules.time_of_day(spec.start_time))


def _schedule_facts(specs: list[ScheduleSpec]) -> tuple[str, int, int]:
    """Return (plain-words text, weekday bit mask, time-of-day bit mask)."""
    texts, days, times = [], 0, 0
    for spec in specs:
        facts = _facts_of(spec)
        if facts is not None:
            texts.append(facts[0])
            days |= facts[1]
            times |= facts[2]
    return "; ".join(texts), days, times


def _epoch(moment: dt.datetime | None) -> float:
    return moment.timestamp() if moment is not None else math.inf


def _by_group(session: Session, query, ids: list[int]) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    for group_id, *rest in session.execute(query, {"ids": ids}):
        found[group_id].append(rest[0] if len(rest) == 1 else tuple(rest))
    return found


def _terms_query(table):
    return (
        select(table.c.group_id, TaxonomyTerm.slug, TaxonomyTerm.label)
        .join(TaxonomyTerm, TaxonomyTerm.id == table.c.term_id)
        .where(table.c.group_id.in_(_IDS))
        .order_by(table.c.group_id, TaxonomyTerm.label)
    )


_GROUPS = (
    select(
        Group.id,
        Group.name,
        Group.description,
        Group.format,
        Group.cost,
        Group.organization_id,
        Organization.name,
        Group.timezone,
        Group.updated_at,
        Group.verified_at,
        Group.created_at,
        Group.paused_at,
        Group.resumes_on,
        Location.name,
        Location.city,
        Location.region,
        Location.latitude,
        Location.longitude,
        Location.timezone,
    )
    .outerjoin(Organization, Organization.id == Group.organization_id)
    .outerjoin(Location, Location.id == Group.location_id)
    .where(Group.id.in_(_IDS), Group.status == Status.PUBLISHED)
    .order_by(Group.id)
)
_SCHEDULES = (
    select(Schedule.group_id, *SCHEDULE_COLUMNS)
    .where(Schedule.group_id.in_(_IDS))
    .order_by(Schedule.group_id, Schedule.id)
)
_LANGUAGES = (
    select(group_language.c.group_id, group_language.c.language_code)
    .where(group_language.c.group_id.in_(_IDS))
    .order_by(group_language.c.group_id, group_language.c.language_code)
)
_TOPICS = _terms_query(group_topic)
_AUDIENCES = _terms_query(group_audience)
_ACCESS = _terms_query(group_accessibility)


def iter_documents(
    session: Session, ids: Iterable[int] | None = None, now: dt.datetime | None = None
) -> Iterator[dict[str, Any]]:
    """Yield an index document for each published listing (of ``ids``, or all of them)."""
    now = now or dt.datetime.now(dt.UTC)
    memo: dict = {}
    wanted = published_ids(session) if ids is None else sorted(set(ids))
    for start in range(0, len(wanted), BATCH_SIZE):
        batch = wanted[start : start + BATCH_SIZE]
        related = {
            name: _by_group(session, query, batch)
            for name, query in (
                ("schedules", _SCHEDULES),
                ("lang", _LANGUAGES),
                ("topic", _TOPICS),
                ("audience", _AUDIENCES),
                ("access", _ACCESS),
            )
        }
        for row in session.execute(_GROUPS, {"ids": batch}):
            yield _document(row, related, now, memo)


def _document(
    row, related: dict[str, dict[int, list]], now: dt.datetime, memo: dict
) -> dict[str, Any]:
    (gid, name, description, fmt, cost, org_id, org_name, own_zone, updated, verified,
     created, paused, resumes_on, place_name, city, region, lat, lon, place_zone) = row  # fmt: skip
    specs = [ScheduleSpec(*spec) for spec in related["schedules"].get(gid, [])]
    schedule_text, days, times = _schedule_facts(specs)
    # What the engine counts next meetings from (again, later): none during a pause.
    meets = listings.meeting_schedules(specs, paused, resumes_on)
    upcoming = next_meeting(meets, now, memo)
    topics = related["topic"].get(gid, [])
    facets = [f"topic:{slug}" for slug, _label in topics]
    for facet in ("audience", "access"):
        facets += [f"{facet}:{slug}" for slug, _label in related[facet].get(gid, [])]
    facets += [f"lang:{code}" for code in related["lang"].get(gid, [])]
    texts = {
        "name": name,
        "body": description or "",
        "org": org_name or "",
        "place": " ".join(p for p in (city, STATE_NAMES.get(region or ""), place_name) if p),
    }
    packed = ROW_STRUCT.pack(
        gid,
        _epoch(updated),
        math.nan if lat is None else lat,
        math.nan if lon is None else lon,
        _epoch(upcoming),
        now.timestamp(),
        _epoch(listings.freshness_moment(verified, created)),
        org_id or 0,
        FORMATS.index(fmt),
        COSTS.index(cost),
        days,
        times,
        (region or "").encode("ascii", "replace")[:2],
        # Word counts (stop words included) stand in for term counts in length norms.
        *(min(len(words(text)), 65535) for text in texts.values()),
    )
    return {
        "gid": str(gid),
        **texts,
        "row": packed,
        "facets": " ".join(facets).encode(),
        "doc": {
            "name": name,
            "org": org_name,
            "org_id": org_id,
            "format": fmt,
            "topics": topics,
            "city": city,
            "region": region,
            "tz": place_zone or own_zone or "UTC",
            "schedule_text": schedule_text,
            "schedules": [tuple(spec) for spec in meets],
            "verified": verified.isoformat() if verified else None,
            "listed": created.isoformat() if created else None,
            "paused": paused is not None,
            "resumes_on": resumes_on.isoformat() if resumes_on else None,
            "description": description or "",
        },
    }
