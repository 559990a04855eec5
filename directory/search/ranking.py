"""Order the listings a search found: by relevance, by distance, or by next meeting.

Only the listings that passed every filter are scored, and only as many are ordered as the
page shown needs (plus any tied with the last, so that every page breaks ties alike).

Relevance comes in tiers: a listing that matches more of the query's clauses by its own
words or tags (its name, description, place, topics, audiences) comes first, whatever the
scores; a word found only in the host organisation's name counts in the score but not for
the tier, so "veterans" lists the veterans' groups before a knitting circle that meets in a
veterans' hall. A score carries its tier (``TIER`` apart), which ``by_relevance`` keeps when
it adds closeness.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from directory.search.catalogue import Catalogue

if TYPE_CHECKING:
    from directory.search.builder import TextPlan

# The scoring knobs: every weight a search's order depends on is here.
#: How much a word found in each text field counts.
FIELD_BOOSTS = {"name": 3.0, "org": 1.5, "place": 1.0, "body": 1.0}
#: How much a facet value named by the words counts, relative to a word in the body.
CONCEPT_BOOST = 2.5
#: How much the words of a topic's or audience's names count in a listing's own text
#: (an untagged listing that says "bereavement" for a search for "widowed").
CONCEPT_TEXT_BOOST = 0.6
#: A topic's name counts alike in a listing's name and description: it is evidence of the
#: topic, not of the words typed, so a synonym in a name ("After Loss") does not outrank the
#: word as typed in a description ("bereavement support").
CONCEPT_TEXT_FIELD_BOOST = 1.0
#: What a corrected spelling counts, by edit distance, relative to the word as typed.
FUZZY_WEIGHTS = {1: 0.7, 2: 0.4}
#: BM25 parameters: term-frequency saturation and length normalisation.
BM25_K1 = 1.2
BM25_B = 0.75
#: With a place and sort=relevance, how much being close adds (up to this share of a score).
PROXIMITY_BOOST = 0.3


def idf(df: int, n: int) -> float:
    """Return BM25's inverse document frequency for a term in ``df`` of ``n`` listings."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


#: How far apart the tiers of a score are: above any score the words can add up to.
TIER = 2.0**20
#: Text fields that are a listing's own words (not its host's name).
OWN_FIELDS = tuple(field for field in FIELD_BOOSTS if field != "org")
#: Where the names of a topic or audience are looked for in a listing's words.
CONCEPT_TEXT_FIELDS = ("name", "body")

TextMatches = tuple[np.ndarray, np.ndarray]


def _term_scores(
    catalogue: Catalogue,
    field: str,
    term: str,
    n: int,
    within: np.ndarray | None = None,
    keep: bool = True,
    boost: float | None = None,
) -> TextMatches:
    """Return the (listings, BM25 score) of one term in one field: those ``within``, or all.

    The score is weighed by the field's boost, or by ``boost`` if given.
    """
    ids, tf = catalogue.postings(field, term, keep=keep)
    if not len(ids):
        return ids, np.zeros(0, dtype=np.float32)
    df = len(ids)
    if within is not None:
        keep = within[ids]
        ids, tf = ids[keep], tf[keep]
    k1, b = BM25_K1, BM25_B
    length = catalogue.lengths[field][ids] / catalogue.avg_length[field]
    gain = tf * (k1 + 1) / (tf + k1 * (1 - b + b * length))
    weight = FIELD_BOOSTS[field] if boost is None else boost
    return ids, (weight * idf(df, n) * gain).astype(np.float32)


def text_matches(catalogue: Catalogue, names: tuple[tuple[str, ...], ...]) -> TextMatches:
    """Return the listings whose name or description uses one of ``names``, with a score.

    A name of several words matches a listing with every one of them. A listing's score is
    the BM25 sum of the words of the names it uses (each word once), over every listing;
    ``scores`` weighs it by ``CONCEPT_TEXT_BOOST``. A word that is only part of longer names
    is scored only where a whole name is, so a common word ("live" in "people with lived
    experience") costs what its few matches do.
    """
    if not names:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
    n = max(catalogue.count, 1)
    having: dict[str, np.ndarray] = {}

    def used(term: str) -> np.ndarray:
        if term not in having:
            having[term] = mask = np.zeros(catalogue.size, dtype=bool)
            for field in CONCEPT_TEXT_FIELDS:
                mask[catalogue.postings(field, term, keep=False)[0]] = True
        return having[term]

    # A word that is a name by itself counts wherever it is; one that is only part of a
    # longer name counts where the whole name is.
    whole = {key[0] for key in names if len(key) == 1}
    partly: dict[str, np.ndarray] = {}
    for key in names:
        if len(key) == 1:
            continue
        every = np.logical_and.reduce([used(term) for term in key])
        if not every.any():
            continue
        for term in key:
            if term not in whole:
                partly[term] = partly[term] | every if term in partly else every
    score = np.zeros(catalogue.size, dtype=np.float32)
    found = np.zeros(catalogue.size, dtype=bool)
    for term, where in [*((term, None) for term in whole), *partly.items()]:
        for field in CONCEPT_TEXT_FIELDS:
            ids, gain = _term_scores(
                catalogue, field, term, n, where, keep=False, boost=CONCEPT_TEXT_FIELD_BOOST
            )
            score[ids] += gain
            found[ids] = True
    docs = np.flatnonzero(found).astype(np.int32)
    return docs, score[docs]


def scores(
    catalogue: Catalogue,
    plan: TextPlan,
    final: np.ndarray,
    concept_docs: Callable[[tuple[str, str]], np.ndarray],
    concept_text: Callable[[tuple[str, str]], TextMatches] | None = None,
) -> np.ndarray:
    """Return tiered BM25 scores of the plan's words for the listings in ``final`` (others 0).

    Each field counts with its boost; a facet value the words name counts as a strong
    match, and its names in a listing's own words (``concept_text``) as a weaker one; a
    corrected spelling counts less than the word as typed. The tier is the number of clauses
    a listing matches by its own words or tags (see the module's docstring).
    """
    n = max(catalogue.count, 1)
    score = np.zeros(catalogue.size, dtype=np.float32)
    tier = np.zeros(catalogue.size, dtype=np.int16)
    for clause in plan.clauses:
        own = np.zeros(catalogue.size, dtype=bool)
        for concept in clause.concepts:
            docs = concept_docs(concept)
            docs = docs[final[docs]]
            score[docs] += CONCEPT_BOOST * idf(len(docs), n)
            own[docs] = True
            if concept_text is not None:
                docs, gain = concept_text(concept)
                keep = final[docs]
                score[docs[keep]] += CONCEPT_TEXT_BOOST * gain[keep]
                own[docs[keep]] = True
        for word in clause.words:
            for term, weight in word.variants:
                for field in FIELD_BOOSTS:
                    ids, gain = _term_scores(catalogue, field, term, n, final)
                    score[ids] += weight * gain
                    if field in OWN_FIELDS:
                        own[ids] = True
        if not clause.optional:
            tier += own
    return np.minimum(score, TIER / 4).astype(np.float64) + TIER * tier  # float64 keeps both


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
        tier, score = np.divmod(score, TIER)
        closeness = np.where(local[docs], 1 - np.nan_to_num(distance[docs]) / radius, 0.0)
        score = score * (1 + PROXIMITY_BOOST * np.clip(closeness, 0, 1)) + TIER * tier
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
