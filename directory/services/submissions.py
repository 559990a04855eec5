"""Take a listing sent in on the site, and carry the exchange between moderator and organiser.

``submit_group`` stores a new pending listing with its ``Submission`` and its audit record,
flagging a possible duplicate by the import's rules; ``preview_group`` builds the same listing
without storing anything, for the organiser to check. ``ask_submitter`` records a moderator's
question; ``answer_submission`` the organiser's answer and corrections. None commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.interchange.duplicates import possible_duplicate
from directory.models import (
    AuditAction,
    DuplicateFlag,
    Group,
    Organization,
    OrgKind,
    Status,
    Submission,
    utcnow,
)

from . import inference
from .actors import Actor, ServiceError
from .audit import diff, record, state
from .editing import apply_changes, apply_validated, validated

#: Where listings sent in on the site say they came from.
SOURCE = "submission"
#: The longest question or answer kept (the form says so too).
MESSAGE_LIMIT = 4000


def find_organization(session: Session, name: str) -> Organization | None:
    """Return the organisation called ``name`` (ignoring case and outer spaces), if any."""
    wanted = " ".join(name.split()).lower()
    query = select(Organization).where(func.lower(Organization.name) == wanted)
    return session.scalars(query.order_by(Organization.id).limit(1)).first()


def _organization(session: Session, fields: Mapping[str, Any], name: str | None, stored: bool):
    if fields.get("organization") is not None:
        return None  # chosen by id: ``validated`` checks and sets it
    name = " ".join((name or "").split())
    if not name:
        return None
    if len(name) > Organization.__table__.c.name.type.length:
        raise ServiceError("the organisation's name is too long")
    found = find_organization(session, name)
    if found is not None:
        # Not stored: a copy, so the preview never joins the session through found.groups.
        return found if stored else _copy(found)
    return Organization(name=name, kind=OrgKind.OTHER.value, source=SOURCE)


def _copy(org: Organization) -> Organization:
    """Return an unstored copy of ``org`` for a preview, which must never join the session.

    Setting a stored organisation on an unstored listing would add the listing to its
    ``groups``, and the next flush would complain about it.
    """
    return Organization(name=org.name, kind=org.kind, website=org.website)


def _build(session: Session, fields: Mapping[str, Any], name: str | None, stored: bool) -> Group:
    if not (fields.get("organiser_email") or "").strip():
        raise ServiceError("the organiser's email is required")
    group = Group(status=Status.PENDING.value, source=SOURCE, corrected_fields=[])
    with session.no_autoflush:
        columns, parts = validated(session, group, fields)
        org = _organization(session, fields, name, stored)
        if org is not None:
            parts["organization"] = org
        chosen = parts.get("organization")
        if not stored and chosen is not None and chosen.id is not None:
            parts["organization"] = _copy(chosen)
        apply_validated(session if stored else None, group, columns, parts)
    return group


def preview_group(
    session: Session, fields: Mapping[str, Any], organization_name: str | None = None
) -> tuple[Group, Group | None]:
    """Return the listing as it would be stored (not stored) and a listing it may duplicate."""
    group = _build(session, fields, organization_name, stored=False)
    with session.no_autoflush:
        return group, possible_duplicate(session, group)


def submit_group(
    session: Session,
    fields: Mapping[str, Any],
    *,
    language: str = "en",
    organization_name: str | None = None,
) -> Submission:
    """Store a listing sent in on the site, pending review; return its submission.

    ``fields`` are ``edit_group``'s (``interchange.state`` names); ``organization_name`` names
    the host organisation when none is chosen by id: an organisation of that name is used,
    else a new one made. A possible duplicate is flagged for the moderator, not refused.
    Topics or audiences left empty get those the name and description name, marked
    inferred for the moderator (``services.inference``).
    """
    planner = inference.Planner(session)  # reads the taxonomy: before the listing exists
    group = _build(session, fields, organization_name, stored=True)
    with session.no_autoflush:  # not stored yet: it must not find itself
        inferred = inference.slugs_of(planner.fill(group))  # only fields left empty
        twin = possible_duplicate(session, group)
    session.add(group)
    submission = Submission(group=group, language=language[:8], submitted_at=utcnow())
    session.add(submission)
    note = None
    if twin is not None:
        note = f'possible duplicate of listing {twin.id} "{twin.name}"'
        session.add(
            DuplicateFlag(
                group=group, duplicate_of=twin, reason="same name, place and meeting time"
            )
        )
    actor = Actor.organiser(group.organiser_email or "organiser")
    changes = diff({}, state(group)) | inference.described({}, inferred)
    record(session, group, actor, AuditAction.SUBMITTED, changes, note)
    planner.mark_all()
    return submission


def _message(text: str | None, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ServiceError(f"{what} is required")
    if len(text) > MESSAGE_LIMIT:
        raise ServiceError(f"{what} is longer than {MESSAGE_LIMIT} characters")
    return text


def ask_submitter(session: Session, submission: Submission, actor: Actor, question: str) -> None:
    """Record a moderator's question to the organiser; the item then waits for them."""
    group = submission.group
    actor.check(group)
    if group.status != Status.PENDING.value:
        raise ServiceError(f"listing {group.id} is {group.status}: only a pending one is asked")
    question = _message(question, "a question")
    submission.question, submission.asked_by = question, actor.label[:254]
    submission.asked_at = utcnow()
    record(session, group, actor, AuditAction.ASKED, {}, question)
    session.flush()


def answer_submission(
    session: Session, submission: Submission, answer: str, changes: Mapping[str, Any]
) -> dict[str, list]:
    """Record the organiser's answer and apply their corrections; return what changed.

    Only a pending listing still waiting for an answer can be answered (a link is used once).
    """
    group = submission.group
    if group.status != Status.PENDING.value or not submission.waiting_for_submitter:
        raise ServiceError("this question has been answered or the listing decided already")
    answer = _message(answer, "an answer")
    changed = apply_changes(session, group, changes)
    submission.answer, submission.answered_at = answer, utcnow()
    actor = Actor.organiser(group.organiser_email or "organiser")
    record(session, group, actor, AuditAction.ANSWERED, changed, answer)
    session.flush()
    return changed
