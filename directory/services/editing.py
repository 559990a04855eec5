"""Correct a listing's fields: a moderator's edit, checked, applied, diffed and audited.

``edit_group`` takes the fields by ``interchange.state``'s names: the group's own columns,
``location`` (a mapping of a place's values, resolved already, or None), ``schedules`` (a list
of mappings), ``topics``/``audiences``/``accessibility`` (slugs), ``languages`` (codes) and
``organization`` (an organisation's id, or None). Fields a moderator changes are remembered in
``Group.corrected_fields``, so a later import keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory import geo, schedule
from directory.interchange import values
from directory.interchange.state import (
    GROUP_FIELDS,
    LOCATION_FIELDS,
    ORGANIZATION_FIELDS,
    SCHEDULE_FIELDS,
    values_of,
)
from directory.models import (
    ActorKind,
    AuditAction,
    Cost,
    Facilitation,
    Format,
    Group,
    JoinVisibility,
    Language,
    Location,
    Organization,
    Schedule,
    TaxonomyTerm,
)

from . import inference
from .actors import Actor, ServiceError
from .audit import diff, field_of, record, state

#: Columns an edit may set: every listing field but the dates confirmations move.
EDITABLE = tuple(name for name in GROUP_FIELDS if name != "verified_at")
PARTS = ("location", "schedules", "topics", "audiences", "accessibility", "languages",
         "organization")  # fmt: skip
_VOCABULARY = {"topics": "topic", "audiences": "audience", "accessibility": "accessibility"}
_CHOICES = {"format": Format, "cost": Cost, "facilitation": Facilitation,
            "join_visibility": JoinVisibility}  # fmt: skip
_EMAILS, _URLS = ("contact_email", "organiser_email"), ("website", "join_url")
_PHONES = ("contact_phone", "join_phone", "organiser_phone")
_PLACED = (Format.IN_PERSON.value, Format.HYBRID.value)


def _column_value(name: str, value: Any) -> Any:
    noun = name.replace("_", " ")
    if isinstance(value, str):
        value = value.strip() or None
    if name == "name" and not value:
        raise ServiceError("name cannot be empty")
    if name == "description":
        return value or ""
    if name == "registration_required":
        if not isinstance(value, bool):
            raise ServiceError("registration required must be yes or no")
        return value
    if value is None:
        if name in _CHOICES:
            raise ServiceError(f"{noun} cannot be empty")
        return None
    if not isinstance(value, str):
        raise ServiceError(f"{noun} must be text")
    if name in _CHOICES and value not in {choice.value for choice in _CHOICES[name]}:
        raise ServiceError(f"{noun} {value[:40]!r} is not one of the choices")
    if name == "timezone" and not geo.valid_timezone(value):
        raise ServiceError(f"{value[:64]!r} is not a time zone such as America/Chicago")
    try:
        if name in _EMAILS:
            value = values.email(value, noun)
        elif name in _URLS:
            value = values.url(value, noun)
        elif name in _PHONES:
            value = values.phone(value, noun)
    except values.ValueProblem as error:
        raise ServiceError(error.privately()) from None
    except ValueError as error:
        raise ServiceError(str(error)) from None
    limit = Group.__table__.c[name].type.length
    if limit and len(value) > limit:
        raise ServiceError(f"{noun} is longer than {limit} characters")
    return value


def _location(value: Any) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or set(value) - set(LOCATION_FIELDS):
        raise ServiceError(f"a place is given by {', '.join(LOCATION_FIELDS)}")
    place = {name: value.get(name) for name in LOCATION_FIELDS}
    place["country"] = place["country"] or "US"
    if not geo.valid_timezone(place["timezone"] or ""):
        raise ServiceError("the place needs a time zone such as America/Chicago")
    lat, lon = place["latitude"], place["longitude"]
    if (lat is None) != (lon is None):
        raise ServiceError("the place needs both a latitude and a longitude, or neither")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ServiceError("the place's coordinates are out of range")
    return place


def _schedules(value: Any, zone: str) -> list[dict]:
    if not isinstance(value, list | tuple):
        raise ServiceError("schedules must be a list")
    result = []
    for number, given in enumerate(value, 1):
        if not isinstance(given, Mapping) or set(given) - set(SCHEDULE_FIELDS):
            raise ServiceError(f"schedule {number} is given by {', '.join(SCHEDULE_FIELDS)}")
        values_ = {name: given.get(name) for name in SCHEDULE_FIELDS}
        values_["kind"] = values_["kind"] or "weekly"
        values_["interval"] = values_["interval"] or 1
        values_["timezone"] = values_["timezone"] or zone
        try:
            problems = schedule.problems(Schedule(**values_))
        except (TypeError, ValueError) as error:
            problems = [str(error)]
        if problems:
            raise ServiceError(f"schedule {number}: {problems[0]}")
        result.append(values_)
    return result


def _terms(session: Session, name: str, given: Any) -> list:
    if isinstance(given, str) or not isinstance(given, list | tuple | set):
        raise ServiceError(f"{name} must be a list")
    keys = sorted(set(given))
    if name == "languages":
        found = list(session.scalars(select(Language).where(Language.code.in_(keys))))
        known = {language.code for language in found}
    else:
        query = select(TaxonomyTerm).where(
            TaxonomyTerm.vocabulary == _VOCABULARY[name], TaxonomyTerm.slug.in_(keys)
        )
        found = list(session.scalars(query))
        known = {term.slug for term in found}
    if unknown := [key for key in keys if key not in known]:
        raise ServiceError(f"unknown {name}: {', '.join(map(str, unknown))}")
    return found


def set_location(session: Session, group: Group, wanted: dict | None) -> None:
    """Give ``group`` the place ``wanted``, changing it in place only if no other group uses it."""
    current = group.location
    if wanted is None:
        if current is not None:
            group.location = None
            if not current.groups:
                session.delete(current)
        return
    if current is not None and values_of(current, LOCATION_FIELDS) == values_of(
        wanted, LOCATION_FIELDS
    ):
        return
    if current is not None and all(other is group for other in current.groups):
        for name, value in wanted.items():
            setattr(current, name, value)
    else:
        group.location = Location(**wanted)


def _check_shape(group: Group, columns: dict, parts: dict) -> None:
    fmt = columns.get("format", group.format)
    place = parts.get("location", group.location)
    has_place = place is not None
    if fmt in _PLACED and not has_place:
        raise ServiceError("an in-person or hybrid group needs a place")
    if not has_place and not columns.get("timezone", group.timezone):
        raise ServiceError("a group without a place needs a time zone")


def validated(session: Session, group: Group, changes: Mapping[str, Any]) -> tuple[dict, dict]:
    """Check ``changes`` against ``group``; return its columns and parts, ready to apply.

    ServiceError names the first bad value; nothing is changed.
    """
    if unknown := sorted(set(changes) - set(EDITABLE) - set(PARTS)):
        raise ServiceError(f"cannot edit {', '.join(unknown)} here")
    columns = {name: _column_value(name, changes[name]) for name in EDITABLE if name in changes}
    parts: dict[str, Any] = {}
    if "location" in changes:
        parts["location"] = _location(changes["location"])
    if "schedules" in changes:
        zone = (parts.get("location") or {}).get("timezone") or columns.get("timezone")
        parts["schedules"] = _schedules(changes["schedules"], zone or group.effective_timezone)
    for name in ("topics", "audiences", "accessibility", "languages"):
        if name in changes:
            parts[name] = _terms(session, name, changes[name])
    if "organization" in changes:
        org_id = changes["organization"]
        org = None if org_id is None else session.get(Organization, org_id)
        if org_id is not None and org is None:
            raise ServiceError(f"no organisation has id {org_id}")
        parts["organization"] = org
    _check_shape(group, columns, parts)
    return columns, parts


def apply_validated(session: Session | None, group: Group, columns: dict, parts: dict) -> None:
    """Set what ``validated`` returned on ``group`` (with no session: a listing not stored)."""
    parts = dict(parts)
    for name, value in columns.items():
        setattr(group, name, value)
    if "location" in parts:
        wanted = parts.pop("location")
        if session is None:
            group.location = None if wanted is None else Location(**wanted)
        else:
            set_location(session, group, wanted)
    if "schedules" in parts:
        group.schedules = [Schedule(**values_) for values_ in parts.pop("schedules")]
    for name, value in parts.items():
        setattr(group, name, value)


def apply_changes(
    session: Session, group: Group, changes: Mapping[str, Any],
    also: Mapping[str, Any] | None = None,
) -> dict[str, list]:  # fmt: skip
    """Check and apply ``changes`` (and set ``also``, unchecked); return what changed.

    The one path every edit takes (a moderator's, an organiser's answer, an approved change
    request): nothing changes unless every value is valid. Returns ``{field: [before,
    after]}``, without writing a record: the operation names its own.
    """
    also = also or {}
    columns, parts = validated(session, group, changes)
    names = [*changes, *also]
    before = state(group, names)
    flags = inference.before_edit(session, group, changes)
    apply_validated(session, group, columns, parts)
    for name, value in also.items():
        setattr(group, name, value)
    changed = diff(before, state(group, names))
    changed.pop("status", None)  # described for diffs, never changed by an edit
    return changed | inference.owned(session, group, flags, changed)


def edit_group(
    session: Session, group: Group, changes: Mapping[str, Any], actor: Actor,
    note: str | None = None, *, confirm_inferred: bool = False,
) -> dict:  # fmt: skip
    """Apply a correction to ``group``; return ``{field: [before, after]}`` of what changed.

    Nothing changes unless every value is valid (ServiceError names the first bad one). An
    edit that changes nothing writes no record. A moderator's edit is remembered in
    ``corrected_fields``; an organiser's is not (a feed may update it later).
    ``confirm_inferred`` makes the tags inferred from the listing's words its own.
    """
    actor.check(group)
    changed = apply_changes(session, group, changes)
    if confirm_inferred:
        changed |= inference.confirm(session, group)
    if not changed:
        return changed
    if actor.kind == ActorKind.MODERATOR:
        flags = set(inference.FLAG_FIELDS.values())  # confirming is not correcting
        fields = {field_of(name) for name in changed if name not in flags}
        group.corrected_fields = sorted(set(group.corrected_fields or ()) | fields)
    record(session, group, actor, AuditAction.EDITED, changed, note)
    session.flush()
    return changed


def _copy_of(group: Group) -> Group:
    """Return an unstored copy of ``group`` that never joins the session (see ``proposed``)."""
    copy = Group(**{name: getattr(group, name) for name in GROUP_FIELDS})
    if group.location is not None:
        copy.location = Location(**values_of(group.location, LOCATION_FIELDS))
    copy.schedules = [Schedule(**values_of(s, SCHEDULE_FIELDS)) for s in group.schedules]
    for name in ("topics", "audiences", "accessibility", "languages"):
        setattr(copy, name, list(getattr(group, name)))
    if group.organization is not None:
        copy.organization = Organization(**values_of(group.organization, ORGANIZATION_FIELDS))
    return copy


def proposed(
    session: Session, group: Group, changes: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list]]:
    """Check ``changes`` and return (the fields among them that differ, their diff).

    Nothing is changed: an organiser's edit of a published listing waits for a moderator,
    so it is applied to an unstored copy. ServiceError names the first bad value.
    """
    with session.no_autoflush:
        columns, parts = validated(session, group, changes)
        names = list(changes)
        copy = _copy_of(group)
        parts = dict(parts)
        org = parts.get("organization")
        if org is not None:
            parts["organization"] = Organization(**values_of(org, ORGANIZATION_FIELDS))
        apply_validated(None, copy, columns, parts)
        changed = diff(state(group, names), state(copy, names))
        for name in ("status", "name", "format", "timezone"):
            if name not in names:
                changed.pop(name, None)
        # A placed listing's own zone is only a fallback (an imported one often has none, and
        # the form fills it from the place): no change anyone sees.
        placed = copy.location is not None and group.location is not None
        if "timezone" in changed and placed and copy.effective_timezone == group.effective_timezone:
            changed.pop("timezone")
        if "organization" in names and org is not None and org.id != group.organization_id:
            changed.setdefault("organization.name", [None, org.name])
        touched = {field_of(name) for name in changed}
        return {name: changes[name] for name in names if name in touched}, changed
