"""Organisers' manage links: signed, expiring, revocable, one per listing.

A link carries the listing's id and its ``manage_version``, signed with the site's key. It
stops working after ``DIRECTORY_MANAGE_LINK_DAYS``, when a moderator revokes the listing's
links (the version moves on), and when the listing has no organiser address any more. A
fresh link is only ever emailed to the organiser address on file.
"""

from __future__ import annotations

import enum

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from directory.extensions import db
from directory.models import Group
from directory.web import links

SALT = "manage-listing"


class LinkProblem(enum.StrEnum):
    """Why a manage link does not open its listing."""

    EXPIRED = "expired"
    REVOKED = "revoked"
    INVALID = "invalid"


def link_days() -> int:
    """Return how many days a manage link works."""
    return int(current_app.config.get("MANAGE_LINK_DAYS", 60))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def manage_token(group: Group) -> str:
    """Return a signed token that manages ``group`` until it expires or is revoked."""
    return _serializer().dumps([group.id, group.manage_version or 0])


def manage_url(group: Group) -> str:
    """Return the absolute manage link of ``group`` (needs a request context)."""
    return links.external_url("manage.listing", token=manage_token(group))


def _group(payload) -> Group | None:
    try:
        group_id, version = payload
        group = db.session.get(Group, int(group_id))
    except (TypeError, ValueError, OverflowError):
        return None
    if group is None or not isinstance(version, int) or not group.organiser_email:
        return None
    return group


def group_for_token(token: str) -> tuple[Group | None, LinkProblem | None]:
    """Return (the listing a token manages, None) or (a listing or None, the problem).

    An expired or revoked link still names its listing, signed, so the page can offer to
    email a fresh link to that listing's organiser; a tampered one names nothing.
    """
    serializer = _serializer()
    try:
        payload = serializer.loads(token, max_age=link_days() * 86400)
    except SignatureExpired as error:
        try:
            group = _group(serializer.load_payload(error.payload))
        except BadSignature:
            group = None
        return group, LinkProblem.EXPIRED
    except BadSignature:
        return None, LinkProblem.INVALID
    group = _group(payload)
    if group is None:
        return None, LinkProblem.INVALID
    if payload[1] != (group.manage_version or 0):
        return group, LinkProblem.REVOKED
    return group, None
