"""An organiser's edit of a published listing: a change request a moderator approves or not.

``request_change`` keeps only the fields that differ from the listing. An edit that changes
nothing is a confirmation that the group still meets; an organiser (or an organisation) a
moderator trusts publishes at once, still audited; anyone else's edit waits as a
``ChangeRequest`` while the public page keeps showing the listing as it was. A newer edit
replaces an open request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.models import (
    AuditAction,
    ChangeOutcome,
    ChangeRequest,
    Group,
    Organization,
    Status,
    TrustedOrganiser,
    utcnow,
)

from .actors import Actor, ServiceError
from .audit import json_value, record
from .editing import apply_changes, edit_group, proposed
from .upkeep import confirm

#: What ``request_change`` did.
CONFIRMED, PUBLISHED, REQUESTED = "confirmed", "published", "requested"


@dataclass
class EditOutcome:
    """What came of an organiser's edit: "confirmed", "published" or "requested"."""

    kind: str
    changes: dict[str, list] = field(default_factory=dict)
    request: ChangeRequest | None = None


def _address(email: str | None) -> str:
    return (email or "").strip().lower()


def is_trusted(session: Session, group: Group) -> bool:
    """Return whether the group's organiser or its organisation is trusted by moderators."""
    if group.organization is not None and group.organization.trusted:
        return True
    address = _address(group.organiser_email)
    return bool(address) and session.get(TrustedOrganiser, address) is not None


def open_request(session: Session, group: Group) -> ChangeRequest | None:
    """Return the listing's change request still waiting for a moderator, if any."""
    query = select(ChangeRequest).where(
        ChangeRequest.group_id == group.id, ChangeRequest.decided_at.is_(None)
    )
    return session.scalars(query.order_by(ChangeRequest.id.desc()).limit(1)).first()


def _organiser(group: Group) -> Actor:
    return Actor.organiser(group.organiser_email or "organiser")


def request_change(
    session: Session, group: Group, fields: Mapping[str, Any], *, language: str = "en"
) -> EditOutcome:
    """Take an organiser's edit of a published listing (see the module's description)."""
    if group.status != Status.PUBLISHED.value:
        raise ServiceError(f"listing {group.id} is {group.status}: only a published one is edited")
    changed_fields, changes = proposed(session, group, fields)
    actor = _organiser(group)
    if not changes:
        return EditOutcome(CONFIRMED, confirm(session, group, actor))
    if is_trusted(session, group):
        applied = edit_group(session, group, changed_fields, actor, "trusted: published at once")
        confirm(session, group, actor)
        return EditOutcome(PUBLISHED, applied)
    now = utcnow()
    earlier = open_request(session, group)
    if earlier is not None:
        earlier.decided_at, earlier.outcome = now, ChangeOutcome.REPLACED.value
        earlier.decided_by = actor.label[:254]
    request = ChangeRequest(
        group=group, fields=_json(changed_fields), changes=changes, language=language[:8],
        created_at=now,
    )  # fmt: skip
    session.add(request)
    record(session, group, actor, AuditAction.CHANGE_REQUESTED, changes)
    session.flush()
    return EditOutcome(REQUESTED, changes, request)


def _json(fields: Mapping[str, Any]) -> dict[str, Any]:
    return json_value(dict(fields))


def _open(request: ChangeRequest, actor: Actor) -> Group:
    actor.check(request.group)
    if not request.is_open:
        raise ServiceError("this change has been decided already")
    if request.group.status != Status.PUBLISHED.value:
        raise ServiceError(f"listing {request.group_id} is {request.group.status} now")
    return request.group


def approve_change(
    session: Session, request: ChangeRequest, actor: Actor, note: str | None = None
) -> dict[str, list]:
    """Publish an organiser's change request; return what changed in the listing.

    The fields are checked again against the listing as it is now (it may have changed since
    the request). The organiser vouched for the listing, so it is also confirmed.
    """
    group = _open(request, actor)
    fields = stored_fields(request.fields)
    changes = apply_changes(session, group, fields, {"verified_at": utcnow()})
    request.decided_at, request.decided_by = group.verified_at, actor.label[:254]
    request.outcome, request.reason = ChangeOutcome.APPROVED.value, (note or "").strip() or None
    record(session, group, actor, AuditAction.CHANGE_APPROVED, changes, request.reason)
    session.flush()
    return changes


_TIMES = ("start_time", "end_time")
_DATES = ("anchor_date", "valid_from", "valid_until")


def stored_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Return a stored request's fields as ``edit_group`` takes them (schedule times parsed)."""
    result = dict(fields)
    if "schedules" in result:
        schedules = []
        for given in result["schedules"] or []:
            item = dict(given)
            for name in _TIMES:
                if isinstance(item.get(name), str):
                    item[name] = dt.time.fromisoformat(item[name])
            for name in _DATES:
                if isinstance(item.get(name), str):
                    item[name] = dt.date.fromisoformat(item[name])
            schedules.append(item)
        result["schedules"] = schedules
    return result


def reject_change(session: Session, request: ChangeRequest, actor: Actor, reason: str) -> None:
    """Turn down an organiser's change request with a reason (sent to the organiser)."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("a reason is required")
    group = _open(request, actor)
    request.decided_at, request.decided_by = utcnow(), actor.label[:254]
    request.outcome, request.reason = ChangeOutcome.REJECTED.value, reason
    record(session, group, actor, AuditAction.CHANGE_REJECTED, request.changes, reason)
    session.flush()


def set_trusted_organiser(session: Session, email: str, trusted: bool, actor: Actor) -> None:
    """Trust (or stop trusting) an organiser's address: their edits publish at once."""
    address = _address(email)
    if not address or "@" not in address:
        raise ServiceError("an organiser's email address is required")
    found = session.get(TrustedOrganiser, address)
    if trusted and found is None:
        session.add(TrustedOrganiser(email=address, added_by=actor.label[:254], added_at=utcnow()))
    elif not trusted and found is not None:
        session.delete(found)
    else:
        return
    note = f"{'trusted' if trusted else 'no longer trusted'}: organiser {address}"
    query = select(Group).where(func.lower(Group.organiser_email) == address)
    for group in session.scalars(query):
        record(session, group, actor, AuditAction.TRUST_CHANGED, {}, note)
    session.flush()


def set_trusted_organization(
    session: Session, organization: Organization, trusted: bool, actor: Actor
) -> None:
    """Trust (or stop trusting) an organisation: its organisers' edits publish at once."""
    if actor.organization_ids is not None and organization.id not in actor.organization_ids:
        raise ServiceError(f"{actor.label} may not moderate this organisation")
    if organization.trusted == trusted:
        return
    organization.trusted = trusted
    note = f"{'trusted' if trusted else 'no longer trusted'}: organisation {organization.name}"
    record(session, None, actor, AuditAction.TRUST_CHANGED, {"organization": organization.id}, note)
    session.flush()
