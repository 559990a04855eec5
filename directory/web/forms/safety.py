"""Tell a person from a script on /submit: a signed start time and a honeypot, no CAPTCHA."""

from __future__ import annotations

import time

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

_SALT = "directory.submit.started"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def start_stamp(now: float | None = None) -> str:
    """Return a signed record of when the form was first shown."""
    return _signer().dumps(int(now if now is not None else time.time()))


def started_at(stamp: str | None) -> float | None:
    """Return when a form was first shown, or None when the stamp is missing or forged."""
    try:
        value = _signer().loads(stamp or "")
    except BadSignature:
        return None
    return float(value) if isinstance(value, int) else None


def too_fast(stamp: str | None, now: float | None = None) -> bool:
    """Return whether the form came back sooner than a person fills it in (or unsigned)."""
    started = started_at(stamp)
    least = current_app.config.get("SUBMIT_MIN_SECONDS", 5)
    return started is None or (now if now is not None else time.time()) - started < least


def honeypot_filled(value: str | None) -> bool:
    """Return whether the field people are asked to leave empty has anything in it."""
    return bool((value or "").strip())
