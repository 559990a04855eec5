"""Define the audit trail: who changed what in a listing, when, and why."""

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


class AuditAction(enum.StrEnum):
    """What happened to a listing (or, with no listing, to an account)."""

    CREATED = "created"
    SUBMITTED = "submitted"
    IMPORTED = "imported"
    UPDATED = "updated"
    RESTORED = "restored"
    APPROVED = "approved"
    REJECTED = "rejected"
    ASKED = "asked"
    ANSWERED = "answered"
    EDITED = "edited"
    CONFIRMED = "confirmed"
    PAUSED = "paused"
    RESUMED = "resumed"
    CLOSED = "closed"
    ARCHIVED = "archived"
    REPORTED = "reported"
    DUPLICATE_RESOLVED = "duplicate_resolved"
    CHANGE_REQUESTED = "change_requested"
    CHANGE_APPROVED = "change_approved"
    CHANGE_REJECTED = "change_rejected"
    REPORT_RESOLVED = "report_resolved"
    REMINDED = "reminded"
    LINK_REVOKED = "link_revoked"
    TRUST_CHANGED = "trust_changed"
    MODERATOR_ADDED = "moderator_added"
    MODERATOR_REMOVED = "moderator_removed"
    #: Topics or audiences inferred from the listing's words by a command (``directory infer``).
    INFERRED = "inferred"


class ActorKind(enum.StrEnum):
    """Who made a change: a moderator, an organiser by signed link, a feed, a command."""

    MODERATOR = "moderator"
    ORGANISER = "organiser"
    IMPORT = "import"
    COMMAND = "command"
    SYSTEM = "system"


class AuditRecord(Base):
    """One change: when, who, the action, each changed field's before and after, a note.

    ``changes`` maps a field to ``[before, after]`` in JSON values; a place or organisation
    field is named ``location.city``. It may hold the organiser's private contact: moderators
    see it in a listing's history, but commands and logs mask those values unless asked.
    Records go with their listing if it is ever deleted (only demo data is).
    """

    __tablename__ = "audit_record"
    __table_args__ = (
        _one_of("action", _sorted(AuditAction)),
        _one_of("actor_kind", _sorted(ActorKind)),
        Index("ix_audit_record_group_id_at", "group_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("support_group.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    action: Mapped[str] = mapped_column(String(30))
    actor_kind: Mapped[str] = mapped_column(String(20))
    # A removed moderator's records keep their email in actor_label.
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderator.id", ondelete="SET NULL"), index=True
    )
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)

    group: Mapped[Group | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditRecord {self.id} group={self.group_id} {self.action} {self.actor_kind}>"
