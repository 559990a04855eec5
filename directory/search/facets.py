"""Select and count facet values over a catalogue's arrays.

Each facet is stored in the shape that counts fastest: one code per listing (format, cost,
organisation), a bit mask per listing (weekdays, times of day), or (listing, value) pairs
for the many-valued taxonomy facets. Counting a facet is one ``bincount`` over the listings
that pass every other filter, which is what keeps a chosen value's alternatives visible.
"""

from __future__ import annotations

import numpy as np

from directory.search.catalogue import Catalogue
from directory.search.query import FACET_PARAMS, FacetValue
from directory.search.schema import COSTS, DAYS, FORMATS, LIST_FACETS, TIMES

#: The facets with a closed list of values, and those values in code order.
CODED = {"format": FORMATS, "cost": COSTS}
BITS = {"day": DAYS, "time": TIMES}
#: The most organisations listed in the organisation facet (chosen ones are always listed).
MAX_ORGS = 20


def _array(catalogue: Catalogue, facet: str) -> np.ndarray:
    return {"format": catalogue.format, "cost": catalogue.cost, "day": catalogue.days,
            "time": catalogue.times}[facet]  # fmt: skip


def value_docs(catalogue: Catalogue, facet: str, value: str) -> np.ndarray:
    """Return the document numbers with ``value`` in ``facet`` (deleted ones included)."""
    if facet in CODED:
        return np.flatnonzero(_array(catalogue, facet) == CODED[facet].index(value))
    if facet in BITS:
        return np.flatnonzero(_array(catalogue, facet) & (1 << BITS[facet].index(value)))
    if facet == "org":
        return np.flatnonzero(catalogue.org == int(value))
    code = catalogue.registry.codes[facet].get(value)
    if code is None:
        return np.zeros(0, dtype=np.int64)
    docs, codes = catalogue.lists[facet]
    found = docs[codes == code]  # in listing order, as the pairs are
    return found[np.concatenate(([True], found[1:] != found[:-1]))] if len(found) else found


def selection_mask(catalogue: Catalogue, facet: str, values: tuple[str, ...]) -> np.ndarray:
    """Return which listings have any of ``values`` in ``facet``."""
    if facet in CODED:
        lookup = np.zeros(len(CODED[facet]), dtype=bool)
        lookup[[CODED[facet].index(v) for v in values]] = True
        return lookup[_array(catalogue, facet)]
    if facet in BITS:
        bits = sum(1 << BITS[facet].index(v) for v in values)
        return (_array(catalogue, facet) & bits) != 0
    if facet == "org":
        return np.isin(catalogue.org, [int(v) for v in values])
    docs, codes = catalogue.lists[facet]
    lookup = np.zeros(catalogue.registry.size(facet) + 1, dtype=bool)
    known = [catalogue.registry.codes[facet].get(v) for v in values]
    lookup[[code for code in known if code is not None]] = True
    mask = np.zeros(catalogue.size, dtype=bool)
    mask[docs[lookup[codes]]] = True
    return mask


def count(
    catalogue: Catalogue, facet: str, mask: np.ndarray, docs: np.ndarray | None = None
) -> dict[str, int]:
    """Count the listings in ``mask`` per value of ``facet`` (values with none left out).

    ``docs`` are the listings in ``mask`` (``np.flatnonzero(mask)``), if the caller has them:
    facets counted over the same listings share them.
    """
    if docs is None:
        docs = np.flatnonzero(mask)
    if facet in CODED:
        counts = np.bincount(_array(catalogue, facet)[docs], minlength=len(CODED[facet]))
        return {value: int(counts[i]) for i, value in enumerate(CODED[facet]) if counts[i]}
    if facet in BITS:
        counts = _bit_counts(_array(catalogue, facet)[docs], len(BITS[facet]))
        return {value: int(counts[i]) for i, value in enumerate(BITS[facet]) if counts[i]}
    if facet == "org":
        counts = np.bincount(catalogue.org[docs], minlength=1)
        counts[0] = 0  # listings without an organisation
        present = np.flatnonzero(counts)
        if len(present) > MAX_ORGS:
            top = np.argpartition(-counts[present], MAX_ORGS)[:MAX_ORGS]
            present = present[top]
        return {str(org): int(counts[org]) for org in present}
    counts = np.bincount(_list_codes(catalogue, facet, mask, docs),
                         minlength=catalogue.registry.size(facet))  # fmt: skip
    values = catalogue.registry.values[facet]
    return {values[i]: int(counts[i]) for i in np.flatnonzero(counts)}


def _bit_counts(bits: np.ndarray, width: int) -> np.ndarray:
    """Return how many of ``bits`` (one byte per listing) have each of their ``width`` bits set.

    One ``bincount`` of the bytes, then each bit's share of it: far cheaper than unpacking
    every listing's byte when many listings are counted.
    """
    table = np.bincount(bits, minlength=1 << width)[: 1 << width]
    return table @ _BIT_MATRIX[: 1 << width, :width]


_BIT_MATRIX = (np.arange(256)[:, None] >> np.arange(8)) & 1
#: Up to this share of the listings chosen, their pairs are gathered rather than all tested.
SPARSE_SHARE = 0.25


def _list_codes(catalogue: Catalogue, facet: str, mask: np.ndarray, docs: np.ndarray):
    """Return the codes of the (listing, value) pairs of ``facet`` for the listings ``docs``.

    Few listings (a search by words): their pairs are gathered from where each listing's
    start, at what they cost; many (``mask`` has them): every pair is tested.
    """
    pairs, codes = catalogue.lists[facet]
    if len(docs) > SPARSE_SHARE * len(mask):
        return codes[mask[pairs]]
    starts = catalogue.list_starts[facet]
    low = starts[docs]
    lengths = starts[docs + 1] - low
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if len(ends) else 0
    return codes[np.repeat(low - (ends - lengths), lengths) + np.arange(total)]


def facet_values(counts: dict[str, int], selected: tuple[str, ...], label) -> list[FacetValue]:
    """Return a facet's values for display: most listings first, chosen ones always present."""
    values = [
        FacetValue(value, label(value), number, value in selected)
        for value, number in counts.items()
    ]
    values += [
        FacetValue(value, label(value), 0, True) for value in selected if value not in counts
    ]
    return sorted(values, key=lambda v: (-v.count, v.label.casefold()))


FACETS = tuple(FACET_PARAMS)
assert set(LIST_FACETS) <= set(FACETS)
