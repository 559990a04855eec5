"""Turn addresses into places: offline from the gazetteer, or online through Nominatim."""

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Protocol

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from directory.folding import words

from .distance import validate_coordinates
from .gazetteer import Gazetteer
from .names import STATE_KEYS
from .places import resolve
from .results import Ambiguous, Place
from .timezones import timezone_at

log = logging.getLogger(__name__)

GEOCODERS = ("offline", "nominatim")
#: Nominatim's "city" can be any of these, from largest to smallest.
_CITY_FIELDS = ("city", "town", "village", "hamlet", "municipality")
_POSTCODE = re.compile(r"[0-9]{5}")


class Geocoder(Protocol):
    """Turn an address into a place."""

    def geocode(self, address: str) -> Place | None:
        """Return the place an address is at, or None if it cannot be found."""


class OfflineGeocoder:
    """Geocode addresses without the network, to the centre of their ZIP code or city."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer

    def geocode(self, address: str) -> Place | None:
        """Return the ZIP code, city or state an address names, most likely first, or None."""
        found = resolve(address, self._gazetteer)
        if isinstance(found, Ambiguous):
            return found.candidates[0]
        return found if isinstance(found, Place) else None


class NominatimGeocoder:
    """Geocode addresses with a Nominatim server, politely, falling back to the gazetteer.

    Calls are spaced at least min_delay_seconds apart (the public server allows one a
    second), answers are kept in a small in-memory LRU cache, and when the server fails or
    finds nothing the offline geocoder answers instead. ``client`` replaces geopy's
    Nominatim, for tests: anything with ``geocode(query, **options)`` returning a geopy
    Location or None.
    """

    def __init__(
        self,
        user_agent: str,
        domain: str | None = None,
        min_delay_seconds: float = 1.0,
        cache_size: int = 1024,
        *,
        country_codes: str | None = "us",
        timeout: float = 10.0,
        max_retries: int = 1,
        error_wait_seconds: float = 2.0,
        client: Any = None,
        fallback: Geocoder | None = None,
    ) -> None:
        if not isinstance(user_agent, str) or not user_agent.strip():
            raise ValueError(
                "Nominatim needs a user agent that names your site, such as "
                '"peer-support-directory/1.0 (admin@example.org)".'
            )
        if client is None:
            options: dict[str, Any] = {"user_agent": user_agent.strip(), "timeout": timeout}
            if domain:
                options["domain"] = domain
            client = Nominatim(**options)
        self._lookup = RateLimiter(
            client.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=max_retries,
            error_wait_seconds=max(error_wait_seconds, min_delay_seconds),
            swallow_exceptions=False,
        )
        self._options = {"exactly_one": True, "addressdetails": True}
        if country_codes:
            self._options["country_codes"] = country_codes
        self._fallback = fallback or OfflineGeocoder()
        self._cache: OrderedDict[str, Place | None] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def geocode(self, address: str) -> Place | None:
        """Return the place an address is at, from Nominatim or else the gazetteer."""
        query = " ".join(address.split()) if isinstance(address, str) else ""
        if not query:
            return None
        key = query.casefold()
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        try:
            location = self._lookup(query, **self._options)
        except (GeopyError, OSError) as error:
            # Not cached: the server may be back for the next request. The address is never
            # logged, nor the error's text, which can quote the request URL.
            log.warning("Nominatim failed (%s); using the offline gazetteer", type(error).__name__)
            return self._fallback.geocode(query)
        place = _place_from(location) or self._fallback.geocode(query)
        self._remember(key, place)
        return place

    def _remember(self, key: str, place: Place | None) -> None:
        if self._cache_size <= 0:
            return
        with self._lock:
            self._cache[key] = place
            self._cache.move_to_end(key)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)


def _place_from(location: Any) -> Place | None:
    """Turn a geopy Location into a Place, or None if it has no usable point."""
    if location is None:
        return None
    try:
        lat, lon = validate_coordinates(location.latitude, location.longitude)
    except (AttributeError, ValueError):
        return None
    raw = getattr(location, "raw", None)
    details = raw.get("address", {}) if isinstance(raw, dict) else {}
    city = next((details[field] for field in _CITY_FIELDS if details.get(field)), None)
    iso = str(details.get("ISO3166-2-lvl4", ""))
    state_words = words(str(details.get("state", "")))
    region = iso[3:] if iso.startswith("US-") else STATE_KEYS.get("".join(state_words))
    postcode = _POSTCODE.match(str(details.get("postcode", "")))
    return Place(
        kind="address",
        display=str(getattr(location, "address", "") or f"{lat:.5f}, {lon:.5f}"),
        latitude=lat,
        longitude=lon,
        timezone=timezone_at(lat, lon),
        city=city,
        region=region,
        postal_code=postcode[0] if postcode else None,
    )


def make_geocoder(config: Mapping[str, Any]) -> Geocoder:
    """Build the geocoder the settings ask for: GEOCODER, GEOCODER_USER_AGENT, GEOCODER_DOMAIN."""
    kind = str(config.get("GEOCODER") or "offline").strip().lower()
    if kind == "offline":
        return OfflineGeocoder()
    if kind == "nominatim":
        user_agent = str(config.get("GEOCODER_USER_AGENT") or "").strip()
        if not user_agent:
            raise ValueError(
                'GEOCODER is "nominatim" but GEOCODER_USER_AGENT is not set. Nominatim '
                "requires a user agent that names your site, such as "
                '"peer-support-directory/1.0 (admin@example.org)".'
            )
        return NominatimGeocoder(user_agent, domain=config.get("GEOCODER_DOMAIN") or None)
    choices = " or ".join(f'"{name}"' for name in GEOCODERS)
    raise ValueError(f'GEOCODER must be {choices}, not "{kind}".')
