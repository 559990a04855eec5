"""Define the search index: its Whoosh schema and the fixed binary row each listing carries.

Text fields hold words for relevance. Everything else a search filters, counts or sorts on
lives in two per-document columns that load straight into arrays (see ``catalogue``):

- ``row``: a fixed-size record (``ROW``) of numbers: id, coordinates, next meeting, the
  moment its freshness counts from, format, cost, organisation, weekdays and times of day as
  bit masks, state, field lengths;
- ``facets``: the open-ended, many-valued facets as text, e.g. ``"topic:ptsd lang:es"``.

Bump ``SCHEMA_VERSION`` whenever either changes: the app then rebuilds the index at start.
"""

from __future__ import annotations

import struct

import numpy as np
from whoosh import columns, fields

from directory.models import Cost, Format
from directory.search.text import ListingAnalyzer

#: 3: words are folded by directory.folding (marks of other scripts kept, "ß" as "ss").
SCHEMA_VERSION = 3

#: Text fields searched for words. Their weights are in ``ranking.FIELD_BOOSTS``.
TEXT_FIELDS = ("name", "body", "org", "place")

FORMATS = tuple(f.value for f in Format)
COSTS = tuple(c.value for c in Cost)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TIMES = ("morning", "afternoon", "evening")
#: Formats that can be joined from anywhere, so they stay in place searches (as online).
REMOTE_FORMATS = ("online", "phone", "hybrid")
#: Formats with no meeting place at all.
PLACELESS_FORMATS = ("online", "phone")

#: Many-valued facets stored in the ``facets`` column as ``name:value`` words.
LIST_FACETS = ("topic", "audience", "lang", "access")

#: One listing's numbers, little-endian and packed; ``lat``/``lon`` are NaN without a place
#: and ``next`` is +inf when no meeting is coming (or the listing is paused with no date).
#: ``fresh`` is when the listing was last confirmed (else listed): a search leaves out those
#: older than the directory's HIDE_AFTER, counted from the search's own moment.
ROW = np.dtype(
    [
        ("gid", "<u4"),
        ("updated", "<f8"),
        ("lat", "<f8"),
        ("lon", "<f8"),
        ("next", "<f8"),
        ("computed", "<f8"),
        ("fresh", "<f8"),
        ("org", "<u4"),
        ("format", "u1"),
        ("cost", "u1"),
        ("days", "u1"),
        ("times", "u1"),
        ("region", "S2"),
        *((f"len_{name}", "<u2") for name in TEXT_FIELDS),
    ]
)
#: The same layout for packing one row at index time.
ROW_STRUCT = struct.Struct("<I6dI4B2s" + "H" * len(TEXT_FIELDS))
assert ROW_STRUCT.size == ROW.itemsize


def make_schema() -> fields.Schema:
    """Return the Whoosh schema of the listing index."""
    analyzer = ListingAnalyzer()
    text = {name: fields.TEXT(analyzer=analyzer, phrase=False) for name in TEXT_FIELDS}
    return fields.Schema(
        gid=fields.ID(stored=True, unique=True),
        row=fields.COLUMN(columns.FixedBytesColumn(ROW.itemsize)),
        facets=fields.COLUMN(columns.VarBytesColumn()),
        doc=fields.STORED(),
        **text,
    )
