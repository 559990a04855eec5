"""Find the IANA time zone of a point, and check time zone names."""

import functools
import threading
import zoneinfo

from timezonefinder import TimezoneFinder

from .distance import validate_coordinates

# timezonefinder says an instance must not be used by two threads at once, and building one
# opens its polygon files (about 0.3 s cold), so there is one, built lazily, behind a lock.
_lock = threading.Lock()


@functools.cache
def _finder() -> TimezoneFinder:
    return TimezoneFinder()


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def timezone_at(lat: float, lon: float) -> str | None:
    """Return the IANA time zone at a point, or None if there is none.

    Over open sea this is a nautical zone such as "Etc/GMT+5".
    """
    lat, lon = validate_coordinates(lat, lon)
    with _lock:
        return _finder().timezone_at(lng=lon, lat=lat)


def valid_timezone(name: str) -> bool:
    """Return whether name is an IANA time zone this system knows."""
    return isinstance(name, str) and name in _known_zones()
