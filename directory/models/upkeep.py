"""Define what keeps listings current: change requests, problem reports, reminders, trust.

A change request holds only the fields an organiser changed, in ``services.edit_group``'s
terms, so approving it applies exactly those; the public page shows the listing as it was
until then. A problem report is what a visitor said about a listing; it stays open until a
moderator resolves it. A reminder is one email asking an organiser to confirm a listing.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import Base

from .base import UTCDateTime, _one_of, _sorted, utcnow

if TYPE_CHECKING:
    from . import Group


class ReportKind(enum.StrEnum):
    """What a visitor says is wrong with a listing."""

    STOPPED = "stopped"
    WRONG_TIME = "wrong_time"
    WRONG_PLACE = "wrong_place"
    BROKEN_CONTACT = "broken_contact"
    OTHER = "other"


class ChangeOutcome(enum.StrEnum):
    """How a change request ended."""

    APPROVED = "approved"
    REJECTED = "rejected"
    REPLACED = "replaced"
    WITHDRAWN = "withdrawn"


class ChangeRequest(Base):
    """An organiser's edit of a published listing, waiting for a moderator (or decided)."""

    __tablename__ = "change_request"
    __table_args__ = (
        _one_of("outcome", _sorted(ChangeOutcome)),
        Index("ix_change_request_open", "group_id", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("support_group.id", ondelete="CASCADE"))
    #: The changed fields only, as ``edit_group`` takes them.
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: ``{field: [before, after]}`` when it was sent, for the moderator's diff.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The organiser's page language: the decision is written to them in it.
    language: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(254))
    outcome: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)

    group: Mapped[Group] = relationship()

    @property
    def is_open(self) -> bool:
        """Return whether it still waits for a moderator."""
        return self.decided_at is None

    def __repr__(self) -> str:
        return f"<ChangeRequest {self.id} of group {self.group_id} {self.outcome or 'open'}>"


class ProblemReport(Base):
    """What a visitor reported about a listing, with an optional way to reach them."""

    __tablename__ = "problem_report"
    __table_args__ = (
        _one_of("kind", _sorted(ReportKind)),
        Index("ix_problem_report_open", "group_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("support_group.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    details: Mapped[str | None] = mapped_column(Text)
    #: The reporter's own address, only if they gave one (moderators only).
    contact_email: Mapped[str | None] = mapped_column(String(254))
    #: A keyed hash of the reporter's address and the listing: tells two reports from one
    #: person's two, and cannot be turned back into the address without the site's key.
    reporter_key: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[str | None] = mapped_column(String(254))
    resolution: Mapped[str | None] = mapped_column(Text)

    group: Mapped[Group] = relationship()

    def __repr__(self) -> str:
        return f"<ProblemReport {self.id} {self.kind} of group {self.group_id}>"


class Reminder(Base):
    """One email that asked an organiser to confirm their listing still meets."""

    __tablename__ = "reminder"
    __table_args__ = (Index("ix_reminder_group_id_sent_at", "group_id", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("support_group.id", ondelete="CASCADE"))
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: The address it went to (the organiser's private one: moderators only).
    sent_to: Mapped[str] = mapped_column(String(254))
    #: The listing's verified date it asked about (None: never verified).
    about_verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    group: Mapped[Group] = relationship()


class TrustedOrganiser(Base):
    """An organiser's address whose edits publish at once (still audited)."""

    __tablename__ = "trusted_organiser"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    added_by: Mapped[str] = mapped_column(String(254))
