"""Write the Whoosh index on disk: build it, update listings in it, under its write lock.

The index is derived from the database and can always be rebuilt. Whoosh lets one process
write at a time (a file lock); writers here wait for it with retries and back-off rather
than fail at once. Next to the index, ``meta.json`` records the schema version and a hash of
the taxonomy the index was built with and each index file's size and checksum, and a
``STALE`` file records that an update was lost (the database changed but the index could not
follow), so the next check (``staleness``) repairs it. A damaged index (a file deleted, truncated or
overwritten, the folder gone) is found by ``integrity.find_damage`` and rebuilt, never
reconciled.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index
from whoosh.writing import CLEAR

from directory.models import Group
from directory.search import integrity, workers
from directory.search.documents import iter_documents, published_ids
from directory.search.fingerprint import taxonomy_hash
from directory.search.healing import described
from directory.search.schema import SCHEMA_VERSION, make_schema
from directory.search.staleness import KeptCurrent

log = logging.getLogger(__name__)

LockError = whoosh_index.LockError

#: Waits between attempts to take the write lock: 10 ms doubling to 1.28 s, about 5 s in all.
LOCK_DELAYS = tuple(0.01 * 2**attempt for attempt in range(8))
#: A full rebuild waits longer for the lock, since another rebuild may hold it.
REBUILD_LOCK_TIMEOUT = 300.0
#: Segments are kept as separate files: Whoosh reads a compound segment file's parts into
#: memory whole, which for 100,000 listings costs over 100 MB per process.
#: From this many listings, a rebuild indexes in parallel worker processes.
PARALLEL_FROM = 20_000
LOCK_NAME = "MAIN_WRITELOCK"  # the name Whoosh's own writers lock
META_FILE = integrity.META_FILE
STALE_FILE = "STALE"
DAMAGED_FILE = integrity.DAMAGED_FILE
#: Present while a rebuild starts an index afresh: its empty first generation is not real.
BUILDING_FILE = "BUILDING"
#: While waiting for the lock, look this often for orphans of a dead writer holding it.
STALE_LOCK_EVERY_SECONDS = 2.0
#: Why an index cannot be used at all (rather than is behind the database).
DAMAGE = ("missing", "corrupt")


def _check_workers(writer) -> None:
    """Fail fast when a parallel writer's worker process died (it would wait forever)."""
    for task in getattr(writer, "tasks", ()):
        if not task.is_alive() and task.exitcode not in (None, 0):
            raise RuntimeError(f"an indexing worker failed (exit code {task.exitcode})")


class SearchIndex(KeptCurrent):
    """The listing index in one folder: open, build and update it (``KeptCurrent``: check it)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.schema = make_schema()

    # --- state --------------------------------------------------------------------------

    def exists(self) -> bool:
        """Return whether an index of the current schema version is in the folder."""
        return integrity.has_toc(self.path) and self.meta().get("schema") == SCHEMA_VERSION

    def damage(self) -> str | None:
        """Return "missing" or "corrupt" when the index cannot be used as it is, else None."""
        return integrity.find_damage(self.path, self.schema)

    def open(self):
        """Return the Whoosh index (call ``exists()`` first)."""
        return integrity.open_index(self.path, self.schema)

    def meta(self) -> dict:
        """Return what ``meta.json`` records, or {} when there is none (or it is garbled)."""
        return integrity.read_meta(self.path) or {}

    def _write_meta(self, **values) -> None:
        meta = {**self.meta(), **values, "schema": SCHEMA_VERSION}
        with contextlib.suppress(Exception):  # a record is an aid: the check reads anyway
            meta[integrity.FILES_KEY] = integrity.record_files(
                self.path, self.schema, meta.get(integrity.FILES_KEY) or {}
            )
        temporary = self.path / f"{META_FILE}.{os.getpid()}"
        temporary.write_text(json.dumps(meta, sort_keys=True))
        os.replace(temporary, self.path / META_FILE)

    def mark_stale(self, reason: str) -> None:
        """Record that the index missed a change, so the next check repairs it."""
        if self.path.exists():
            with contextlib.suppress(OSError):
                (self.path / STALE_FILE).write_text(reason)

    def mark_damaged(self, reason: str) -> None:
        """Record that the index could not be read, so the next check rebuilds it."""
        if self.path.exists():
            with contextlib.suppress(OSError):
                (self.path / DAMAGED_FILE).write_text(reason)

    def is_building(self) -> bool:
        """Say whether a rebuild from nothing is under way (its index is still empty)."""
        return (self.path / BUILDING_FILE).exists()

    def generation(self) -> tuple:
        """Return what identifies the latest generation: its number and its TOC file.

        The number alone is not enough: an index rebuilt from nothing counts from 1 again.
        """
        number = integrity.latest_generation(self.path)
        try:
            toc = (self.path / integrity.toc_name(number)).stat()
        except OSError:
            return (number,)
        return (number, toc.st_ino, toc.st_mtime_ns)

    def is_marked_stale(self) -> bool:
        """Return whether an update was lost since the index was last repaired."""
        return (self.path / STALE_FILE).exists()

    def _clear_stale(self, *others: str) -> None:
        for name in (STALE_FILE, *others):
            with contextlib.suppress(FileNotFoundError):
                (self.path / name).unlink()

    # --- writing ------------------------------------------------------------------------

    def _acquire(self, timeout: float | None = None):
        """Take the write lock, waiting with back-off; raise LockError when it stays taken."""
        self.path.mkdir(parents=True, exist_ok=True)
        from whoosh.filedb.filestore import FileStorage

        lock = FileStorage(str(self.path)).lock(LOCK_NAME)
        delays = iter(LOCK_DELAYS)
        deadline = None if timeout is None else time.monotonic() + timeout
        looked = None
        while not lock.acquire():
            if looked is None or time.monotonic() - looked >= STALE_LOCK_EVERY_SECONDS:
                looked = time.monotonic()
                if workers.release_stale_lock(self.path / LOCK_NAME) and lock.acquire():
                    break  # taken over from the orphans of a writer that died
            delay = next(delays, None)
            if deadline is not None:
                if time.monotonic() >= deadline:
                    raise LockError(f"the search index at {self.path} stayed locked")
                delay = min(delay or 1.0, max(deadline - time.monotonic(), 0.01))
            elif delay is None:
                raise LockError(f"the search index at {self.path} stayed locked")
            time.sleep(delay)
        return lock

    @contextlib.contextmanager
    def locked(self, timeout: float | None = None) -> Iterator:
        """Hold the index's write lock (waiting for it with back-off) for the block."""
        lock = self._acquire(timeout)
        try:
            yield lock
        finally:
            lock.release()

    def wait_for_writer(self) -> None:
        """Wait until no other process writes the index (a rebuild may be under way)."""
        with self.locked(timeout=REBUILD_LOCK_TIMEOUT):
            pass

    def rebuild(
        self,
        session: Session,
        progress: Callable[[int], None] | None = None,
        now: dt.datetime | None = None,
        parallel: bool | None = None,
    ) -> int:
        """Rebuild the index from every published listing; return how many were indexed.

        Readers keep the old index until the new one is committed in one step. Listings
        changed while the rebuild ran are caught up at the end.
        """
        started = dt.datetime.now(dt.UTC)
        ids = published_ids(session)
        with self.locked(timeout=REBUILD_LOCK_TIMEOUT) as lock:
            ix = self._open_for_rebuild()
            if parallel is None:
                parallel = len(ids) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
            if parallel:
                writer = workers.ParallelWriter(
                    ix, lock_fd=lock.fd, _lk=False, procs=2, batchsize=1000, multisegment=True,
                    compound=False, subargs={"limitmb": 32, "compound": False},
                )  # fmt: skip
            else:
                writer = ix.writer(_lk=False, limitmb=64, compound=False)
            added = 0
            try:
                for document in iter_documents(session, ids, now=now):
                    writer.add_document(**document)
                    added += 1
                    if added % 500 == 0:
                        _check_workers(writer)
                        if progress:
                            progress(500)
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=CLEAR)
            if progress:
                progress(added % 500)
            indexed = ix.doc_count()
            if indexed != added:
                raise RuntimeError(f"the rebuilt index holds {indexed} listings, not {added}")
            self._write_meta(taxonomy=taxonomy_hash(session), built_at=started.isoformat())
            self._clear_stale(DAMAGED_FILE, BUILDING_FILE)
        self._catch_up(session, started)
        return added

    def _open_for_rebuild(self):
        """Open the index to replace its content, or start afresh when it cannot be read.

        Replacing keeps readers on the old generation until the new one is committed.
        """
        if self.exists() and integrity.read_meta(self.path) is not None:
            with integrity.leaks_closed() as leaks:
                try:
                    ix = self.open()
                    ix.doc_count()  # reads the table of contents and every segment's header
                    return ix
                except Exception:  # any failure to read means start afresh
                    log.warning("search index unreadable; building it afresh: %s", described())
                    leaks.failed = True
        (self.path / BUILDING_FILE).write_text(str(os.getpid()))
        return whoosh_index.create_in(str(self.path), self.schema)

    def _catch_up(self, session: Session, since: dt.datetime) -> None:
        """Re-index listings changed while a rebuild was reading the database."""
        changed = list(session.scalars(select(Group.id).where(Group.updated_at >= since)))
        if changed:
            self.update(session, changed)

    def update(self, session: Session, ids: Iterable[int], now: dt.datetime | None = None) -> int:
        """Re-index listings by id: published ones are replaced, all others removed.

        Returns how many listings are in the index afterwards among ``ids``.
        """
        ids = sorted({int(i) for i in ids})
        if not ids or not integrity.has_toc(self.path):
            return 0
        documents = list(iter_documents(session, ids, now=now))
        with self.locked():
            writer = self.open().writer(_lk=False, compound=False)
            try:
                for gid in ids:
                    writer.delete_by_term("gid", str(gid))
                for document in documents:
                    writer.add_document(**document)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            self._write_meta()  # records the new segment's files
        return len(documents)
