"""Store prepared listings: create new ones, update changed ones in place, archive missing ones.

Listings are matched by (source, source_ref), organisations the same way. Nothing here
commits: the caller owns the transaction, so an import is saved whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.listings import LISTING_LOAD
from directory.models import DuplicateFlag, Group, Location, Organization, Schedule, Status

from .duplicates import DuplicateFinder
from .report import ImportReport
from .state import (
    ALWAYS,
    GROUP_FIELDS,
    KEPT_WHEN_EMPTY,
    ORGANIZATION_FIELDS,
    SCHEDULE_FIELDS,
    TERM_FIELDS,
    group_state,
    location_state,
    values_of,
)
from .validate import Prepared

#: Statuses an import may archive when the feed no longer lists a listing.
ARCHIVABLE = (Status.PUBLISHED.value, Status.PENDING.value)


class Organizations:
    """Find or create the organisations of one source, updating them from the feed."""

    def __init__(self, session: Session, source: str) -> None:
        self.session = session
        self.source = source
        query = select(Organization).where(Organization.source == source)
        self._by_ref = {org.source_ref: org for org in session.scalars(query)}
        self.created = 0

    def get(self, data: dict | None) -> Organization | None:
        """Return the organisation the feed describes, created or brought up to date."""
        if data is None:
            return None
        fields = {name: data[name] for name in ORGANIZATION_FIELDS}
        org = self._by_ref.get(data["ref"])
        if org is None:
            org = Organization(source=self.source, source_ref=data["ref"], **fields)
            self.session.add(org)
            self._by_ref[data["ref"]] = org
            self.created += 1
        else:
            for name, value in fields.items():
                if getattr(org, name) != value:
                    setattr(org, name, value)
        return org


def _wanted_state(group: Group, item: Prepared) -> tuple[dict, dict]:
    """Return (stored, wanted) descriptions, ignoring empty values a feed must not clear."""
    wanted = item.state()
    stored = group_state(group, item.fields)
    for name in KEPT_WHEN_EMPTY:
        if name in wanted and wanted[name] is None:
            wanted.pop(name)
            stored.pop(name, None)
    return stored, wanted


def _set_location(session: Session, group: Group, wanted: dict | None) -> None:
    current = group.location
    if wanted is None:
        if current is not None:
            group.location = None
            if not current.groups:
                session.delete(current)
        return
    if current is not None and location_state(current) == wanted:
        return
    if current is not None and all(other is group for other in current.groups):
        for name, value in wanted.items():
            setattr(current, name, value)
    else:
        group.location = Location(**wanted)


def apply(session: Session, group: Group, item: Prepared, organizations: Organizations) -> None:
    """Make ``group`` say what ``item`` says, for the fields its format expresses."""
    fields = item.fields | ALWAYS
    for name in GROUP_FIELDS:
        value = item.group[name]
        keep = name not in fields or (name in KEPT_WHEN_EMPTY and value is None)
        if not keep and getattr(group, name) != value:
            setattr(group, name, value)
    if "location" in fields:
        _set_location(session, group, item.location)
    stored = [values_of(s, SCHEDULE_FIELDS) for s in group.schedules]
    if "schedules" in fields and stored != item.schedules:
        group.schedules = [Schedule(**values) for values in item.schedules]
    for name in (*TERM_FIELDS, "languages"):
        if name in fields and set(getattr(group, name)) != set(item.terms[name]):
            setattr(group, name, list(item.terms[name]))
    if "organization" in fields:
        group.organization = organizations.get(item.organization)


def write_listings(
    session: Session,
    items: Iterable[Prepared],
    *,
    source: str,
    status: str,
    report: ImportReport,
    archive_missing: bool = True,
    safe_to_archive: bool = True,
    kept_refs: Iterable[str] = (),
    closed_refs: dict[str, tuple[str, str]] | None = None,
    advance: Callable[[int], None] = lambda n: None,
) -> None:
    """Upsert ``items`` for ``source`` and archive what the feed no longer lists; flush only.

    ``kept_refs`` are listings the feed still names but could not be read this time (never
    archived); ``closed_refs`` maps ids the feed marks as no longer meeting to (position, why).
    When some records had no id at all, nothing is archived (``safe_to_archive`` is False):
    one of them may be a listing that is still there.
    """
    query = select(Group).where(Group.source == source).options(*LISTING_LOAD)
    existing = {group.source_ref: group for group in session.scalars(query)}
    organizations = Organizations(session, source)
    duplicates = DuplicateFinder(session, source)
    seen = set(kept_refs)
    for item in items:
        seen.add(item.ref)
        group = existing.get(item.ref)
        if group is None:
            twin = duplicates.find(item)
            group = Group(source=source, source_ref=item.ref, status=status)
            note = ""
            if twin is not None:
                group.status = Status.PENDING.value  # never published next to its twin
                note = f'possible duplicate of listing {twin.id or "(new)"} "{twin.name}"'
                reason = f"same name, place and meeting time; found importing {source}"
                session.add(DuplicateFlag(group=group, duplicate_of=twin, reason=reason[:300]))
            apply(session, group, item, organizations)
            session.add(group)
            duplicates.remember(item, group)
            report.add("created", item.position, item.ref, item.name, note)
        else:
            stored, wanted = _wanted_state(group, item)
            archived = group.status == Status.ARCHIVED.value
            if stored == wanted and not archived:
                report.add("unchanged", item.position, item.ref, item.name)
            else:
                apply(session, group, item, organizations)
                if archived:
                    group.status = status
                report.add("updated", item.position, item.ref, item.name,
                           "back in the feed; restored" if archived else "")  # fmt: skip
        advance(1)
    for ref, (position, reason) in (closed_refs or {}).items():
        seen.add(ref)
        group = existing.get(ref)
        if group is not None and group.status in ARCHIVABLE:
            group.status = Status.ARCHIVED.value
            report.add("archived", position, ref, group.name, reason)
    missing = [(ref, group) for ref, group in existing.items()
               if ref not in seen and group.status in ARCHIVABLE]  # fmt: skip
    if archive_missing and missing and not safe_to_archive:
        report.warn("file", f"{len(missing)} listings not in the feed were kept, not archived, "
                    "because some records could not be read")  # fmt: skip
    elif archive_missing:
        for ref, group in missing:
            group.status = Status.ARCHIVED.value
            report.add("archived", "database", ref, group.name, "no longer in the feed")
    session.flush()
    report.organizations_created = organizations.created
