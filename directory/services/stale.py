"""Read the moderators' stale list: published listings nobody has confirmed for a long time.

"hidden": not confirmed for ``hide_after``, so out of search now (kept; back once confirmed).
"review": not confirmed for ``review_after``, so reminded or due a reminder. One query counts
both, one reads a page (with its organisations) and one its reminders, however long the list;
a moderator limited to organisations sees only theirs, filtered in SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload

from directory.models import Group, Status

from .reminders import confirmed_moment, last_confirmed, reminders_of

KINDS = ("hidden", "review")
PER_PAGE = 50


@dataclass(frozen=True)
class Thresholds:
    """The moments that make a listing stale: due a review, or out of search."""

    now: dt.datetime
    review_after: dt.timedelta
    hide_after: dt.timedelta
    every: dt.timedelta

    @property
    def review_before(self) -> dt.datetime:
        """Return the moment a listing confirmed before is due a review."""
        return self.now - self.review_after

    @property
    def hide_before(self) -> dt.datetime:
        """Return the moment a listing confirmed before is out of search."""
        return self.now - self.hide_after


@dataclass(frozen=True)
class StaleItem:
    """A stale listing, with when it was last confirmed and when its organiser was reminded."""

    group: Group
    kind: str
    reminders: list[dt.datetime] = field(default_factory=list)
    #: Whether the next ``directory remind`` will write to its organiser.
    reminder_due: bool = False

    @property
    def confirmed_at(self) -> dt.datetime | None:
        """Return when it was last confirmed, or None if never."""
        return self.group.verified_at

    @property
    def can_be_reminded(self) -> bool:
        """Return whether there is an organiser address to remind."""
        return bool(self.group.organiser_email)


def _conditions(limits: Thresholds) -> dict:
    moment = last_confirmed()
    return {
        "hidden": moment <= limits.hide_before,
        "review": (moment <= limits.review_before) & (moment > limits.hide_before),
    }


def _stale(limits: Thresholds, organization_ids: frozenset[int] | None):
    query = select(Group).where(
        Group.status == Status.PUBLISHED.value, last_confirmed() <= limits.review_before
    )
    if organization_ids is not None:
        query = query.where(Group.organization_id.in_(sorted(organization_ids)))
    return query


def counts(
    session: Session, limits: Thresholds, organization_ids: frozenset[int] | None
) -> dict[str, int]:
    """Return how many stale listings of each kind there are, and in all, in one query."""
    columns = [
        func.coalesce(func.sum(case((condition, 1), else_=0)), 0).label(kind)
        for kind, condition in _conditions(limits).items()
    ]
    row = session.execute(_stale(limits, organization_ids).with_only_columns(*columns)).one()
    found = {kind: int(getattr(row, kind)) for kind in KINDS}
    found["all"] = sum(found.values())
    return found


def page_of(
    session: Session, limits: Thresholds, organization_ids: frozenset[int] | None,
    kind: str | None, page: int, per_page: int = PER_PAGE,
) -> list[StaleItem]:  # fmt: skip
    """Return one page of stale listings, longest unconfirmed first, of ``kind`` if given."""
    query = _stale(limits, organization_ids)
    if kind is not None:
        query = query.where(_conditions(limits)[kind])
    query = (
        query.order_by(last_confirmed(), Group.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .options(joinedload(Group.organization))
    )
    groups = list(session.scalars(query))
    sent = reminders_of(session, [group.id for group in groups])
    return [_item(group, sent[group.id], limits) for group in groups]


def _item(group: Group, sent: list[dt.datetime], limits: Thresholds) -> StaleItem:
    kind = "hidden" if confirmed_moment(group) <= limits.hide_before else "review"
    due = bool(group.organiser_email) and (not sent or sent[0] <= limits.now - limits.every)
    return StaleItem(group, kind, sent, due)
