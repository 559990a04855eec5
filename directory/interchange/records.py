"""The shape every importer reads a listing into, before any validation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class InputError(Exception):
    """A file that cannot be read at all: nothing is imported, and the message says why."""


@dataclass
class OrganizationRecord:
    """The host of a group, as the source names it."""

    name: str
    ref: str | None = None
    kind: str | None = None
    description: str | None = None
    website: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass
class PlaceRecord:
    """Where a group meets, as the source gives it; coordinates are still unchecked."""

    name: str | None = None
    room: str | None = None
    address_1: str | None = None
    address_2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    latitude: Any = None
    longitude: Any = None
    #: Only a rough area (Meeting Guide "approximate"): good for a time zone, not a venue.
    approximate: bool = False

    @property
    def has_address(self) -> bool:
        """Return whether the source gave any part of a street address or coordinates."""
        return any(
            value not in (None, "")
            for value in (self.address_1, self.city, self.postal_code, self.latitude)
        )


@dataclass
class ListingRecord:
    """One group read from a source, with the problems found while reading it.

    ``topics``, ``audiences``, ``accessibility`` and ``languages`` must all resolve (an
    unknown one rejects the record). The ``loose_*`` lists come from other vocabularies:
    what matches is used and the rest is reported as a warning.
    """

    position: str
    ref: str | None
    name: str | None
    description: str | None = None
    format: str | None = None
    cost: str | None = None
    cost_note: str | None = None
    facilitation: str | None = None
    registration_required: bool | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    website: str | None = None
    join_url: str | None = None
    join_phone: str | None = None
    join_instructions: str | None = None
    join_visibility: str | None = None
    organiser_name: str | None = None
    organiser_email: str | None = None
    organiser_phone: str | None = None
    #: The zone the times are in when no place gives one (online groups, explicit columns).
    timezone: str | None = None
    #: A zone to use only when nothing else gives one (an HSDS UTC offset, as Etc/GMT-3).
    fallback_timezone: str | None = None
    verified_at: dt.datetime | None = None
    organization: OrganizationRecord | None = None
    place: PlaceRecord | None = None
    #: Column values of ``models.Schedule``; a missing ``timezone`` is filled from the place.
    schedules: list[dict[str, Any]] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    loose_terms: list[str] = field(default_factory=list)
    loose_languages: list[str] = field(default_factory=list)
    accessibility_text: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Why the source says the group no longer meets (HSDS status "inactive"), if it does.
    inactive: str | None = None
    #: The record is too odd to check further: ``problems`` already say why.
    unreadable: bool = False


@dataclass
class Reading:
    """What a reader found: the records, and the listing fields its format can express."""

    records: list[ListingRecord]
    fields: frozenset[str]


def guarded(build: Callable[[], ListingRecord], position: str, raw: Any) -> ListingRecord:
    """Build a record; if the source is too odd to read, return one rejected with the reason."""
    try:
        return build()
    except Exception as error:  # a malformed record must not stop the whole import
        found = raw if isinstance(raw, dict) else {}
        ref, name = found.get("id") or found.get("slug"), found.get("name")
        return ListingRecord(
            position=position,
            ref=str(ref) if isinstance(ref, str | int) else None,
            name=name if isinstance(name, str) else None,
            problems=[f"it could not be read ({type(error).__name__}: {error})"],
            unreadable=True,
        )


def not_an_object(position: str, value: Any) -> ListingRecord:
    """Return a rejected record for a list item that should have been a JSON object."""
    problem = f"it is {type(value).__name__}, not a JSON object"
    return ListingRecord(position, None, None, problems=[problem], unreadable=True)
