"""Resolve places offline, find time zones, measure distances and geocode addresses.

``resolve("60614")`` needs nothing running: ZIP codes, cities and states come from the
zipcodes package. Call ``load_gazetteer(path)`` at start-up to keep a cache file there.
"""

from .distance import MILES_PER_KM, bounding_box, distance_miles, validate_coordinates
from .gazetteer import Gazetteer, default_gazetteer, gazetteer_loaded, load_gazetteer
from .geocoder import Geocoder, NominatimGeocoder, OfflineGeocoder, make_geocoder
from .names import STATE_NAMES
from .places import by_state, resolve
from .results import Ambiguous, NotFound, Place, PlaceKind, Resolution
from .timezones import timezone_at, valid_timezone

__all__ = [
    "MILES_PER_KM",
    "STATE_NAMES",
    "Ambiguous",
    "Gazetteer",
    "Geocoder",
    "NominatimGeocoder",
    "NotFound",
    "OfflineGeocoder",
    "Place",
    "PlaceKind",
    "Resolution",
    "bounding_box",
    "by_state",
    "default_gazetteer",
    "distance_miles",
    "gazetteer_loaded",
    "load_gazetteer",
    "make_geocoder",
    "resolve",
    "timezone_at",
    "valid_timezone",
    "validate_coordinates",
]
