"""Resolve the topics, audiences, features and languages a source names, remembering answers."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.folding import fold
from directory.models import Language, TaxonomyTerm, Vocabulary
from directory.taxonomy import TaxonomyError, resolve_languages, resolve_terms

#: The order a name from another taxonomy is tried in.
LOOSE_ORDER = (Vocabulary.TOPIC.value, Vocabulary.AUDIENCE.value, Vocabulary.ACCESSIBILITY.value)
#: Shorter names are not searched for inside free text ("bus", "lift" match too much).
MIN_SCAN_LENGTH = 5


class TermResolver:
    """Map names to taxonomy terms and languages for one import, one lookup per name."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._cache: dict[tuple[str, str], object] = {}
        self._scan: list[tuple[re.Pattern, TaxonomyTerm]] | None = None

    def _lookup(self, vocabulary: str, value: str):
        key = (vocabulary, fold(value))
        if key not in self._cache:
            try:
                if vocabulary == "language":
                    found = resolve_languages(self.session, [value])
                else:
                    found = resolve_terms(self.session, vocabulary, [value])
                self._cache[key] = found[0] if found else None
            except TaxonomyError as error:
                self._cache[key] = error
        return self._cache[key]

    def strict(self, vocabulary: str, values: list[str], problems: list[str]) -> list:
        """Return the terms named; add the reason for each unknown name to ``problems``."""
        found = []
        for value in values:
            result = self._lookup(vocabulary, value)
            if isinstance(result, TaxonomyError) and "," in value:
                # "Anxiety, Depression" is two names; "Black, Indigenous and ..." is one label.
                pieces = [part for part in value.split(",") if part.strip()]
                parts = [self._lookup(vocabulary, part) for part in pieces]
                if not any(isinstance(part, TaxonomyError) for part in parts):
                    found += [part for part in parts if part is not None and part not in found]
                    continue
            if isinstance(result, TaxonomyError):
                problems.append(str(result))
            elif result is not None and result not in found:
                found.append(result)
        return found

    def loose_terms(self, values: list[str], warnings: list[str]) -> dict[str, list]:
        """Sort names from another taxonomy into our vocabularies; warn about the rest."""
        found: dict[str, list] = {vocabulary: [] for vocabulary in LOOSE_ORDER}
        for value in values:
            for vocabulary in LOOSE_ORDER:
                result = self._lookup(vocabulary, value)
                if not isinstance(result, TaxonomyError | type(None)):
                    if result not in found[vocabulary]:
                        found[vocabulary].append(result)
                    break
            else:
                warnings.append(f"taxonomy term {value!r} matches no topic or audience; ignored")
        return found

    def loose_languages(self, values: list[str], warnings: list[str]) -> list[Language]:
        """Return the languages we know among ``values``; warn about the rest."""
        found = []
        for value in values:
            result = self._lookup("language", value)
            if isinstance(result, TaxonomyError) or result is None:
                warnings.append(f"language {value!r} is not one we list; ignored")
            elif result not in found:
                found.append(result)
        return found

    def scan_accessibility(self, texts: list[str]) -> list[TaxonomyTerm]:
        """Return the accessibility features a free-text description mentions."""
        if self._scan is None:
            terms = self.session.scalars(
                select(TaxonomyTerm)
                .where(TaxonomyTerm.vocabulary == Vocabulary.ACCESSIBILITY.value)
                .order_by(TaxonomyTerm.id)
            )
            self._scan = [
                (re.compile(rf"\b{re.escape(name)}\b"), term)
                for term in terms
                for name in {fold(n) for n in (term.slug, term.label, *term.synonym_list)}
                if len(name) >= MIN_SCAN_LENGTH
            ]
        found: list[TaxonomyTerm] = []
        for text in texts:
            folded = fold(text)
            for pattern, term in self._scan:
                if term not in found and pattern.search(folded):
                    found.append(term)
        return found
