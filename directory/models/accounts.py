"""Define moderator accounts, their passwords and the organisations they may moderate."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from directory.extensions import Base

from .base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from . import Group, Organization

#: werkzeug's current default, named so a future default change is a decision, not a surprise.
PASSWORD_METHOD = "scrypt"  # noqa: S105 - a hash method, not a password

moderator_organization = Table(
    "moderator_organization",
    Base.metadata,
    Column("moderator_id", ForeignKey("moderator.id", ondelete="CASCADE"), primary_key=True),
    Column("organization_id", ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True),
)


class Moderator(UserMixin, Base):
    """A person who reviews listings; limited to some organisations' listings, or to none.

    An admin, or a moderator with no organisations, may moderate every listing; with
    organisations, only theirs. Only admins will manage accounts on the site.
    """

    __tablename__ = "moderator"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # A column, overriding UserMixin's always-true property: Flask-Login refuses inactive users.
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organizations: Mapped[list[Organization]] = relationship(
        secondary=moderator_organization, order_by="Organization.id"
    )

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return value.strip().lower()

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password`` (never the password) and note when."""
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
        self.password_changed_at = utcnow()

    def check_password(self, password: str) -> bool:
        """Return whether ``password`` is this moderator's."""
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """Return what Flask-Login keeps in the session: the id and a stamp of the password.

        A new password changes the stamp, so every session signed in with the old one ends.
        """
        return f"{self.id}.{self.session_stamp}"

    @property
    def session_stamp(self) -> str:
        """Return a short digest of the password hash (never the hash itself)."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        """Return whether sign-in is refused for now after repeated failures."""
        return self.locked_until is not None and self.locked_until > (now or utcnow())

    @property
    def organization_ids(self) -> frozenset[int] | None:
        """Return the organisations this moderator is limited to, or None for every listing."""
        if self.is_admin or not self.organizations:
            return None
        return frozenset(org.id for org in self.organizations)

    def may_moderate(self, group: Group) -> bool:
        """Return whether this moderator may see and decide ``group``."""
        limit = self.organization_ids
        return limit is None or group.organization_id in limit

    def __repr__(self) -> str:
        return f"<Moderator {self.id}{' admin' if self.is_admin else ''}>"
