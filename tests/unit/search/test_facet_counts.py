"""Facet counts over a catalogue's arrays equal counting each listing by hand, however many
listings a search chose (few take the gathering path, many the one that tests every pair)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.search import facets
from directory.search.catalogue import Registry
from directory.search.schema import COSTS, DAYS, FORMATS, TIMES

TOPICS = ["grief", "anxiety", "bipolar", "ptsd", "ocd"]


@st.composite
def catalogues(draw):
    """A catalogue of up to 60 listings, each with its own facet values, and a selection."""
    size = draw(st.integers(1, 60))
    listings = [
        {
            "format": draw(st.integers(0, len(FORMATS) - 1)),
            "cost": draw(st.integers(0, len(COSTS) - 1)),
            "days": draw(st.integers(0, (1 << len(DAYS)) - 1)),
            "times": draw(st.integers(0, (1 << len(TIMES)) - 1)),
            "org": draw(st.integers(0, 4)),
            "topic": draw(st.sets(st.sampled_from(TOPICS))),
        }
        for _ in range(size)
    ]
    mask = np.array(draw(st.lists(st.booleans(), min_size=size, max_size=size)))
    return listings, mask


def _catalogue(listings):
    registry = Registry()
    pairs = [(doc, registry.code("topic", t)) for doc, row in enumerate(listings)
             for t in sorted(row["topic"])]  # fmt: skip
    docs = np.array([doc for doc, _code in pairs], dtype=np.int32)
    codes = np.array([code for _doc, code in pairs], dtype=np.int32)
    array = {key: np.array([row[key] for row in listings], dtype=np.uint8)
             for key in ("format", "cost", "days", "times")}  # fmt: skip
    return SimpleNamespace(
        registry=registry,
        lists={"topic": (docs, codes)},
        list_starts={"topic": np.searchsorted(docs, np.arange(len(listings) + 1)).astype(np.int32)},
        org=np.array([row["org"] for row in listings], dtype=np.int64),
        **array,
    )


def _by_hand(listings, mask, facet):
    counted: dict[str, int] = {}
    for row, chosen in zip(listings, mask, strict=True):
        if not chosen:
            continue
        if facet == "format":
            values = [FORMATS[row["format"]]]
        elif facet == "cost":
            values = [COSTS[row["cost"]]]
        elif facet in ("day", "time"):
            names, bits = (DAYS, row["days"]) if facet == "day" else (TIMES, row["times"])
            values = [name for i, name in enumerate(names) if bits & (1 << i)]
        elif facet == "org":
            values = [str(row["org"])] if row["org"] else []
        else:
            values = list(row["topic"])
        for value in values:
            counted[value] = counted.get(value, 0) + 1
    return counted


@settings(max_examples=200, deadline=None)
@given(catalogues())
def test_counts_match_counting_by_hand(drawn):
    listings, mask = drawn
    catalogue = _catalogue(listings)
    for facet in ("format", "cost", "day", "time", "org", "topic"):
        assert facets.count(catalogue, facet, mask) == _by_hand(listings, mask, facet), facet


def test_few_and_many_chosen_listings_count_alike():
    rng = np.random.default_rng(5)
    listings = [
        {"format": 0, "cost": 0, "days": 0, "times": 0, "org": 0,
         "topic": {t for t in TOPICS if rng.random() < 0.4}}
        for _ in range(2000)
    ]  # fmt: skip
    catalogue = _catalogue(listings)
    for share in (0.01, 0.2, 0.6, 1.0):  # both sides of facets.SPARSE_SHARE
        mask = rng.random(len(listings)) < share
        assert facets.count(catalogue, "topic", mask) == _by_hand(listings, mask, "topic")
