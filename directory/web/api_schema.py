"""The JSON API's contract: the models its parameters are checked by, and its document.

``spec`` (a spectree ``SpecTree``) validates the query string of the search
(``/api/v1/groups``) and of the calendar feed (``/api/v1/groups.ics``) against their pydantic
models before the view runs, and generates the OpenAPI 3.1 document (``/api/v1/openapi.json``,
see ``web.api_docs``) from the same models, the views' docstrings and their routes: the
search, one group and the feeds (``web.feeds``). The views still call ``parse_query`` for what
a schema cannot say (a place that must exist, both ``lat`` and ``lon``, a radius within 500
miles in either unit). The HSDS feed's paging is documented here but checked by the feed
itself, whose messages its importers already read.

A parameter the model refuses is answered as every other bad parameter is: 400 with
``{"error": {"param": ..., "message": ...}}``, the message in plain words, and nothing of the
request is logged (a search's words and place stay private).

Answers (their models are in ``web.api_answers``) are described, not checked per request: a
drift between a view and its model must never turn a good answer into a 500. The tests
check real answers and fuzzed ones against the document instead
(tests/functional/test_openapi.py, test_api_fuzz.py).
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from flask import current_app
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from spectree import Response, SpecTree
from spectree.plugins.flask_plugin import FlaskPlugin
from spectree.plugins.werkzeug_utils import werkzeug_parse_rule
from werkzeug.routing import IntegerConverter, parse_converter_args

from directory.listings import MAX_ID
from directory.search.query import (
    DEFAULT_PER_PAGE,
    DEFAULT_RADIUS_MILES,
    KM_PER_MILE,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_RADIUS_MILES,
    MAX_TEXT,
    SORTS,
    UNITS,
)
from directory.web.api_answers import (
    AbsentNotNull,
    CostValue,
    DayValue,
    ErrorAnswer,
    FormatValue,
    GroupListing,
    HsdsPage,
    MeetingGuideFeed,
    SearchPage,
    TimeValue,
)

#: The longest facet value (after splitting on commas), as parse_query allows.
MAX_FACET_VALUE = 80
#: The largest radius in either unit: 500 miles is 804.672 km.
MAX_RADIUS_ANY_UNIT = round(MAX_RADIUS_MILES * KM_PER_MILE, 3)

# --- the search's parameters ------------------------------------------------------------

#: Parameters that take one value as given (q, unit, sort and online have their own readers);
#: the facets may be repeated.
_SINGLE = ("near", "lat", "lon", "radius", "tz", "page", "per_page", "cache_key")
_FACETS = ("topic", "audience", "format", "day", "time", "lang", "cost", "access", "org")
_YES, _NO = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _facet(description: str) -> Any:
    return Field(default_factory=list, description=description)


class SearchWords(AbsentNotNull):
    """What a search asks: the query string of ``GET /api/v1/groups.ics`` (the calendar)."""

    model_config = ConfigDict(extra="forbid")  # with AbsentNotNull's schema rule

    q: str = Field(
        None,
        max_length=MAX_TEXT,
        description="Words to look for in names, descriptions, topics and organisations "
        "(misspellings are forgiven).",
    )
    near: str = Field(
        None,
        max_length=MAX_TEXT,
        description="A place to search around: a ZIP code, 'City, ST' or a state. A name "
        "that could mean several places is a 400 listing them as `candidates`; one that "
        "matches nothing is a 400 with close `suggestions`.",
    )
    lat: float = Field(
        None, ge=-90, le=90, allow_inf_nan=False,
        description="Latitude of the point to search around; give `lon` with it.",
    )  # fmt: skip
    lon: float = Field(
        None, ge=-180, le=180, allow_inf_nan=False,
        description="Longitude of the point to search around; give `lat` with it.",
    )  # fmt: skip
    radius: float = Field(
        None, ge=0.1, le=MAX_RADIUS_ANY_UNIT, allow_inf_nan=False,
        description=f"How far from the place to look, in `unit`: at most "
        f"{MAX_RADIUS_MILES:g} miles ({MAX_RADIUS_ANY_UNIT:g} km). Default "
        f"{DEFAULT_RADIUS_MILES:g} miles.",
    )  # fmt: skip
    unit: Literal[UNITS] = Field(  # type: ignore[valid-type]
        "mi", description="The unit of `radius` and of the distances: miles or kilometres "
        "(`distance_km` is added to each result)."
    )  # fmt: skip
    online: bool = Field(
        True,
        description="Whether groups that meet online or by phone are listed with a place "
        "search (yes or no; also true/false, 1/0, on/off).",
    )
    sort: Literal[SORTS] = Field(  # type: ignore[valid-type]
        None,
        description="The order: `relevance` (the default with words), `distance` (the "
        "default with only a place; needs a place) or `soonest` (the next meeting first; "
        "the default otherwise).",
    )
    tz: str = Field(
        None,
        description="An IANA time zone (such as America/Chicago) to give meeting times "
        "in; by default each group's own.",
    )
    topic: list[str] = _facet("Topic slugs (as in `facets.topic`); a group has any of them.")
    audience: list[str] = _facet("Audience slugs (as in `facets.audience`).")
    format: list[FormatValue] = _facet("How the group meets.")
    day: list[DayValue] = _facet("Days of the week it meets on.")
    time: list[TimeValue] = _facet("Times of day it meets at.")
    lang: list[str] = _facet("Language codes (as in `facets.lang`), such as es.")
    cost: list[CostValue] = _facet("What attending costs.")
    access: list[str] = _facet("Accessibility slugs (as in `facets.access`).")
    org: list[str] = _facet("Organisation ids (as in `facets.org`).")
    cache_key: str = Field(
        None, alias="_", description="Ignored: a value some browsers and caches add."
    )

    @model_validator(mode="before")
    @classmethod
    def _without_blanks(cls, data: Any) -> Any:
        """Leave out parameters given only blank, as parse_query does (their defaults hold)."""
        if not isinstance(data, dict):
            return data
        return {name: value for name, value in data.items() if _given(value)}

    @field_validator(*_SINGLE, mode="before", check_fields=False)
    @classmethod
    def _one(cls, value: Any) -> str | None:
        return one_value(value)

    @field_validator("q", mode="before")
    @classmethod
    def _single_spaced(cls, value: Any) -> str | None:
        """Words single-spaced before their length is checked, as parse_query does."""
        text = one_value(value)
        return None if text is None else " ".join(text.split())

    @field_validator("unit", "sort", mode="before")
    @classmethod
    def _folded(cls, value: Any) -> str | None:
        text = one_value(value)
        return None if text is None else text.lower()

    @field_validator("online", mode="before")
    @classmethod
    def _yes_or_no(cls, value: Any) -> bool:
        """Only the words parse_query understands (pydantic alone would take 't' or 'n')."""
        text = (one_value(value) or "").lower()
        if text in _NO:
            return False
        if not text or text in _YES:
            return True
        raise PydanticCustomError("yes_or_no", "use yes or no")

    @field_validator(*_FACETS, mode="before")
    @classmethod
    def _split(cls, value: Any) -> list[str]:
        """Split comma-separated values and fold case, keeping the first of each."""
        found: list[str] = []
        for item in value if isinstance(value, list) else [value]:
            for part in str(item).split(","):
                part = part.strip().lower()
                if part and part not in found:
                    found.append(part)
        return found

    @field_validator(*_FACETS)
    @classmethod
    def _short_values(cls, values: list[str]) -> list[str]:
        if any(len(value) > MAX_FACET_VALUE for value in values):
            raise PydanticCustomError("too_long", "value too long")
        return values


class GroupSearch(SearchWords):
    """What a search asks and which page of its results: ``GET /api/v1/groups``."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="The page of results, from 1.")
    per_page: int = Field(DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE, description="Results on a page.")


def hsds_paging_model(per_page: int, max_per_page: int, max_page: int) -> type[BaseModel]:
    """Return the model of the HSDS feed's ``page`` and ``per_page``, with the feed's limits.

    It documents the paging; the feed checks it itself (``web.feeds.hsds_paging``), with
    messages of its own.
    """
    return create_model(
        "HsdsPaging",
        __base__=AbsentNotNull,
        __doc__="The query string of the HSDS feed.",
        page=(int, Field(1, ge=1, le=max_page, description="The page, from 1.")),
        per_page=(
            int,
            Field(per_page, ge=1, le=max_per_page, description="Services on a page."),
        ),
    )


def _given(value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(v is not None and str(v).strip() for v in values)


def one_value(value: Any) -> str | None:
    """Return a parameter given once, stripped (blank ones ignored), as parse_query reads it."""
    values = value if isinstance(value, list) else [value]
    given = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if len(given) > 1:
        raise PydanticCustomError("repeated", "give this parameter once")
    return given[0] if given else None


# --- turning a refused parameter into the API's error ---------------------------------------

_NOT_A_NUMBER = frozenset({"float_parsing", "float_type"})
_NOT_WHOLE = frozenset({"int_parsing", "int_type", "int_from_float"})
_OUT_OF_RANGE = frozenset(
    {"greater_than_equal", "less_than_equal", "greater_than", "less_than", "finite_number"}
)
_NOT_ONE_OF = frozenset({"literal_error", "enum"})


@functools.cache
def _properties(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()["properties"]


def _field_schema(model: type[BaseModel], name: str) -> dict[str, Any]:
    return _properties(model).get(name, {})


def plain_error(model: type[BaseModel], error: ValidationError) -> tuple[str, str]:
    """Return (parameter, message in plain words) for the first thing ``error`` refuses."""
    first = error.errors(include_url=False)[0]
    kind, where, given = first["type"], first["loc"], first.get("input")
    param = str(where[0]) if where else "query"
    text = str(given)[:40]
    schema = _field_schema(model, param)
    if kind == "extra_forbidden":
        return param, "unknown parameter"
    if kind in _NOT_A_NUMBER:
        return param, f"'{text}' is not a number"
    if kind in _NOT_WHOLE:
        return param, f"'{text}' is not a whole number"
    if kind in _OUT_OF_RANGE and param == "radius":
        return (
            param,
            f"must be between 0.1 and {MAX_RADIUS_MILES:g} miles ({MAX_RADIUS_ANY_UNIT:g} km)",
        )
    if kind in _OUT_OF_RANGE and {"minimum", "maximum"} <= schema.keys():
        return param, f"must be between {schema['minimum']:g} and {schema['maximum']:g}"
    if kind in _NOT_ONE_OF:
        allowed = ", ".join(schema.get("enum") or schema.get("items", {}).get("enum", []))
        if len(where) > 1:  # one of a repeatable parameter's values
            return param, f"'{text}' is not one of {allowed}"
        return param, f"use one of {allowed}"
    if kind == "string_too_long":
        return param, f"keep it under {first['ctx']['max_length']} characters"
    return param, first["msg"]


def _refuse_in_plain_words(request, response, error, _instance, _adapter) -> None:
    """Answer a refused parameter as ``{"error": {"param", "message"}}`` (400), unlogged."""
    if error is None or response is None:
        return
    model = _QUERY_MODELS.get(error.title, GroupSearch)
    param, message = plain_error(model, error)
    body = {"error": {"param": param, "message": message}}
    response.set_data(current_app.json.dumps(body))
    response.status_code = 400


# --- the document ----------------------------------------------------------------------------


class _FlaskRoutes(FlaskPlugin):
    """spectree's Flask plugin, told what the site's own ``<id:...>`` converter accepts."""

    def parse_path(self, route, path_parameter_descriptions):
        """Describe integer converters (``<id:group_id>``) with their bounds."""
        path, parameters = super().parse_path(route, path_parameter_descriptions)
        by_name = {p["name"]: p for p in parameters}
        for converter, arguments, variable in werkzeug_parse_rule(str(route)):
            kind = route.map.converters.get(converter or "")
            if variable in by_name and kind and issubclass(kind, IntegerConverter):
                args, kwargs = parse_converter_args(arguments) if arguments else ((), {})
                made = kind(route.map, *args, **kwargs)
                schema = {"type": "integer", "minimum": made.min or 0}
                if made.max is not None:
                    schema["maximum"] = made.max
                by_name[variable]["schema"] = schema
        return path, parameters


class Described(Response):
    """Answers documented by model, not validated per request (see the module's docstring).

    ``refuses=False``: the operation has no parameters to refuse, so spectree's 400 for a
    refused parameter is not added to its answers.
    """

    def __init__(self, *codes: str, refuses: bool = True, **code_models: Any) -> None:
        super().__init__(*codes, **code_models)
        self.refuses = refuses

    def find_model(self, code: int) -> None:
        """Return no model to check an answer against: tests check them instead."""
        return None

    def add_model(self, code: int, model: Any, replace: bool = True, description=None) -> None:
        """Add an answer; spectree's refusal (added with ``replace=False``) only if it can be."""
        if self.refuses or replace:
            super().add_model(code, model, replace, description)


#: The API's contract; ``spec.spec`` is the OpenAPI 3.1 document. No UI pages: the readable
#: rendering is the site's own (web.api_docs), with nothing loaded from elsewhere.
spec = SpecTree(
    backend=_FlaskRoutes,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
    title="Peer Support Directory API",
    version="1",
    description="Search published mental-health peer support groups, local and online, "
    "and read one group in full. Read-only, no key needed; every answer is JSON. Errors "
    'are `{"error": {"param": ..., "message": ...}}`. In crisis, call or text 988 '
    "(the Suicide & Crisis Lifeline).",
    mode="strict",
    page_templates={},
    validation_error_status=400,
    validation_error_model=ErrorAnswer,
    before=_refuse_in_plain_words,
)

#: Query models by name, to word a refusal with the right model's limits.
_QUERY_MODELS: dict[str, type[BaseModel]] = {m.__name__: m for m in (GroupSearch, SearchWords)}

#: Answers every operation may give besides its own.
COMMON_ANSWERS = {
    "HTTP_429": (ErrorAnswer, "Too many requests from this address; see Retry-After."),
    "HTTP_503": (ErrorAnswer, "The search index is being rebuilt; see Retry-After."),
}

SEARCH_ANSWERS = Described(
    HTTP_200=(SearchPage, "One page of results."),
    HTTP_400=(ErrorAnswer, "A parameter that cannot be used, named in `param`."),
    **COMMON_ANSWERS,
)
GROUP_ANSWERS = Described(
    refuses=False,
    HTTP_200=(GroupListing, "The group."),
    HTTP_404=(ErrorAnswer, "No published group has this number."),
    HTTP_429=COMMON_ANSWERS["HTTP_429"],
)
_NOT_MODIFIED = (None, "Not changed since the ETag given in If-None-Match.")
_BUILDING = (ErrorAnswer, "The feed is being built; see Retry-After.")
HSDS_ANSWERS = Described(
    HTTP_200=(HsdsPage, "A page of the published listings as HSDS 3.0."),
    HTTP_304=_NOT_MODIFIED,
    HTTP_400=(ErrorAnswer, "A page or per_page that cannot be used, named in `param`."),
    HTTP_429=COMMON_ANSWERS["HTTP_429"],
    HTTP_503=_BUILDING,
)
MEETING_GUIDE_ANSWERS = Described(
    refuses=False,
    HTTP_200=(MeetingGuideFeed, "Every published listing as Meeting Guide meetings."),
    HTTP_304=_NOT_MODIFIED,
    HTTP_429=COMMON_ANSWERS["HTTP_429"],
    HTTP_503=_BUILDING,
)
CSV_ANSWERS = Described(
    refuses=False,
    HTTP_200=(None, "Every published listing as CSV (text/csv), with the import's columns."),
    HTTP_304=_NOT_MODIFIED,
    HTTP_429=COMMON_ANSWERS["HTTP_429"],
    HTTP_503=_BUILDING,
)
CALENDAR_ANSWERS = Described(
    HTTP_200=(None, "The meetings as iCalendar (text/calendar): of a search, or of all."),
    HTTP_304=_NOT_MODIFIED,
    HTTP_400=(ErrorAnswer, "A parameter that cannot be used, named in `param`."),
    HTTP_429=COMMON_ANSWERS["HTTP_429"],
    HTTP_503=_BUILDING,
)
#: The path parameters' descriptions, by name.
PATH_PARAMETERS = {"group_id": f"The group's number (from 1 to {MAX_ID})."}
