"""Read the words of a search: which to look for, which to leave out, which say nothing.

"grief -alcohol" and "grief not alcohol" look for grief and leave out the listings whose
name or description uses "alcohol". A word that gives nothing to search for (a stop word
such as "the", punctuation, an emoji, an operator with nothing after it) is kept aside, so
that a search of nothing but such words can say which words it could not use instead of
quietly listing every group.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from directory.search.text import terms

#: Words that leave out the listings using the word after them ("not alcohol"). Spanish
#: "no" is not one: "no cost" is how people ask for free groups.
NOT_WORDS = frozenset({"not"})
#: Signs that, written before a word, leave out the listings using it ("-alcohol"): the
#: hyphen-minus and the minus sign a phone keyboard may give.
MINUS_SIGNS = ("-", "\u2212")
#: The most words a search leaves out (each is one pass over two text fields).
MAX_EXCLUDED = 6


@dataclass(frozen=True)
class Exclusion:
    """Listings whose name or description uses every term of ``terms`` are left out."""

    #: The word as the person typed it, without its sign ("alcohol").
    shown: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class QueryWords:
    """The words of a search, sorted into what to look for, leave out and set aside."""

    #: The words to look for, as typed, single-spaced.
    text: str = ""
    excluded: tuple[Exclusion, ...] = ()
    #: Words (as typed) that give nothing to search for.
    ignored: tuple[str, ...] = ()

    @property
    def searchable(self) -> bool:
        """Return whether any word gives something to look for."""
        return bool(terms(self.text))

    def with_text(self, text: str) -> str:
        """Return ``text`` (the words looked for, e.g. corrected) with the exclusions after it."""
        return " ".join([text, *(f"-{exclusion.shown}" for exclusion in self.excluded)]).strip()


def _unsigned(token: str) -> str | None:
    """Return the word after a minus sign at the start of ``token``, else None."""
    for sign in MINUS_SIGNS:
        if token.startswith(sign):
            return token.lstrip("".join(MINUS_SIGNS))
    return None


@lru_cache(maxsize=1024)
def read_words(q: str) -> QueryWords:
    """Sort the words of ``q`` into what to look for, what to leave out and what says nothing."""
    tokens = q.split()
    kept: list[str] = []
    excluded: list[Exclusion] = []
    ignored: list[str] = []
    i = 0
    while i < len(tokens):
        written = token = tokens[i]
        left_out = _unsigned(token)
        if left_out is None and token.casefold() in NOT_WORDS and i + 1 < len(tokens):
            i += 1
            written = f"{token} {tokens[i]}"
            left_out = _unsigned(tokens[i]) or tokens[i]
        i += 1
        if left_out is None:
            (kept if terms(token) else ignored).append(token)
            continue
        found = tuple(terms(left_out))
        if not found or len(excluded) >= MAX_EXCLUDED:
            ignored.append(written)
        elif all(exclusion.terms != found for exclusion in excluded):
            excluded.append(Exclusion(left_out, found))
    return QueryWords(" ".join(kept), tuple(excluded), tuple(ignored))
