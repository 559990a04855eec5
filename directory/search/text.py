"""Turn listing text and search words into index terms: fold, lowercase, drop stop words, stem.

The same function analyses listings at index time (through ``ListingAnalyzer``, the Whoosh
analyzer of every text field) and words at query time, so both sides always agree. Words
are folded as every name is (``directory.folding``: "depresión" and "depresion" are one
term) and stemmed with the Porter stemmer ("grieving" and "grief" stay apart; "groups" and
"group" meet).
"""

from __future__ import annotations

from whoosh.analysis import STOP_WORDS, Token, Tokenizer
from whoosh.lang.porter import stem

from directory.folding import words

#: English stop words (Whoosh's list) and the commonest Spanish ones: the directory has
#: Spanish-language listings, and "grupo de apoyo" should not need "de" to match.
SPANISH_STOP = "de del el la las los en y o un una para con por al se su sus es que"
STOP = frozenset(STOP_WORDS) | frozenset(SPANISH_STOP.split())
MIN_LENGTH = 2
MAX_LENGTH = 40

_STEMS: dict[str, str] = {}
_STEM_CACHE_LIMIT = 200_000


def stem_word(word: str) -> str:
    """Return the index term for one folded word, or "" when it is a stop word or too short."""
    found = _STEMS.get(word)
    if found is None:
        usable = word not in STOP and MIN_LENGTH <= len(word) <= MAX_LENGTH
        found = stem(word) if usable else ""
        if len(_STEMS) >= _STEM_CACHE_LIMIT:
            _STEMS.clear()
        _STEMS[word] = found
    return found


def terms(text: str) -> list[str]:
    """Return the index terms of ``text`` in order (with repeats)."""
    return [term for word in words(text) if (term := stem_word(word))]


class ListingAnalyzer(Tokenizer):
    """Analyse a text field with ``terms()``; a Whoosh analyzer for the index schema."""

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        """Yield one Token per index term of ``value``."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, term in enumerate(terms(value), start_pos):
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = position
            yield token

    def has_morph(self) -> bool:
        """Say that terms are stemmed (Whoosh asks when deciding on spelling fields)."""
        return True
