"""Read a list of group ids from the address, and the lists one step from it.

The list keeps the order the provider chose, holds at most ``MAX_GROUPS`` groups and names
each group once. A value that is not a group number ("abc", "-1", a number larger than the
database holds) is set aside with what was typed, so the page can say so in plain words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from directory.listings import MAX_ID

#: The query parameter that carries the list, on the sheet and on every page that adds to it.
PARAM = "id"
#: The most groups a list holds (a sheet of them prints on about seven pages).
MAX_GROUPS = 20
#: The most values read from one address; anything past them is counted, never parsed.
MAX_VALUES = 200
#: How much of a value that is not a group number the page repeats back.
JUNK_SHOWN = 20

_DIGITS = re.compile(r"[0-9]{1,10}")


@dataclass(frozen=True)
class Shortlist:
    """Group ids in the provider's order, with what could not be read and what did not fit."""

    ids: tuple[int, ...] = ()
    #: Values that are not a group number, as typed (shortened), in order, each once.
    junk: tuple[str, ...] = ()
    #: How many further groups were left off because the list was full.
    dropped: int = 0

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, group_id: object) -> bool:
        return group_id in self.ids

    def __iter__(self):
        return iter(self.ids)

    @property
    def full(self) -> bool:
        """Return whether no more groups fit."""
        return len(self.ids) >= MAX_GROUPS

    def added(self, group_id: int) -> tuple[int, ...]:
        """Return the ids with ``group_id`` at the end (unchanged when present or full)."""
        if group_id in self.ids or self.full:
            return self.ids
        return (*self.ids, group_id)

    def removed(self, group_id: int) -> tuple[int, ...]:
        """Return the ids without ``group_id``."""
        return tuple(kept for kept in self.ids if kept != group_id)

    def moved(self, group_id: int, step: int) -> tuple[int, ...]:
        """Return the ids with ``group_id`` moved ``step`` places (-1 up, 1 down), in bounds."""
        if group_id not in self.ids:
            return self.ids
        ids = list(self.ids)
        here = ids.index(group_id)
        there = min(max(here + step, 0), len(ids) - 1)
        ids.insert(there, ids.pop(here))
        return tuple(ids)


def group_number(value: str) -> int | None:
    """Return the group id a value names ('12', ' 12 '), or None when it names none."""
    text = value.strip()
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse(values: Iterable[str]) -> Shortlist:
    """Read a list from the address's ``id`` values: ordered, each group once, at most 20.

    Empty values (a form's blank field) are skipped without a word.
    """
    ids: list[int] = []
    junk: list[str] = []
    left_off: set[int] = set()
    unread = 0
    for count, value in enumerate(values):
        if count >= MAX_VALUES:
            unread += 1
            continue
        number = group_number(value)
        if number is None:
            shown = value.strip()[:JUNK_SHOWN]
            if shown and shown not in junk:
                junk.append(shown)
        elif number in ids:
            continue
        elif len(ids) >= MAX_GROUPS:
            left_off.add(number)
        else:
            ids.append(number)
    return Shortlist(tuple(ids), tuple(junk), len(left_off) + unread)
