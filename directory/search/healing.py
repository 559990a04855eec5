"""Check and repair the index in a background thread, so no request waits for a rebuild.

One repair runs at a time in a process (``Healer.start`` does nothing while one is under
way); across processes the index's write lock serialises them, and a process that waited
for another's rebuild looks again before rebuilding (``SearchIndex.ensure_current``). A
search that finds no usable index meanwhile gets ``SearchRebuilding``: a 503 with a
``Retry-After``, which the error pages render as a calm "search is being rebuilt".
"""

from __future__ import annotations

import logging
import os
import threading
import traceback
from collections.abc import Callable

from werkzeug.exceptions import ServiceUnavailable

log = logging.getLogger(__name__)

#: What a search answered with "being rebuilt" tells the client to wait before trying again.
RETRY_AFTER_SECONDS = 30


def described() -> str:
    """Return the exception being handled with its traceback, as text.

    As text, not ``exc_info``: a log record kept (by a handler that buffers) would keep the
    traceback's frames alive, and with them the files Whoosh opened on a broken index.
    """
    return traceback.format_exc().rstrip()


class SearchRebuilding(ServiceUnavailable):
    """The index is being rebuilt and there is no earlier one to answer from."""

    description = "Search is being rebuilt. Please try again in a minute."

    def __init__(self, retry_after: int = RETRY_AFTER_SECONDS):
        super().__init__(retry_after=retry_after)


class Healer:
    """Run ``work`` (check, then repair or rebuild) in one background thread at a time."""

    def __init__(self, work: Callable[[], str | None], done: Callable[[str], None]):
        self._work = work
        self._done = done
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._finished = threading.Event()
        self._finished.set()

    @property
    def running(self) -> bool:
        """Say whether a repair is under way in this process."""
        # After a fork (a server preloading the app) the thread is the parent's, not ours.
        thread = self._thread
        return thread is not None and self._pid == os.getpid() and thread.is_alive()

    def start(self) -> bool:
        """Start a check-and-repair unless one is running; return whether one started."""
        with self._guard:
            if self.running:
                return False
            self._finished.clear()
            self._pid = os.getpid()
            self._thread = threading.Thread(
                target=self._run, name="search-index-repair", daemon=True
            )
            self._thread.start()
            return True

    def wait(self, timeout: float | None) -> bool:
        """Wait up to ``timeout`` seconds for the repair under way; return whether it ended."""
        if not self.running:
            return True
        return self._finished.wait(timeout)

    def _run(self) -> None:
        try:
            done = self._work()
        except Exception:
            log.warning("search index check failed; searching the index as it is: %s", described())
        else:
            if done:
                log.info("search index %s", done)
                self._done(done)
        finally:
            self._finished.set()
