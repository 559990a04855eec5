"""Store prepared listings: create new ones, update changed ones in place, archive missing ones.

Listings are matched by (source, source_ref), organisations the same way. Every change is
recorded in the audit trail as the import's (``directory.services.imports``), and a person's
decisions stand: a listing a moderator archived or rejected stays so, and a field a moderator
corrected keeps its value; the report lists each such conflict. Nothing here commits: the
caller owns the transaction, so an import is saved whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.folding import fold
from directory.listings import LISTING_LOAD
from directory.models import DuplicateFlag, Group, Organization, Schedule, Status
from directory.services import Actor, imports, inference
from directory.services.audit import PRIVATE_FIELDS, state
from directory.services.editing import set_location

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


def apply(
    session: Session, group: Group, item: Prepared, organizations: Organizations,
    keep: frozenset[str] = frozenset(),
) -> None:  # fmt: skip
    """Make ``group`` say what ``item`` says, for the fields its format expresses.

    Fields in ``keep`` (those a moderator corrected) are left as they are.
    """
    fields = (item.fields | ALWAYS) - keep
    for name in GROUP_FIELDS:
        value = item.group[name]
        keep = name not in fields or (name in KEPT_WHEN_EMPTY and value is None)
        if not keep and getattr(group, name) != value:
            setattr(group, name, value)
    if "location" in fields:
        set_location(session, group, item.location)
    stored = [values_of(s, SCHEDULE_FIELDS) for s in group.schedules]
    if "schedules" in fields and stored != item.schedules:
        group.schedules = [Schedule(**values) for values in item.schedules]
    for name in (*TERM_FIELDS, "languages"):
        if name in fields and set(getattr(group, name)) != set(item.terms[name]):
            setattr(group, name, list(item.terms[name]))
    if "organization" in fields:
        group.organization = organizations.get(item.organization)


def _conflicts(group: Group, stored: dict, wanted: dict) -> list[str]:
    """Drop the corrected fields from both descriptions; say which ones the feed disputes."""
    found = []
    for name in sorted(set(group.corrected_fields or ()) & set(wanted)):
        theirs, ours = wanted.pop(name), stored.pop(name, None)
        if theirs == ours:
            continue
        if (
            name in PRIVATE_FIELDS
            or isinstance(ours, dict | list)
            or isinstance(theirs, dict | list)
        ):
            found.append(f"{name} kept as a moderator corrected it; the feed has another value")
        else:
            found.append(f"{name} kept as a moderator corrected it ({str(ours)[:60]!r}); "
                         f"the feed has {str(theirs)[:60]!r}")  # fmt: skip
    return found


@dataclass
class _Inferred:
    """A listing's inferred tags per field: stored before, and after this import (slugs)."""

    before: dict[str, list[str]]
    after: dict[str, list[str]]
    #: The fields inferred afresh, with the words that named each tag.
    items: dict[str, list]

    def described(self, which: dict[str, list[str]]) -> dict[str, list[str]]:
        """Name ``before`` or ``after`` as the audit trail does (``inferred_topics``)."""
        return {key: sorted(which.get(name, [])) for name, key in inference.FLAG_FIELDS.items()}


def _infer(context: _Context, item: Prepared, group: Group | None) -> _Inferred:
    """Fill the fields the feed leaves untagged with inferred tags, unless the listing has own.

    A field with the feed's own tags takes them (none inferred). An untagged field of a
    listing with own tags there (or a moderator's correction) keeps what it has. Otherwise
    its tags are inferred afresh from the name and description.
    """
    before = context.flags.get(group.id, {}) if group is not None else {}
    result = _Inferred(before, {}, {})
    found = None
    for name in inference.TABLES:
        if item.terms[name]:
            result.after[name] = []
            continue
        if group is not None:
            stored = list(getattr(group, name))
            own = {term.slug for term in stored} - set(before.get(name, ()))
            if own or name in (group.corrected_fields or ()):
                item.terms[name] = stored
                result.after[name] = list(before.get(name, []))
                continue
        found = found or context.planner.infer(item.group["name"], item.group["description"])
        item.terms[name] = context.planner.terms(found[name])
        result.after[name] = [term.slug for term in item.terms[name]]
        if item.terms[name] or before.get(name):
            item.fields = item.fields | {name}  # a format without the field: stale ones go
        result.items[name] = found[name]
    return result


def _note_inferred(context: _Context, item: Prepared, group: Group, inferred: _Inferred) -> None:
    """Flag the inferred links (once stored), unflag the given ones, list them in the report."""
    stale = [name for name, slugs in inferred.before.items()
             if slugs and not inferred.after.get(name)]  # fmt: skip
    inference.clear(context.planner.session, group, stale)
    parts = []
    for name, items in inferred.items.items():
        context.planner.remember(group, name, context.planner.terms(items))
        said = [i.slug if fold(i.slug) == i.evidence else f'{i.slug} ("{i.evidence}")'
                for i in items]  # fmt: skip
        if said:
            parts.append(f"{name}: {', '.join(said)}")
    if parts:
        context.report.infer(item.position, "; ".join(parts), item.ref, item.name)


def _create(session, item: Prepared, context: _Context) -> None:
    inferred = _infer(context, item, None)
    twin = context.duplicates.find(item)
    group = Group(source=context.source, source_ref=item.ref, status=context.status)
    note = ""
    if twin is not None:
        group.status = Status.PENDING.value  # never published next to its twin
        note = f'possible duplicate of listing {twin.id or "(new)"} "{twin.name}"'
        reason = f"same name, place and meeting time; found importing {context.source}"
        session.add(DuplicateFlag(group=group, duplicate_of=twin, reason=reason[:300]))
    apply(session, group, item, context.organizations)
    session.add(group)
    context.duplicates.remember(item, group)
    described = item.state() | inferred.described(inferred.after)
    imports.imported(session, group, context.actor, described, note)
    context.report.add("created", item.position, item.ref, item.name, note)
    _note_inferred(context, item, group, inferred)


def _update(session, group: Group, item: Prepared, context: _Context) -> None:
    report = context.report
    inferred = _infer(context, item, group)
    flags_before = inferred.described(inferred.before)
    flags_after = inferred.described(inferred.after)
    stored, wanted = _wanted_state(group, item)
    stored, wanted = stored | flags_before, wanted | flags_after
    for message in _conflicts(group, stored, wanted):
        report.conflict(item.position, message, item.ref, item.name)
    decision = context.decisions.get(group.id)
    if decision is not None:
        report.conflict(item.position, decision.message(), item.ref, item.name)
    restore = group.status == Status.ARCHIVED.value and decision is None
    if stored == wanted and not restore:
        report.add("unchanged", item.position, item.ref, item.name)
        return
    keep = frozenset(group.corrected_fields or ())
    before = state(group, item.fields) | flags_before
    apply(session, group, item, context.organizations, keep)
    if restore:
        group.status = context.status
    note = "back in the feed; restored" if restore else ""
    after = state(group, item.fields) | flags_after
    imports.updated(session, group, context.actor, before, after, note)
    report.add("updated", item.position, item.ref, item.name, note)
    _note_inferred(context, item, group, inferred)


def _ids(groups: dict[str, Group]) -> list[int]:
    return [group.id for group in groups.values()]


@dataclass
class _Context:
    source: str
    status: str
    report: ImportReport
    actor: Actor
    organizations: Organizations
    duplicates: DuplicateFinder
    decisions: dict
    planner: inference.Planner
    #: The stored listings' inferred slugs, per listing id and field.
    flags: dict


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
    actor: Actor | None = None,
) -> None:
    """Upsert ``items`` for ``source`` and archive what the feed no longer lists; flush only.

    ``kept_refs`` are listings the feed still names but could not be read this time (never
    archived); ``closed_refs`` maps ids the feed marks as no longer meeting to (position, why).
    When some records had no id at all, nothing is archived (``safe_to_archive`` is False):
    one of them may be a listing that is still there. Changes are audited as ``actor``'s
    (default: the import of ``source``).
    """
    query = select(Group).where(Group.source == source).options(*LISTING_LOAD)
    existing = {group.source_ref: group for group in session.scalars(query)}
    context = _Context(
        source, status, report, actor or Actor.importer(source), Organizations(session, source),
        DuplicateFinder(session, source), imports.people_decisions(session, source),
        inference.Planner(session), inference.inferred_slugs(session, _ids(existing)),
    )  # fmt: skip
    seen = set(kept_refs)
    for item in items:
        seen.add(item.ref)
        group = existing.get(item.ref)
        if group is None:
            _create(session, item, context)
        else:
            _update(session, group, item, context)
        advance(1)
    for ref, (position, reason) in (closed_refs or {}).items():
        seen.add(ref)
        group = existing.get(ref)
        if group is not None and group.status in ARCHIVABLE:
            imports.archived(session, group, context.actor, reason)
            report.add("archived", position, ref, group.name, reason)
    missing = [(ref, group) for ref, group in existing.items()
               if ref not in seen and group.status in ARCHIVABLE]  # fmt: skip
    if archive_missing and missing and not safe_to_archive:
        report.warn("file", f"{len(missing)} listings not in the feed were kept, not archived, "
                    "because some records could not be read")  # fmt: skip
    elif archive_missing:
        for ref, group in missing:
            imports.archived(session, group, context.actor, "no longer in the feed")
            report.add("archived", "database", ref, group.name, "no longer in the feed")
    context.planner.mark_all()  # flushes
    report.organizations_created = context.organizations.created
