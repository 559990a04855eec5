"""Write listings as an iCalendar feed: one recurring event per schedule, in its own zone.

Each schedule is a VEVENT with a DTSTART in the schedule's IANA zone (TZID), an RRULE from
``schedule.to_rrule`` or RDATEs for one-off dates, and the VTIMEZONE of every zone used, so
calendar apps show the right wall-clock time on both sides of a daylight-saving change.

A paused listing has no meetings during its pause: its events start on the day it resumes
(a DTSTART after the pause), and while paused with no date it has no events at all.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator

from icalendar import Calendar, Event, Timezone, vRecur

from directory.listings import meeting_schedules
from directory.models import Group
from directory.schedule import (
    HORIZON_YEARS,
    ScheduleError,
    first_start,
    occurrence_end,
    rdates,
    to_rrule,
)

from .public import PRODUCT, ExportContext, join_details, place_lines, terms_of

PRODID = "-//Peer Support Directory//Groups//EN"
#: How often calendar apps should fetch the feed again.
REFRESH = dt.timedelta(hours=12)


def _description(group: Group, context: ExportContext) -> str:
    join = join_details(group)
    lines = [group.description or ""]
    if join.url:
        lines.append(f"Join online: {join.url}")
    if join.phone:
        lines.append(f"Join by phone: {join.phone}")
    if join.instructions:
        lines.append(join.instructions)
    if group.contact_phone or group.contact_email:
        contact = ", ".join(c for c in (group.contact_name, group.contact_phone,
                                        group.contact_email) if c)  # fmt: skip
        lines.append(f"Contact: {contact}")
    if group.organization is not None:
        lines.append(f"Hosted by {group.organization.name}")
    if url := context.listing_url(group):
        lines.append(f"Listing: {url}")
    return "\n\n".join(line for line in lines if line)


def _where(group: Group) -> str | None:
    place = place_lines(group)
    if not group.is_online:
        return place
    return f"{place} (or online)" if place else "Online"


def _event(group: Group, listed, context: ExportContext) -> Event | None:
    meets = meeting_schedules([listed], group.paused_at, group.resumes_on)
    if not meets:
        return None  # paused until its organiser says it meets again
    schedule = meets[0]
    try:
        start = first_start(schedule)
    except ScheduleError:
        return None  # no meeting left to show
    end = occurrence_end(schedule, start) or start + dt.timedelta(hours=1)
    event = Event.new(
        uid=f"group-{group.id}-schedule-{listed.id}@peer-support-directory",
        summary=group.name, start=start, end=end,
        stamp=group.updated_at or context.generated_at,
        description=_description(group, context) or None,
        location=_where(group),
        url=context.listing_url(group) or group.website,
        categories=tuple(term.label for term in terms_of(group, "topics")),
    )  # fmt: skip
    rule = to_rrule(schedule)
    if rule:
        event.add("rrule", vRecur.from_ical(rule))
    else:
        for moment in rdates(schedule)[1:]:
            event.add("rdate", moment)
    if group.location is not None and group.location.latitude is not None:
        event.add("geo", (group.location.latitude, group.location.longitude))
    return event


def _feed(context: ExportContext) -> Calendar:
    return Calendar.new(
        prodid=PRODID, name=context.title, uid=f"feed@{PRODUCT.lower().replace(' ', '-')}",
        description="Peer support group meetings", refresh_interval=REFRESH,
    )  # fmt: skip


def _events(groups: Iterable[Group], context: ExportContext) -> Iterator[Event]:
    for group in groups:
        for schedule in group.schedules:
            event = _event(group, schedule, context)
            if event is not None:
                yield event


def _timezones(tzids: set[str], first: dt.date, context: ExportContext) -> list[Timezone]:
    last = context.generated_at.date().replace(day=1) + dt.timedelta(days=366 * HORIZON_YEARS)
    # Sorted: the set's order varies by process, and the same data gives the same bytes.
    return [Timezone.from_tzid(tzid, first_date=first, last_date=last) for tzid in sorted(tzids)]


def calendar(groups: Iterable[Group], context: ExportContext) -> Calendar:
    """Return a calendar with every meeting of ``groups`` (whole, in memory: for a few)."""
    feed = _feed(context)
    first = context.generated_at.date()
    for event in _events(groups, context):
        feed.add_component(event)
        first = min(first, event.start.date())
    for timezone in _timezones(feed.get_missing_tzids(), first, context):
        feed.add_component(timezone)
    feed.subcomponents.sort(key=lambda component: component.name != "VTIMEZONE")
    return feed


#: How much of a calendar ``write`` keeps in memory before it spools to a temporary file.
SPOOL_BYTES = 4 * 1024 * 1024
#: How many bytes ``write`` yields at a time.
CHUNK_BYTES = 64 * 1024


def _tzids(event: Event) -> set[str]:
    # What Calendar.get_used_tzids finds, for one event.
    found = {getattr(value, "params", {}).get("TZID") for _, value in event.property_items()}
    return found - {None, "UTC"}


def write(groups: Iterable[Group], context: ExportContext) -> Iterator[bytes]:
    """Yield listings as an iCalendar (.ics) file: the same bytes as ``calendar().to_ical()``.

    The time zones come first but span from the earliest event, so events are spooled (to a
    temporary file once large) while their zones are gathered, then everything is yielded.
    """
    first, tzids = context.generated_at.date(), set()
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        for event in _events(groups, context):
            spool.write(event.to_ical())
            first = min(first, event.start.date())
            tzids |= _tzids(event)
        head, end = _feed(context).to_ical().rsplit(b"END:VCALENDAR", 1)
        yield head + b"".join(zone.to_ical() for zone in _timezones(tzids, first, context))
        spool.seek(0)
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk
        yield b"END:VCALENDAR" + end


def group_calendar(group: Group, context: ExportContext) -> bytes:
    """Return one listing's meetings as an iCalendar file named after the group."""
    named = ExportContext(context.base_url, context.generated_at, group.name)
    return calendar([group], named).to_ical()
