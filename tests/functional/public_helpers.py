"""Helpers for the public-site tests: a canned search result, so pages render without an index."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from directory.geo import Place
from directory.search.query import FacetValue, Hit, SearchResult

CHICAGO = Place(
    kind="zip",
    display="Chicago, IL 60614",
    latitude=41.9227,
    longitude=-87.6533,
    timezone="America/Chicago",
    city="Chicago",
    region="IL",
    postal_code="60614",
)


def make_hit(group, **fields) -> Hit:
    """Build a Hit for a group made by the factories."""
    values = {
        "id": group.id,
        "name": group.name,
        "organization": group.organization.name if group.organization else None,
        "format": group.format,
        "topics": [term.label for term in group.topics],
        "city": group.location.city if group.location else None,
        "region": group.location.region if group.location else None,
        "schedule_text": "Every Tuesday, 7:00–8:30 pm Central",  # noqa: RUF001
        "next_meeting": dt.datetime(2026, 12, 1, 19, 0, tzinfo=ZoneInfo("America/Chicago")),
        "distance_miles": 1.2 if group.location else None,
    }
    values.update(fields)
    return Hit(**values)


def make_result(query, hits, total=None, **fields) -> SearchResult:
    """Build a SearchResult with a small topic and format facet."""
    facets = {
        "topic": [
            FacetValue("depression", "Depression", 3, "depression" in query.selected("topic")),
            FacetValue("grief", "Grief and loss", 2, "grief" in query.selected("topic")),
        ],
        "format": [
            FacetValue("in_person", "In person", 4, "in_person" in query.selected("format")),
            FacetValue("online", "Online", 1, "online" in query.selected("format")),
        ],
    }
    values = {
        "query": query,
        "total": len(hits) if total is None else total,
        "hits": hits,
        "facets": facets,
        "place": CHICAGO if query.near else None,
        # With a place, the engine counts groups within reach and online only: all nearby.
        "nearby": (len(hits) if total is None else total) if query.near else None,
        "online_only": 0 if query.near else None,
    }
    values.update(fields)
    return SearchResult(**values)


def install_engine(monkeypatch, respond) -> list:
    """Route the results page's searches to ``respond(query)``; return the queries seen."""
    seen: list = []

    def search(query):
        seen.append(query)
        return respond(query)

    import directory.search

    monkeypatch.setattr(directory.search, "search", search)
    return seen


@pytest.fixture
def empty_search(monkeypatch):
    """Answer every search with no groups (for tests about the page around the results)."""
    return install_engine(monkeypatch, lambda query: make_result(query, []))
