"""Turn the words of a query into a plan the engine can score: pure; its weights are in ranking.

A plan is a list of clauses, one per word or per name of a facet value. A clause matches a
listing that has one of the clause's facet values (a synonym: "ptsd" means the topic "Trauma
and PTSD" whatever words the listing uses), that uses one of that topic's or audience's
names in its own name or description (the engine looks them up in ``Vocabulary.texts``),
or that has every word of the clause, each spelled as typed or, for a word the index has
never seen, as its closest known spelling.
All clauses must match; the engine loosens that to any clause when nothing matches. Words
every listing here could use ("support group", "meeting", "people") only add to the score
when the query has other words: "support group for caregivers" finds a caregivers' coffee
break that never says "support" or "group".
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from directory.folding import words
from directory.search.ranking import FUZZY_WEIGHTS
from directory.search.text import stem_word
from directory.search.vocabulary import MAX_NAME_WORDS

#: Words after this many are ignored.
MAX_WORDS = 12
#: Shorter words are never corrected; 4-5 letters allow one edit, longer words two.
MIN_FUZZY_LENGTH = 4
TWO_EDITS_FROM = 6
MAX_VARIANTS = 3
#: A correction must be a word at least this many listings use (or a taxonomy name).
MIN_CORRECTION_DF = 1
#: Words that say nothing about which group (in a directory of support groups): with
#: other words in the query they score, but a listing need not use them.
GENERIC_WORDS = ("support", "supports", "group", "groups", "meeting", "meetings", "meets",
                 "people", "person", "persons")  # fmt: skip


@dataclass(frozen=True)
class Word:
    """One word of a query: as typed, its term, and the spellings it may match."""

    surface: str
    term: str
    #: (term, weight): the term itself (weight 1), or corrections for an unknown word.
    variants: tuple[tuple[str, float], ...]
    correction: str | None = None


@dataclass(frozen=True)
class Clause:
    """Words that must all match, or one of the facet values they name."""

    words: tuple[Word, ...]
    concepts: frozenset[tuple[str, str]] = frozenset()
    #: Generic words beside others: they score, but a listing need not match them.
    optional: bool = False


@dataclass(frozen=True)
class TextPlan:
    """What to match and score for the words of a query."""

    clauses: tuple[Clause, ...]
    suggestion: str | None = None

    @property
    def empty(self) -> bool:
        """Return whether the words gave nothing to match (e.g. only stop words)."""
        return not self.clauses


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Return the optimal-string-alignment distance (adjacent swaps count one), capped."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def corrections(
    term: str, candidates: Collection[str], df: Callable[[str], int]
) -> list[tuple[str, int]]:
    """Return the closest known spellings of an unknown term as (term, distance), best first."""
    if len(term) < MIN_FUZZY_LENGTH:
        return []
    limit = 2 if len(term) >= TWO_EDITS_FROM else 1
    scored = []
    for candidate in candidates:
        if candidate == term or len(candidate) < MIN_FUZZY_LENGTH - 1:
            continue
        distance = edit_distance(term, candidate, limit)
        if distance <= limit and df(candidate) >= MIN_CORRECTION_DF:
            scored.append((distance, -df(candidate), candidate))
    if not scored:
        return []
    best = min(distance for distance, _df, _term in scored)
    return [(t, d) for d, _df, t in sorted(scored) if d == best][:MAX_VARIANTS]


def build_plan(
    q: str,
    df: Callable[[str], int],
    neighbours: Callable[[str], Collection[str]],
    concepts: dict[tuple[str, ...], set[tuple[str, str]]],
    surface: Callable[[str], str | None],
) -> TextPlan:
    """Plan the words of ``q``.

    ``df(term)`` says how many listings use a term (0: unknown), ``neighbours(term)`` gives
    known terms within two edits, ``concepts`` maps name keys to facet values, and
    ``surface(term)`` gives a readable word for a term.
    """
    typed = [(word, stem_word(word)) for word in words(q)]
    typed = [(word, term) for word, term in typed if term][:MAX_WORDS]
    named = {term for key in concepts for term in key}
    planned: list[Word] = []
    for word, term in typed:
        if df(term) > 0 or term in named:
            planned.append(Word(word, term, ((term, 1.0),)))
            continue
        found = corrections(term, neighbours(term), lambda t: df(t) or (1 if t in named else 0))
        variants = ((term, 1.0), *((t, FUZZY_WEIGHTS[d]) for t, d in found))
        planned.append(Word(word, term, variants, found[0][0] if found else None))
    clauses: list[Clause] = []
    i = 0
    while i < len(planned):
        for size in range(min(MAX_NAME_WORDS, len(planned) - i), 0, -1):
            group = planned[i : i + size]
            key = tuple(w.correction or w.term for w in group)
            if key in concepts:
                clauses.append(Clause(tuple(group), frozenset(concepts[key])))
                i += size
                break
        else:
            clauses.append(Clause((planned[i],)))
            i += 1
    return TextPlan(_mark_generic(clauses), _suggestion(q, planned, surface))


def _mark_generic(clauses: list[Clause]) -> tuple[Clause, ...]:
    """Make clauses of generic words optional, unless the query has nothing else."""
    generic = {stem_word(word) for word in GENERIC_WORDS}

    def is_generic(clause: Clause) -> bool:
        return not clause.concepts and all(w.term in generic for w in clause.words)

    if all(is_generic(clause) for clause in clauses):
        return tuple(clauses)
    return tuple(
        Clause(c.words, c.concepts, optional=True) if is_generic(c) else c for c in clauses
    )


def _suggestion(q: str, planned: list[Word], surface: Callable[[str], str | None]) -> str | None:
    """Return the query with corrected words, or None when nothing was corrected."""
    fixes = {w.surface: surface(w.correction) for w in planned if w.correction}
    fixes = {typed: fixed for typed, fixed in fixes.items() if fixed}
    if not fixes:
        return None
    return " ".join(fixes.get(word, word) for word in words(q))
