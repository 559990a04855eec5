"""What keeps a listing current, as its item page shows it: changes, reports, links, trust.

An organiser's open change request is shown field by field, the listing as it is now beside
what the organiser proposes (the listing may have been corrected since they sent it). Open
problem reports come oldest first, with the reporter's address for moderators only.
"""

from __future__ import annotations

from dataclasses import dataclass

from directory import services
from directory.extensions import db
from directory.models import ChangeRequest, Group, ProblemReport, Status, TrustedOrganiser
from directory.services.audit import PRIVATE_FIELDS, field_of, state
from directory.web import words

from . import summary

#: Listings whose organiser and links a moderator looks after: those the public can find.
UPKEEP_STATUSES = (Status.PUBLISHED.value, Status.CLOSED.value)


@dataclass(frozen=True)
class ChangeView:
    """An open change request in words: each changed field now and as proposed."""

    request: ChangeRequest
    rows: list[summary.Comparison]


def _current(now: dict, name: str):
    field, _dot, part = name.partition(".")
    value = now.get(field)
    if not part:
        return value
    return value.get(part) if isinstance(value, dict) else None


def change_rows(group: Group, request: ChangeRequest) -> list[summary.Comparison]:
    """Return each field the request changes: its label, the listing's value now, the new one."""
    changes = request.changes or {}
    now = state(group, sorted({field_of(name) for name in changes}))
    return [
        summary.Comparison(
            summary.field_label(name),
            summary.change_text(name, _current(now, name)),
            summary.change_text(name, pair[1] if isinstance(pair, list | tuple) else pair),
            field_of(name) in PRIVATE_FIELDS,
        )
        for name, pair in changes.items()
    ]


def open_change(group: Group) -> ChangeView | None:
    """Return the published listing's open change request in words, if it has one."""
    if group.status != Status.PUBLISHED.value:
        return None
    request = services.open_request(db.session, group)
    return None if request is None else ChangeView(request, change_rows(group, request))


def reports(group: Group) -> list[ProblemReport]:
    """Return the listing's open problem reports, oldest first."""
    return services.open_reports(db.session, group.id)


def organiser_trusted(group: Group) -> bool | None:
    """Return whether the listing's organiser address is trusted (None: it has none)."""
    address = (group.organiser_email or "").strip().lower()
    if not address:
        return None
    return db.session.get(TrustedOrganiser, address) is not None


def context(group: Group) -> dict:
    """Return what the item page needs to show and decide about keeping ``group`` current."""
    return {
        "change": open_change(group),
        "reports": reports(group),
        "organiser_trusted": organiser_trusted(group),
        "organization_trusted": (
            None if group.organization is None else bool(group.organization.trusted)
        ),
        "upkeep": group.status in UPKEEP_STATUSES,
        "report_kind_labels": words.REPORT_KIND_LABELS,
    }
