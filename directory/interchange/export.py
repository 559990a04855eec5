"""Choose the listings to export (all published ones, or a search's) and write a format."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.listings import LISTING_LOAD
from directory.models import Group, Status
from directory.search.documents import published_ids

from . import csv_format, hsds, hsds_tables, ical, meeting_guide
from .public import ExportContext

__all__ = ["EXPORTS", "export_listings", "load_groups", "published_ids", "search_ids"]

Writer = Callable[[Iterable[Group], ExportContext], bytes]

#: Export format -> (writer, media type, file name).
EXPORTS: dict[str, tuple[Writer, str, str]] = {
    "hsds": (hsds.write, "application/json", "hsds.json"),
    "hsds-csv": (hsds_tables.write, "application/zip", "hsds-datapackage.zip"),
    "meeting-guide": (meeting_guide.write, "application/json", "meeting-guide.json"),
    "csv": (csv_format.write, "text/csv; charset=utf-8", "groups.csv"),
    "ics": (ical.write, "text/calendar; charset=utf-8", "groups.ics"),
}
#: How many listings are loaded from the database at a time.
BATCH = 500


def search_ids(args: Mapping[str, Any], limit: int | None = None) -> list[int]:
    """Return the ids of the listings a search finds, in its order, every page (to ``limit``).

    Takes the search API's parameters; raises ``directory.search.QueryError`` for bad ones.
    """
    from directory.search import parse_query, search
    from directory.search.query import MAX_PAGE, MAX_PER_PAGE, QueryError

    # parse_query checks page and per_page as the API does; every page is read regardless
    query = dataclasses.replace(parse_query(args), page=1, per_page=MAX_PER_PAGE)
    ids: list[int] = []
    while True:
        result = search(query)
        if result.place_candidates or result.place_error:
            raise QueryError(
                "near", result.place_error or "that place could mean several places; choose one"
            )
        ids += [hit.id for hit in result.hits]
        done = not result.hits or len(ids) >= result.total or query.page >= MAX_PAGE
        if done or (limit is not None and len(ids) >= limit):
            return ids[:limit]
        query = dataclasses.replace(query, page=query.page + 1)


def load_groups(session: Session, ids: list[int]) -> list[Group]:
    """Return published listings by id, in the order given, with what exports show."""
    found: dict[int, Group] = {}
    for start in range(0, len(ids), BATCH):
        query = (
            select(Group)
            .where(Group.id.in_(ids[start : start + BATCH]), Group.status == Status.PUBLISHED.value)
            .options(*LISTING_LOAD)
        )
        found.update((group.id, group) for group in session.scalars(query))
    return [found[group_id] for group_id in ids if group_id in found]


def export_listings(fmt: str, groups: Iterable[Group], context: ExportContext) -> bytes:
    """Return ``groups`` written in format ``fmt``."""
    writer, _media_type, _name = EXPORTS[fmt]
    return writer(groups, context)
