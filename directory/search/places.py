"""Turn a resolved place (``locating``) into a mask of listings within reach, with distances.

A ZIP code or city reaches ``radius`` miles around its centre: a bounding box picks the
candidates, then exact great-circle distances decide. A state reaches the listings in it.
"""

from __future__ import annotations

import math

import numpy as np

from directory import geo
from directory.search.catalogue import Catalogue

EARTH_RADIUS_MILES = geo.distance.EARTH_RADIUS_MILES


def miles(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Return great-circle distances in miles from one point to many (haversine)."""
    phi1, phi2 = math.radians(lat), np.radians(lats)
    dphi = phi2 - phi1
    dlam = np.radians(lons) - math.radians(lon)
    a = np.sin(dphi / 2) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def within_reach(
    catalogue: Catalogue, located: np.ndarray, place: geo.Place, radius: float
) -> tuple[np.ndarray, np.ndarray]:
    """Return (listings within reach, distances in miles where computed, else NaN)."""
    distance = np.full(catalogue.size, np.nan)
    if place.kind == "state":
        inside = np.flatnonzero((catalogue.region == place.region.encode()) & located)
    else:
        min_lat, max_lat, min_lon, max_lon = geo.bounding_box(
            place.latitude, place.longitude, radius
        )
        lat, lon = catalogue.lat, catalogue.lon
        inside = np.flatnonzero((lat >= min_lat) & (lat <= max_lat) & (lon >= min_lon)
                                & (lon <= max_lon))  # fmt: skip
    found = miles(place.latitude, place.longitude, catalogue.lat[inside], catalogue.lon[inside])
    distance[inside] = found
    local = np.zeros(catalogue.size, dtype=bool)
    local[inside if place.kind == "state" else inside[found <= radius]] = True
    return local, distance
