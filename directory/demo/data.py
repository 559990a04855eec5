"""Shipped data, tuning constants and small helpers for the demo directory generator.

Word lists (``data/demo/words.toml``), state populations (``data/demo/states.csv``) and the
ZIP-code table grouped by county are loaded once and cached.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

import zipcodes

from directory.models import (
    AuditRecord,
    Group,
    Location,
    Organization,
    Schedule,
    group_accessibility,
    group_audience,
    group_language,
    group_topic,
)
from directory.taxonomy import PROJECT_ROOT

DEMO_DATA_DIR = PROJECT_ROOT / "data" / "demo"
REFERENCE_DATE = dt.date(2026, 11, 1)
MAX_COUNT = 1_000_000
SOURCE = "demo"

#: Share of groups per format (the rest meet in person); online is rounded up.
FORMAT_SHARES = {"online": 0.13, "hybrid": 0.07, "phone": 0.02}
SPANISH_SHARE, SPANISH_ONLY_SHARE, OTHER_LANGUAGE_SHARE = 0.12, 0.55, 0.03
COST_WEIGHTS = {"free": 78, "donation": 15, "fee": 7}
FACILITATION_WEIGHTS = {"peer": 80, "co": 13, "professional": 7}
HOSPITAL_FACILITATION_WEIGHTS = {"peer": 35, "co": 25, "professional": 40}
SCHEDULE_WEIGHTS = {"weekly": 58, "biweekly": 12, "monthly": 27, "dates": 3}
MONTH_WEEKS = {"2,4": 18, "1,3": 14, "1": 18, "2": 14, "3": 16, "4": 6, "-1": 14}
WEEKDAY_WEIGHTS = {"MO": 16, "TU": 20, "WE": 18, "TH": 18, "FR": 5, "SA": 13, "SU": 10}
WEEKDAY_STARTS = {
    "18:00": 12, "18:30": 14, "19:00": 24, "19:30": 8, "17:30": 4, "20:00": 3, "09:00": 2,
    "10:00": 6, "10:30": 3, "11:00": 2, "12:00": 5, "13:00": 4, "14:00": 4, "15:00": 2,
    "16:00": 2,
}  # fmt: skip
WEEKEND_STARTS = {
    "09:00": 6, "10:00": 16, "10:30": 10, "11:00": 8, "13:00": 6, "14:00": 6, "16:00": 4,
    "18:00": 4, "19:00": 5,
}  # fmt: skip
DURATIONS = {60: 45, 90: 45, 120: 10}
SECOND_SCHEDULE_SHARE = 0.1
SECOND_SCHEDULE_KINDS = {"weekly": 2, "monthly": 1}
JITTER_MILES = 0.8
DAY_NAMES = dict(
    zip(
        WEEKDAY_WEIGHTS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
#: Where each kind of generated row goes, in foreign-key order.
TABLES = {
    "org": Organization.__table__,
    "location": Location.__table__,
    "group": Group.__table__,
    "schedule": Schedule.__table__,
    "topic": group_topic,
    "audience": group_audience,
    "accessibility": group_accessibility,
    "language": group_language,
    "audit": AuditRecord.__table__,
}

ProgressCallback = Callable[[int], None]


class DemoError(Exception):
    """Demo data cannot be generated as asked."""


# --- shipped data -------------------------------------------------------------------------


@functools.cache
def _words() -> dict:
    """Return the word lists of data/demo/words.toml."""
    with (DEMO_DATA_DIR / "words.toml").open("rb") as file:
        return tomllib.load(file)


@functools.cache
def _state_population() -> dict[str, int]:
    """Return state code -> population in thousands (50 states and DC), in file order."""
    with (DEMO_DATA_DIR / "states.csv").open(encoding="utf-8", newline="") as file:
        return {row["state"]: int(row["population_thousands"]) for row in csv.DictReader(file)}


@dataclass(frozen=True)
class _Zip:
    code: str
    city: str
    state: str
    county: str
    lat: float
    lon: float
    zone: str
    area_code: str


@dataclass(frozen=True)
class _County:
    state: str
    name: str
    zips: tuple[_Zip, ...]


@functools.cache
def _counties() -> dict[str, tuple[list[_County], list[float]]]:
    """Return per state its counties (with ZIPs, sorted) and cumulative choice weights.

    Uses active STANDARD ZIPs with coordinates. Counties with more ZIPs are more populous, so
    they are weighted by ZIP count to the power 1.3, which leans toward cities.
    """
    states = _state_population()
    by_county: dict[tuple[str, str], list[_Zip]] = {}
    for record in sorted(zipcodes.list_all(), key=lambda r: r["zip_code"]):
        lat, lon = float(record["lat"] or 0), float(record["long"] or 0)
        if (
            record["zip_code_type"] != "STANDARD"
            or not record["active"]
            or record["state"] not in states
            or lat == 0
            or lon == 0
            or not record["timezone"]
        ):
            continue
        county = record["county"] or record["city"]
        codes = record["area_codes"] or ["555"]
        place = _Zip(record["zip_code"], record["city"], record["state"], county, lat, lon,
                     record["timezone"], codes[0])  # fmt: skip
        by_county.setdefault((record["state"], county), []).append(place)
    result: dict[str, tuple[list[_County], list[float]]] = {}
    for state in states:
        counties = [
            _County(state, name, tuple(zips))
            for (st, name), zips in sorted(by_county.items())
            if st == state
        ]
        result[state] = (counties, list(accumulate(len(c.zips) ** 1.3 for c in counties)))
    return result


def _cumulative(weights: dict) -> tuple[list, list[float]]:
    """Split a weights mapping into choices and cumulative weights for ``Random.choices``."""
    return list(weights), list(accumulate(weights.values()))


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and")).strip("-")


def _lower_first(text: str) -> str:
    """Lowercase a label's first letter unless it starts an acronym ("TDAH")."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
