"""Resolve a query's place: a ``geo.Place``, or a ``PlaceProblem`` every surface renders.

The results page and the embed offer a problem's candidates or suggestions as links; the
API answers it as a 400 naming ``near`` (``candidates`` or ``suggestions`` in the body); an
export refuses it with its message (``PlaceProblem.error``).
"""

from __future__ import annotations

import dataclasses
from typing import Literal

from directory import geo
from directory.search.query import QueryError, SearchQuery

#: What can be wrong with a place: it matched nothing, or several places.
ProblemKind = Literal["unknown", "ambiguous"]


@dataclasses.dataclass(frozen=True)
class PlaceProblem:
    """Why the words given for a place found no one place, with what to offer instead."""

    kind: ProblemKind
    #: The words given for the place, as typed.
    words: str
    #: What is wrong, in English (the API's ``message``, an export's error).
    message: str
    #: The places the words could mean, most likely first (``ambiguous``).
    candidates: tuple[geo.Place, ...] = ()
    #: Close place names to offer instead (``unknown``).
    suggestions: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        """Return whether the words could mean several places."""
        return self.kind == "ambiguous"

    @property
    def by_state(self) -> list[tuple[str, list[geo.Place]]]:
        """Return the candidates grouped by state, as the pages offer them."""
        return geo.by_state(list(self.candidates))

    def error(self) -> QueryError:
        """Return the problem as the QueryError a caller with no way to offer choices raises."""
        return QueryError("near", self.message)


def resolve(query: SearchQuery) -> geo.Place | PlaceProblem | None:
    """Return the query's place, a PlaceProblem when it names none or several, else None."""
    if query.lat is not None:
        try:
            zone = geo.timezone_at(query.lat, query.lon)
        except ValueError:
            zone = None
        return geo.Place("address", f"{query.lat:.4f}, {query.lon:.4f}", query.lat, query.lon,
                         zone)  # fmt: skip
    if not query.near:
        return None
    found = geo.resolve(query.near)
    if isinstance(found, geo.Ambiguous):
        message = f'"{query.near}" could mean several places; choose one.'
        return PlaceProblem("ambiguous", query.near, message, candidates=tuple(found.candidates))
    if isinstance(found, geo.NotFound):
        return PlaceProblem(
            "unknown", query.near, found.message, suggestions=tuple(found.suggestions)
        )
    return found
