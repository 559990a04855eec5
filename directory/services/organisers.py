"""Find the listings an organiser's address manages, for emailing their manage links.

Only the mail sent to that address ever shows what is found: the page that asks answers the
same words whatever the address, so nobody learns which listings (or whether any) it manages.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.models import Group, Status

#: Listings an organiser can still manage: waiting for review, or listed (a paused one too).
MANAGED = (Status.PENDING.value, Status.PUBLISHED.value)


def listings_managed_by(session: Session, address: str | None) -> list[Group]:
    """Return the manageable listings whose organiser address is ``address`` (any case)."""
    address = (address or "").strip().lower()
    if not address:
        return []
    query = (
        select(Group)
        .where(func.lower(Group.organiser_email) == address, Group.status.in_(MANAGED))
        .order_by(Group.name, Group.id)
    )
    return list(session.scalars(query))
