"""Order the listings a search found: by relevance, by distance, or by next meeting.

Only the listings that passed every filter are scored, and only as many are ordered as the
page shown needs (plus any tied with the last, so that every page breaks ties alike).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from directory.search import builder
from directory.search.catalogue import Catalogue


def idf(df: int, n: int) -> float:
    """Return BM25's inverse document frequency for a term in ``df`` of ``n`` listings."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def scores(
    catalogue: Catalogue,
    plan: builder.TextPlan,
    final: np.ndarray,
    concept_docs: Callable[[tuple[str, str]], np.ndarray],
) -> np.ndarray:
    """Return BM25 scores of the plan's words for the listings in ``final`` (others 0).

    Each field counts with its boost; a facet value the words name counts as a strong
    match; a corrected spelling counts less than the word as typed.
    """
    n = max(catalogue.count, 1)
    score = np.zeros(catalogue.size, dtype=np.float32)
    k1, b = builder.BM25_K1, builder.BM25_B
    for clause in plan.clauses:
        for concept in clause.concepts:
            docs = concept_docs(concept)
            score[docs[final[docs]]] += builder.CONCEPT_BOOST * idf(len(docs), n)
        for word in clause.words:
            for term, weight in word.variants:
                for field, boost in builder.FIELD_BOOSTS.items():
                    ids, tf = catalogue.postings(field, term)
                    if not len(ids):
                        continue
                    keep = final[ids]
                    ids, tf = ids[keep], tf[keep]
                    length = catalogue.lengths[field][ids] / catalogue.avg_length[field]
                    gain = tf * (k1 + 1) / (tf + k1 * (1 - b + b * length))
                    score[ids] += boost * weight * idf(len(keep), n) * gain
    return score


def top(key: np.ndarray, wanted: int) -> np.ndarray:
    """Return the positions of the ``wanted`` smallest keys and of any tied with the last.

    With the ties kept, a tie-break orders them the same way on every page.
    """
    if wanted >= len(key):
        return np.arange(len(key))
    kth = np.partition(key, wanted - 1)[wanted - 1]
    return np.flatnonzero(key <= kth)


def by_relevance(catalogue, score, docs, local, distance, radius, wanted) -> np.ndarray:
    """Return the first ``wanted`` of ``docs`` by score (near ones a little ahead)."""
    score = score[docs]
    if local is not None:
        closeness = np.where(local[docs], 1 - np.nan_to_num(distance[docs]) / radius, 0.0)
        score = score * (1 + builder.PROXIMITY_BOOST * np.clip(closeness, 0, 1))
    gid = catalogue.gid[docs]
    chosen = top(-score, wanted)
    order = chosen[np.lexsort((gid[chosen], -score[chosen]))]
    return docs[order[:wanted]]


def by_soonest(catalogue, docs, distance, wanted) -> np.ndarray:
    """Return the first ``wanted`` of ``docs`` by next meeting (then distance, then id)."""
    upcoming = catalogue.next[docs]
    chosen = top(upcoming, wanted)
    gid = catalogue.gid[docs[chosen]]
    tie = np.nan_to_num(distance[docs[chosen]]) if distance is not None else gid
    order = chosen[np.lexsort((gid, tie, upcoming[chosen]))]
    return docs[order[:wanted]]


def by_distance(catalogue, docs, local, distance, wanted) -> np.ndarray:
    """Return the first ``wanted``: nearby ones nearest first, then the rest by next meeting."""
    near = docs[local[docs]]
    near = near[np.lexsort((catalogue.gid[near], distance[near]))]
    if len(near) >= wanted:
        return near[:wanted]
    rest = by_soonest(catalogue, docs[~local[docs]], None, wanted - len(near))
    return np.concatenate([near, rest])
