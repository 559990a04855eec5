"""Say what published listings look like in a few numbers, for the index and the feeds.

One definition serves both: the search index compares it with what it holds (and repairs
itself when they differ), and the feeds key their kept builds and ETags by it. A listing's
``updated_at`` moves whenever it, its schedules, its terms, its place or its organisation
change (``directory.models._touch_changed_groups``), so the listings' own columns are enough
to notice an address change; the taxonomy's hash covers labels and synonyms they show.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory import taxonomy
from directory.models import Group, Status


@dataclass(frozen=True)
class Fingerprint:
    """Published listings in brief: how many, their ids' sum, their last change, the taxonomy."""

    count: int
    id_sum: int
    last_update: float
    taxonomy: str


def taxonomy_hash(session: Session) -> str:
    """Return a short hash of every taxonomy term and language (labels and synonyms)."""
    digest = hashlib.sha256()
    for row in (*taxonomy.term_rows(session), *taxonomy.language_rows(session)):
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()[:16]


def listings_fingerprint(session: Session) -> Fingerprint:
    """Return the fingerprint of the database's published listings (three aggregates)."""
    count, id_sum, last = session.execute(
        select(func.count(), func.sum(Group.id), func.max(Group.updated_at)).where(
            Group.status == Status.PUBLISHED.value
        )
    ).one()
    return Fingerprint(
        int(count), int(id_sum or 0), last.timestamp() if last else 0.0, taxonomy_hash(session)
    )


def held_fingerprint(ids: np.ndarray, updated: np.ndarray, taxonomy_key: str) -> Fingerprint:
    """Return the fingerprint of listings held elsewhere: their ids and last-update times."""
    last = float(updated.max()) if len(updated) else 0.0
    return Fingerprint(len(ids), int(ids.sum()) if len(ids) else 0, last, taxonomy_key)
