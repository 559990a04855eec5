"""Hold the views searches read, and keep them current: open, retire, distrust, repair.

A view is one index generation's searcher with its catalogue (arrays) and vocabulary. The
newest readable generation is opened for the next search; a replaced searcher stays open a
while for searches still reading it. The index is checked in the background at the first
search and every ``CHECK_EVERY_SECONDS``; a generation a search could not read is distrusted
and rebuilt (``healing``, ``integrity``, ``index``), while searches keep the last good view.
"""

from __future__ import annotations

import logging
import pickle
import struct
import threading
import time
import weakref
from collections.abc import Callable

import numpy as np
from whoosh.index import IndexError as WhooshIndexError

from directory.search import integrity, ranking
from directory.search.catalogue import Catalogue, Registry, build_parts
from directory.search.healing import Healer, SearchRebuilding
from directory.search.healing import described as _described
from directory.search.index import PARALLEL_FROM, SearchIndex
from directory.search.schema import FORMATS, PLACELESS_FORMATS, REMOTE_FORMATS
from directory.search.spelling import Speller, single_deletes
from directory.search.vocabulary import Vocabulary

log = logging.getLogger(__name__)

#: Which format codes have no meeting place, and which can be joined from anywhere.
_PLACELESS = np.array([f in PLACELESS_FORMATS for f in FORMATS])
#: How long a replaced searcher stays open for searches still reading from it.
RETIRE_AFTER_SECONDS = 30.0
MAX_RETIRED = 8
#: How often a running process looks again whether the index is stale (it looks first at
#: its first search); changes made behind its back, or a lost update, are repaired then.
CHECK_EVERY_SECONDS = 60.0
#: After the index could not be opened or read, how soon to look again (in the background).
RECHECK_DAMAGED_SECONDS = 5.0
#: What reading a damaged index raises (struct, EOF, pickle and OS errors, Whoosh's own).
READ_ERRORS = (
    OSError, EOFError, ValueError, KeyError, IndexError, struct.error, pickle.UnpicklingError,
    WhooshIndexError,
)  # fmt: skip
_REMOTE = np.array([f in REMOTE_FORMATS for f in FORMATS])


def _close_one(searcher) -> None:
    if not searcher.is_closed:
        searcher.close()


def _close_all(searchers: dict) -> None:
    while searchers["retired"]:
        _close_one(searchers["retired"].pop()[1])
    current, searchers["current"] = searchers["current"], None
    if current is not None:
        _close_one(current)


class View:
    """One consistent state for one search: the searcher, its catalogue and vocabulary.

    A search takes one view at its start and uses only it: another thread may open a newer
    one meanwhile, whose document numbers and labels would not match this search's.
    """

    def __init__(
        self,
        searcher,
        catalogue: Catalogue,
        vocabulary: Vocabulary,
        vocabulary_neighbours: dict[str, list[str]],
    ):
        self.searcher = searcher
        self.catalogue = catalogue
        self.vocabulary = vocabulary
        self.vocabulary_neighbours = vocabulary_neighbours
        self.org_labels: dict[str, str] = {}
        self.placeless = _PLACELESS[catalogue.format]
        self.remote = _REMOTE[catalogue.format]
        self.located = ~np.isnan(catalogue.lat)
        self.concepts: dict[tuple[str, str], np.ndarray] = {}
        #: A topic or audience -> the listings whose own words name it, with their scores.
        self.concept_texts: dict[tuple[str, str], ranking.TextMatches] = {}
        self.generation: tuple = ()  # which generation of which build the searcher reads


class IndexViews:
    """Give searches a current view of the index; check and repair it in the background."""

    def __init__(self, index_path: str, session_factory: Callable, wait_seconds: float = 2.0):
        self.index = SearchIndex(index_path)
        #: How long a search with no usable index waits for the repair before a 503.
        self.wait_seconds = wait_seconds
        self.session_factory = session_factory
        self.registry = Registry()
        self.speller = Speller()
        self._parts: dict = {}
        self._ix = None
        self._view: View | None = None
        self._vocabulary: Vocabulary | None = None
        self._vocabulary_neighbours: dict[str, list[str]] = {}
        self._lock = threading.RLock()  # index state and Whoosh reads (not thread-safe)
        self.healer = Healer(self._heal, self._healed)  # checks and repairs, in the background
        self._checked_at: float | None = None  # time.monotonic() of the last check
        self._renew = False  # the index was rebuilt or found unreadable: open it afresh
        self._distrusted: tuple | None = None  # a generation a search could not read
        # Open files are closed when the engine goes (an app is discarded), not left to GC.
        self._open: dict = {"current": None, "retired": []}
        weakref.finalize(self, _close_all, self._open)

    def check(self, progress=None) -> str | None:
        """Rebuild or repair the index if it is missing or stale; return what was done."""
        with self._lock, self.session_factory() as session:
            done = self.index.ensure_current(session, progress=progress)
            self._checked_at = time.monotonic()
            if done:
                self._view = None
                self._ix = None
            return done

    def check_soon(self) -> bool:
        """Check (and repair or rebuild) the index in a background thread, unless one is."""
        self._checked_at = time.monotonic()
        return self.healer.start()

    def wait_for_repair(self, timeout: float | None = None) -> bool:
        """Wait for the background repair under way; return whether it has ended."""
        return self.healer.wait(timeout)

    def _heal(self) -> str | None:
        with self.session_factory() as session:
            return self.index.ensure_current(session)

    def _healed(self, _done: str) -> None:
        with self._lock:
            self._ix = None  # a rebuild may have started the folder afresh
            self._renew = True

    def _current(self) -> View:
        """Return the view a search uses throughout; never check or repair in this thread.

        The index is checked in the background at the first search and every
        ``CHECK_EVERY_SECONDS``; searches keep the last good view meanwhile. With none (the
        index is missing or unreadable), a search waits ``wait_seconds`` for the repair, then
        raises ``SearchRebuilding``.
        """
        checked = self._checked_at
        if checked is None or time.monotonic() - checked >= CHECK_EVERY_SECONDS:
            self.check_soon()
        view = self._fresh_view()
        if view is None and self.wait_seconds > 0 and self.healer.wait(self.wait_seconds):
            view = self._fresh_view()
        if view is None:
            raise SearchRebuilding()
        return view

    def _fresh_view(self) -> View | None:
        """Return a view of the newest readable generation, else the last good one, else None."""
        with self._lock:
            view = self._view
            if view is not None and not self._renew and self._is_current(view):
                return view
            with integrity.leaks_closed() as leaks:
                try:
                    self._open_latest()
                    self._renew = False
                    return self._view
                except SearchRebuilding:
                    pass  # a rebuild is under way: the last good view, if any, answers
                except Exception:  # any failure to open means repair
                    log.warning("search index could not be opened; repairing it: %s", _described())
                    leaks.failed = True
                    self._ix = None
                    self._renew = True
        if time.monotonic() - (self._checked_at or 0.0) >= RECHECK_DAMAGED_SECONDS:
            self.check_soon()
        return view

    def _is_current(self, view: View) -> bool:
        return self.index.generation() == view.generation

    def _distrust(self, view: View) -> None:
        """Stop using a view a search could not read, and have the index rebuilt."""
        log.warning("search index could not be read; rebuilding it: %s", _described())
        with self._lock:
            self._distrusted = view.generation
            if self._view is view:
                self._view = None
        self.index.mark_damaged("a search could not read the index")
        self.check_soon()

    def repair(self, session) -> str | None:
        """Rebuild or repair a stale index with ``session``; return what was done.

        Unlike ``check`` this does not hold searches up: they keep the view they have
        until the repaired generation is committed, then pick it up.
        """
        done = self.index.ensure_current(session)
        if done:
            self._healed(done)
        return done

    def refresh(self) -> None:
        """Pick up the latest index generation now (after this process wrote to it)."""
        with self._lock:
            if self._view is not None:
                try:
                    if not self._is_current(self._view):
                        self._open_latest()
                except Exception:  # the next search opens it, or repairs it
                    log.warning("search index could not be reopened: %s", _described())
                    self._renew = True

    def _open_latest(self) -> None:
        """Open a searcher on the newest generation; retire (not yet close) the old one.

        A fresh searcher rather than Whoosh's ``refresh()``: a reused segment reader keeps
        the deletions it was opened with. The old searcher stays open a while, since a
        search in another thread may still be reading a page of hits from it.
        """
        generation = self.index.generation()
        if generation[0] < 0:
            raise SearchRebuilding()  # no index at all (yet): the repair builds it
        if generation == self._distrusted:
            raise SearchRebuilding()  # the generation a search found damaged: wait for a new one
        if self._ix is None:
            self._ix = self.index.open()
        searcher = self._ix.searcher()
        try:
            if self.index.is_building() and searcher.doc_count_all() == 0:
                raise SearchRebuilding()  # a rebuild from nothing has not committed yet
            view = self._load(searcher)
        except BaseException:
            _close_one(searcher)  # the last good view, if any, stays in use
            raise
        view.generation = generation
        moment = time.monotonic()
        retired = self._open["retired"]
        if self._open["current"] is not None:
            retired.append((moment, self._open["current"]))
        while retired and (
            len(retired) > MAX_RETIRED or moment - retired[0][0] > RETIRE_AFTER_SECONDS
        ):
            _close_one(retired.pop(0)[1])
        self._open["current"] = searcher
        self._view = view

    def _load(self, searcher) -> View:
        parts = build_parts(searcher.reader(), self._parts, self.registry)
        for part, _offset, _deleted in parts:
            self.speller.add(part)
        version = self.index.meta().get("taxonomy", "")
        if self._vocabulary is None or self._vocabulary.version != version:
            with self.session_factory() as session:
                self._vocabulary = Vocabulary.load(session, version)
            self._vocabulary_neighbours = {}
            for term in self._vocabulary.concept_terms():
                for variant in {term, *single_deletes(term)}:
                    self._vocabulary_neighbours.setdefault(variant, []).append(term)
        return View(
            searcher,
            Catalogue(parts, self.registry),
            self._vocabulary,
            self._vocabulary_neighbours,
        )

    def close(self) -> None:
        """Close the index files this engine holds open."""
        with self._lock:
            self._view = None
            self._ix = None
            _close_all(self._open)

    def vocabulary(self) -> Vocabulary:
        """Return the facet labels and names in use."""
        return self._current().vocabulary

    def update(self, session, ids) -> None:
        """Re-index listings by id after they changed, and make the change searchable.

        So many changes at once (a large import) are done as a rebuild, which is faster.
        """
        ids = set(ids)
        if len(ids) >= PARALLEL_FROM:
            self.index.rebuild(session)
        else:
            self.index.update(session, ids)
        self.refresh()
