"""The review queue at /moderate: every listing waiting for a person, oldest first.

Kinds: "new" (sent in on the site), "import" (imported with ``--review``) and "duplicate"
(flagged as possibly a listing already there), all pending; "waiting" lists those whose
submitter has a question to answer; "change" is a published listing whose organiser sent
changes, and "report" a listing with a visitor's problem report still open. A listing is one
item however many reasons it waits for, and it waits since the oldest of them. One query
counts the kinds, one reads the page (and one loads the page's organisations), however long
the queue; a moderator limited to organisations sees only theirs, filtered in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import selectinload

from directory.extensions import db
from directory.models import (
    ChangeRequest,
    DuplicateFlag,
    Group,
    ProblemReport,
    Status,
    Submission,
)

from . import bp, current_moderator, page_number, summary

PER_PAGE = 50
KIND_LABELS = {
    "new": _l("New submissions"),
    "import": _l("Imported for review"),
    "duplicate": _l("Possible duplicates"),
    "waiting": _l("Waiting for the submitter"),
    "change": _l("Changes from organisers"),
    "report": _l("Problem reports"),
}
KINDS = tuple(KIND_LABELS)

_PENDING = Group.status == Status.PENDING.value
_FLAGGED = exists().where(DuplicateFlag.group_id == Group.id)
_OPEN_CHANGE = and_(ChangeRequest.group_id == Group.id, ChangeRequest.decided_at.is_(None))
_OPEN_REPORT = and_(ProblemReport.group_id == Group.id, ProblemReport.resolved_at.is_(None))
_CHANGED = and_(Group.status == Status.PUBLISHED.value, exists().where(_OPEN_CHANGE))
_REPORTED = exists().where(_OPEN_REPORT)
_WAITING = and_(
    _PENDING,
    Submission.asked_at.is_not(None),
    or_(Submission.answered_at.is_(None), Submission.answered_at < Submission.asked_at),
)
_CONDITIONS = {
    "duplicate": and_(_PENDING, _FLAGGED),
    "new": and_(_PENDING, Submission.id.is_not(None), ~_FLAGGED),
    "import": and_(_PENDING, Submission.id.is_(None), ~_FLAGGED),
    "waiting": _WAITING,
    "change": _CHANGED,
    "report": _REPORTED,
}
_CHANGE_SINCE = (
    select(func.min(ChangeRequest.created_at)).where(_OPEN_CHANGE).correlate(Group)
    .scalar_subquery()
)  # fmt: skip
_REPORT_SINCE = (
    select(func.min(ProblemReport.created_at)).where(_OPEN_REPORT).correlate(Group)
    .scalar_subquery()
)  # fmt: skip
_REPORTS = (
    select(func.count(ProblemReport.id)).where(_OPEN_REPORT).correlate(Group).scalar_subquery()
)
#: When a listing began to wait: a pending one since it came in; a published one since
#: its oldest open change or report (portable: no LEAST, which SQLite lacks).
_SINCE = case(
    (_PENDING, Group.created_at),
    (and_(_CHANGED, _REPORT_SINCE.is_not(None), _REPORT_SINCE < _CHANGE_SINCE), _REPORT_SINCE),
    (_CHANGED, _CHANGE_SINCE),
    else_=func.coalesce(_REPORT_SINCE, Group.created_at),
)


@dataclass(frozen=True)
class QueueItem:
    """A listing in the queue: its submission (if sent in on the site) and why it waits."""

    group: Group
    submission: Submission | None
    flagged: bool
    changed: bool = False
    reports: int = 0
    since: object = None

    @property
    def kind(self) -> str:
        """Return "duplicate", "new" or "import" (pending), else "change" or "report"."""
        if self.group.status != Status.PENDING.value:
            return "change" if self.changed else "report"
        if self.flagged:
            return "duplicate"
        return "new" if self.submission is not None else "import"

    @property
    def kinds(self) -> list[str]:
        """Return every reason it waits: its kind, then "report" too when reported."""
        found = [self.kind]
        if self.reports and "report" not in found:
            found.append("report")
        return found

    @property
    def waiting(self) -> bool:
        """Return whether a question to the submitter is unanswered."""
        return (
            self.group.status == Status.PENDING.value
            and self.submission is not None
            and self.submission.waiting_for_submitter
        )


def _waiting_items(organization_ids: frozenset[int] | None):
    query = (
        select(Group)
        .outerjoin(Submission, Submission.group_id == Group.id)
        .where(or_(_PENDING, _CHANGED, _REPORTED))
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
    subquery = _waiting_items(organization_ids).with_only_columns(
        *columns, func.count().label("all")
    )
    row = db.session.execute(subquery).one()
    found = {kind: int(getattr(row, kind)) for kind in _CONDITIONS}
    found["all"] = int(row.all)
    return found


def page_of(organization_ids: frozenset[int] | None, kind: str | None, page: int):
    """Return one page of the queue, oldest first, filtered to ``kind`` when given."""
    query = _waiting_items(organization_ids).add_columns(
        Submission, _FLAGGED.label("flagged"), _CHANGED.label("changed"),
        _REPORTS.label("reports"), _SINCE.label("since"),
    )  # fmt: skip
    if kind is not None:
        query = query.where(_CONDITIONS[kind])
    query = (
        query.order_by(_SINCE, Group.id)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
        .options(selectinload(Group.organization))
    )
    return [
        QueueItem(group, submission, bool(flagged), bool(changed), int(reports or 0), since)
        for group, submission, flagged, changed, reports, since in db.session.execute(query)
    ]


@bp.context_processor
def _queue_words() -> dict:
    return {"moment_text": summary.moment_text, "kind_labels": KIND_LABELS}


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
    page = min(page_number(), pages)
    return render_template(
        "moderate/queue.html",
        items=page_of(limit, kind, page),
        counts=totals,
        kind=kind,
        page=page,
        pages=pages,
        total=total,
    )
