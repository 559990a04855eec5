"""Know what facet values mean: labels, the names people use for them, and typo targets.

Built from the taxonomy and languages in the database (plus the fixed formats, costs, days
and times), once per process and again when the taxonomy changes. It turns a name found in
the words of a query ("PTSD", "bereavement", "addiction", "spanish", "tuesday") into the
facet values it stands for; those are the taxonomy's synonyms, applied at query time.

The names of topics and audiences are also words to look for in a listing's own text
(``texts``): a search for "widowed" finds an untagged listing that says "bereavement", since
both name the topic "Grief and loss". A label that joins single words ("Grief and loss",
"Ansiedad y pánico") also answers to each of them.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from directory import taxonomy
from directory.folding import fold, words
from directory.search import labels as fixed
from directory.search.query import QueryError
from directory.search.text import stem_word

#: Words people type for the closed facets' values (English and Spanish).
FIXED_NAMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("format", "online"): ("online", "virtual", "zoom", "video", "remote", "en linea"),
    ("format", "in_person"): ("in person", "face to face", "presencial"),
    ("format", "hybrid"): ("hybrid", "hibrido"),
    ("format", "phone"): ("phone", "telephone", "call in", "by phone", "telefono"),
    ("cost", "free"): ("free", "no cost", "gratis", "gratuito", "gratuita"),
    ("cost", "donation"): ("donation", "pay what you can"),
    ("cost", "fee"): ("fee",),
    ("day", "mon"): ("monday", "mondays", "lunes"),
    ("day", "tue"): ("tuesday", "tuesdays", "martes"),
    ("day", "wed"): ("wednesday", "wednesdays", "miercoles"),
    ("day", "thu"): ("thursday", "thursdays", "jueves"),
    ("day", "fri"): ("friday", "fridays", "viernes"),
    ("day", "sat"): ("saturday", "saturdays", "sabado", "weekend", "weekends"),
    ("day", "sun"): ("sunday", "sundays", "domingo", "weekend", "weekends"),
    ("time", "morning"): ("morning", "mornings", "morning (before noon)"),
    ("time", "afternoon"): ("afternoon", "afternoons", "afternoon (noon to 5 pm)"),
    ("time", "evening"): (
        "evening",
        "evenings",
        "night",
        "nights",
        "weeknight",
        "weeknights",
        "evening (from 5 pm)",
    ),
}
#: The most words a name is matched over ("death of a loved one").
MAX_NAME_WORDS = 6
#: Facets whose values come from the taxonomy table, by vocabulary.
TERM_FACETS = fixed.TAXONOMY_FACETS
#: Facets whose names are also looked for in a listing's name and description.
TEXT_FACETS = ("topic", "audience")
#: What joins the parts of a label ("Grief and loss", "Ansiedad y pánico", "Pérdida e ...").
LABEL_JOINS = re.compile(r",|\b(?:and|y|e)\b")
NOUNS = {"topic": "topic", "audience": "audience", "access": "accessibility feature",
         "lang": "language", "format": "format", "cost": "cost", "day": "day",
         "time": "time"}  # fmt: skip


def name_key(name: str) -> tuple[str, ...]:
    """Return the index terms of a name, the key it is matched by."""
    return tuple(term for word in words(name) if (term := stem_word(word)))


def label_parts(label: str) -> list[str]:
    """Return the words a label joins, when it joins single words ("Grief and loss").

    A label whose parts are longer ("Memory loss and dementia", "Enfermedad y dolor
    crónicos") is left whole: its parts alone would name something else.
    """
    parts = [part.strip() for part in LABEL_JOINS.split(fold(label))]
    if len(parts) < 2 or any(len(name_key(part)) != 1 for part in parts):
        return []
    return parts


@dataclass
class Vocabulary:
    """Facet labels, the names that stand for facet values, and their words."""

    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Every way to write a value, folded -> value, per facet (for parameters).
    lookup: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Name key (terms) -> the facet values it stands for.
    concepts: dict[tuple[str, ...], set[tuple[str, str]]] = field(default_factory=dict)
    #: Term -> a readable word that gives it, for "did you mean".
    surfaces: dict[str, str] = field(default_factory=dict)
    #: A topic or audience -> the name keys to look for in listings' own words.
    texts: dict[tuple[str, str], tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    version: str = ""

    @classmethod
    def load(cls, session: Session, version: str = "") -> Vocabulary:
        """Read the taxonomy and languages from the database."""
        vocabulary = cls(version=version)
        labels: dict[str, dict[str, str]] = defaultdict(dict)
        names: dict[tuple[str, str], list[str]] = defaultdict(list)
        rows = taxonomy.term_rows(session)
        facet_of = {vocab: facet for facet, vocab in TERM_FACETS.items()}
        for vocab, slug, label, label_es, synonyms in rows:
            facet = facet_of.get(vocab)
            if facet is None:
                continue
            labels[facet][slug] = label
            names[facet, slug] += [slug, slug.replace("-", " "), label, label_es or ""]
            names[facet, slug] += (synonyms or "").split("|")
            names[facet, slug] += [*label_parts(label), *label_parts(label_es or "")]
        for code, name, native in taxonomy.language_rows(session):
            labels["lang"][code] = name
            names["lang", code] += [name, native or ""]
        for facet, values in fixed.CLOSED.items():
            labels[facet].update(values)
        for (facet, value), extra in FIXED_NAMES.items():
            names[facet, value] += extra
        vocabulary.labels = dict(labels)
        vocabulary._index_names(names)
        return vocabulary

    def _index_names(self, names: dict[tuple[str, str], list[str]]) -> None:
        for (facet, value), written in names.items():
            lookup = self.lookup.setdefault(facet, {})
            lookup.setdefault(value, value)
            keys: dict[tuple[str, ...], None] = {}
            for name in written:
                if not name.strip():
                    continue
                lookup.setdefault(fold(name), value)
                if facet == "lang" and len(fold(name)) <= 3:
                    continue  # language codes ("es", "it", "no") are not words in a query
                key = name_key(name)
                if key and len(key) <= MAX_NAME_WORDS:
                    self.concepts.setdefault(key, set()).add((facet, value))
                    keys[key] = None
                for word in words(name):
                    term = stem_word(word)
                    if term:
                        self.surfaces.setdefault(term, word)
            if facet in TEXT_FACETS and keys:
                self.texts[facet, value] = tuple(keys)

    def label(self, facet: str, value: str) -> str:
        """Return the label people read for a facet value."""
        return self.labels.get(facet, {}).get(value, value)

    def resolve(self, facet: str, param: str, value: str) -> str:
        """Return the canonical value for what a parameter gave, or raise QueryError."""
        lookup = self.lookup.get(facet, {})
        found = lookup.get(value) or lookup.get(fold(value))
        if found is None:
            found = lookup.get(value.replace("_", "-"))
        if found is None:
            close = difflib.get_close_matches(value, list(self.labels.get(facet, {})), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise QueryError(param, f"unknown {NOUNS.get(facet, facet)} '{value[:40]}'{hint}")
        return found

    def concept_terms(self) -> set[str]:
        """Return every term that appears in some name (words a query may use for a value)."""
        return {term for key in self.concepts for term in key}
