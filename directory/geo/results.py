"""Describe what a place query resolved to: a place, a choice of places, or nothing."""

from dataclasses import dataclass, field
from typing import Literal

#: "address" is only produced by an online geocoder; the gazetteer yields the other three.
PlaceKind = Literal["zip", "city", "state", "address"]


@dataclass(frozen=True, slots=True)
class Place:
    """Hold a point people can search around, with what to call it and its time zone."""

    kind: PlaceKind
    display: str
    latitude: float
    longitude: float
    timezone: str | None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    radius_hint_miles: float | None = None

    @property
    def coordinates(self) -> tuple[float, float]:
        """Return (latitude, longitude)."""
        return (self.latitude, self.longitude)


@dataclass(frozen=True, slots=True)
class Ambiguous:
    """Hold the places a query could mean, most likely first."""

    query: str
    candidates: list[Place]


@dataclass(frozen=True, slots=True)
class NotFound:
    """Explain why a query matched no place, with close names to offer instead."""

    query: str
    message: str
    suggestions: list[str] = field(default_factory=list)


Resolution = Place | Ambiguous | NotFound
