"""Parse what a person asks for into one query object; describe what comes back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from directory.search import messages
from directory.search.query_words import QueryWords, read_words
from directory.search.schema import COSTS, DAYS, FORMATS, TIMES

SORTS = ("relevance", "distance", "soonest")
UNITS = ("mi", "km")
DEFAULT_RADIUS_MILES = 25.0
MAX_RADIUS_MILES = 500.0
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 1000
MAX_TEXT = 200
KM_PER_MILE = 1.609344

#: Facet name -> request parameter. Each facet is repeatable in the query string.
FACET_PARAMS = {
    "topic": "topic",
    "audience": "audience",
    "format": "format",
    "day": "day",
    "time": "time",
    "lang": "lang",
    "cost": "cost",
    "access": "access",
    "org": "org",
}
#: Facets whose values are a closed set, checked when parsing.
CLOSED_FACETS = {
    "format": FORMATS,
    "day": DAYS,
    "time": TIMES,
    "cost": COSTS,
}


class QueryError(ValueError):
    """A request parameter that cannot be understood.

    ``param`` and ``message`` (English, naming values) are for the API; ``said`` and
    ``said_args`` are for a person: a msgid from ``search.messages`` that the pages translate,
    never naming a parameter.
    """

    def __init__(self, param: str, message: str, said: str | None = None, **said_args):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message
        self.said = said or messages.FALLBACK.get(param, messages.GENERIC)
        self.said_args = said_args


@dataclasses.dataclass(frozen=True)
class SearchQuery:
    """Everything a person can ask the directory, already validated."""

    q: str = ""
    near: str | None = None
    lat: float | None = None
    lon: float | None = None
    radius_miles: float = DEFAULT_RADIUS_MILES
    unit: str = "mi"
    facets: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    online: bool = True
    sort: str | None = None
    tz: str | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def has_place(self) -> bool:
        """Return whether the query names a place or coordinates."""
        return bool(self.near) or self.lat is not None

    @property
    def effective_sort(self) -> str:
        """Return the sort in force: relevance with words to score, else distance or soonest."""
        if self.sort:
            return self.sort
        if self.words.searchable:
            return "relevance"
        return "distance" if self.has_place else "soonest"

    def selected(self, facet: str) -> tuple[str, ...]:
        """Return the values chosen for ``facet``."""
        return tuple(self.facets.get(facet, ()))

    def radius_param(self, miles: float) -> int | None:
        """Return the radius parameter, in this query's unit, reaching ``miles`` (None: too far)."""
        if miles > MAX_RADIUS_MILES:
            return None
        return math.ceil(miles * KM_PER_MILE) if self.unit == "km" else math.ceil(miles)

    @property
    def words(self) -> QueryWords:
        """Return the words to look for, those to leave out ("-word", "not word"), the rest."""
        return read_words(self.q)


@dataclasses.dataclass
class Hit:
    """One listing in a result page, with what a results list shows."""

    id: int
    name: str
    organization: str | None
    format: str
    topics: list[str]
    city: str | None
    region: str | None
    schedule_text: str
    next_meeting: dt.datetime | None = None
    distance_miles: float | None = None
    #: Joinable from anywhere: an online or phone group, or in a place search, a hybrid
    #: group outside the radius (listed because it can be joined online).
    online: bool = False
    topic_slugs: list[str] = dataclasses.field(default_factory=list)
    organization_id: int | None = None
    #: The group's own time zone (its place's, or its own when it has no place).
    timezone: str | None = None
    verified_at: dt.datetime | None = None
    #: When it was listed here: its freshness counts from then when never confirmed.
    listed_at: dt.datetime | None = None
    #: Paused by its organiser, until ``resumes_on`` (a local date; None: until resumed).
    paused: bool = False
    resumes_on: dt.date | None = None

    def paused_on(self, day: dt.date) -> bool:
        """Return whether the listing is paused on ``day`` (a local date), as Group does."""
        return self.paused and (self.resumes_on is None or day < self.resumes_on)


@dataclasses.dataclass
class FacetValue:
    """One value of a facet with how many listings it would show."""

    value: str
    label: str
    count: int
    selected: bool = False


@dataclasses.dataclass
class SearchResult:
    """What a search found: one page of hits, facet counts, the place, a suggestion."""

    query: SearchQuery
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    place: Any = None  # a directory.geo Place when ``near`` resolved
    #: Why ``near`` named no one place (a ``locating.PlaceProblem``); then there are no hits.
    place_problem: Any = None
    suggestion: str | None = None
    #: No listing had every word, so these have some of them (never set with no hits).
    relaxed: bool = False
    #: Words (as typed) that gave nothing to search for, when no word did ("the", "???").
    ignored: tuple[str, ...] = ()
    #: With a place: how many found meet within reach (in person, or hybrid nearby) ...
    nearby: int | None = None
    #: ... and how many only online (online or phone groups, hybrid ones from afar).
    online_only: int | None = None
    #: With a place and none within reach: how far the nearest one meeting in person is.
    nearest_miles: float | None = None


def _one(args: Mapping, name: str) -> str | None:
    getter = getattr(args, "getlist", None)
    values = getter(name) if getter else ([args[name]] if name in args else [])
    values = [v for v in values if v is not None and str(v).strip() != ""]
    if len(values) > 1:
        raise QueryError(name, "give this parameter once")
    return str(values[0]).strip() if values else None


def _many(args: Mapping, name: str) -> tuple[str, ...]:
    getter = getattr(args, "getlist", None)
    raw = getter(name) if getter else ([args[name]] if name in args else [])
    if isinstance(raw, str):
        raw = [raw]
    values: list[str] = []
    for item in raw:
        for part in str(item).split(","):
            part = part.strip().lower()
            if part and part not in values:
                values.append(part)
    return tuple(values)


def _number(
    args: Mapping, name: str, low: float, high: float, kind=float, said=None, said_args=None
):
    text = _one(args, name)
    if text is None:
        return None
    try:
        value = kind(text)
    except ValueError:
        raise QueryError(
            name, f"'{text[:40]}' is not a number", said, **(said_args or {})
        ) from None
    if value != value or not low <= value <= high:  # NaN fails the first test
        raise QueryError(name, f"must be between {low:g} and {high:g}", said, **(said_args or {}))
    return value


def _flag(args: Mapping, name: str, default: bool) -> bool:
    text = _one(args, name)
    if text is None:
        return default
    lowered = text.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise QueryError(name, "use yes or no")


def parse_query(args: Mapping) -> SearchQuery:
    """Build a SearchQuery from request arguments, raising QueryError on bad input."""
    from directory.geo import valid_timezone

    q = " ".join((_one(args, "q") or "").split())
    if len(q) > MAX_TEXT:
        raise QueryError(
            "q", f"keep it under {MAX_TEXT} characters", messages.TEXT_TOO_LONG, count=MAX_TEXT
        )
    near = _one(args, "near")
    if near and len(near) > MAX_TEXT:
        raise QueryError(
            "near", f"keep it under {MAX_TEXT} characters", messages.PLACE_TOO_LONG, count=MAX_TEXT
        )
    lat = _number(args, "lat", -90, 90)
    lon = _number(args, "lon", -180, 180)
    if (lat is None) != (lon is None):
        raise QueryError("lat" if lat is None else "lon", "give both lat and lon")
    unit = (_one(args, "unit") or "mi").lower()
    if unit not in UNITS:
        raise QueryError("unit", "use mi or km", messages.UNIT)
    high = MAX_RADIUS_MILES * (KM_PER_MILE if unit == "km" else 1)
    distance = messages.DISTANCE_KM if unit == "km" else messages.DISTANCE_MILES
    # Said rounded down: 804 km rather than 804.672, and never more than is allowed.
    limits = {"low": "0.1", "high": f"{int(high):d}"}
    radius = _number(args, "radius", 0.1, high, float, distance, limits)
    radius_miles = (
        DEFAULT_RADIUS_MILES
        if radius is None
        else (radius / KM_PER_MILE if unit == "km" else radius)
    )
    if radius_miles > MAX_RADIUS_MILES:
        raise QueryError(
            "radius", f"must be at most {MAX_RADIUS_MILES:g} miles", distance, **limits
        )
    facets = {}
    for facet, param in FACET_PARAMS.items():
        values = _many(args, param)
        allowed = CLOSED_FACETS.get(facet)
        for value in values:
            if allowed and value not in allowed:
                raise QueryError(param, f"'{value[:40]}' is not one of {', '.join(allowed)}")
            if len(value) > 80:
                raise QueryError(param, "value too long")
        if values:
            facets[facet] = values
    sort = _one(args, "sort")
    if sort is not None:
        sort = sort.lower()
        if sort not in SORTS:
            raise QueryError("sort", f"use one of {', '.join(SORTS)}", messages.SORT)
        if sort == "distance" and not (near or lat is not None):
            raise QueryError(
                "sort",
                "sorting by distance needs a place (near, or lat and lon)",
                messages.SORT_NEEDS_PLACE,
            )
    tz = _one(args, "tz")
    if tz is not None and not valid_timezone(tz):
        raise QueryError("tz", f"'{tz[:40]}' is not a known time zone", messages.TIME_ZONE)
    page = _number(args, "page", 1, MAX_PAGE, int, messages.PAGE) or 1
    per_page = (
        _number(
            args,
            "per_page",
            1,
            MAX_PER_PAGE,
            int,
            messages.PER_PAGE,
            {"low": 1, "high": MAX_PER_PAGE},
        )
        or DEFAULT_PER_PAGE
    )
    return SearchQuery(
        q=q,
        near=near,
        lat=lat,
        lon=lon,
        radius_miles=radius_miles,
        unit=unit,
        facets=facets,
        online=_flag(args, "online", True),
        sort=sort,
        tz=tz,
        page=page,
        per_page=per_page,
    )
