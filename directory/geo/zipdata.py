"""Turn the zipcodes package's records into the gazetteer's lookup tables.

Cities have no coordinates of their own in the data, so a city's centre is the mean of its
STANDARD (street delivery) ZIP codes, or of all its ZIP codes when it has no STANDARD one.
A city's time zone is the one most of its ZIP codes give. The data has no population, so
cities sharing a name are ranked by how many ZIP codes they have.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import zipcodes

from directory.folding import words

from .names import STATE_NAMES, city_key, tidy_city_name
from .timezones import valid_timezone

#: A Place's fields in order: kind, display, latitude, longitude, timezone, city, region,
#: postal_code, radius_hint_miles.
Row = tuple[str, str, float, float, str | None, str | None, str | None, str | None, float | None]


@dataclass(slots=True)
class _Zip:
    """Hold one zipcodes record, parsed once."""

    code: str
    state: str
    county: str
    name: str
    key: str
    standard: bool
    location: tuple[float, float] | None
    timezone: str | None
    aliases: list[tuple[str, str]]  # (name, key) of each acceptable alternative city name


def build_tables(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Build the Gazetteer's tables, keyed by its field names, from zipcodes records."""
    every_zip = _parse(records)
    unlocated = {
        z.code: f"{tidy_city_name(z.name)}, {z.state}" for z in every_zip if not z.location
    }
    in_states = [z for z in every_zip if z.state in STATE_NAMES]
    zone_of = _fallback_zones(in_states)

    primary: dict[tuple[str, str], list[tuple[_Zip, str]]] = defaultdict(list)
    aliases: dict[tuple[str, str], list[tuple[_Zip, str]]] = defaultdict(list)
    for z in in_states:
        primary[z.key, z.state].append((z, z.name))
    for z in in_states:
        for name, key in z.aliases:
            if (key, z.state) not in primary:
                aliases[key, z.state].append((z, name))

    ranked: list[tuple[tuple[int, int, str], str, Row]] = []
    city_in_state: dict[tuple[str, str], Row] = {}
    for is_alias, groups in ((0, primary), (1, aliases)):
        for (key, state), group in groups.items():
            row = _city_row(group, state, zone_of)
            if row is not None and key:
                city_in_state[key, state] = row
                ranked.append(((-len(group), is_alias, state), key, row))
    cities: dict[str, list[Row]] = defaultdict(list)
    for _rank, key, row in sorted(ranked, key=lambda item: item[0]):
        cities[key].append(row)

    zips: dict[str, Row] = {}
    for z in in_states:
        if z.location:
            city = city_in_state.get((z.key, z.state))
            name = tidy_city_name(z.name)
            zone = z.timezone or (city[4] if city else None) or zone_of(z)
            display = f"{name}, {z.state} {z.code}"
            zips[z.code] = ("zip", display, *z.location, zone, name, z.state, z.code, None)

    suggestion_keys: dict[str, list[str]] = defaultdict(list)
    for key, state in primary:
        if (key, state) in city_in_state:
            suggestion_keys[state].append(key)
    suggestion_keys[""] = list({key for keys in suggestion_keys.values() for key in keys})
    for keys in suggestion_keys.values():
        keys.sort(key=lambda key: (len(key), key))  # by length, so a search can skip most
    return {
        "zips": zips,
        "unlocated_zips": unlocated,
        "cities": dict(cities),
        "city_in_state": city_in_state,
        "states": _state_rows(zips.values(), in_states),
        "suggestion_keys": dict(suggestion_keys),
    }


def _parse(records: list[dict[str, Any]]) -> list[_Zip]:
    keys: dict[str, str] = {}  # the same few thousand names recur, so fold each once
    zones: dict[str, str | None] = {}

    def key_of(name: str) -> str:
        if name not in keys:
            keys[name] = city_key(words(name))
        return keys[name]

    parsed = []
    for record in records:
        zone = record.get("timezone") or ""
        if zone not in zones:
            # The data has a few non-zones, e.g. ZIP 99634's time zone is "Napakiak".
            zones[zone] = zone if valid_timezone(zone) else None
        name = record.get("city") or ""
        parsed.append(
            _Zip(
                code=record["zip_code"],
                state=record.get("state") or "",
                county=record.get("county") or "",
                name=name,
                key=key_of(name),
                standard=record.get("zip_code_type") == "STANDARD",
                location=_location(record),
                timezone=zones[zone],
                aliases=[(a, key_of(a)) for a in record.get("acceptable_cities") or ()],
            )
        )
    return parsed


def _location(record: dict[str, Any]) -> tuple[float, float] | None:
    try:
        lat, lon = float(record["lat"]), float(record["long"])
    except (KeyError, TypeError, ValueError):
        return None
    # 872 records (mostly military APO/FPO) carry "0"/"0.0000" for "unknown".
    if (lat == 0 and lon == 0) or not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return (lat, lon)


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(value for value in values if value)
    if not counts:
        return None
    # Ties go to the alphabetically first value so every build is the same.
    return min(counts, key=lambda value: (-counts[value], value))


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    count = len(points)
    lat = sum(point[0] for point in points) / count
    lon = sum(point[1] for point in points) / count
    return (round(lat, 4), round(lon, 4))


def _fallback_zones(zips: list[_Zip]) -> Callable[[_Zip], str | None]:
    """Return a function giving the usual time zone of a ZIP's county, else of its state."""
    by_state: dict[str, list[str]] = defaultdict(list)
    by_county: dict[tuple[str, str], list[str]] = defaultdict(list)
    for z in zips:
        if z.timezone:
            by_state[z.state].append(z.timezone)
            if z.county:
                by_county[z.state, z.county].append(z.timezone)
    answers: dict[tuple[str, str], str | None] = {}

    def zone_of(z: _Zip) -> str | None:
        where = (z.state, z.county)
        if where not in answers:
            answers[where] = _most_common(by_county.get(where, ())) or _most_common(
                by_state.get(z.state, ())
            )
        return answers[where]

    return zone_of


def _city_row(
    group: list[tuple[_Zip, str]], state: str, zone_of: Callable[[_Zip], str | None]
) -> Row | None:
    located = [z.location for z, _name in group if z.location]
    if not located:
        return None
    standard = [z.location for z, _name in group if z.standard and z.location]
    lat, lon = _centre(standard or located)
    names = {name for _z, name in group}
    name = tidy_city_name(names.pop() if len(names) == 1 else _most_common(n for _z, n in group))
    zones = {z.timezone for z, _name in group}
    zone = zones.pop() if len(zones) == 1 else _most_common(z.timezone for z, _name in group)
    zone = zone or zone_of(group[0][0])
    return ("city", f"{name}, {state}", lat, lon, zone, name, state, None, None)


def _state_rows(zip_rows: Iterable[Row], zips: list[_Zip]) -> dict[str, Row]:
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in zip_rows:
        points[row[6]].append((row[2], row[3]))
    zones: dict[str, list[str | None]] = defaultdict(list)
    for z in zips:
        zones[z.state].append(z.timezone)
    states: dict[str, Row] = {}
    for code, pts in points.items():
        lat, lon = _centre(pts)
        # zipcodes' own haversine (Rust, in miles) keeps this 42,000-point scan quick.
        farthest = max(zipcodes.haversine(lon, lat, p[1], p[0]) for p in pts)
        radius = float(max(10, math.ceil(farthest / 10) * 10))
        zone = _most_common(zones[code])
        states[code] = ("state", STATE_NAMES[code], lat, lon, zone, None, code, None, radius)
    return states
