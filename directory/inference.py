"""Infer a listing's topics and audiences from its name and description, through the taxonomy.

A listing that arrives with no topics (or no audiences) is given the terms its own words name:
a term's label, Spanish label, slug or synonym, folded (``directory.folding``) and matched as
whole words, the longest name first ("suicide loss" is not also "loss"). Precision matters
more than recall, since a wrong tag misleads a person looking for help, so:

- names that mean other things in free text ("add", "recovery", "family", "peer") are never
  used (``NOT_INFERRED_FROM``), nor are phrases that mention a name without meaning it
  ("trauma-informed", "men and women");
- a name after a negation in the same clause ("not for substance use", "sin alcohol", "no es
  para adolescentes") tags nothing, unless the negation is about something else ("not alone",
  "no cost", "no longer drinking");
- a sentence that points to crisis lines ("If you are feeling suicidal, call 988") tags
  nothing, and crisis topics are never inferred from a text that mentions one;
- an audience named as the people a group is about ("parents of a teen") is not its audience,
  and the place a listing's name gives ("... at Veterans Memorial Hall") is not read;
- "General mental health" is inferred only when no other topic is.

Accessibility features are not inferred: a guessed "wheelchair accessible" could send someone
to a room they cannot enter. Nothing here reads or writes the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from directory.folding import fold
from directory.models import Vocabulary

#: The vocabularies inferred, and the listing field each one fills.
INFERRED = {Vocabulary.TOPIC.value: "topics", Vocabulary.AUDIENCE.value: "audiences"}

#: Folded names never used to infer a term: in free text they often mean something else.
NOT_INFERRED_FROM: dict[str, frozenset[str]] = {
    Vocabulary.TOPIC.value: frozenset({
        "add", "worry", "mood disorder", "loss", "recovery", "neurodivergent", "neurodiversity",
        "dbt", "personality disorder", "cutting", "clutter", "decluttering", "disability",
        "mica", "social connection", "voices", "visions", "separation", "stress", "overwhelm",
        "overwhelmed", "exhaustion", "body image", "recuperacion", "tristeza",
    }),
    Vocabulary.AUDIENCE.value: frozenset({
        "peer", "peers", "individuals", "for myself", "consumers", "lived experience", "family",
        "friends", "partners", "loved ones", "aging", "65", "black", "man", "male", "guys",
        "woman", "female", "campus", "mamas", "papas",
    }),
}  # fmt: skip
#: Spanish words that name a term but are not among its names in data/taxonomy (folded).
SPANISH_NAMES: dict[str, dict[str, str]] = {
    Vocabulary.TOPIC.value: {
        "ansiedad": "anxiety", "panico": "anxiety", "esquizofrenia": "psychosis",
        "psicosis": "psychosis", "posparto": "postpartum",
        "trastornos alimentarios": "eating-disorders",
    },
    Vocabulary.AUDIENCE.value: {
        "familiares": "family-and-friends", "madres y padres": "parents",
    },
}  # fmt: skip
#: Topics inferred only when no other topic is found ("a mental health group").
FALLBACK_ONLY = frozenset({"general-mental-health"})
#: Topics never inferred from a text that mentions a crisis line: it is a disclaimer's topic.
CRISIS_TOPICS = frozenset({"suicidal-thoughts", "self-harm"})
#: Words that mark a sentence as pointing to crisis help rather than saying what a group is.
CRISIS_WORDS = frozenset({"988", "911", "crisis", "emergency", "lifeline", "hotline"})

#: Words that negate what follows them in their clause (English and Spanish).
NEGATORS = frozenset({
    "not", "no", "nor", "never", "neither", "without", "cannot", "except", "excluding",
    "sin", "ni", "nunca", "tampoco", "excepto", "salvo",
})  # fmt: skip
#: Words that negate only the word right after them ("non-alcoholic").
PREFIX_NEGATORS = frozenset({"non"})
#: Words that end a negation's reach ("not for teens, but for their parents").
TERMINATORS = frozenset({
    "but", "however", "although", "though", "instead", "rather", "pero", "sino", "aunque",
})  # fmt: skip
#: How many words after a negator it reaches.
NEGATION_WINDOW = 5
#: Phrases that start like a negation but negate no topic ("you are not alone").
PSEUDO_NEGATIONS = frozenset({
    "not only", "not just", "not alone", "not sure", "no matter", "no one", "no longer",
    "no more", "no cost", "no fee", "no fees", "no charge", "no registration", "no referral",
    "no referrals", "no diagnosis", "no insurance", "no appointment", "no judgment",
    "no judgement", "no pressure", "no need", "without judgment", "without judgement",
    "sin costo", "sin cargo", "sin cita", "sin registro", "sin juicio", "sin juzgar",
    "no esta solo", "no esta sola", "no estas solo", "no estas sola", "no estan solos",
})  # fmt: skip
#: Phrases blanked before matching: they name a term without meaning it.
BLANKED = (
    "trauma informed", "mental health america", "national alliance on mental illness",
    "men and women", "women and men", "hombres y mujeres", "mujeres y hombres", "all genders",
    "veterans memorial",
)  # fmt: skip
#: Words before an audience's name that make it the people a group is about, not for
#: ("parents and caregivers of a child or teen"): no audience is inferred from it. (Not the
#: Spanish "de": "grupo de apoyo para mujeres" is for women.)
OBJECT_MARKERS = frozenset({"of"})
#: How many words before an audience's name an object marker is looked for.
OBJECT_WINDOW = 4
#: Where a listing's name says where it meets: "Grief Circle at Lakeside Women's Center".
_PLACE_IN_NAME = re.compile(r"\s+at\s+\S.*$", re.IGNORECASE)

_CONTRACTION = re.compile(r"n['\u2019]t\b", re.IGNORECASE)
#: Where a sentence ends (for crisis lines) and where a clause ends (for negations).
_SENTENCE = re.compile(r"[.!?]+(?=\s|$)|[\r\n•]+")
_CLAUSE = re.compile(r"[;:()\[\]]")
_BLANKED = re.compile(r"(?<!\S)(?:" + "|".join(map(re.escape, BLANKED)) + r")(?!\S)")
_PSEUDO_LONGEST = max(len(phrase.split()) for phrase in PSEUDO_NEGATIONS)
#: Names this long or longer also match with a plural "s" ("panic attack", "veterans").
PLURAL_MIN = 4


@dataclass(frozen=True)
class Inference:
    """One inferred term: its vocabulary, its slug and the words of the text that named it."""

    vocabulary: str
    slug: str
    evidence: str


def _names(term) -> set[str]:
    """Return the folded names a term (record or row) answers to, minus the unreliable ones."""
    synonyms = term.synonyms.split("|") if isinstance(term.synonyms, str) else term.synonyms
    names = {fold(name) for name in (term.slug, term.label, term.label_es or "", *synonyms)}
    return {name for name in names if name} - NOT_INFERRED_FROM.get(term.vocabulary, frozenset())


def _pattern(names: Iterable[str]) -> re.Pattern:
    """Match any of ``names`` as whole folded words, the longest first."""
    alternatives = []
    for name in sorted(set(names), key=lambda n: (-len(n), n)):
        plural = len(name) >= PLURAL_MIN and not name.endswith("s") and name[-1].isalpha()
        alternatives.append(re.escape(name) + ("s?" if plural else ""))
    return re.compile(r"(?<!\S)(?:" + "|".join(alternatives) + r")(?!\S)")


def _negated(words: list[str], start: int) -> bool:
    """Say whether the word at ``start`` is within reach of a negation before it."""
    if start and words[start - 1] in PREFIX_NEGATORS:
        return True
    for index in range(start - 1, max(-1, start - 1 - NEGATION_WINDOW), -1):
        word = words[index]
        if word in TERMINATORS:
            return False
        if word in NEGATORS:
            following = words[index : index + _PSEUDO_LONGEST]
            pseudo = any(
                " ".join(following[:size]) in PSEUDO_NEGATIONS
                for size in range(2, len(following) + 1)
            )
            if not pseudo:
                return True
    return False


def _object(words: list[str], start: int) -> bool:
    """Say whether the word at ``start`` follows "of" closely in its clause."""
    for index in range(start - 1, max(-1, start - 1 - OBJECT_WINDOW), -1):
        if words[index] in TERMINATORS:
            return False
        if words[index] in OBJECT_MARKERS:
            return True
    return False


def clauses(text: str) -> list[tuple[str, bool]]:
    """Return ``(folded clause, in a crisis-line sentence)`` for each clause of ``text``."""
    found = []
    for sentence in _SENTENCE.split(_CONTRACTION.sub(" not", text)):
        crisis = bool(CRISIS_WORDS & set(fold(sentence).split()))
        for clause in _CLAUSE.split(sentence):
            folded = _BLANKED.sub(" ", fold(clause))
            if folded.strip():
                found.append((" ".join(folded.split()), crisis))
    return found


class Inferrer:
    """Infer topics and audiences from text, with the taxonomy's names compiled once."""

    def __init__(self, terms: Iterable) -> None:
        """Compile the names of ``terms`` (TaxonomyTerm rows or taxonomy TermRecords)."""
        self._owner: dict[str, dict[str, str]] = {vocabulary: {} for vocabulary in INFERRED}
        slugs: dict[str, set[str]] = {vocabulary: set() for vocabulary in INFERRED}
        for term in terms:
            if term.vocabulary in INFERRED:
                slugs[term.vocabulary].add(term.slug)
                for name in _names(term):
                    self._owner[term.vocabulary].setdefault(name, term.slug)
        for vocabulary, names in SPANISH_NAMES.items():
            for name, slug in names.items():
                if slug in slugs[vocabulary]:  # a database without the term never gets it
                    self._owner[vocabulary].setdefault(name, slug)
        self._patterns = {
            vocabulary: _pattern(owners) for vocabulary, owners in self._owner.items() if owners
        }

    def infer(self, *texts: str | None) -> dict[str, list[Inference]]:
        """Return, per inferred vocabulary, the terms ``texts`` name, in the order first named."""
        parts = [part for text in texts if text for part in clauses(text)]
        any_crisis = any(crisis for _clause, crisis in parts)
        found: dict[str, list[Inference]] = {vocabulary: [] for vocabulary in INFERRED}
        for vocabulary, pattern in self._patterns.items():
            named: dict[str, Inference] = {}
            negated: set[str] = set()  # named negatively anywhere: not inferred at all
            for clause, crisis in parts:
                if crisis:
                    continue
                words = clause.split()
                for match in pattern.finditer(clause):
                    slug = self._slug(vocabulary, match.group())
                    start = clause.count(" ", 0, match.start())
                    if _negated(words, start):
                        negated.add(slug)
                    elif vocabulary == Vocabulary.AUDIENCE.value and _object(words, start):
                        continue
                    elif not (any_crisis and slug in CRISIS_TOPICS):
                        named.setdefault(slug, Inference(vocabulary, slug, match.group()))
            found[vocabulary] = [item for slug, item in named.items() if slug not in negated]
        topics = found[Vocabulary.TOPIC.value]
        if any(item.slug not in FALLBACK_ONLY for item in topics):
            found[Vocabulary.TOPIC.value] = [i for i in topics if i.slug not in FALLBACK_ONLY]
        return found

    def infer_listing(self, name: str | None, description: str | None):
        """Return ``infer`` of a listing's name (without the place it names) and description."""
        return self.infer(_PLACE_IN_NAME.sub("", name or ""), description)

    def _slug(self, vocabulary: str, matched: str) -> str:
        owners = self._owner[vocabulary]
        return owners.get(matched) or owners[matched[:-1]]  # the plural "s" a name allows
