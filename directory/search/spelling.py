"""Offer "did you mean" only in words the directory itself uses, never in fragments of code.

A correction comes from the index's own terms; the word offered for it is one a listing or
the taxonomy writes in prose. The pieces of links, email addresses and markup in listing
text ("https", "www", "href") and anything with digits or underscores are never offered.
"""

from __future__ import annotations

import re

from directory.folding import words
from directory.search.text import stem_word

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
