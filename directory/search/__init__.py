"""Search the directory: one way in, ``search(query)`` for a page, ``ids_for(query, limit)``.

Views call ``search(parse_query(request.args))`` and render the ``SearchResult`` (a place
that names no one place comes back as its ``place_problem``); exports call ``ids_for`` for
every listing a search finds, in the pages' order. ``init_app`` gives the app its engine,
keeps the index in step with the database after each commit, and (when serving) checks the
index at start, in the background: a server starts answering within ``SEARCH_START_WAIT``
seconds even while a large index is rebuilt, with "search is being rebuilt" pages until then.

The rooms, one job each:

- asking: ``query`` (parse_query, SearchQuery, Hit, SearchResult, QueryError),
  ``query_words`` (the words of a query), ``messages`` (what is wrong, in plain words);
- answering: ``engine`` (the order of a search's work, only), ``locating`` (a place or a
  ``PlaceProblem``), ``places`` (within reach, distances), ``facets`` (select and count),
  ``hits`` (the page shown, read from the index's stored fields),
  ``builder`` (words to a text plan), ``ranking`` (every scoring knob), ``spelling`` (did you
  mean), ``vocabulary`` (what facet values mean, the names people use for them) and
  ``labels`` (every fixed label: the API and the pages say the same, translated by the pages);
- the index: ``schema``, ``text`` (analysis), ``documents`` (index rows), ``catalogue`` (the
  index as arrays), ``whoosh_internals`` (the only reader of Whoosh's private names);
- writing it: ``index`` (build and update under the write lock), ``workers`` (parallel
  indexing), ``sync`` (index after each commit), ``commands`` (``directory reindex``);
- keeping it fresh: ``views`` (the view a search reads; when to check, distrust, repair),
  ``staleness`` (when the index is behind: reconcile or rebuild), ``fingerprint`` (what the
  listings and the index hold), ``integrity`` (files whole), ``healing`` (repairs in the
  background).
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
    "ids_for",
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
        # Also called from the background repair thread, which has no app context.
        with app.app_context():
            return Session(db.engine)

    app.config.setdefault("SEARCH_SYNC", True)
    # How long a search with no usable index waits for its rebuild before a 503; tests
    # wait longer so that a first search finds the index their fixture built.
    app.config.setdefault("SEARCH_REBUILD_WAIT", 60.0 if app.testing else 2.0)
    app.config.setdefault("SEARCH_START_WAIT", 20.0)
    engine = SearchEngine(
        app.config["INDEX_PATH"],
        session_factory,
        app.config["SEARCH_REBUILD_WAIT"],
        hide_after=app.config.get("HIDE_AFTER"),
    )
    app.extensions["search"] = engine
    sync.install()
    if app.config.get("SEARCH_CHECK_AT_START", _serving(app)):
        engine.check_soon()
        if not engine.wait_for_repair(app.config["SEARCH_START_WAIT"]):
            log.info("search index is being rebuilt; searches answer when it is done")


#: WSGI servers whose workers check the index at start, as ``flask run`` does.
SERVERS = ("gunicorn", "uwsgi", "waitress", "mod_wsgi", "bjoern")


def _serving(app: Flask) -> bool:
    """Say whether a server is starting this app: ``flask run`` or a known WSGI server.

    Other ``flask`` commands (``reindex``, imports) and scripts manage the index themselves;
    ``SEARCH_CHECK_AT_START`` overrides this either way.
    """
    import sys

    import click

    if app.testing:
        return False
    if any(name in sys.modules for name in SERVERS):
        return True
    context = click.get_current_context(silent=True)
    return context is not None and context.info_name == "run"


def get_engine():
    """Return the current app's search engine."""
    return current_app.extensions["search"]


def search(query: SearchQuery, now: dt.datetime | None = None) -> SearchResult:
    """Search the directory: one page of hits; raise QueryError for facet values it lacks."""
    return get_engine().search(query, now=now)


def ids_for(query: SearchQuery, limit: int | None = None) -> list[int]:
    """Return the ids of every listing ``query`` finds (to ``limit``), in the pages' order.

    Raises QueryError for a bad facet value or a place that names no one place.
    """
    return get_engine().ids_for(query, limit)
