"""The review queue at /moderate: every listing waiting for a person, oldest first.

Kinds: "new" (sent in on the site), "import" (imported with ``--review``) and "duplicate"
(flagged as possibly a listing already there); "waiting" lists those whose submitter has a
question to answer. One query counts the kinds, one reads the page (and one loads the
page's organisations), however long the queue; a moderator limited to organisations sees
only theirs, filtered in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import selectinload

from directory.extensions import db
from directory.models import DuplicateFlag, Group, Status, Submission

from . import bp, current_moderator, summary

PER_PAGE = 50
KIND_LABELS = {
    "new": _l("New submissions"),
    "import": _l("Imported for review"),
    "duplicate": _l("Possible duplicates"),
    "waiting": _l("Waiting for the submitter"),
}
KINDS = tuple(KIND_LABELS)

_FLAGGED = exists().where(DuplicateFlag.group_id == Group.id)
_WAITING = and_(
    Submission.asked_at.is_not(None),
    or_(Submission.answered_at.is_(None), Submission.answered_at < Submission.asked_at),
)
_CONDITIONS = {
    "duplicate": _FLAGGED,
    "new": and_(Submission.id.is_not(None), ~_FLAGGED),
    "import": and_(Submission.id.is_(None), ~_FLAGGED),
    "waiting": _WAITING,
}


@dataclass(frozen=True)
class QueueItem:
    """A listing in the queue, with its submission (if sent in on the site) and its kind."""

    group: Group
    submission: Submission | None
    flagged: bool

    @property
    def kind(self) -> str:
        """Return "duplicate", "new" or "import"."""
        if self.flagged:
            return "duplicate"
        return "new" if self.submission is not None else "import"

    @property
    def waiting(self) -> bool:
        """Return whether a question to the submitter is unanswered."""
        return self.submission is not None and self.submission.waiting_for_submitter


def _waiting_items(organization_ids: frozenset[int] | None):
    query = (
        select(Group)
        .outerjoin(Submission, Submission.group_id == Group.id)
        .where(Group.status == Status.PENDING.value)
    )
    if organization_ids is not None:
        query = query.where(Group.organization_id.in_(sorted(organization_ids)))
    return query


def counts(organization_ids: frozenset[int] | None) -> dict[str, int]:
    """Return how many listings of each kind wait, and how many in all, in one query."""
    columns = [
        func.coalesce(func.sum(case((condition, 1), else_=0)), 0).label(kind)
        for kind, condition in _CONDITIONS.items()
    ]
    subquery = _waiting_items(organization_ids).with_only_columns(*columns)
    row = db.session.execute(subquery).one()
    found = {kind: int(getattr(row, kind)) for kind in _CONDITIONS}
    found["all"] = found["new"] + found["import"] + found["duplicate"]
    return found


def page_of(organization_ids: frozenset[int] | None, kind: str | None, page: int):
    """Return one page of the queue, oldest first, filtered to ``kind`` when given."""
    query = _waiting_items(organization_ids).add_columns(Submission, _FLAGGED.label("flagged"))
    if kind is not None:
        query = query.where(_CONDITIONS[kind])
    query = (
        query.order_by(Group.created_at, Group.id)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
        .options(selectinload(Group.organization))
    )
    return [QueueItem(group, submission, bool(flagged)) for group, submission, flagged in
            db.session.execute(query)]  # fmt: skip


@bp.context_processor
def _queue_words() -> dict:
    return {"moment_text": summary.moment_text, "kind_labels": KIND_LABELS}


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


@bp.get("/")
@bp.get("")
def queue():
    """Show everything waiting for a moderator, oldest first, by kind and page."""
    kind = request.args.get("kind")
    kind = kind if kind in KINDS else None
    limit = current_moderator().organization_ids
    totals = counts(limit)
    total = totals[kind] if kind else totals["all"]
    pages = max(1, (total + PER_PAGE - 1) // PER_PAGE)
    page = min(_page_number(), pages)
    return render_template(
        "moderate/queue.html",
        items=page_of(limit, kind, page),
        counts=totals,
        kind=kind,
        page=page,
        pages=pages,
        total=total,
    )
