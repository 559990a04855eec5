"""Reach into Whoosh's internals: the only module that reads its private attributes.

Whoosh offers no public way to read a fixed-width column or a posting list a block at a
time, nor to name an index generation's table of contents; these do it faster than the
public API would (one read of a column's extent, a block of postings at a time), falling
back to the public API when a reader is not the kind expected. Whoosh 2.7's names.
"""

from __future__ import annotations

import numpy as np
from whoosh import index as whoosh_index
from whoosh.index import TOC

#: The index's name in its folder: "MAIN", Whoosh's default.
INDEX_NAME = whoosh_index._DEF_INDEX_NAME


def latest_generation(storage) -> int:
    """Return the number of the latest generation in a Whoosh ``storage``, -1 when none."""
    return TOC._latest_generation(storage, INDEX_NAME)


def toc_name(generation: int) -> str:
    """Return the file name of a generation's table of contents."""
    return TOC._filename(INDEX_NAME, generation)


def column_bytes(reader, fieldname: str, width: int, count: int) -> bytes:
    """Return a fixed-width column's raw bytes for ``count`` documents."""
    column = reader.column_reader(fieldname, translate=False)
    try:
        # Fast path: one read of the column's extent (FixedBytesColumn.Reader internals).
        stored = column._count
        raw = column._dbfile.get(column._basepos, stored * width)
        default = column._default
    except AttributeError:
        return b"".join(column)
    return raw + default * (count - stored)


def read_postings(matcher) -> tuple[np.ndarray, np.ndarray]:
    """Return all (ids, weights) of a posting list, a block at a time."""
    ids_parts, tf_parts = [], []
    try:
        while True:
            if matcher._data is None:
                matcher._read_data()
            ids, weights, _values = matcher._data
            block = np.cumsum(np.asarray(ids, dtype=np.int32), dtype=np.int32)
            ids_parts.append(block)
            if weights is None:
                tf_parts.append(np.ones(len(block), dtype=np.uint8))
            elif isinstance(weights, float):
                tf_parts.append(np.full(len(block), min(weights, 255), dtype=np.uint8))
            else:
                tf_parts.append(np.minimum(np.asarray(weights), 255).astype(np.uint8))
            if matcher._lastblock:
                break
            matcher._goto(matcher._nextoffset)
    except AttributeError:  # another codec: walk the postings one by one
        pairs = []
        while matcher.is_active():
            pairs.append((matcher.id(), matcher.weight()))
            matcher.next()
        ids_parts = [np.array([p[0] for p in pairs], dtype=np.int32)]
        tf_parts = [np.minimum([p[1] for p in pairs], 255).astype(np.uint8)]
    return np.concatenate(ids_parts), np.concatenate(tf_parts)
