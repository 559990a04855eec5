"""Search the directory: query objects, the Whoosh index, facets and the engine.

Views call ``search(parse_query(request.args))`` and render the ``SearchResult``; nothing
else here is needed by a page. ``init_app`` gives the app its engine, keeps the index in
step with the database after each commit, and (when serving) checks the index at start.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import Flask, current_app

from directory.search.query import (
    FacetValue,
    Hit,
    QueryError,
    SearchQuery,
    SearchResult,
    parse_query,
)

log = logging.getLogger(__name__)

__all__ = [
    "FacetValue",
    "Hit",
    "QueryError",
    "SearchQuery",
    "SearchResult",
    "get_engine",
    "init_app",
    "parse_query",
    "search",
]


def init_app(app: Flask) -> None:
    """Give ``app`` a search engine and index sync; check the index now when serving."""
    from sqlalchemy.orm import Session

    from directory.extensions import db
    from directory.search import sync
    from directory.search.engine import SearchEngine

    def session_factory() -> Session:
        return Session(db.engine)

    engine = SearchEngine(app.config["INDEX_PATH"], session_factory)
    app.extensions["search"] = engine
    app.config.setdefault("SEARCH_SYNC", True)
    sync.install()
    if app.config.get("SEARCH_CHECK_AT_START", _serving(app)):
        with app.app_context():
            try:
                done = engine.check()
            except Exception:  # a fresh database without tables, say: the first search retries
                log.warning("search index check at start failed", exc_info=True)
            else:
                if done:
                    log.info("search index %s at start", done)


def _serving(app: Flask) -> bool:
    """Say whether ``flask run`` is starting this app (other servers check on first search)."""
    import click

    context = click.get_current_context(silent=True)
    return not app.testing and context is not None and context.info_name == "run"


def get_engine():
    """Return the current app's search engine."""
    return current_app.extensions["search"]


def search(query: SearchQuery, now: dt.datetime | None = None) -> SearchResult:
    """Search the directory; raise QueryError for facet values it does not know."""
    from directory.search.engine import search as run

    return run(query, now=now)
