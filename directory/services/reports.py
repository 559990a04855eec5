"""Problems the public reports about a listing, and their resolution by a moderator.

A report is stored with a keyed hash of the reporter's address (``reporter_key``), never the
address itself, so two reports from one person count once. Two or more distinct open reports
that a group stopped meeting mark it "reported as not meeting" in search until someone acts:
a moderator resolves them, or the organiser confirms the group (``upkeep.confirm``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.interchange import values
from directory.models import AuditAction, Group, ProblemReport, ReportKind, Status, utcnow

from .actors import Actor, ServiceError
from .audit import record

#: The longest details or resolution kept (the form says so too).
DETAILS_LIMIT = 2000
#: Distinct open "stopped meeting" reports that mark a listing in search.
REPORTS_TO_MARK = 2
#: Listings a report can be about: the public can see them.
REPORTABLE = (Status.PUBLISHED.value,)


def reporter_key(secret: str, client: str, group_id: int) -> str:
    """Return the keyed hash that tells one reporter of a listing from another."""
    message = f"{group_id}|{client}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def report_problem(
    session: Session, group: Group, kind: str, *, details: str | None = None,
    contact_email: str | None = None, reporter: str, language: str = "en",
) -> ProblemReport:  # fmt: skip
    """Store a visitor's report about a published listing; return it (not committed)."""
    if group.status not in REPORTABLE:
        raise ServiceError(f"listing {group.id} is {group.status}: it cannot be reported")
    if kind not in {choice.value for choice in ReportKind}:
        raise ServiceError(f"{kind[:40]!r} is not a kind of problem")
    details = (details or "").strip() or None
    if details and len(details) > DETAILS_LIMIT:
        raise ServiceError(f"the details are longer than {DETAILS_LIMIT} characters")
    if kind == ReportKind.OTHER.value and not details:
        raise ServiceError("please say what is wrong")
    email = (contact_email or "").strip() or None
    if email is not None:
        try:
            email = values.email(email, "contact email")
        except values.ValueProblem as error:
            raise ServiceError(error.privately()) from None
        except ValueError:
            raise ServiceError("the contact email is not an email address") from None
    report = ProblemReport(
        group=group, kind=kind, details=details, contact_email=email, reporter_key=reporter,
        language=language[:8], created_at=utcnow(),
    )  # fmt: skip
    session.add(report)
    # The trail names the kind only: the details and the address stay on the report.
    record(session, group, Actor("system", "public report"), AuditAction.REPORTED, {}, kind)
    session.flush()
    return report


def resolve_report(session: Session, report: ProblemReport, actor: Actor, note: str) -> None:
    """Close a report with what was done about it (audited on the listing)."""
    actor.check(report.group)
    if report.resolved_at is not None:
        raise ServiceError("this report has been resolved already")
    note = (note or "").strip()
    if not note:
        raise ServiceError("please say what was done")
    if len(note) > DETAILS_LIMIT:
        raise ServiceError(f"the note is longer than {DETAILS_LIMIT} characters")
    report.resolved_at, report.resolved_by, report.resolution = utcnow(), actor.label[:254], note
    record(session, report.group, actor, AuditAction.REPORT_RESOLVED, {}, f"{report.kind}: {note}")
    session.flush()


def open_reports(session: Session, group_id: int) -> list[ProblemReport]:
    """Return a listing's unresolved reports, oldest first."""
    query = select(ProblemReport).where(
        ProblemReport.group_id == group_id, ProblemReport.resolved_at.is_(None)
    )
    return list(session.scalars(query.order_by(ProblemReport.created_at, ProblemReport.id)))


def reported_not_meeting(session: Session, group_ids: Iterable[int]) -> set[int]:
    """Return which of ``group_ids`` enough distinct people reported as no longer meeting."""
    ids = sorted(set(group_ids))
    if not ids:
        return set()
    query = (
        select(ProblemReport.group_id)
        .where(
            ProblemReport.group_id.in_(ids),
            ProblemReport.kind == ReportKind.STOPPED.value,
            ProblemReport.resolved_at.is_(None),
        )
        .group_by(ProblemReport.group_id)
        .having(func.count(func.distinct(ProblemReport.reporter_key)) >= REPORTS_TO_MARK)
    )
    return set(session.scalars(query))
