"""Fold text the one way names and words are compared: taxonomy, languages, search, imports.

``fold(" ESPAÑOL ")``, ``fold("español")`` and ``fold("Espanol")`` are all ``"espanol"``:
case is folded (``casefold``, so "Straße" meets "strasse"), accents are removed (by Unicode
decomposition, and Whoosh's table for letters that do not decompose: "ø", "ł", "đ"), and
anything that is not a letter, digit or mark (punctuation, underscores, runs of spaces) is
one space. Letters of every script are kept ("中文", "Русский"), and so are the marks that
Indic and other scripts write words with: only Latin-style accents are dropped.
"""

from __future__ import annotations

import re
import unicodedata

from whoosh.support.charset import accent_map

#: Combining accents dropped after decomposition (the Combining Diacritical Marks blocks).
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def _mark_ranges() -> str:
    """Return a regex class body of every combining mark in the Basic Multilingual Plane."""
    ranges: list[list[int]] = []
    for point in range(0x300, 0x10000):
        if unicodedata.category(chr(point)).startswith("M"):
            if ranges and ranges[-1][1] == point - 1:
                ranges[-1][1] = point
            else:
                ranges.append([point, point])
    return "".join(f"{chr(first)}-{chr(last)}" for first, last in ranges)


#: What separates words: anything but a letter, a digit or a mark, and underscores (and a
#: quicker equivalent for text that is all ASCII, most of it).
_SEPARATORS = re.compile(rf"(?:[^\w{_mark_ranges()}]|_)+")
_ASCII_SEPARATORS = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Return ``text`` as names are matched: accents and case folded, words single-spaced."""
    folded = text.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded.translate(accent_map))
        folded = _ACCENTS.sub("", decomposed)
        if not folded.isascii():  # other scripts: composed again, split as Unicode says
            folded = unicodedata.normalize("NFC", folded).casefold()
            return _SEPARATORS.sub(" ", folded).strip()
    return _ASCII_SEPARATORS.sub(" ", folded).strip()


def words(text: str) -> list[str]:
    """Return the folded words of ``text``, in order."""
    return fold(text).split()
