"""Keep the index in step with the database: collect changes on flush, index after commit.

Listeners sit on every ORM session. A flush records which listings changed (directly, or
through their schedules, place or organisation); a commit hands them to the app's search
engine, which re-reads them from the database and replaces or removes them in the index. A
rollback forgets them. Indexing can fail (the index is locked too long, the disk is full):
the listing is committed already and stays so; the failure is logged and the index marked
stale, and the next write, ``reindex --if-stale``, start-up or the engine's periodic check
repairs it. Inside a web request that repair goes to the engine's background thread: a
repair may turn into a full rebuild, which no request should wait for.
"""

from __future__ import annotations

import logging

from flask import current_app, has_app_context, has_request_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from directory.models import Group, Language, Location, Organization, Schedule, TaxonomyTerm

log = logging.getLogger(__name__)

_KEY = "search_changes"
_installed = False


def install() -> None:
    """Listen to every ORM session (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    _installed = True


def _changes(session: Session) -> dict[str, set]:
    return session.info.setdefault(
        _KEY, {"groups": set(), "locations": set(), "organizations": set(), "taxonomy": set()}
    )


def _after_flush(session: Session, _context) -> None:
    changes = None
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, Group):
            key, value = "groups", instance.id
        elif isinstance(instance, Schedule):
            key, value = "groups", instance.group_id
        elif isinstance(instance, Location):
            key, value = "locations", instance.id
        elif isinstance(instance, Organization):
            key, value = "organizations", instance.id
        elif isinstance(instance, TaxonomyTerm | Language):
            key, value = "taxonomy", True
        else:
            continue
        if value is not None:
            changes = changes or _changes(session)
            changes[key].add(value)


def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)


def _after_commit(session: Session) -> None:
    changes = session.info.pop(_KEY, None)
    if not changes or not has_app_context():
        return
    engine = current_app.extensions.get("search")
    if engine is None or not current_app.config.get("SEARCH_SYNC", True):
        return
    if not engine.index.exists():
        return  # nothing to keep in step; the first search or `reindex` builds it
    try:
        with Session(bind=session.get_bind()) as reader:
            if changes["taxonomy"]:
                # Labels and synonyms changed: listings show them, so rebuild on the next check.
                engine.index.mark_stale("the taxonomy changed")
            ids = set(changes["groups"])
            if changes["locations"]:
                ids.update(
                    reader.scalars(
                        select(Group.id).where(Group.location_id.in_(changes["locations"]))
                    )
                )
            if changes["organizations"]:
                ids.update(
                    reader.scalars(
                        select(Group.id).where(Group.organization_id.in_(changes["organizations"]))
                    )
                )
            if engine.index.is_marked_stale() and has_request_context():
                engine.check_soon()  # the repair covers these changes too
            elif engine.index.is_marked_stale() and not changes["taxonomy"]:
                # Repair it now (a reconcile, or a rebuild when too much differs or the
                # taxonomy changed), which clears the mark, so later commits go back to
                # updating only what they changed.
                if engine.repair(reader) is None and ids:
                    engine.update(reader, ids)  # someone else repaired it meanwhile
            elif ids:
                engine.update(reader, ids)
    except Exception:
        log.exception("search index update failed; the index is marked stale and will be repaired")
        engine.index.mark_stale("an update failed")
