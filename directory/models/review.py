"""Define a submission: a listing sent in on the site, waiting for (or past) review.

The listing itself is an ordinary pending ``Group``; this row keeps what review needs
besides: the language to write to the organiser in, when it came, and the question a
moderator asked and the organiser's answer. Each question and answer is in the audit trail
too; this row holds the latest, which says whether the item waits for the submitter.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import Base

from .base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from . import Group


class Submission(Base):
    """A listing an organiser sent in on the site, and the exchange about it with moderators."""

    __tablename__ = "submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("support_group.id", ondelete="CASCADE"), unique=True
    )
    #: The page's language when it was sent: mail to the organiser is written in it.
    language: Mapped[str] = mapped_column(String(8), default="en")
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    question: Mapped[str | None] = mapped_column(Text)
    asked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    asked_by: Mapped[str | None] = mapped_column(String(254))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    group: Mapped[Group] = relationship()

    @property
    def waiting_for_submitter(self) -> bool:
        """Return whether a moderator's question has not been answered yet."""
        return self.asked_at is not None and (
            self.answered_at is None or self.answered_at < self.asked_at
        )

    def __repr__(self) -> str:
        return f"<Submission {self.id} of group {self.group_id}>"
