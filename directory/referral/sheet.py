"""Load a list's groups for the referral sheet and its PDF: one query, in the list's order.

A group that is published is presented as every public page shows it (``presenting``). One
that is not, or no longer, published stays on the sheet as "no longer listed", so a patient
holding an old sheet learns it is gone instead of finding it silently missing; only a closed
group, whose own page still says it closed, keeps its name there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from directory.extensions import db
from directory.listings import LISTING_LOAD
from directory.models import Group, Status, utcnow
from directory.presenting import PublicListing, present


@dataclass(frozen=True)
class Entry:
    """One place on the sheet: a listing, or a group that is no longer listed."""

    id: int
    #: The listing as the public sees it; None when the group is no longer listed.
    listing: PublicListing | None = None
    #: A closed group's name (its page still says it closed); None for any other.
    closed_name: str | None = None

    @property
    def listed(self) -> bool:
        """Return whether the group is listed (published) today."""
        return self.listing is not None


def load_groups(ids: Sequence[int]) -> dict[int, Group]:
    """Return the groups with these ids, whatever their status, loaded for presenting."""
    if not ids:
        return {}
    query = select(Group).where(Group.id.in_(list(ids))).options(*LISTING_LOAD)
    return {group.id: group for group in db.session.scalars(query)}


def entries(ids: Sequence[int], now: dt.datetime | None = None) -> list[Entry]:
    """Return the sheet's entries for ``ids``, in that order, in the page's language."""
    now = now or utcnow()
    groups = load_groups(ids)
    found = []
    for group_id in ids:
        group = groups.get(group_id)
        if group is not None and group.status == Status.PUBLISHED:
            found.append(Entry(group_id, listing=present(group, now=now)))
        elif group is not None and group.status == Status.CLOSED:
            found.append(Entry(group_id, closed_name=group.name))
        else:  # never listed, pending, rejected, archived or unknown: nothing to name
            found.append(Entry(group_id))
    return found
