"""Add and remove moderator accounts, each change in the audit trail."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.interchange import values
from directory.models import AuditAction, Moderator, Organization

from .actors import Actor, ServiceError
from .audit import record

#: The shortest password accepted: length is what makes a password hard to guess.
MIN_PASSWORD_LENGTH = 12
#: The longest: hashing is deliberately slow, and a megabyte of "password" would be slower.
MAX_PASSWORD_LENGTH = 1024


def check_password(password: str) -> None:
    """Raise ServiceError when ``password`` is too short (or absurdly long)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ServiceError(f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.")


def find_moderator(session: Session, email: str) -> Moderator | None:
    """Return the moderator with ``email`` (in any case), or None."""
    query = select(Moderator).where(Moderator.email == email.strip().lower())
    return session.scalar(query)


def add_moderator(
    session: Session,
    email: str,
    password: str,
    actor: Actor,
    *,
    admin: bool = False,
    organization_ids: Iterable[int] = (),
) -> Moderator:
    """Create a moderator account; refuse a bad email, a short password or a taken email."""
    try:
        address = values.email(email, "email")
    except ValueError:
        raise ServiceError(f"{email[:80]!r} is not an email address.") from None
    if not address:
        raise ServiceError("An email address is required.")
    address = address.lower()
    if find_moderator(session, address) is not None:
        raise ServiceError(f"A moderator with the email {address} already exists.")
    check_password(password)
    wanted = sorted(set(organization_ids))
    orgs = list(session.scalars(select(Organization).where(Organization.id.in_(wanted))))
    if missing := sorted(set(wanted) - {org.id for org in orgs}):
        raise ServiceError(f"No organisation has the id {', '.join(map(str, missing))}.")
    moderator = Moderator(email=address, is_admin=admin, organizations=orgs)
    moderator.set_password(password)
    session.add(moderator)
    changes = {"email": [None, address], "is_admin": [None, admin],
               "organizations": [None, wanted]}  # fmt: skip
    record(session, None, actor, AuditAction.MODERATOR_ADDED, changes)
    session.flush()
    return moderator


def remove_moderator(session: Session, email: str, actor: Actor) -> Moderator:
    """Delete a moderator account; their past decisions keep their email in the trail."""
    moderator = find_moderator(session, email)
    if moderator is None:
        raise ServiceError(f"No moderator has the email {email.strip().lower()}.")
    record(session, None, actor, AuditAction.MODERATOR_REMOVED,
           {"email": [moderator.email, None]})  # fmt: skip
    session.delete(moderator)
    session.flush()
    return moderator


def moderators(session: Session) -> list[Moderator]:
    """Return every moderator account, by email."""
    return list(session.scalars(select(Moderator).order_by(func.lower(Moderator.email))))
