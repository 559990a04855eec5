"""Public feeds of published listings: HSDS, Meeting Guide, CSV and an iCalendar per search.

Each feed carries an ETag, Cache-Control and allows any origin, so that tsml-ui or another
directory can read it from a browser. A feed is built at most once per change of what it
shows, whoever asks and under whatever Host: it is kept in the instance folder
(``exports/``, see ``directory.interchange.feed_cache``) under a key made of its format,
``FEED_VERSION``, a cheap fingerprint of the database, the configured site address
(``DIRECTORY_BASE_URL``), the search for a search's calendar and, for the formats whose
content depends on the date, the day. The key is the ETag, so a matching If-None-Match is
answered 304 Not Modified before anything is built.

When the data has changed and an older build exists, the request is answered at once from
that build (with its own ETag, so clients come back for the new one) while one rebuild runs
in the background. When no build of an all-listings feed exists at all (a fresh deploy),
one is started in the background too; requests wait a few seconds for it, then get a 503
with Retry-After. A search's calendar, bounded to MAX_CALENDAR_LISTINGS, is built in the
first request that asks for it (so a bad search gets its 400), and only one at a time.

The HSDS feed is paged as the Open Referral HSDS 3.0 API pages (``page``, ``per_page``; the
answer is its Page envelope): at 6 to 7 KB a listing, a whole feed is 13 MB at 2,000 listings
and 650 MB at 100,000. Each page is a feed of its own in the cache (``hsds-p<per_page>-<page>``,
the least asked removed beyond feed_cache's bounds), built in the request that first asks for
it (about 55 ms for 100 listings): a page rebuilt per change, not per request, is what lets
many readers poll every page, and an older page is served while its rebuild runs.

With DIRECTORY_BASE_URL unset, links in a feed start from the address of the request that
built it, and everyone gets that build until the data changes: production sets the base URL.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from werkzeug.wsgi import wrap_file

from directory.extensions import db
from directory.interchange import feed_cache, hsds
from directory.interchange.export import (
    EXPORTS,
    iter_groups,
    published_ids,
    published_page,
    search_ids,
    stream_listings,
)
from directory.interchange.hsds import Page
from directory.interchange.public import ExportContext
from directory.search.fingerprint import listings_fingerprint
from directory.search.query import MAX_PER_PAGE, QueryError, parse_query
from directory.web.api import SEARCH_PARAMS, refuse_unknown_params
from directory.web.api_schema import (
    CALENDAR_ANSWERS,
    CSV_ANSWERS,
    HSDS_ANSWERS,
    MEETING_GUIDE_ANSWERS,
    SearchWords,
    hsds_paging_model,
    spec,
)
from directory.web.links import site_root

bp = Blueprint("feeds", __name__, url_prefix="/api/v1")

#: How long browsers and proxies may reuse a feed before asking again (with its ETag).
MAX_AGE_SECONDS = 300
#: ... and an older build served while the new one is made: they should come back soon.
STALE_MAX_AGE_SECONDS = 30
#: The most listings a search's calendar holds (the best matches first): enough for any
#: calendar a person would follow, and a bounded build (about 0.3 s) when not yet kept.
MAX_CALENDAR_LISTINGS = 200
#: The most search result pages a search's calendar reads (a page holds MAX_PER_PAGE).
MAX_CALENDAR_PAGES = math.ceil(MAX_CALENDAR_LISTINGS / MAX_PER_PAGE)
#: Listings on a page of the HSDS feed when ``per_page`` is not given (about 660 KB, built
#: in about 55 ms), and the most a page may hold (about 3.3 MB and 0.3 s).
HSDS_PER_PAGE = 100
HSDS_MAX_PER_PAGE = 500
#: The highest page number asked for that is not refused (a page past the last is empty).
HSDS_MAX_PAGE = 1_000_000
#: Bump when what an exporter writes changes, so that cached feeds and ETags are renewed.
FEED_VERSION = "5"
#: The folder, inside the instance folder, that keeps built feeds.
CACHE_FOLDER = "exports"
#: Formats whose content depends on the day (schedules' next dates and UTC offsets, and
#: whether a paused listing's resume date has come).
DATED = frozenset({"ics", "hsds", "hsds-csv", "meeting-guide"})
#: How long a request waits for a feed that was never built, then answers 503 with
#: Retry-After; the build goes on in the background.
FIRST_BUILD_WAIT_SECONDS = 5
RETRY_AFTER_SECONDS = 60
_POLL_SECONDS = 0.1
#: How long a worker reuses the database fingerprint (changes by other processes show
#: after this; this process's own commits at once).
FINGERPRINT_SECONDS = 2.0
_fingerprints: dict[str, tuple[float, str]] = {}
#: How many bytes of a kept feed are sent at a time.
CHUNK_BYTES = 64 * 1024


def fingerprint() -> str:
    """Return what changes whenever a published listing (or its place or organisation) does.

    The listings' fingerprint, the one the search index keeps itself current by
    (``directory.search.fingerprint``): a few aggregate queries, about a tenth of a second at
    100,000 listings, so a worker reuses the answer for FINGERPRINT_SECONDS; a commit in this
    process forgets it at once.
    """
    database = str(db.engine.url)
    kept = _fingerprints.get(database)
    now = time.monotonic()
    if kept is not None and now - kept[0] < FINGERPRINT_SECONDS:
        return kept[1]
    value = repr(listings_fingerprint(db.session))
    _fingerprints[database] = (now, value)
    return value


def _forget_fingerprints(_session: Session) -> None:
    _fingerprints.clear()


@bp.record_once
def _listen_for_commits(_state) -> None:
    """Forget the kept fingerprints whenever a session of this process commits."""
    if not event.contains(Session, "after_commit", _forget_fingerprints):
        event.listen(Session, "after_commit", _forget_fingerprints)


def feed_key(fmt: str, search: str = "") -> str:
    """Return the key (and ETag) of a feed as the data stands: never the request's Host."""
    day = dt.datetime.now(dt.UTC).date().isoformat() if fmt in DATED else ""
    base = current_app.config.get("BASE_URL") or ""
    return feed_cache.make_key(FEED_VERSION, fmt, search, day, base, fingerprint())


def normal_search(args: MultiDict) -> str:
    """Return a search in one canonical form: two searches that find the same give the same.

    Parameters are parsed as the search does (so bad ones raise QueryError first); words and
    places are case-folded, as the engine and the gazetteer fold them; facet values sorted.
    """
    query = parse_query(args)
    canonical = {
        "q": query.q.casefold(), "near": " ".join((query.near or "").casefold().split()),
        "lat": query.lat, "lon": query.lon, "radius": round(query.radius_miles, 6),
        "facets": {facet: sorted(values) for facet, values in query.facets.items()},
        "online": query.online, "sort": query.sort, "tz": query.tz,
    }  # fmt: skip
    return json.dumps(canonical, sort_keys=True, separators=(",", ":"))


def build_feed(fmt: str, ids: Iterable[int], base_url: str,
               page: Page | None = None) -> Iterator[bytes]:  # fmt: skip
    """Yield format ``fmt`` of the listings ``ids``, loaded a batch at a time.

    ``page`` says which page of the HSDS feed ``ids`` are; without it, they are all of it.
    """
    groups, context = iter_groups(db.session, ids), ExportContext(base_url=base_url)
    if page is not None:
        return hsds.write_page(groups, context, page)
    return stream_listings(fmt, groups, context)


def _headers(response: Response, etag: str, file_name: str, stale: bool = False) -> Response:
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = STALE_MAX_AGE_SECONDS if stale else MAX_AGE_SECONDS
    response.headers["Content-Disposition"] = f'inline; filename="{file_name}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _send(stream: BinaryIO, key: str, fmt: str, stale: bool = False) -> Response:
    _writer, media_type, file_name = EXPORTS[fmt]
    if request.if_none_match.contains_weak(key):
        stream.close()
        return _headers(Response(status=304), key, file_name, stale)
    size = stream.seek(0, 2)
    stream.seek(0)
    if size <= CHUNK_BYTES:  # small: read at once, so no file waits for the server to close it
        with stream:
            body: bytes | Iterable[bytes] = stream.read()
    else:  # read a chunk at a time; the WSGI server closes the file when the answer is sent
        body = wrap_file(request.environ, stream, CHUNK_BYTES)
    response = Response(body, content_type=media_type, direct_passthrough=True)
    response.content_length = size
    return _headers(response, key, file_name, stale)


def _build(name: str, make_key: Callable[[], str], build: Callable[[], Iterator[bytes]],
           lock: feed_cache.BuildLock) -> tuple[BinaryIO, str]:  # fmt: skip
    """Build ``name`` holding ``lock``, unless it was built for the current key meanwhile."""
    cache = _cache()
    try:
        key = make_key()
        stream = cache.open(name, key) or cache.store(name, key, build())
        return stream, key
    finally:
        lock.release()


def _cache() -> feed_cache.FeedCache:
    return feed_cache.FeedCache(f"{current_app.instance_path}/{CACHE_FOLDER}")


def _build_in_background(name: str, make_key: Callable[[], str],
                         build: Callable[[], Iterator[bytes]]) -> None:  # fmt: skip
    """Start building ``name`` in a thread, unless someone (here or elsewhere) already is."""
    if (lock := _cache().try_lock(name)) is not None:
        app = current_app._get_current_object()
        work = lambda: _build(name, make_key, build, lock)[0].close()  # noqa: E731
        feed_cache.in_background(app, lock, work)


def _serve(fmt: str, name: str, make_key: Callable[[], str],
           build: Callable[[], Iterator[bytes]], in_request: bool = False) -> Response:  # fmt: skip
    """Answer with the build of ``name`` for the current data, or an older one meanwhile.

    ``in_request``: a build bounded in size (a search's calendar) is made in the request
    that first asks, so that a bad search is told so there and then.
    """
    key = make_key()
    _writer, _media_type, file_name = EXPORTS[fmt]
    if request.if_none_match.contains_weak(key):
        return _headers(Response(status=304), key, file_name)
    cache = _cache()
    if (stream := cache.open(name, key)) is not None:
        return _send(stream, key, fmt)
    if (older := cache.open_latest(name)) is not None:
        _build_in_background(name, make_key, build)
        return _send(*older, fmt, stale=True)
    if not in_request:
        # Never built (a fresh deploy): built in the background too, so that no request (and
        # no server worker) is held for the minute a large directory's build takes. A small
        # one is ready within the wait; otherwise the asker is told when to come back.
        _build_in_background(name, make_key, build)
    deadline = time.monotonic() + FIRST_BUILD_WAIT_SECONDS
    while True:
        if in_request and (lock := cache.try_lock(name)) is not None:
            return _send(*_build(name, make_key, build, lock), fmt)
        if (found := cache.open_latest(name)) is not None:
            return _send(*found, fmt)
        if time.monotonic() >= deadline:
            break
        time.sleep(_POLL_SECONDS)
    response = jsonify(error={"message": "this feed is being built; try again in a minute"})
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _feed(fmt: str) -> Response:
    """Answer with format ``fmt`` of every published listing."""
    base = site_root()
    return _serve(fmt, fmt, lambda: feed_key(fmt),
                  lambda: build_feed(fmt, published_ids(db.session), base))  # fmt: skip


def _whole_number(args: MultiDict, name: str, default: int, high: int) -> int:
    values = [value.strip() for value in args.getlist(name) if value.strip()]
    if len(values) > 1:
        raise QueryError(name, "give this parameter once")
    if not values:
        return default
    text = values[0]
    if not (text.isascii() and text.isdigit()):
        raise QueryError(name, f"'{text[:40]}' is not a whole number; use 1 to {high:,}")
    if not 1 <= int(text[:12]) <= high:  # twelve digits are past any bound, and never slow
        raise QueryError(name, f"must be between 1 and {high:,}")
    return int(text)


def hsds_paging(args: MultiDict) -> tuple[int, int]:
    """Return the (page, per_page) asked for, or raise QueryError naming the bad one."""
    per_page = _whole_number(args, "per_page", HSDS_PER_PAGE, HSDS_MAX_PER_PAGE)
    return _whole_number(args, "page", 1, HSDS_MAX_PAGE), per_page


@bp.get("/export/hsds.json")
@spec.validate(
    query=hsds_paging_model(HSDS_PER_PAGE, HSDS_MAX_PER_PAGE, HSDS_MAX_PAGE),
    resp=HSDS_ANSWERS, tags=["feeds"], operation_id="hsdsFeed", skip_validation=True,
)  # fmt: skip
def hsds_feed() -> Response:
    """Return a page of the published listings as Open Referral HSDS 3.0 services.

    ``page`` (from 1) and ``per_page`` (HSDS_PER_PAGE, at most HSDS_MAX_PER_PAGE) as in the
    HSDS API; the answer is its Page (``total_items``, ``total_pages``, ``contents``...).
    """
    try:
        page, per_page = hsds_paging(request.args)
    except QueryError as error:
        response = jsonify(error={"param": error.param, "message": error.message})
        response.status_code = 400
        return response
    base = site_root()

    def build() -> Iterator[bytes]:
        ids, total = published_page(db.session, page, per_page)
        return build_feed("hsds", ids, base, Page(page, per_page, total))

    name = f"{feed_cache.PAGE_PREFIX}{per_page}-{page}"
    return _serve("hsds", name, lambda: feed_key("hsds", f"{page}/{per_page}"), build,
                  in_request=True)  # fmt: skip


@bp.get("/export/meeting-guide.json")
@spec.validate(resp=MEETING_GUIDE_ANSWERS, tags=["feeds"], operation_id="meetingGuideFeed")
def meeting_guide_feed() -> Response:
    """Return every published listing as a Meeting Guide feed, for tsml-ui and the app."""
    return _feed("meeting-guide")


@bp.get("/export/groups.csv")
@spec.validate(resp=CSV_ANSWERS, tags=["feeds"], operation_id="csvFeed")
def csv_feed() -> Response:
    """Return every published listing as a CSV spreadsheet (the import's column set)."""
    return _feed("csv")


def _search_calendar(args: MultiDict) -> Response:
    search = normal_search(args)
    name = feed_cache.SEARCH_PREFIX + feed_cache.make_key(search)[:24]
    base = site_root()

    def build() -> Iterator[bytes]:
        ids = search_ids(args, limit=MAX_CALENDAR_LISTINGS, max_pages=MAX_CALENDAR_PAGES)
        return build_feed("ics", ids, base)

    return _serve("ics", name, lambda: feed_key("ics", search), build, in_request=True)


@bp.get("/groups.ics")
@spec.validate(query=SearchWords, resp=CALENDAR_ANSWERS, tags=["feeds"],
               operation_id="calendarFeed")  # fmt: skip
def calendar_feed():
    """Return the meetings of a search (same parameters as the search API) as iCalendar."""
    try:
        # The calendar holds every match, so paging parameters have no place here.
        refuse_unknown_params(request.args, SEARCH_PARAMS)
        if SEARCH_PARAMS.isdisjoint(request.args.keys()):
            return _feed("ics")
        args = MultiDict([item for item in request.args.items(multi=True)
                          if item[0] in SEARCH_PARAMS])  # fmt: skip
        return _search_calendar(args)
    except QueryError as error:
        response = jsonify(error={"param": error.param, "message": error.message})
        response.status_code = 400
        return response
