"""Sign moderators in, lock an account after repeated failures, and reset passwords by link.

Unknown addresses and wrong passwords are answered alike and cost alike (a hash is checked
either way), so neither the answer nor its timing says which addresses have accounts. Reset
links are signed and expire; each carries a fingerprint of the password it replaces, so it
stops working once the password changes (single use). None of these commits.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
from dataclasses import dataclass
from functools import cache

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from directory.models import Moderator, utcnow
from directory.models.accounts import PASSWORD_METHOD

from .accounts import check_password, find_moderator

#: Salt of reset links, so no other signed value of the site can pass for one.
RESET_SALT = "moderator-password-reset"


class SignInOutcome(enum.StrEnum):
    """How a sign-in attempt ended."""

    SIGNED_IN = "signed_in"
    REFUSED = "refused"  # unknown address, wrong password or closed account: one answer
    LOCKED = "locked"


@dataclass(frozen=True)
class SignIn:
    """The outcome of an attempt, with the moderator when it succeeded."""

    outcome: SignInOutcome
    moderator: Moderator | None = None

    @property
    def ok(self) -> bool:
        """Return whether the moderator may now be signed in."""
        return self.outcome is SignInOutcome.SIGNED_IN


@cache
def _dummy_hash() -> str:
    """Return a hash of a random password, checked when there is no account to check."""
    return generate_password_hash(secrets.token_hex(16), method=PASSWORD_METHOD)


def sign_in(
    session: Session,
    email: str,
    password: str,
    *,
    attempts: int,
    lock_for: dt.timedelta,
    now: dt.datetime | None = None,
) -> SignIn:
    """Check an email and password; count a failure, locking after ``attempts`` of them.

    A locked account is refused without its password being judged (it is still hashed,
    so the answer takes as long); the lock ends by itself after ``lock_for``.
    """
    now = now or utcnow()
    moderator = find_moderator(session, email) if email.strip() else None
    if moderator is None or not moderator.is_active:
        check_password_hash(_dummy_hash(), password)
        return SignIn(SignInOutcome.REFUSED)
    if moderator.is_locked(now):
        check_password_hash(_dummy_hash(), password)
        return SignIn(SignInOutcome.LOCKED)
    if not moderator.check_password(password):
        return SignIn(record_failure(session, moderator, attempts, lock_for, now))
    moderator.failed_sign_ins = 0
    moderator.locked_until = None
    moderator.last_sign_in_at = now
    session.flush()
    return SignIn(SignInOutcome.SIGNED_IN, moderator)


def record_failure(
    session: Session,
    moderator: Moderator,
    attempts: int,
    lock_for: dt.timedelta,
    now: dt.datetime | None = None,
) -> SignInOutcome:
    """Count one failed sign-in; at ``attempts`` lock the account and start counting afresh."""
    # Counted in the database, so attempts arriving at once on several workers all count.
    session.execute(
        update(Moderator)
        .where(Moderator.id == moderator.id)
        .values(failed_sign_ins=Moderator.failed_sign_ins + 1)
    )
    session.refresh(moderator, ["failed_sign_ins"])
    if moderator.failed_sign_ins < attempts:
        return SignInOutcome.REFUSED
    moderator.failed_sign_ins = 0
    moderator.locked_until = (now or utcnow()) + lock_for
    session.flush()
    return SignInOutcome.LOCKED


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=RESET_SALT)


def _fingerprint(moderator: Moderator) -> str:
    """Return a short digest of the current password hash: it changes with the password."""
    return hashlib.sha256(moderator.password_hash.encode()).hexdigest()[:20]


def reset_token(moderator: Moderator, secret_key: str) -> str:
    """Return a signed token that lets ``moderator`` choose a new password once."""
    return _serializer(secret_key).dumps({"m": moderator.id, "p": _fingerprint(moderator)})


class ResetLinkProblem(enum.StrEnum):
    """Why a reset link cannot be used."""

    EXPIRED = "expired"
    INVALID = "invalid"  # garbled, signed by another key, already used, or the account gone


def moderator_for_token(
    session: Session, token: str, secret_key: str, max_age: dt.timedelta
) -> Moderator | ResetLinkProblem:
    """Return the moderator a reset token is for, or why it cannot be used."""
    try:
        data = _serializer(secret_key).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired:
        return ResetLinkProblem.EXPIRED
    except BadSignature:
        return ResetLinkProblem.INVALID
    if not isinstance(data, dict) or not isinstance(data.get("m"), int):
        return ResetLinkProblem.INVALID
    moderator = session.get(Moderator, data["m"])
    if moderator is None or not moderator.is_active:
        return ResetLinkProblem.INVALID
    if not secrets.compare_digest(str(data.get("p", "")), _fingerprint(moderator)):
        return ResetLinkProblem.INVALID
    return moderator


def moderator_to_reset(session: Session, email: str) -> Moderator | None:
    """Return the active moderator who may be sent a reset link for ``email``, or None."""
    moderator = find_moderator(session, email) if email.strip() else None
    return moderator if moderator is not None and moderator.is_active else None


def set_new_password(session: Session, moderator: Moderator, password: str) -> None:
    """Give ``moderator`` a new password (by the account rules) and lift any lock.

    Not in the audit trail: it has no action for passwords, and the trail is about
    listings and who may change them. ``password_changed_at`` records when.
    """
    check_password(password)
    moderator.set_password(password)
    moderator.failed_sign_ins = 0
    moderator.locked_until = None
    session.flush()
