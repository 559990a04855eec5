"""Index in worker processes that never outlive their parent, and take over a dead one's lock.

Whoosh's ``MpWriter`` forks workers that wait on a queue for work. If the parent is killed
(``kill -9`` of ``reindex``) they wait for ever, and, being forked, they hold a copy of the
parent's file descriptor of the write lock: the lock (an ``flock``) stays taken by orphans.
Here each worker closes its copy of the lock's descriptor at once, asks Linux to kill it
when its parent dies (``PR_SET_PDEATHSIG``; elsewhere a thread watches the parent), and a
cancelled writer terminates its workers instead of leaving them waiting.

A lock left by orphans of an older version is found in ``/proc``: a process holding the
lock whose taker (the pid the kernel records) is dead is an orphan, and is stopped.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import threading
import time
from pathlib import Path

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
_WATCH_SECONDS = 1.0


def die_with_parent(parent: int) -> None:
    """Make this (forked) process end as soon as ``parent`` does."""
    armed = False
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_WATCH_SECONDS)
    os._exit(1)


class _Worker(SubWriterTask):
    """A Whoosh sub-writer process that holds no lock and dies with its parent."""

    def __init__(self, *args, parent: int, lock_fd: int | None):
        super().__init__(*args)
        self.parent = parent
        self.lock_fd = lock_fd

    def run(self) -> None:
        """Close the inherited lock, tie this process to its parent, then index."""
        if self.lock_fd is not None:
            # Closing (never unlocking) a copy leaves the parent's lock as it is.
            with contextlib.suppress(OSError):
                os.close(self.lock_fd)
        die_with_parent(self.parent)
        super().run()


class ParallelWriter(MpWriter):
    """Whoosh's multiprocessing writer, with workers that cannot outlive it or keep its lock."""

    def __init__(self, ix, lock_fd: int | None = None, **kwargs):
        super().__init__(ix, **kwargs)
        self.lock_fd = lock_fd

    def _new_task(self):
        task = _Worker(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
            parent=os.getpid(),
            lock_fd=self.lock_fd,
        )
        self.tasks.append(task)
        task.start()
        return task

    def cancel(self) -> None:
        """Stop the workers (Whoosh's own cancel leaves them waiting) and discard the work."""
        try:
            for task in self.tasks:
                if task.is_alive():
                    task.terminate()
            for task in self.tasks:
                task.join(5)
        finally:
            SegmentWriter.cancel(self)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock_holders(path: Path) -> list[tuple[int, int]]:
    """Return (holder pid, taker pid) for each process holding ``path``'s flock."""
    try:
        inode = path.stat().st_ino
    except OSError:
        return []
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in (entry / "fd").iterdir():
                if fd.stat().st_ino != inode or Path(os.readlink(fd)) != path:
                    continue
                for line in (entry / "fdinfo" / fd.name).read_text().splitlines():
                    # "lock:	1: FLOCK  ADVISORY  WRITE 10489 fe:00:2146336 0 EOF"
                    parts = line.split()
                    if parts[:1] == ["lock:"] and "FLOCK" in parts and len(parts) > 5:
                        found.append((int(entry.name), int(parts[5])))
    return found


def release_stale_lock(path: Path) -> list[int]:
    """Stop processes holding the lock at ``path`` for a taker that is dead; return them.

    Only a forked copy of a dead process's descriptor can hold a lock its taker no longer
    does, so these are orphaned workers of a killed rebuild: nothing of theirs is kept.
    """
    if not Path("/proc/self/fdinfo").is_dir():
        return []  # not Linux: orphans here are stopped by their parent-watching thread
    path = path.resolve()
    stopped = []
    for holder, taker in _lock_holders(path):
        if holder == os.getpid() or _alive(taker):
            continue
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(holder, signal.SIGKILL)
            stopped.append(holder)
    if stopped:
        log.warning(
            "search index lock was held by orphaned indexing workers %s of a process that "
            "died; stopped them",
            ", ".join(map(str, stopped)),
        )
    return stopped
