"""Keep built feeds as files, build each one once at a time, and rebuild in the background.

A feed is stored in one folder as ``<name>-<key>``, where the key says what it was built
from (format, version, data fingerprint...); storing a new key of a name removes its older
ones, and every file is written to a temporary file first and moved into place whole, so a
reader always sees a complete feed.

Only one build of a name runs at a time, across threads and worker processes: a builder
holds an exclusive ``flock`` on a lock file. The kernel drops that lock when the holder's
file is closed or its process dies, so a crashed build never leaves a stale lock behind
(unlike a lock file made with O_EXCL, which needs an age rule to be broken). The lock files
of searches' calendars and of the HSDS feed's pages are shared by name hash among
``SEARCH_LOCKS`` files, so that any number of them needs only that many lock files.

Names that come in unbounded numbers (a calendar per search, a file per page of the HSDS
feed and page size) are kept to a number of files and of bytes each: beyond them, the
builds asked for least recently are removed (``MANY``).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from flask import Flask

#: A key is a SHA-256 in hex, so files of a name are ``<name>-`` and 64 characters.
KEY_LENGTH = 64
#: Names starting with this are searches' calendars: many, kept to the bounds below.
SEARCH_PREFIX = "ics-q"
#: How many searches' calendars are kept, and how many bytes they may take together.
SEARCH_FILES = 200
SEARCH_BYTES = 64 * 1024 * 1024
#: Names starting with this are pages of the HSDS feed (``hsds-p<per_page>-<page>``).
PAGE_PREFIX = "hsds-p"
#: How many pages are kept, and how many bytes they may take together: every page of 100
#: listings of a 100,000-listing directory is about 660 MB, so the least asked go first.
PAGE_FILES = 5000
PAGE_BYTES = 512 * 1024 * 1024
#: How many lock files the searches' calendars (and, apart, the pages) share.
SEARCH_LOCKS = 16

_running: set[threading.Thread] = set()
_running_guard = threading.Lock()


def make_key(*parts: object) -> str:
    """Return the key of a build made from ``parts`` (values with a stable repr)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class BuildLock:
    """An exclusive lock on building one name; release it when the build is done or failed."""

    def __init__(self, descriptor: int) -> None:
        self._descriptor: int | None = descriptor

    def release(self) -> None:
        """Let another thread or process build this name (closing the file drops the lock)."""
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None


class FeedCache:
    """Built feeds kept as files in ``folder``."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def _pattern(self, name: str) -> str:
        return f"{name}-{'?' * KEY_LENGTH}"

    def open(self, name: str, key: str) -> BinaryIO | None:
        """Return the build of ``name`` under ``key``, open for reading, or None."""
        try:
            stream = (self.folder / f"{name}-{key}").open("rb")
        except FileNotFoundError:
            return None
        if _many(name) is not None:  # its age is when it was last asked for
            with contextlib.suppress(OSError):
                os.utime(stream.fileno())
        return stream

    def open_latest(self, name: str) -> tuple[BinaryIO, str] | None:
        """Return the newest build of ``name`` (whatever its key) open, with its key, or None."""
        builds = []
        for path in self.folder.glob(self._pattern(name)):
            with contextlib.suppress(FileNotFoundError):
                builds.append((path.stat().st_mtime, path))
        for _mtime, path in sorted(builds, reverse=True):
            with contextlib.suppress(FileNotFoundError):  # replaced since: try the next one
                return path.open("rb"), path.name[-KEY_LENGTH:]
        return None

    def try_lock(self, name: str) -> BuildLock | None:
        """Return the lock on building ``name`` if no one else holds it, else None at once."""
        if (prefix := _many(name)) is not None:
            number = int(hashlib.sha256(name.encode()).hexdigest(), 16) % SEARCH_LOCKS
            lock_name = f".{'search' if prefix == SEARCH_PREFIX else 'page'}-{number}.lock"
        else:
            lock_name = f".{name}.lock"
        self.folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.folder / lock_name, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return None
        return BuildLock(descriptor)

    def store(self, name: str, key: str, chunks: Iterable[bytes]) -> BinaryIO:
        """Write ``chunks`` as the build of ``name`` under ``key``; return it open.

        Call it holding the name's lock. Older builds of the name are removed only once the
        new one is in place, and a reader that has one open can still read it to the end.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        for leftover in self.folder.glob(f".{name}.*.tmp"):  # from a build that was killed
            leftover.unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{name}.", suffix=".tmp")
        path = self.folder / f"{name}-{key}"
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.writelines(chunks)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        built = path.open("rb")
        for old in self.folder.glob(self._pattern(name)):
            if old != path:
                old.unlink(missing_ok=True)
        if (prefix := _many(name)) is not None:
            self.prune(prefix, keep=path)
        return built

    def prune_searches(self, keep: Path | None = None) -> None:
        """Remove the searches' calendars asked for least recently, beyond the bounds."""
        self.prune(SEARCH_PREFIX, keep)

    def prune(self, prefix: str, keep: Path | None = None) -> None:
        """Remove the builds of ``prefix`` (a key of ``MANY``) asked for least recently."""
        files, size_limit = _bounds(prefix)
        found = []
        for path in self.folder.glob(f"{prefix}*"):
            with contextlib.suppress(FileNotFoundError):
                stat = path.stat()
                found.append((path == keep, stat.st_mtime, stat.st_size, path))
        total = 0
        for number, (_kept, _mtime, size, path) in enumerate(sorted(found, reverse=True)):
            total += size
            if number >= files or (total > size_limit and path != keep):
                path.unlink(missing_ok=True)


def _bounds(prefix: str) -> tuple[int, int]:
    """Return (files, bytes) kept of ``prefix``, read when needed so tests can lower them."""
    if prefix == SEARCH_PREFIX:
        return SEARCH_FILES, SEARCH_BYTES
    return PAGE_FILES, PAGE_BYTES


#: Name prefixes kept to bounds (see ``_bounds``) instead of one build per name.
MANY = (SEARCH_PREFIX, PAGE_PREFIX)


def _many(name: str) -> str | None:
    """Return the prefix of ``MANY`` that ``name`` starts with, or None."""
    return next((prefix for prefix in MANY if name.startswith(prefix)), None)


def in_background(app: Flask, lock: BuildLock, work: Callable[[], None]) -> threading.Thread:
    """Run ``work`` in a thread, inside an app context, then release ``lock``; log failures."""

    def run() -> None:
        try:
            with app.app_context():
                work()
        except Exception:
            app.logger.exception("building a feed in the background failed")
        finally:
            lock.release()
            with _running_guard:
                _running.discard(thread)

    thread = threading.Thread(target=run, name="feed-build", daemon=True)
    with _running_guard:
        _running.add(thread)
    thread.start()
    return thread


def wait_for_builds(timeout: float | None = None) -> None:
    """Wait until this process's background builds are done (for tests and benchmarks)."""
    with _running_guard:
        threads = list(_running)
    for thread in threads:
        thread.join(timeout)
