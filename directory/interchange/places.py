"""Place a listing: check its coordinates, fill missing ones offline, and find its time zone.

Coordinates come from the source, else from the offline gazetteer (the ZIP code's or city's
centre, for US addresses); the time zone comes from the coordinates, else from what the
source says. An address the gazetteer cannot find still gets its state's time zone, with a
warning to check it.
"""

from __future__ import annotations

import re
from typing import Any

from directory import geo
from directory.folding import words
from directory.geo.names import state_code
from directory.models import Location

from . import values
from .records import PlaceRecord

_ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$")
ADDRESS_FIELDS = ("name", "room", "address_1", "address_2", "city", "region", "postal_code",
                  "country")  # fmt: skip


def coordinates(place: PlaceRecord, problems: list[str]) -> tuple[float, float] | None:
    """Return the place's checked (latitude, longitude), or None when it gives none."""
    try:
        lat = values.number(place.latitude, "latitude")
        lon = values.number(place.longitude, "longitude")
    except ValueError as error:
        problems.append(str(error))
        return None
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        problems.append("latitude and longitude must be given together")
        return None
    if lat == 0 and lon == 0:
        return None  # "0, 0" is how many systems write "unknown"
    try:
        return geo.validate_coordinates(lat, lon)
    except ValueError as error:
        problems.append(f"invalid coordinates: {error}")
        return None


def gazetteer(location: dict[str, Any]) -> geo.Place | None:
    """Find a US address's ZIP code, city or (last) state in the offline gazetteer."""
    postal = _ZIP.match(location.get("postal_code") or "")
    queries = [postal[1]] if postal else []
    if location.get("city") and location.get("region"):
        queries.append(f"{location['city']}, {location['region']}")
    if location.get("region") in geo.STATE_NAMES:
        queries.append(location["region"])
    for query in queries:
        found = geo.resolve(query)
        if isinstance(found, geo.Place):
            return found
    return None


def street_address(location: dict[str, Any]) -> str | None:
    """Return a US street address on one line, for a geocoder, or None without a street."""
    if not location.get("address_1") or location.get("country") != "US":
        return None
    parts = (location["address_1"], location.get("city"), location.get("region"),
             location.get("postal_code"))  # fmt: skip
    return ", ".join(part for part in parts if part)


def geocode(location: dict[str, Any], geocoder: geo.Geocoder | None) -> geo.Place | None:
    """Return where a street address is, from ``geocoder``, or None (then the gazetteer looks).

    Never logs the address, nor lets an error that might carry it escape.
    """
    address = street_address(location) if geocoder is not None else None
    if address is None:
        return None
    try:
        found = geocoder.geocode(address)
    except Exception:
        return None
    return found if isinstance(found, geo.Place) and found.kind != "state" else None


def locate(
    place: PlaceRecord,
    zone: str | None,
    fallback: str | None,
    problems: list[str],
    warnings: list[str],
    geocoder: geo.Geocoder | None = None,
) -> tuple[dict[str, Any] | None, str | None]:
    """Return (location column values, or None for a rough area only; the time zone).

    ``zone`` is the zone the source gave, if any: the place's own zone wins over it, except
    for a rough ("approximate") area, which only stands in when the source gives none.
    ``fallback`` is used when neither gives one. ``geocoder`` (an online one) places a
    street address that comes without coordinates; else, or when it finds nothing, the
    offline gazetteer gives the ZIP code's or city's centre.
    """
    location: dict[str, Any] = {name: values.text(getattr(place, name)) for name in ADDRESS_FIELDS}
    try:
        location["country"] = values.country(place.country) or "US"
    except ValueError as error:
        problems.append(str(error))
    if location["region"] and location["country"] == "US":
        location["region"] = state_code(words(location["region"])) or location["region"]
    point, found_zone = coordinates(place, problems), None
    if point is None and (found := geocode(location, geocoder)) is not None:
        point, found_zone = (found.latitude, found.longitude), found.timezone
    if point is None and location["country"] == "US":
        found = gazetteer(location)
        if found is not None and found.kind == "state":
            found_zone = found.timezone
            warnings.append(f"its address was not found, so its time zone ({found_zone}) comes "
                            f"from its state, {found.region}; check it")  # fmt: skip
        elif found is not None:
            point, found_zone = (found.latitude, found.longitude), found.timezone
    if point is not None:
        location["latitude"], location["longitude"] = (round(p, 6) for p in point)
        found_zone = geo.timezone_at(*point) or found_zone
    else:
        location["latitude"] = location["longitude"] = None
    if place.approximate:
        return None, zone or found_zone or fallback
    if found_zone and zone and zone != found_zone:
        warnings.append(f"time zone {zone} differs from {found_zone} at its address; "
                        f"used {found_zone}")  # fmt: skip
    location["timezone"] = found_zone or zone or fallback
    if not (place.has_address or place.name):
        return None, location["timezone"]
    problems += length_problems(Location, location, "location ")
    return location, location["timezone"]


def length_problems(model, data: dict[str, Any], noun: str) -> list[str]:
    """Return a reason for each text value longer than its column allows."""
    found = []
    for name, value in data.items():
        column = model.__table__.columns.get(name)
        limit = getattr(getattr(column, "type", None), "length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            found.append(f"{noun}{name.replace('_', ' ')} is longer than {limit} characters")
    return found


def no_zone_reason(place: PlaceRecord | None) -> str:
    """Say why a listing has no time zone, and how to give it one."""
    if place is None:
        where = "it has no place and"
    elif place.name:
        where = f"its place {place.name!r} has"
    else:
        where = "its place has"
    return (f"no time zone: {where} no coordinates or US address we can find; add them, or give "
            "the time zone (--timezone)")  # fmt: skip
