"""Describe a listing as plain values, to tell whether an import changes it.

The same description serves the importer (is the stored listing already what the feed says?)
and the round-trip tests (does an exported and re-imported listing equal the original?).
A format that cannot express a field leaves it out, so importing it never wipes that field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

GROUP_FIELDS = (
    "name", "description", "format", "cost", "cost_note", "facilitation",
    "registration_required", "contact_name", "contact_email", "contact_phone", "website",
    "join_url", "join_phone", "join_instructions", "join_visibility", "organiser_name",
    "organiser_email", "organiser_phone", "timezone", "verified_at",
)  # fmt: skip
LOCATION_FIELDS = (
    "name", "room", "address_1", "address_2", "city", "region", "postal_code", "country",
    "latitude", "longitude", "timezone",
)  # fmt: skip
SCHEDULE_FIELDS = (
    "kind", "weekdays", "interval", "anchor_date", "month_weeks", "dates", "start_time",
    "end_time", "timezone", "valid_from", "valid_until", "note",
)  # fmt: skip
ORGANIZATION_FIELDS = ("name", "kind", "description", "website", "phone", "email")
TERM_FIELDS = ("topics", "audiences", "accessibility")
PARTS = ("location", "schedules", *TERM_FIELDS, "languages", "organization")
ALL_FIELDS = frozenset((*GROUP_FIELDS, *PARTS))
#: Fields every import sets, whatever its format.
ALWAYS = frozenset(("name", "format", "timezone"))
#: Fields a feed never clears: an empty value keeps what moderators or organisers entered.
KEPT_WHEN_EMPTY = frozenset(("verified_at", "organiser_name", "organiser_email", "organiser_phone"))
#: Decimal places of latitude and longitude compared and stored (about 11 cm).
COORDINATE_PLACES = 6


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name)


def _plain(value: Any) -> Any:
    return round(value, COORDINATE_PLACES) if isinstance(value, float) else value


def values_of(item: Any, names: Iterable[str]) -> dict[str, Any]:
    """Return the named values of a row or mapping, with coordinates rounded."""
    return {name: _plain(_get(item, name)) for name in names}


def location_state(location: Any) -> dict[str, Any] | None:
    """Return a location's comparable values, or None when there is none."""
    return None if location is None else values_of(location, LOCATION_FIELDS)


def organization_state(organization: Any) -> dict[str, Any] | None:
    """Return an organisation's comparable values, or None when there is none."""
    return None if organization is None else values_of(organization, ORGANIZATION_FIELDS)


def group_state(group: Any, fields: Iterable[str] = ALL_FIELDS) -> dict[str, Any]:
    """Return the comparable values of a stored listing, limited to ``fields``."""
    fields = set(fields) | ALWAYS
    state = values_of(group, [name for name in GROUP_FIELDS if name in fields])
    if "location" in fields:
        state["location"] = location_state(group.location)
    if "schedules" in fields:
        state["schedules"] = [values_of(s, SCHEDULE_FIELDS) for s in group.schedules]
    for name in TERM_FIELDS:
        if name in fields:
            state[name] = sorted(term.slug for term in getattr(group, name))
    if "languages" in fields:
        state["languages"] = sorted(language.code for language in group.languages)
    if "organization" in fields:
        state["organization"] = organization_state(group.organization)
    return state
