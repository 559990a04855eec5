"""Put a listing, a comparison of two listings and a listing's history into words for moderators.

The public page's words (``directory.web.words``) describe formats, schedules, terms and
languages; this module only arranges them as rows a moderator reads, with the organiser's
private contact kept apart and marked private.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from directory.interchange.public import address_lines
from directory.models import Group
from directory.services.actors import describe
from directory.services.audit import PRIVATE_FIELDS
from directory.web import words

#: Each field's name in the page's language (``interchange.state``'s names, and status).
FIELD_LABELS = {
    "name": _l("Name"),
    "description": _l("Description"),
    "organization": _l("Organisation"),
    "format": _l("How it meets"),
    "location": _l("Where"),
    "timezone": _l("Time zone"),
    "schedules": _l("When"),
    "topics": _l("Topics"),
    "audiences": _l("Who it is for"),
    "inferred_topics": _l("Topics inferred from its words"),
    "inferred_audiences": _l("Who it is for, inferred from its words"),
    "languages": _l("Languages"),
    "cost": _l("Cost"),
    "cost_note": _l("About the cost"),
    "facilitation": _l("Led by"),
    "accessibility": _l("Accessibility"),
    "registration_required": _l("Registration"),
    "contact_name": _l("Contact name"),
    "contact_email": _l("Contact email"),
    "contact_phone": _l("Contact phone"),
    "website": _l("Website"),
    "join_url": _l("Link to join"),
    "join_phone": _l("Phone to join"),
    "join_instructions": _l("How to join"),
    "join_visibility": _l("Joining details shown"),
    "organiser_name": _l("Organiser's name"),
    "organiser_email": _l("Organiser's email"),
    "organiser_phone": _l("Organiser's phone"),
    "verified_at": _l("Last verified"),
    "paused": _l("Paused"),
    "paused_at": _l("Paused on"),
    "resumes_on": _l("Meets again on"),
    "manage_version": _l("Manage links"),
    "status": _l("Status"),
}
STATUS_LABELS = {
    "pending": _l("Waiting for review"),
    "published": _l("Published"),
    "rejected": _l("Turned down"),
    "archived": _l("Archived"),
    "closed": _l("Closed by its organiser"),
}
ACTION_LABELS = {
    "created": _l("Created"),
    "submitted": _l("Submitted on the site"),
    "imported": _l("Imported"),
    "updated": _l("Updated by its feed"),
    "restored": _l("Restored"),
    "approved": _l("Approved"),
    "rejected": _l("Turned down"),
    "asked": _l("Question to the submitter"),
    "answered": _l("Submitter answered"),
    "edited": _l("Corrected"),
    "confirmed": _l("Confirmed by the organiser"),
    "paused": _l("Paused"),
    "resumed": _l("Resumed"),
    "closed": _l("Closed"),
    "archived": _l("Archived"),
    "reported": _l("Problem reported"),
    "duplicate_resolved": _l("Possible duplicate settled"),
    "change_requested": _l("Changes sent by the organiser"),
    "change_approved": _l("Organiser's changes published"),
    "change_rejected": _l("Organiser's changes turned down"),
    "report_resolved": _l("Problem report resolved"),
    "reminded": _l("Reminder sent to the organiser"),
    "link_revoked": _l("Manage links revoked"),
    "trust_changed": _l("Trust changed"),
    "inferred": _l("Tags inferred from its words"),
}
#: The public fields, in the order a moderator reads them; then the private contact.
PUBLIC_ROWS = (
    "name", "description", "organization", "format", "location", "timezone", "schedules",
    "topics", "audiences", "languages", "cost", "facilitation", "accessibility",
    "registration_required", "contact_name", "contact_email", "contact_phone", "website",
    "join_url", "join_phone", "join_instructions", "join_visibility", "verified_at", "paused",
)  # fmt: skip
PRIVATE_ROWS = ("organiser_name", "organiser_email", "organiser_phone")


@dataclass(frozen=True)
class Row:
    """One field of a listing in words: its name, its label and its value as text."""

    field: str
    label: str
    text: str
    private: bool = False


def _place(location) -> str:
    if location is None:
        return ""
    return ", ".join(address_lines(location))


def _joined(items) -> str:
    return ", ".join(items)


def _paused(group: Group) -> str:
    """Return the organiser's pause in words."""
    if group.paused_at is None:
        return str(_l("No: it meets as usual"))
    since = words.long_date(group.paused_at)
    if group.resumes_on is None:
        return str(_l("Since %(since)s, until the organiser says it meets again", since=since))
    until = words.long_date(group.resumes_on)
    return str(_l("Since %(since)s; meets again on %(until)s", since=since, until=until))


def field_text(group: Group, field: str) -> str:
    """Return one field of ``group`` in the page's language ("" when it is empty)."""
    value = getattr(group, field, None)
    if field == "organization":
        return value.name if value is not None else ""
    if field == "format":
        return words.label(words.FORMAT_LABELS, value)
    if field == "location":
        return _place(value)
    if field == "timezone":
        return words.zone_name(value) if value and group.location is None else ""
    if field == "schedules":
        return "; ".join(words.schedule_text(schedule) for schedule in value)
    if field in ("topics", "audiences", "accessibility"):
        return _joined(words.term_labels(value))
    if field == "languages":
        return _joined(words.language_name(item.code, item.name) for item in value)
    if field == "cost":
        cost = words.label(words.COST_LABELS, value)
        return f"{cost} ({group.cost_note})" if group.cost_note else cost
    if field == "facilitation":
        return words.label(words.FACILITATION_LABELS, value)
    if field == "registration_required":
        return str(_l("Required") if value else _l("Not needed"))
    if field == "join_visibility":
        return str(_l("On the page") if value == "public" else _l("On request"))
    if field == "verified_at":
        return words.long_date(value) if value else str(_l("Not yet"))
    if field == "paused":
        return _paused(group)
    return "" if value is None else str(value)


def _inferred_text(group: Group, field: str, slugs: list[str]) -> str:
    """Return a topics or audiences field with its inferred tags marked "(inferred)"."""
    terms = getattr(group, field)
    labels = words.term_labels(terms)
    return _joined(
        str(_l("%(label)s (inferred)", label=label)) if term.slug in slugs else label
        for term, label in zip(terms, labels, strict=True)
    )


def rows(group: Group, inferred: dict[str, list[str]] | None = None) -> list[Row]:
    """Return every field of ``group`` in words: the public ones, then the private contact.

    ``inferred`` (``services.inference.inferred_of``) marks the tags inferred from its words.
    """
    found = [Row(name, str(FIELD_LABELS[name]), field_text(group, name)) for name in PUBLIC_ROWS]
    for index, row in enumerate(found):
        if (inferred or {}).get(row.field):
            found[index] = Row(
                row.field, row.label, _inferred_text(group, row.field, inferred[row.field])
            )
    found += [
        Row(name, str(FIELD_LABELS[name]), field_text(group, name), private=True)
        for name in PRIVATE_ROWS
    ]
    return found


@dataclass(frozen=True)
class Comparison:
    """One field of two listings side by side."""

    label: str
    mine: str
    theirs: str
    private: bool

    @property
    def differs(self) -> bool:
        """Return whether the two listings say different things here."""
        return self.mine != self.theirs


def compare(group: Group, other: Group) -> list[Comparison]:
    """Return each field of ``group`` beside the same field of ``other``."""
    return [
        Comparison(mine.label, mine.text, theirs.text, mine.private)
        for mine, theirs in zip(rows(group), rows(other), strict=True)
    ]


def value_text(value: Any) -> str:
    """Return a value from the audit trail (JSON) as plain text ("" for nothing)."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if isinstance(value, dict):
        return ", ".join(f"{key}: {value_text(item)}" for key, item in value.items() if item)
    if isinstance(value, list):
        separator = "; " if any(isinstance(item, dict) for item in value) else ", "
        return separator.join(value_text(item) for item in value)
    return str(value)


def field_label(change: str) -> str:
    """Return the name of a changed field: 'Where: city' for ``location.city``."""
    field, _dot, part = change.partition(".")
    label = str(FIELD_LABELS.get(field, field.replace("_", " ")))
    return f"{label}: {part.replace('_', ' ')}" if part else label


@dataclass(frozen=True)
class Change:
    """One field an audit record changed, before and after, in words."""

    label: str
    before: str
    after: str
    private: bool


@dataclass(frozen=True)
class Entry:
    """One audit record in words: when, who, what happened, what changed, the note."""

    at: str
    at_iso: str
    who: str
    action: str
    changes: list[Change]
    note: str | None


def change_text(field: str, value: Any) -> str:
    """Return a changed field's value in words: a format, cost or status by its label."""
    choices = {
        "format": words.FORMAT_LABELS, "cost": words.COST_LABELS,
        "facilitation": words.FACILITATION_LABELS, "status": STATUS_LABELS,
    }.get(field)  # fmt: skip
    if choices is not None and isinstance(value, str):
        return words.label(choices, value)
    return value_text(value)


def moment_text(moment) -> str:
    """Return a moment in the page's language, in UTC and saying so: 'Dec 1, 2026, 1:05 PM UTC'."""
    return f"{format_datetime(moment, 'medium')} UTC"


def history_entries(records) -> list[Entry]:
    """Return a listing's audit records in words, in the moderator's language, oldest first."""
    return [
        Entry(
            at=moment_text(record.at),
            at_iso=record.at.isoformat(),
            who=describe(record.actor_kind, record.actor_label),
            action=str(ACTION_LABELS.get(record.action, record.action)),
            changes=[
                Change(
                    field_label(name),
                    change_text(name, pair[0]),
                    change_text(name, pair[1]),
                    name.split(".", 1)[0] in PRIVATE_FIELDS,
                )
                for name, pair in (record.changes or {}).items()
            ],
            note=record.note,
        )
        for record in records
    ]
