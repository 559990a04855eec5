"""Correct spelling: find the index's terms near a word; offer only words the directory uses.

The ``Speller`` finds the terms within two edits of a word, over every segment a process has
read. A correction comes from the index's own terms; the word offered for it is one a listing or
the taxonomy writes in prose. The pieces of links, email addresses and markup in listing
text ("https", "www", "href") and anything with digits or underscores are never offered.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from directory.folding import words
from directory.search.text import stem_word

if TYPE_CHECKING:
    from directory.search.catalogue import SegmentPart

#: A word worth offering: letters only (of any script), 3 to 30 of them.
_WORD = re.compile(r"[^\W\d_]{3,30}")
#: Links, email addresses and markup in listing text: their pieces are not words to offer.
_NOT_PROSE = re.compile(
    r"\S*(?:://|www\.|@|[<>={}\\|])\S*|\S+\.(?:com|org|net|gov|edu|us|io|info|biz)\b\S*",
    re.IGNORECASE,
)
#: Pieces of links and markup that also stand alone in text ("visit our site: nami org").
FRAGMENTS = frozenset((
    "http", "https", "www", "com", "org", "net", "gov", "edu", "html", "htm", "php", "asp",
    "aspx", "mailto", "href", "src", "nbsp", "amp", "quot", "utm", "div", "span",
))  # fmt: skip


def offerable(word: str) -> bool:
    """Return whether ``word`` (folded) may be offered in a suggestion."""
    return bool(_WORD.fullmatch(word)) and word not in FRAGMENTS


def prose_words(text: str) -> list[str]:
    """Return the folded words of ``text`` outside its links, addresses and markup."""
    return words(_NOT_PROSE.sub(" ", text))


def surface_in(text: str, term: str) -> str | None:
    """Return a word of ``text``'s prose whose index term is ``term``, if one may be offered."""
    for word in prose_words(text):
        if stem_word(word) == term and offerable(word):
            return word
    return None


class Speller:
    """Find known terms within two edits of a word, over every segment seen (one per process).

    A symmetric-delete index: each term is filed under itself and each of its one-letter
    deletions, so a word meets its neighbours through its own deletions. Only the fields
    people spell in queries are used (names and descriptions, not places or organisations).
    """

    FIELDS = ("name", "body")

    def __init__(self) -> None:
        self._index: dict[str, str | tuple[str, ...]] = {}
        self._terms: set[str] = set()
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def add(self, part: SegmentPart) -> None:
        """File the terms of a segment part (once per part)."""
        with self._lock:
            if part.segment_id in self._seen:
                return
            self._seen.add(part.segment_id)
            for term in part.vocabulary(self.FIELDS):
                if term in self._terms or term.isdigit():
                    continue
                self._terms.add(term)
                for variant in {term, *single_deletes(term)}:
                    held = self._index.get(variant)
                    if held is None:
                        self._index[variant] = term
                    elif isinstance(held, str):
                        self._index[variant] = (held, term)
                    else:
                        self._index[variant] = (*held, term)

    def neighbours(self, term: str) -> set[str]:
        """Return filed terms one delete away from ``term`` on either side."""
        found: set[str] = set()
        for variant in {term, *single_deletes(term)}:
            held = self._index.get(variant)
            if held is None:
                continue
            if isinstance(held, str):
                found.add(held)
            else:
                found.update(held)
        found.discard(term)
        return found


def single_deletes(word: str) -> list[str]:
    """Return ``word`` with each one of its letters removed."""
    return [word[:i] + word[i + 1 :] for i in range(len(word))]
