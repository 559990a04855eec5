"""Hold the index in arrays, so filters, facet counts, distances and scores are vector sums.

Whoosh keeps the index on disk and in segments. For each segment this module reads, once,
the listings' fixed rows, their many-valued facets and the postings of every text term into
NumPy arrays (a ``SegmentPart``). Segments never change after Whoosh writes them, except
for deletions, so a part is reused until its segment is merged away; a ``Catalogue`` joins
the parts of one index generation in Whoosh's document-number order. A search then never
walks postings in Python: it masks, gathers and sums arrays.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict

import numpy as np

from directory.search.schema import LIST_FACETS, ROW, TEXT_FIELDS
from directory.search.whoosh_internals import column_bytes, read_postings

#: How much memory a catalogue spends keeping joined posting lists of several segments.
POSTINGS_CACHE_BYTES = 16 * 1024 * 1024
_EMPTY_IDS = np.zeros(0, dtype=np.int32)
_EMPTY_TF = np.zeros(0, dtype=np.uint8)


class Registry:
    """Give each value of each many-valued facet a small, stable number within a process."""

    def __init__(self) -> None:
        self.codes: dict[str, dict[str, int]] = {facet: {} for facet in LIST_FACETS}
        self.values: dict[str, list[str]] = {facet: [] for facet in LIST_FACETS}
        self._lock = threading.Lock()

    def code(self, facet: str, value: str) -> int:
        """Return the number of ``value`` in ``facet``, adding it when new."""
        codes = self.codes[facet]
        found = codes.get(value)
        if found is None:
            with self._lock:
                found = codes.get(value)
                if found is None:
                    self.values[facet].append(value)  # before the code, for lock-free readers
                    found = codes[value] = len(self.values[facet]) - 1
        return found

    def size(self, facet: str) -> int:
        """Return how many values ``facet`` has seen."""
        return len(self.values[facet])


class Postings:
    """Every term of one text field in one segment: term -> (document numbers, frequencies)."""

    def __init__(self, terms: list[str], starts: np.ndarray, ids: np.ndarray, tf: np.ndarray):
        self.index = {term: position for position, term in enumerate(terms)}
        self.starts = starts
        self.ids = ids
        self.tf = tf

    def get(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """Return the (ids, frequencies) of ``term``, or None when the field lacks it."""
        position = self.index.get(term)
        if position is None:
            return None
        start, stop = self.starts[position], self.starts[position + 1]
        return self.ids[start:stop], self.tf[start:stop]

    def df(self, term: str) -> int:
        """Return how many documents of the segment hold ``term``."""
        position = self.index.get(term)
        return 0 if position is None else int(self.starts[position + 1] - self.starts[position])


class SegmentPart:
    """One Whoosh segment's listings as arrays; built once, shared by later catalogues."""

    def __init__(self, reader, registry: Registry):
        self.segment_id = reader.segment().segment_id()
        self.size = reader.doc_count_all()
        raw = column_bytes(reader, "row", ROW.itemsize, self.size)
        rows = np.frombuffer(raw, dtype=ROW)
        #: Each field of the listings' rows as its own array (writable: next meetings refresh),
        #: so that a catalogue joins whole arrays rather than picking fields out of rows.
        self.columns = {name: rows[name].copy() for name in ROW.names}
        self.lists = self._read_lists(reader, registry)
        #: Per list facet, where each listing's pairs start (and the last one's end).
        self.list_starts = {
            facet: np.searchsorted(docs, np.arange(self.size + 1)).astype(np.int32)
            for facet, (docs, _codes) in self.lists.items()
        }
        self.postings = {field: self._read_field(reader, field) for field in TEXT_FIELDS}

    def _read_lists(self, reader, registry: Registry) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        docs = {facet: array("i") for facet in LIST_FACETS}
        codes = {facet: array("i") for facet in LIST_FACETS}
        parsed: dict[bytes, list[tuple[str, int]]] = {}  # listings share facet sets
        for docnum, value in enumerate(reader.column_reader("facets", translate=False)):
            pairs = parsed.get(value)
            if pairs is None:
                pairs = parsed[value] = [
                    (facet, registry.code(facet, item))
                    for facet, _, item in (word.partition(":") for word in value.decode().split())
                    if facet in docs
                ]
            for facet, code in pairs:
                docs[facet].append(docnum)
                codes[facet].append(code)
        return {
            facet: (np.frombuffer(docs[facet], dtype=np.int32).copy(),
                    np.frombuffer(codes[facet], dtype=np.int32).copy())
            for facet in LIST_FACETS
        }  # fmt: skip

    @staticmethod
    def _read_field(reader, field: str) -> Postings:
        terms: list[str] = []
        sizes: list[int] = []
        ids_parts: list[np.ndarray] = []
        tf_parts: list[np.ndarray] = []
        if field in reader.indexed_field_names():
            for text, _info in reader.iter_field(field):
                ids, tf = read_postings(reader.postings(field, text))
                terms.append(text.decode() if isinstance(text, bytes) else text)
                sizes.append(len(ids))
                ids_parts.append(ids)
                tf_parts.append(tf)
        starts = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(sizes, out=starts[1:])
        ids = np.concatenate(ids_parts) if ids_parts else _EMPTY_IDS
        tf = np.concatenate(tf_parts) if tf_parts else _EMPTY_TF
        return Postings(terms, starts, ids, tf)

    def vocabulary(self, fields: tuple[str, ...]) -> dict[str, int]:
        """Return the terms of ``fields`` with their document frequency in this segment."""
        found: dict[str, int] = {}
        for field in fields:
            postings = self.postings[field]
            sizes = np.diff(postings.starts)
            for term, position in postings.index.items():
                found[term] = found.get(term, 0) + int(sizes[position])
        return found


class Catalogue:
    """The arrays of one index generation, in Whoosh document-number order."""

    def __init__(self, parts: list[tuple[SegmentPart, int, np.ndarray]], registry: Registry):
        self.parts = [(part, offset) for part, offset, _deleted in parts]
        self.registry = registry
        self.size = sum(part.size for part, _offset in self.parts)

        def column(name: str, dtype=None) -> np.ndarray:
            return _joined([part.columns[name] for part, _ in self.parts], dtype or ROW[name])

        self.alive = np.ones(self.size, dtype=bool)
        for _part, offset, deleted in parts:
            if len(deleted):
                self.alive[offset + deleted] = False
        self.gid = column("gid", np.int64)
        self.updated = column("updated")
        self.lat = column("lat")
        self.lon = column("lon")
        self.next = column("next")
        self.computed = column("computed")
        self.fresh = column("fresh")
        self.org = column("org", np.int64)
        self.format = column("format")
        self.cost = column("cost")
        self.days = column("days")
        self.times = column("times")
        self.region = column("region")
        self.lengths = {field: column(f"len_{field}", np.float32) for field in TEXT_FIELDS}
        live = max(int(self.alive.sum()), 1)
        self.avg_length = {
            field: max(float(self.lengths[field][self.alive].sum()) / live, 1.0)
            for field in TEXT_FIELDS
        }
        self.count = int(self.alive.sum())
        self.lists = {}
        #: Per list facet, where each listing's (listing, value) pairs start in ``lists``.
        self.list_starts = {}
        for facet in LIST_FACETS:
            docs = [part.lists[facet][0] for part, _offset in self.parts]
            codes = [part.lists[facet][1] for part, _offset in self.parts]
            self.lists[facet] = (
                _joined(docs, np.int32, [offset for _part, offset in self.parts]),
                _joined(codes, np.int32),
            )
            before = np.cumsum([0, *(len(piece) for piece in docs)])
            starts = [part.list_starts[facet][:-1] for part, _offset in self.parts]
            self.list_starts[facet] = _joined([*starts, before[-1:]], np.int32, [*before[:-1], 0])
        self._postings: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cached_bytes = 0
        self._lock = threading.Lock()

    # --- text ---------------------------------------------------------------------------

    def postings(self, field: str, term: str, keep: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Return the (document numbers, frequencies) of ``term`` in ``field``.

        Joined across segments and kept in a bounded cache, unless ``keep`` is false (the
        names of a topic, whose matches are kept instead: their postings would push the words
        people search for out of the cache).
        """
        key = (field, term)
        with self._lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
        ids_parts, tf_parts = [], []
        for part, offset in self.parts:
            got = part.postings[field].get(term)
            if got is not None:
                ids_parts.append(got[0] + offset if offset else got[0])
                tf_parts.append(got[1])
        if not ids_parts:
            found = (_EMPTY_IDS, _EMPTY_TF)
        elif len(ids_parts) == 1:
            found = (ids_parts[0], tf_parts[0])
        else:
            found = (np.concatenate(ids_parts), np.concatenate(tf_parts))
        if not keep:
            return found
        with self._lock:
            if len(self.parts) > 1:  # a single part's postings are views, free to keep
                self._postings[key] = found
                self._cached_bytes += found[0].nbytes + found[1].nbytes
                while self._cached_bytes > POSTINGS_CACHE_BYTES and self._postings:
                    _key, (ids, tf) = self._postings.popitem(last=False)
                    self._cached_bytes -= ids.nbytes + tf.nbytes
        return found

    def df(self, term: str) -> int:
        """Return how many documents hold ``term`` in any text field (deleted ones included)."""
        return sum(
            part.postings[field].df(term) for part, _offset in self.parts for field in TEXT_FIELDS
        )

    # --- next meetings ------------------------------------------------------------------

    def set_next(self, docnum: int, next_start: float, computed: float) -> None:
        """Remember a listing's recomputed next meeting here and in its segment part."""
        self.next[docnum] = next_start
        self.computed[docnum] = computed
        for part, offset in self.parts:
            if offset <= docnum < offset + part.size:
                part.columns["next"][docnum - offset] = next_start
                part.columns["computed"][docnum - offset] = computed
                break


def _joined(pieces: list[np.ndarray], dtype, shifts: list[int] | None = None) -> np.ndarray:
    """Return ``pieces`` end to end as one array of ``dtype``, each plus its shift.

    Written into one array as it goes: no joined copy of every column first, and no shifted
    copy of a piece (a catalogue is made at each change, so this is commit-to-searchable time).
    """
    out = np.empty(sum(len(piece) for piece in pieces), dtype=dtype)
    at = 0
    for i, piece in enumerate(pieces):
        part = out[at : at + len(piece)]
        part[...] = piece
        if shifts is not None and shifts[i]:
            part += shifts[i]
        at += len(piece)
    return out


def build_parts(reader, cache: dict[str, SegmentPart], registry: Registry):
    """Return (part, offset, deleted docnums) per segment of ``reader``, reusing ``cache``."""
    found = []
    keep = {}
    for leaf, offset in reader.leaf_readers():
        segment = leaf.segment()
        if segment is None:  # an index with no segments (nothing published): EmptyReader
            continue
        key = segment.segment_id()
        part = cache.get(key)
        if part is None:
            part = SegmentPart(leaf, registry)
        keep[key] = part
        deleted = np.fromiter(sorted(segment.deleted_docs() or ()), dtype=np.int64)
        found.append((part, offset, deleted))
    cache.clear()
    cache.update(keep)
    return found


def read_stored(searcher, docnum: int) -> dict:
    """Return a listing's stored display fields."""
    return searcher.stored_fields(docnum)["doc"]


__all__ = [
    "Catalogue",
    "Postings",
    "Registry",
    "SegmentPart",
    "build_parts",
    "read_stored",
]
