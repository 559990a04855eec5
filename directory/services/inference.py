"""Give untagged listings the topics and audiences their words name, marked as inferred.

A listing's own tags (from its feed, its organiser or a moderator) are never replaced by
inferred ones: inference fills a field (topics, audiences) only while it has no own tags, and
an import refreshes inferred tags only then. An inferred tag is a tag like any other for
search, facets, the API and feeds; only its link row says ``inferred`` (``models.group_topic``),
so moderators can tell it apart. A person who changes a field's tags owns them all
(``owned``), and a moderator may confirm them as they are (``confirm``).

The audit trail names inferred tags ``inferred_topics`` and ``inferred_audiences``, beside the
``topics`` and ``audiences`` every change already records. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, selectinload

from directory.inference import INFERRED, Inference, Inferrer
from directory.models import (
    AuditAction,
    Group,
    Status,
    TaxonomyTerm,
    group_audience,
    group_topic,
)

from .actors import Actor
from .audit import record

#: The listing fields inference fills, with their link tables.
TABLES = {"topics": group_topic, "audiences": group_audience}
#: How the audit trail names a field's inferred tags.
FLAG_FIELDS = {"topics": "inferred_topics", "audiences": "inferred_audiences"}
#: The listings ``infer_untagged`` looks at: those a person may still see or approve.
OPEN_STATUSES = (Status.PENDING.value, Status.PUBLISHED.value)
BATCH_SIZE = 500


def inferred_slugs(session: Session, group_ids: Iterable[int]) -> dict[int, dict[str, list[str]]]:
    """Return, per listing, the slugs of its inferred topics and audiences (sorted)."""
    ids = sorted({gid for gid in group_ids if gid is not None})
    found: dict[int, dict[str, list[str]]] = {}
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        for name, table in TABLES.items():
            query = (
                select(table.c.group_id, TaxonomyTerm.slug)
                .join(TaxonomyTerm, TaxonomyTerm.id == table.c.term_id)
                .where(table.c.group_id.in_(batch), table.c.inferred)
                .order_by(table.c.group_id, TaxonomyTerm.slug)
            )
            for gid, slug in session.execute(query):
                found.setdefault(gid, {}).setdefault(name, []).append(slug)
    return found


def inferred_of(session: Session, group: Group) -> dict[str, list[str]]:
    """Return ``{"topics": [...], "audiences": [...]}``: the listing's inferred slugs."""
    stored = inferred_slugs(session, [group.id]).get(group.id, {}) if group.id else {}
    return {name: stored.get(name, []) for name in TABLES}


def described(before: Mapping[str, list], after: Mapping[str, list]) -> dict[str, list]:
    """Return the audit trail's changes between two ``inferred_of`` descriptions."""
    changes = {}
    for name, key in FLAG_FIELDS.items():
        old, new = sorted(before.get(name) or []), sorted(after.get(name) or [])
        if old != new:
            changes[key] = [old or None, new or None]
    return changes


def mark(session: Session, marks: Iterable[tuple[Group, str, Iterable[TaxonomyTerm]]]) -> None:
    """Flag the links ``(group, field, terms)`` as inferred; flushes first, so they exist."""
    session.flush()
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for group, name, terms in marks:
        rows[name] += [{"gid": group.id, "tid": term.id} for term in terms]
    for name, table in TABLES.items():
        if rows[name]:
            statement = (
                update(table)
                .where(table.c.group_id == bindparam("gid"), table.c.term_id == bindparam("tid"))
                .values(inferred=True)
            )
            session.execute(statement, rows[name])


def clear(session: Session, group: Group, names: Iterable[str]) -> None:
    """Make ``group``'s tags in the fields ``names`` its own (no longer inferred)."""
    for name in names:
        table = TABLES[name]
        flagged = table.c.group_id == group.id, table.c.inferred
        session.execute(update(table).where(*flagged).values(inferred=False))


def before_edit(session: Session, group: Group, changes: Mapping) -> dict[str, list[str]]:
    """Return the inferred slugs of the fields ``changes`` names, read before they apply."""
    if group.id is None or not any(name in changes for name in TABLES):
        return {}
    return inferred_of(session, group)


def owned(
    session: Session, group: Group, before: Mapping[str, list[str]], changed: Mapping
) -> dict[str, list]:
    """Make a field's tags its own once a person changed them; return the audit's changes.

    ``before`` is ``before_edit``'s answer; ``changed`` is the edit's diff. The person saw the
    tags and chose the field's list, so none of its tags is inferred any more.
    """
    names = [name for name in TABLES if name in changed and before.get(name)]
    clear(session, group, names)
    return described(before, {name: [] if name in names else before.get(name) for name in TABLES})


def confirm(session: Session, group: Group) -> dict[str, list]:
    """Make every inferred tag of ``group`` its own, as a moderator confirms; return changes."""
    before = inferred_of(session, group)
    clear(session, group, [name for name, slugs in before.items() if slugs])
    return described(before, {})


@dataclass
class Planner:
    """Decide, one listing at a time, which of its fields get inferred tags, and remember them.

    Built once per import or command: the taxonomy's names are compiled once. ``mark_all``
    flags every link planned, after the listings are stored.
    """

    session: Session
    inferrer: Inferrer | None = None
    _terms: dict[tuple[str, str], TaxonomyTerm] = field(default_factory=dict)
    _marks: list[tuple[Group, str, list[TaxonomyTerm]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Read the taxonomy once."""
        query = select(TaxonomyTerm).where(TaxonomyTerm.vocabulary.in_(list(INFERRED)))
        terms = list(self.session.scalars(query.order_by(TaxonomyTerm.id)))
        self.inferrer = self.inferrer or Inferrer(terms)
        self._terms = {(term.vocabulary, term.slug): term for term in terms}

    def infer(self, name: str | None, description: str | None) -> dict[str, list[Inference]]:
        """Return the inferred terms per field (``topics``, ``audiences``) of a listing's words."""
        found = self.inferrer.infer_listing(name, description)
        return {INFERRED[vocabulary]: items for vocabulary, items in found.items()}

    def terms(self, items: Iterable[Inference]) -> list[TaxonomyTerm]:
        """Return the terms of ``items`` (each once)."""
        terms = [self._terms.get((item.vocabulary, item.slug)) for item in items]
        return [term for term in terms if term is not None]

    def remember(self, group: Group, name: str, terms: list[TaxonomyTerm]) -> None:
        """Plan to flag ``group``'s links to ``terms`` in ``name`` as inferred."""
        if terms:
            self._marks.append((group, name, terms))

    def mark_all(self) -> None:
        """Flag every planned link as inferred (flushing first)."""
        if self._marks:
            mark(self.session, self._marks)
            self._marks = []

    def fill(self, group: Group) -> dict[str, list[TaxonomyTerm]]:
        """Give an unstored listing inferred tags in each field that has none; return them."""
        filled: dict[str, list[TaxonomyTerm]] = {}
        found = self.infer(group.name, group.description)
        for name in TABLES:
            terms = self.terms(found[name])
            if not getattr(group, name) and terms:
                setattr(group, name, terms)
                self.remember(group, name, terms)
                filled[name] = terms
        return filled


def slugs_of(filled: Mapping[str, Iterable[TaxonomyTerm]]) -> dict[str, list[str]]:
    """Return ``{field: [slug, ...]}`` of ``Planner.fill``'s answer."""
    return {name: sorted(term.slug for term in terms) for name, terms in filled.items()}


@dataclass
class Outcome:
    """What ``infer_untagged`` did, or would do: per listing id, the slugs given per field."""

    looked_at: int = 0
    tagged: dict[int, dict[str, list[str]]] = field(default_factory=dict)


def _untagged(session: Session, after: int, limit: int) -> list[Group]:
    """Return up to ``limit`` open listings past id ``after`` with no topics or no audiences."""
    query = (
        select(Group)
        .where(
            Group.id > after,
            Group.status.in_(OPEN_STATUSES),
            ~Group.topics.any() | ~Group.audiences.any(),
        )
        .order_by(Group.id)
        .limit(limit)
        .options(selectinload(Group.topics), selectinload(Group.audiences))
    )
    return list(session.scalars(query))


def infer_untagged(session: Session, actor: Actor, *, batch_size: int = BATCH_SIZE) -> Outcome:
    """Infer tags for stored open listings with an empty topics or audiences field; audited.

    For listings imported or submitted before inference existed. Fields a moderator
    corrected are left as they are (an empty list a moderator chose stays empty). Flushes
    each batch; the caller commits, or rolls back for a dry run.
    """
    planner = Planner(session)
    outcome = Outcome()
    after = 0
    while batch := _untagged(session, after, batch_size):
        after = batch[-1].id
        for group in batch:
            outcome.looked_at += 1
            corrected = set(group.corrected_fields or ())
            found = planner.infer(group.name, group.description)
            given: dict[str, list[TaxonomyTerm]] = {}
            for name in TABLES:
                terms = planner.terms(found[name])
                if terms and not getattr(group, name) and name not in corrected:
                    given[name] = terms
            if not given:
                continue
            changes = {}
            for name, terms in given.items():
                setattr(group, name, terms)
                planner.remember(group, name, terms)
                changes[name] = [None, sorted(term.slug for term in terms)]
            changes |= described({}, slugs_of(given))
            record(session, group, actor, AuditAction.INFERRED, changes)
            outcome.tagged[group.id] = slugs_of(given)
        planner.mark_all()
    return outcome
