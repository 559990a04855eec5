"""Tell whether the index on disk is whole: every file there, the size and checksum it had.

Whoosh never changes a segment's files once written (deletions live in the table of
contents), so after each commit the writer records each file's size and CRC-32 in
``meta.json`` (``record_files``). ``find_damage`` then compares the folder with that record
and opens the index, reading each segment's rows: a deleted, truncated or overwritten file,
a garbled table of contents or ``meta.json``, or a missing folder, is found in one pass that
reads the index once (tens of milliseconds for 20,000 listings). Files no record covers
(written by an older version) are still opened and read.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from directory.search import whoosh_internals
from directory.search.schema import ROW
from directory.search.whoosh_internals import INDEX_NAME, column_bytes, toc_name

log = logging.getLogger(__name__)

META_FILE = "meta.json"
FILES_KEY = "files"
#: Left by a search that could not read the index: the next check rebuilds it.
DAMAGED_FILE = "DAMAGED"
_CHUNK = 1 << 20


class Leaks:
    """Whether a block guarded by ``leaks_closed`` failed to read the index."""

    failed = False


_tracking = threading.local()


class TrackedStorage(FileStorage):
    """A Whoosh file storage that notes each file it opens inside a ``leaks_closed`` block."""

    def open_file(self, name, **kwargs):
        """Open a file for reading, as Whoosh does, noting it when a block is watching."""
        opened = super().open_file(name, **kwargs)
        watched = getattr(_tracking, "files", None)
        if watched is not None:
            watched.append(opened)
        return opened


def open_index(folder: Path, schema):
    """Open the index in ``folder`` through a storage that ``leaks_closed`` can watch."""
    return TrackedStorage(str(folder)).open_index(INDEX_NAME, schema=schema)


@contextlib.contextmanager
def leaks_closed() -> Iterator[Leaks]:
    """Close the files Whoosh leaves open when opening or reading a broken index fails.

    Whoosh opens a segment's files one by one and does not close those already open when a
    later one fails; they would be freed with the exception's frames, at a time nobody
    chooses, with a ``ResourceWarning``. Inside the block every file the index's storage
    opens (through ``open_index`` or ``index_files``) is noted, for this thread only; after
    a failure (``leaks.failed = True``, or an exception out of the block) each is closed.
    Files of an index opened successfully stay open: the view reading them still needs them.
    """
    leaks = Leaks()
    outer = getattr(_tracking, "files", None)
    opened: list = []
    _tracking.files = opened
    try:
        yield leaks
    except BaseException:
        leaks.failed = True
        raise
    finally:
        _tracking.files = outer
        if outer is not None and not leaks.failed:
            outer.extend(opened)  # an enclosing block closes them if it fails
        elif leaks.failed:
            for stream in opened:
                with contextlib.suppress(Exception):
                    stream.close()


def checksum(path: Path) -> int:
    """Return the CRC-32 of a file's content."""
    crc = 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc


def read_meta(folder: Path) -> dict | None:
    """Return what ``meta.json`` records: {} when it is absent, None when it is garbled."""
    try:
        text = (folder / META_FILE).read_text()
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError):
        return None
    try:
        meta = json.loads(text)
    except ValueError:
        return None
    return meta if isinstance(meta, dict) else None


def latest_generation(folder: Path) -> int:
    """Return the number of the index's latest generation, -1 when there is none."""
    if not folder.is_dir():
        return -1
    return whoosh_internals.latest_generation(FileStorage(str(folder)))


def has_toc(folder: Path) -> bool:
    """Say whether the folder holds an index's table of contents (readable or not)."""
    return latest_generation(folder) >= 0


def index_files(folder: Path, schema) -> list[str]:
    """Return the files the latest generation of the index consists of (its TOC first)."""
    storage = TrackedStorage(str(folder))
    generation = whoosh_internals.latest_generation(storage)
    toc = TOC.read(storage, INDEX_NAME, gen=generation, schema=schema)
    names = [toc_name(generation)]
    for segment in toc.segments:
        names.extend(sorted(segment.list_files(storage)))
    return names


def record_files(folder: Path, schema, previous: dict) -> dict:
    """Return {file: [size, crc]} for the latest generation, reusing ``previous`` entries.

    Segment files never change once written, so a file already recorded keeps its entry
    even if it now differs: the next check is to find that damage, not this record hide it.
    """
    recorded = {}
    for name in index_files(folder, schema):
        known = previous.get(name)
        if known and not name.endswith(".toc"):
            recorded[name] = known
        else:
            path = folder / name
            recorded[name] = [path.stat().st_size, checksum(path)]
    return recorded


def _read_rows(folder: Path, schema) -> None:
    """Open the index and read every segment's row column and one stored document."""
    ix = open_index(folder, schema)
    with ix.reader() as reader:
        for leaf, _offset in reader.leaf_readers():
            if leaf.segment() is None:  # an index with no segments (nothing published)
                continue
            count = leaf.doc_count_all()
            if len(column_bytes(leaf, "row", ROW.itemsize, count)) != count * ROW.itemsize:
                raise ValueError("a segment's rows are short")
            if count:
                leaf.stored_fields(count - 1)


def find_damage(folder: Path, schema) -> str | None:
    """Return "missing" or "corrupt" when the index cannot be trusted, else None.

    Anything at all that goes wrong while reading is damage: Whoosh raises many kinds of
    error (struct, EOF, pickle, index, key, value and OS errors) over a broken file.
    """
    if not has_toc(folder):
        return "missing"
    with leaks_closed() as leaks:
        found = _find_damage(folder, schema)
        leaks.failed = found is not None
    return found


def _find_damage(folder: Path, schema) -> str | None:
    meta = read_meta(folder)
    if meta is None or (folder / DAMAGED_FILE).exists():
        return "corrupt"
    recorded = meta.get(FILES_KEY) or {}
    try:
        names = index_files(folder, schema)
        for name in names:
            known = recorded.get(name)
            if known is None:
                continue
            path = folder / name
            if path.stat().st_size != known[0] or checksum(path) != known[1]:
                log.warning("search index file %s has changed on disk", name)
                return "corrupt"
        missing = [name for name in recorded if name not in names and _belongs(name, names)]
        if missing:
            log.warning("search index files are missing: %s", ", ".join(missing[:5]))
            return "corrupt"
        _read_rows(folder, schema)
    except Exception as error:  # see the docstring
        log.warning("search index is damaged: %s: %s", type(error).__name__, str(error))
        return "corrupt"
    return None


def _belongs(name: str, names: list[str]) -> bool:
    """Say whether a recorded file belongs to a segment the latest generation still uses."""
    segment = name.split(".", 1)[0]
    return any(other.split(".", 1)[0] == segment for other in names[1:])
