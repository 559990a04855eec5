"""The JSON API's answers as pydantic models: what ``web.api`` and the feeds send back.

They are the document's schemas (``web.api_schema`` hands them to spectree), written from
what the views serialise; the tests check real and fuzzed answers against them. Optional
fields that may be left out are absent, never null, in the document (``AbsentNotNull``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from directory.geo import PlaceKind
from directory.models import SCHEDULE_KINDS, Cost, Facilitation, Format, JoinVisibility, OrgKind
from directory.search.query import DAYS, SORTS, TIMES

FormatValue = Literal[tuple(f.value for f in Format)]  # type: ignore[valid-type]
CostValue = Literal[tuple(c.value for c in Cost)]  # type: ignore[valid-type]
DayValue = Literal[DAYS]  # type: ignore[valid-type]
TimeValue = Literal[TIMES]  # type: ignore[valid-type]


#: A wall-clock time in a schedule's own zone, as 19:00:00 (no offset: not RFC 3339's "time").
LocalTime = Annotated[
    str,
    Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?$", examples=["19:00:00"]),
]


def _no_null_defaults(schema: dict[str, Any]) -> None:
    """Drop ``"default": null`` from properties: absent means not given, never null."""
    for prop in schema.get("properties", {}).values():
        if "default" in prop and prop["default"] is None:
            del prop["default"]


class AbsentNotNull(BaseModel):
    """A model whose optional fields may be absent rather than null in the document."""

    model_config = ConfigDict(json_schema_extra=_no_null_defaults)


class Term(BaseModel):
    """A taxonomy term: its slug (for the facets) and its label."""

    slug: str
    label: str


class Place(AbsentNotNull):
    """A place the search understood, or one a name could mean."""

    display: str = Field(description="How the place is written, such as 'Chicago, IL 60614'.")
    kind: PlaceKind
    latitude: float
    longitude: float
    timezone: str | None
    city: str | None
    region: str | None
    postal_code: str | None


class SearchedPlace(Place):
    """The place a search was made around."""

    radius_miles: float = Field(
        None, description="The radius searched, in miles; absent for a state."
    )


class Hit(AbsentNotNull):
    """One group in a page of results."""

    id: int
    name: str
    organization: str | None
    format: FormatValue
    online: bool = Field(description="Whether it can be joined without travelling.")
    topics: list[Term]
    next_meeting: dt.datetime | None = Field(
        description="When it next meets, with the offset of `tz` or of the group's zone."
    )
    schedule_text: str = Field(description="When it meets, in words.")
    city: str | None
    region: str | None
    verified_at: dt.datetime | None = Field(description="When it was last confirmed.")
    paused: bool
    not_meeting_until: dt.date | None = Field(
        description="While paused, the local date it meets again (null if not known)."
    )
    reported_not_meeting: bool = Field(
        description="Two or more people reported it stopped meeting, and nobody has acted yet."
    )
    url: str = Field(description="Its page on the site.")
    api_url: str = Field(description="Its full listing in this API.")
    distance_miles: float = Field(None, description="With a place: how far it meets.")
    distance_km: float = Field(None, description="With a place and unit=km.")


class FacetCount(BaseModel):
    """One value of a facet, with how many groups it would show."""

    value: str
    label: str
    count: int
    selected: bool


class SearchPage(BaseModel):
    """One page of a search's results, with the facets' counts."""

    total: int = Field(description="Groups found in all.")
    page: int
    per_page: int
    pages: int
    sort: Literal[SORTS]  # type: ignore[valid-type]
    relaxed: bool = Field(
        description="True when no group has every word of `q`: groups with any of them are shown."
    )
    suggestion: str | None = Field(description="A spelling to try instead of `q`.")
    ignored: list[str] = Field(
        description="When no word of `q` could be searched for (only very common words, "
        "punctuation or symbols): those words. Nothing is found then, rather than everything."
    )
    excluded: list[str] = Field(
        description="Words of `q` written as `-word` or `not word`: groups whose name or "
        "description uses them are left out."
    )
    nearby: int | None = Field(description="With a place: groups found that meet within reach.")
    online_only: int | None = Field(description="With a place: groups found only online.")
    place: SearchedPlace | None
    results: list[Hit]
    facets: dict[str, list[FacetCount]] = Field(
        description="For each facet parameter, its values and their counts (each facet "
        "counted without its own selection)."
    )


class Organization(BaseModel):
    """The organisation that hosts a group."""

    id: int
    name: str
    kind: Literal[tuple(k.value for k in OrgKind)]  # type: ignore[valid-type]
    website: str | None
    phone: str | None
    email: str | None


class Location(BaseModel):
    """Where a group meets in person."""

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


class Schedule(BaseModel):
    """A recurrence of a group's meetings."""

    text: str | None = Field(description="When it meets, in words.")
    kind: Literal[SCHEDULE_KINDS]  # type: ignore[valid-type]
    weekdays: str | None
    interval: int
    anchor_date: dt.date | None
    month_weeks: str | None
    dates: str | None
    start_time: LocalTime
    end_time: LocalTime | None
    timezone: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    note: str | None
    rrule: str | None = Field(description="The recurrence as an iCalendar RRULE.")


class Language(BaseModel):
    """A language a group meets in."""

    code: str
    name: str


class Contact(BaseModel):
    """The group's public contact (never its organiser's private one)."""

    name: str | None
    email: str | None
    phone: str | None
    website: str | None


class Join(BaseModel):
    """How to join online or by phone: null unless shared publicly."""

    visibility: Literal[tuple(v.value for v in JoinVisibility)]  # type: ignore[valid-type]
    url: str | None
    phone: str | None
    instructions: str | None


class GroupListing(BaseModel):
    """One published group in full."""

    id: int
    name: str
    description: str
    format: FormatValue
    online: bool
    cost: CostValue
    cost_note: str | None
    facilitation: Literal[tuple(f.value for f in Facilitation)]  # type: ignore[valid-type]
    registration_required: bool
    topics: list[Term]
    audiences: list[Term]
    accessibility: list[Term]
    languages: list[Language]
    organization: Organization | None
    location: Location | None
    timezone: str
    schedules: list[Schedule]
    next_meetings: list[dt.datetime] = Field(description="Its next three meetings.")
    contact: Contact
    join: Join
    verified_at: dt.datetime | None
    paused: bool
    not_meeting_until: dt.date | None
    reported_not_meeting: bool
    updated_at: dt.datetime | None
    demo: bool = Field(description="Whether it is a demonstration listing.")
    url: str


class HsdsPage(BaseModel):
    """A page of the HSDS feed: the Open Referral HSDS 3.0 API's Page, with its paging."""

    total_items: int
    total_pages: int
    page_number: int
    size: int = Field(description="Services on this page.")
    page: int
    per_page: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]] = Field(
        description="HSDS 3.0 services (service_full), as Open Referral's HSDS schema describes."
    )


class MeetingGuideFeed(RootModel[list[dict[str, Any]]]):
    """Every published listing as Meeting Guide meetings (the format tsml-ui and the app read)."""


class ErrorDetail(AbsentNotNull):
    """What went wrong, in plain words."""

    param: str = Field(None, description="The parameter that cannot be used.")
    message: str
    candidates: list[Place] = Field(None, description="The places an ambiguous `near` means.")
    suggestions: list[str] = Field(None, description="Close place names for an unknown `near`.")


class ErrorAnswer(BaseModel):
    """An error answer."""

    error: ErrorDetail
