"""Write CSV that no spreadsheet runs as a formula, and read it back: the one CSV writer.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return as a formula ("CSV injection"), so every CSV the directory writes
(the csv export, the HSDS datapackage tables, import reports) goes through ``guard``, which
puts a single quote before such a cell, as OWASP recommends. Two exceptions, both on purpose:

- a cell that is exactly a negative number ("-87.6581", "-6") is left alone: a spreadsheet
  reads it as a number, never as a formula, and HSDS readers expect numbers in those columns;
- a cell that already starts with a quote before one of those characters gets one more, so
  that ``unguard`` (which readers apply) gives back exactly what was written.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import TextIO

#: Spreadsheets run cells starting with these as formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What a guarded cell starts with.
QUOTE = "'"
#: How many rows ``csv_chunks`` gathers before yielding them.
ROWS_PER_CHUNK = 200
_NEGATIVE_NUMBER = re.compile(r"-\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def guard(value: object) -> str:
    """Return ``value`` as a cell a spreadsheet shows as text, never runs ("" for None)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return text if _NEGATIVE_NUMBER.fullmatch(text) else QUOTE + text
    if text.startswith(QUOTE) and text.lstrip(QUOTE).startswith(FORMULA_STARTS):
        return QUOTE + text  # so that reading it removes only the quote added here
    return text


def unguard(text: str) -> str:
    """Return a cell as it was before ``guard``: one leading quote less before a formula."""
    if text.startswith(QUOTE) and text.lstrip(QUOTE).startswith(FORMULA_STARTS):
        return text[1:]
    return text


class GuardedWriter:
    """A ``csv.writer`` whose every cell is guarded."""

    def __init__(self, stream: TextIO, **fmtparams) -> None:
        self._writer = csv.writer(stream, **fmtparams)

    def writerow(self, cells: Iterable[object]) -> None:
        """Write one row, each cell guarded."""
        self._writer.writerow([guard(cell) for cell in cells])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        """Write rows, each cell guarded."""
        for cells in rows:
            self.writerow(cells)


def csv_chunks(
    rows: Iterable[Iterable[object]], *, bom: bool = False, rows_per_chunk: int = ROWS_PER_CHUNK
) -> Iterator[bytes]:
    """Yield guarded rows as UTF-8 CSV, a few hundred rows at a time (a BOM first if asked)."""
    buffer = io.StringIO(newline="")
    writer = GuardedWriter(buffer)
    encoding = "utf-8-sig" if bom else "utf-8"
    pending = 0
    for cells in rows:
        writer.writerow(cells)
        pending += 1
        if pending >= rows_per_chunk:
            yield buffer.getvalue().encode(encoding)
            encoding, pending = "utf-8", 0
            buffer.seek(0)
            buffer.truncate()
    if pending or encoding == "utf-8-sig":
        yield buffer.getvalue().encode(encoding)
