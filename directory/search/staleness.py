"""Know when the index is behind the database, and repair it: the index's repair policy.

The index is current when it is whole (``integrity``), of this schema version and taxonomy,
not marked stale, and holds what the database publishes (``fingerprint``: ids and update
times of the listings, read from the index's rows). A few listings behind are reconciled
(updated one by one); more than ``RECONCILE_MAX_SHARE``, a damaged index, or a new schema or
taxonomy, are rebuilt. ``KeptCurrent`` is a part of ``index.SearchIndex``, whose methods
(``damage``, ``meta``, ``open``, ``update``, ``rebuild``, ``wait_for_writer``) it uses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Group, Status
from directory.search.fingerprint import (
    Fingerprint,
    held_fingerprint,
    listings_fingerprint,
    taxonomy_hash,
)
from directory.search.schema import ROW, SCHEMA_VERSION
from directory.search.whoosh_internals import column_bytes

log = logging.getLogger(__name__)

#: Reconciling more than this share of the index is done as a full rebuild instead.
RECONCILE_MAX_SHARE = 0.2


class KeptCurrent:
    """Check the index against the database and repair or rebuild it (``ensure_current``)."""

    def index_state(self) -> tuple[np.ndarray, np.ndarray]:
        """Return (ids, last-update times) of the listings in the index, from its rows."""
        ids, updated = [], []
        with self.open().searcher() as searcher:
            for leaf, _offset in searcher.reader().leaf_readers():
                if leaf.segment() is None:  # an index with no segments (nothing published)
                    continue
                count = leaf.doc_count_all()
                rows = np.frombuffer(column_bytes(leaf, "row", ROW.itemsize, count), dtype=ROW)
                alive = np.ones(count, dtype=bool)
                alive[list(leaf.segment().deleted_docs() or ())] = False
                ids.append(rows["gid"][alive].astype(np.int64))
                updated.append(rows["updated"][alive])
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(ids), np.concatenate(updated)

    def fingerprint(self) -> Fingerprint:
        """Return the fingerprint of what the index holds."""
        ids, updated = self.index_state()
        return held_fingerprint(ids, updated, self.meta().get("taxonomy", ""))

    def staleness(self, session: Session) -> str | None:
        """Return why the index must be rebuilt or repaired, or None when it is current.

        "missing" and "corrupt" (see ``damage``) are found before anything else is read.
        """
        damage = self.damage()
        if damage is not None:
            return damage
        if self.meta().get("schema") != SCHEMA_VERSION:
            return "schema"
        wanted = listings_fingerprint(session)
        if wanted.taxonomy != self.meta().get("taxonomy"):
            return "taxonomy"
        if self.is_marked_stale():
            return "marked"
        if self.fingerprint() != wanted:
            return "changed"
        return None

    def reconcile(self, session: Session) -> tuple[int, int] | None:
        """Bring the index in line with the database by updating only what differs.

        Returns (updated, removed), or None when so much differs that a rebuild is better.
        """
        # Cleared first: an update lost while this runs marks the index stale again.
        self._clear_stale()
        ids, updated = self.index_state()
        indexed = dict(zip(ids.tolist(), updated.tolist(), strict=True))
        wanted = {
            gid: moment.timestamp()
            for gid, moment in session.execute(
                select(Group.id, Group.updated_at).where(Group.status == Status.PUBLISHED)
            )
        }
        changed = [gid for gid, moment in wanted.items() if indexed.get(gid) != moment]
        removed = [gid for gid in indexed if gid not in wanted]
        if len(changed) + len(removed) > max(100, RECONCILE_MAX_SHARE * len(wanted)):
            return None
        try:
            self.update(session, changed + removed)
        except BaseException:
            self.mark_stale("a repair failed")
            raise
        self._write_meta(taxonomy=taxonomy_hash(session))
        return len(changed), len(removed)

    def ensure_current(
        self, session: Session, progress: Callable[[int], None] | None = None
    ) -> str | None:
        """Rebuild or repair the index when it is missing, damaged or stale; return what was done.

        A damaged index is always rebuilt: reconciling would read the damage.
        """
        reason = self.staleness(session)
        if reason is None:
            return None
        # Another process may be rebuilding right now (several workers starting at once):
        # wait for it, then look again rather than rebuild a second time.
        self.wait_for_writer()
        reason = self.staleness(session)
        if reason is None:
            return None
        if reason in ("changed", "marked"):
            outcome = self.reconcile(session)
            if outcome is not None:
                log.info("search index repaired: %s updated, %s removed", *outcome)
                return f"repaired ({reason})"
        count = self.rebuild(session, progress=progress)
        log.info("search index rebuilt (%s): %s listings", reason, count)
        return f"rebuilt ({reason})"
