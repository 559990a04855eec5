"""Choose the listings to export (all published ones, or a search's) and write a format.

Writers yield bytes a chunk at a time from listings loaded a batch at a time, each batch in
a session of its own that is closed before the next, so exporting 100,000 listings holds
about one batch of them in memory, never all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.listings import LISTING_LOAD
from directory.models import Group, Status
from directory.search.documents import published_ids

from . import csv_format, hsds, hsds_tables, ical, meeting_guide
from .public import ExportContext

__all__ = [
    "EXPORTS",
    "export_listings",
    "iter_groups",
    "load_groups",
    "published_ids",
    "published_page",
    "search_ids",
    "stream_listings",
]

Writer = Callable[[Iterable[Group], ExportContext], Iterator[bytes]]

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


def search_ids(
    args: Mapping[str, Any], limit: int | None = None, max_pages: int | None = None
) -> list[int]:
    """Return the ids of the listings a search finds, in its order (to ``limit``).

    Takes the search API's parameters; raises ``directory.search.QueryError`` for bad ones
    (``page`` and ``per_page`` are checked as the API does, then ignored) and for a place
    that names no one place. ``max_pages`` bounds the ids to that many full result pages.
    """
    from directory.search import ids_for, parse_query
    from directory.search.query import MAX_PAGE, MAX_PER_PAGE

    most = MAX_PER_PAGE * (MAX_PAGE if max_pages is None else min(MAX_PAGE, max_pages))
    return ids_for(parse_query(args), most if limit is None else min(limit, most))


def published_page(session: Session, page: int, per_page: int) -> tuple[list[int], int]:
    """Return the ids on page ``page`` of the published listings (by id), and how many in all."""
    published = Group.status == Status.PUBLISHED.value
    total = session.scalar(select(func.count()).select_from(Group).where(published)) or 0
    query = (
        select(Group.id).where(published).order_by(Group.id)
        .limit(per_page).offset((page - 1) * per_page)
    )  # fmt: skip
    return list(session.scalars(query)), total


def iter_groups(session: Session, ids: Iterable[int], batch: int = BATCH) -> Iterator[Group]:
    """Yield published listings by id, in the order given, with what exports show.

    Each batch of ``batch`` ids is loaded by a session of its own on ``session``'s connection
    (so it sees the same data) and closed once its listings are yielded: what the caller
    does not keep is freed, however many listings there are.
    """
    ids = list(ids)
    connection = session.connection()
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        query = (
            select(Group)
            .where(Group.id.in_(chunk), Group.status == Status.PUBLISHED.value)
            .options(*LISTING_LOAD)
        )
        with Session(bind=connection) as batch_session:
            found = {group.id: group for group in batch_session.scalars(query)}
            yield from (found[group_id] for group_id in chunk if group_id in found)
            del found


def load_groups(session: Session, ids: list[int]) -> list[Group]:
    """Return published listings by id, in the order given, with what exports show."""
    return list(iter_groups(session, ids))


def stream_listings(fmt: str, groups: Iterable[Group], context: ExportContext) -> Iterator[bytes]:
    """Yield ``groups`` written in format ``fmt``, a chunk at a time."""
    writer, _media_type, _name = EXPORTS[fmt]
    return writer(groups, context)


def export_listings(fmt: str, groups: Iterable[Group], context: ExportContext) -> bytes:
    """Return ``groups`` written in format ``fmt`` (whole: for small exports and tests)."""
    return b"".join(stream_listings(fmt, groups, context))
