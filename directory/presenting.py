"""One presenter for a public listing: what every public view of a group may show, in words.

``present(group)`` turns a published (or previewed) Group into a ``PublicListing``: the
schedule in words, the next meetings, the place as an address block and on one line, the
joining details the organiser shares publicly, the labels in the page's language and how
current it is. The group page, the organiser's preview, the API, the JSON-LD and the referral
sheet all read a PublicListing, so a field cannot show in one of them and not the others.

``PUBLIC_FIELDS`` is the one list of the Group fields that may reach a public page, the API
or a feed. The presenter reads nothing else of a group: never the organiser's private contact
(``organiser_*``), never moderation state. Words are in the page's locale at call time, so
``with flask_babel.force_locale("es"): present(group)`` gives Spanish.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app, has_request_context

from directory import listings
from directory import schedule as recurrence
from directory.interchange.public import JoinDetails, address_lines, join_details, public_url
from directory.models import utcnow
from directory.web import links, words

#: The Group fields (columns and relationships) a public view of a listing may show. Every
#: other field (``organiser_*``, status, source, manage_version...) stays private.
PUBLIC_FIELDS: tuple[str, ...] = (
    "id", "name", "description", "format", "cost", "cost_note", "facilitation",
    "registration_required", "contact_name", "contact_email", "contact_phone", "website",
    "join_url", "join_phone", "join_instructions", "join_visibility", "timezone",
    "verified_at", "paused_at", "resumes_on", "is_demo", "created_at", "updated_at",
    "organization", "location", "schedules", "topics", "audiences", "accessibility",
    "languages",
)  # fmt: skip
#: Properties of a Group the presenter uses, computed from public fields only.
DERIVED_FIELDS: tuple[str, ...] = ("effective_timezone", "is_online", "paused_on")
#: How many meetings ahead a listing shows.
MEETINGS = 3


@dataclass(frozen=True)
class PublicPlace:
    """Where a listing meets, as its page, sheet and exports show it."""

    name: str | None
    room: str | None
    address_1: str | None
    address_2: str | None
    city: str | None
    region: str | None
    postal_code: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    #: The address as a block: venue, room, street lines, 'Chicago, IL 60614'.
    lines: tuple[str, ...]
    #: The same on one line, comma-separated (what calendars and exports show).
    one_line: str
    #: An OpenStreetMap directions link, when the place can be found.
    directions_url: str | None


@dataclass(frozen=True)
class PublicHost:
    """The organisation that hosts a listing, with its public contact."""

    id: int | None
    name: str
    kind: str | None
    website: str | None
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class PublicListing:
    """Everything a public view may show of a listing, in the page's language."""

    id: int | None
    name: str
    description: str
    format: str
    format_label: str
    online: bool
    host: PublicHost | None
    place: PublicPlace | None
    timezone: str
    #: The schedule rows (``models.Schedule``), for views that give their parts.
    schedules: tuple
    #: Each schedule in words, its note in brackets after it.
    schedule_texts: tuple[str, ...]
    #: The next meeting starts (aware, in the group's zone); none during a pause.
    next_meetings: tuple[dt.datetime, ...]
    #: The joining details the organiser shares publicly (all None otherwise).
    join: JoinDetails
    #: Whether the organiser shares the joining details only on request.
    joining_on_request: bool
    contact_name: str | None
    phone: str | None
    email: str | None
    website: str | None
    cost: str
    cost_label: str
    cost_note: str | None
    facilitation: str
    facilitation_label: str
    registration_required: bool
    #: (slug, label in the page's language) pairs.
    topics: tuple[tuple[str, str], ...]
    audiences: tuple[tuple[str, str], ...]
    accessibility: tuple[tuple[str, str], ...]
    #: (code, name in the page's language) pairs.
    languages: tuple[tuple[str, str], ...]
    verified_at: dt.datetime | None
    listed_at: dt.datetime | None
    freshness: words.Freshness
    #: 'Not meeting until May 4, 2027' while paused, else None.
    not_meeting: str | None
    paused: bool
    resumes_on: dt.date | None
    is_demo: bool
    updated_at: dt.datetime | None
    #: The absolute address of the public page (None for an unsaved preview).
    url: str | None

    @property
    def has_join(self) -> bool:
        """Return whether any joining detail is public."""
        return any(self.join)


def next_meetings(
    group, count: int = MEETINGS, now: dt.datetime | None = None
) -> tuple[dt.datetime, ...]:
    """Return a group's next ``count`` meeting starts across its schedules, in its zone.

    The one place next meetings are counted from a Group: none during a pause, and from the
    day it resumes after one; a schedule that cannot produce meetings is skipped.
    """
    now = now or utcnow()
    zone = _zone(group.effective_timezone)
    schedules = listings.meeting_schedules(group.schedules, group.paused_at, group.resumes_on)
    starts = [
        start
        for schedule in schedules
        if not recurrence.problems(schedule)
        for start in recurrence.next_occurrences(schedule, now, count)
    ]
    return tuple(start.astimezone(zone) for start in sorted(starts)[:count])


def schedule_words(schedule) -> str | None:
    """Describe one schedule in the page's language, or None when it cannot make meetings."""
    return None if recurrence.problems(schedule) else words.schedule_text(schedule)


def schedule_line(schedule) -> str:
    """Describe one schedule in the page's language, with its note: 'Every Tuesday… (Room 2)'."""
    text = words.schedule_text(schedule)
    return f"{text} ({schedule.note})" if schedule.note else text


def _zone(key: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # a bad zone in imported data
        return zoneinfo.ZoneInfo("UTC")


def _place(location) -> PublicPlace | None:
    if location is None:
        return None
    lines = address_lines(location)
    return PublicPlace(
        name=location.name, room=location.room, address_1=location.address_1,
        address_2=location.address_2, city=location.city, region=location.region,
        postal_code=location.postal_code, country=location.country,
        latitude=location.latitude, longitude=location.longitude, lines=lines,
        one_line=", ".join(lines), directions_url=links.directions_url(location),
    )  # fmt: skip


def _host(org) -> PublicHost | None:
    if org is None:
        return None
    return PublicHost(org.id, org.name, org.kind, public_url(org.website), org.phone, org.email)


def _terms(terms) -> tuple[tuple[str, str], ...]:
    return tuple(zip((t.slug for t in terms), words.term_labels(terms), strict=True))


def _page_url(group_id: int | None) -> str | None:
    if group_id is None:
        return None
    if has_request_context():
        return links.external_url("public.group", group_id=group_id)
    base = current_app.config.get("BASE_URL")
    return f"{base.rstrip('/')}/groups/{group_id}" if base else None


def present(group, *, now: dt.datetime | None = None, meetings: int = MEETINGS) -> PublicListing:
    """Return what the public may see of ``group``, in the page's language.

    ``group`` may be unsaved (the organiser's preview): it then has no page address. Load
    its relationships first (``listings.LISTING_LOAD``) to avoid a query per field.
    """
    now = now or utcnow()
    paused = listings.paused_today(group, now)
    schedules = tuple(group.schedules)
    return PublicListing(
        id=group.id, name=group.name, description=group.description or "",
        format=group.format, format_label=words.label(words.FORMAT_LABELS, group.format),
        online=group.is_online, host=_host(group.organization), place=_place(group.location),
        timezone=group.effective_timezone, schedules=schedules,
        schedule_texts=tuple(map(schedule_line, schedules)),
        next_meetings=next_meetings(group, meetings, now) if meetings else (),
        join=join_details(group), joining_on_request=group.join_visibility != "public",
        contact_name=group.contact_name, phone=group.contact_phone, email=group.contact_email,
        website=public_url(group.website), cost=group.cost,
        cost_label=words.label(words.COST_LABELS, group.cost), cost_note=group.cost_note,
        facilitation=group.facilitation,
        facilitation_label=words.label(words.FACILITATION_LABELS, group.facilitation),
        registration_required=bool(group.registration_required),
        topics=_terms(group.topics), audiences=_terms(group.audiences),
        accessibility=_terms(group.accessibility),
        languages=tuple((lang.code, words.language_name(lang.code, lang.name))
                        for lang in group.languages),
        verified_at=group.verified_at, listed_at=group.created_at,
        freshness=words.freshness(group.verified_at, group.created_at, now),
        not_meeting=words.not_meeting(group, now), paused=paused,
        resumes_on=group.resumes_on, is_demo=bool(group.is_demo),
        updated_at=group.updated_at, url=_page_url(group.id),
    )  # fmt: skip


def present_many(
    groups: Iterable, *, now: dt.datetime | None = None, meetings: int = MEETINGS
) -> list[PublicListing]:
    """Present several groups at one moment; the caller loads them (``LISTING_LOAD``)."""
    now = now or utcnow()
    return [present(group, now=now, meetings=meetings) for group in groups]
