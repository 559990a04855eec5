"""Write and read the audit trail: one record per change, with each field's before and after.

Listings are described with ``directory.interchange.state``'s field names, so an import, a
moderator's correction and the history all speak of the same fields; a place's or an
organisation's own fields are named ``location.city``, ``organization.phone``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.interchange.state import group_state
from directory.models import AuditAction, AuditRecord, Group, utcnow

from .actors import Actor

#: The organiser's private contact: kept in the trail for moderators, masked everywhere else.
PRIVATE_FIELDS = frozenset(("organiser_name", "organiser_email", "organiser_phone"))
#: Parts described as a mapping, whose changes are recorded key by key.
NESTED = frozenset(("location", "organization"))
_EMPTY = (None, "", [], {})


def json_value(value: Any) -> Any:
    """Return ``value`` as JSON can hold it: dates and times as ISO 8601 text, sets as lists."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(json_value(item) for item in value)
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return value


def _blank(value: Any) -> Any:
    return None if isinstance(value, str | list | dict | type(None)) and value in _EMPTY else value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list]:
    """Return ``{field: [before, after]}`` for each field that differs (empty equals missing)."""
    changes: dict[str, list] = {}
    for name in [*before, *(key for key in after if key not in before)]:
        old, new = _blank(before.get(name)), _blank(after.get(name))
        if old == new:
            continue
        if name in NESTED and isinstance(old, Mapping) and isinstance(new, Mapping):
            for key, pair in diff(old, new).items():
                changes[f"{name}.{key}"] = pair
        else:
            changes[name] = [json_value(old), json_value(new)]
    return changes


def state(group: Group, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Describe ``group`` for a diff: ``interchange.state``'s description plus its status."""
    described = group_state(group) if fields is None else group_state(group, fields)
    described["status"] = group.status
    return described


def record(
    session: Session,
    group: Group | None,
    actor: Actor,
    action: AuditAction,
    changes: Mapping[str, list] | None = None,
    note: str | None = None,
) -> AuditRecord:
    """Add one audit record (not flushed: the operation flushes once it is all applied)."""
    entry = AuditRecord(
        action=action.value, actor_kind=actor.kind.value, actor_id=actor.moderator_id,
        actor_label=actor.label[:254], changes=dict(changes or {}), note=note or None,
        at=utcnow(),
    )  # fmt: skip
    if group is not None:
        entry.group = group
    session.add(entry)
    return entry


def history(session: Session, group_id: int) -> list[AuditRecord]:
    """Return a listing's records, oldest first."""
    query = (
        select(AuditRecord)
        .where(AuditRecord.group_id == group_id)
        .order_by(AuditRecord.at, AuditRecord.id)
    )
    return list(session.scalars(query))


def field_of(change: str) -> str:
    """Return the listing field a change is to: ``location.city`` is to ``location``."""
    return change.split(".", 1)[0]


#: Actions that change what the public sees of a listing (its "Last updated").
PUBLIC_CHANGES = frozenset(
    action.value
    for action in (
        AuditAction.CREATED, AuditAction.SUBMITTED, AuditAction.IMPORTED, AuditAction.UPDATED,
        AuditAction.RESTORED, AuditAction.APPROVED, AuditAction.ANSWERED, AuditAction.EDITED,
        AuditAction.CONFIRMED,
    )
)  # fmt: skip


def last_changed(session: Session, group_id: int) -> dt.datetime | None:
    """Return when a listing last changed in a way the public sees, or None if never."""
    query = select(func.max(AuditRecord.at)).where(
        AuditRecord.group_id == group_id, AuditRecord.action.in_(sorted(PUBLIC_CHANGES))
    )
    return session.scalar(query)
