"""Public feeds of published listings: HSDS, Meeting Guide, CSV and an iCalendar per search.

Each feed carries an ETag, Cache-Control and allows any origin, so that tsml-ui or another
directory can read it from a browser. The ETag comes from a cheap fingerprint of the
database (not from the finished body), so a matching If-None-Match is answered 304 Not
Modified before anything is built; and the all-listings exports are kept, once built, in
the instance folder (``exports/``) under their ETag, so asking again reads a file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import func, select

from directory.extensions import db
from directory.interchange.export import (
    EXPORTS,
    export_listings,
    load_groups,
    published_ids,
    search_ids,
)
from directory.interchange.public import ExportContext
from directory.models import Group, Location, Organization, Status
from directory.search.query import QueryError
from directory.web.api import SEARCH_PARAMS, refuse_unknown_params

bp = Blueprint("feeds", __name__, url_prefix="/api/v1")

#: How long browsers and proxies may reuse a feed before asking again (with its ETag).
MAX_AGE_SECONDS = 300
#: The most listings a search's calendar holds (the best matches first).
MAX_CALENDAR_LISTINGS = 1000
#: Bump when what an exporter writes changes, so that cached feeds and ETags are renewed.
FEED_VERSION = "1"
#: The folder, inside the instance folder, that keeps built all-listings exports.
CACHE_FOLDER = "exports"


def fingerprint() -> str:
    """Return what changes whenever a published listing (or its place or organisation) does.

    A few aggregate queries: the count, id sum and last update of published listings, and
    the last update of places and organisations (listings show theirs).
    """
    published = Group.status == Status.PUBLISHED.value
    count, id_sum, last = db.session.execute(
        select(func.count(), func.sum(Group.id), func.max(Group.updated_at)).where(published)
    ).one()
    places = db.session.scalar(select(func.max(Location.updated_at)))
    organizations = db.session.scalar(select(func.max(Organization.updated_at)))
    return repr((count, id_sum, last, places, organizations))


def _etag(fmt: str, search: str = "") -> str:
    # The day too: a calendar's time zone rules span from the day it is made.
    parts = (FEED_VERSION, fmt, request.url_root, search, dt.datetime.now(dt.UTC).date(),
             fingerprint())  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _headers(response: Response, etag: str, file_name: str) -> Response:
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE_SECONDS
    response.headers["Content-Disposition"] = f'inline; filename="{file_name}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _build(fmt: str, ids: list[int]) -> bytes:
    groups = load_groups(db.session, ids)
    return export_listings(fmt, groups, ExportContext(base_url=request.url_root))


def _cached(fmt: str, etag: str, build: Callable[[], bytes]) -> bytes:
    """Return the export kept under ``etag``, building and keeping it (alone) if missing."""
    folder = Path(current_app.instance_path) / CACHE_FOLDER
    path = folder / f"{fmt}-{etag}"
    with contextlib.suppress(FileNotFoundError):
        return path.read_bytes()
    body = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{fmt}-")
        with os.fdopen(handle, "wb") as stream:
            stream.write(body)
        os.replace(temporary, path)
        for old in folder.glob(f"{fmt}-{'?' * len(etag)}"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        current_app.logger.warning("could not keep the %s export in %s", fmt, folder)
    return body


def _feed(fmt: str, search: str | None = None) -> Response:
    """Answer with format ``fmt`` of every published listing, or of a search's."""
    _writer, media_type, file_name = EXPORTS[fmt]
    etag = _etag(fmt, search or "")
    if request.if_none_match.contains_weak(etag):
        return _headers(Response(status=304), etag, file_name)
    if search is None:
        body = _cached(fmt, etag, lambda: _build(fmt, published_ids(db.session)))
    else:
        body = _build(fmt, search_ids(request.args, limit=MAX_CALENDAR_LISTINGS))
    return _headers(Response(body, content_type=media_type), etag, file_name)


@bp.get("/export/hsds.json")
def hsds_feed() -> Response:
    """Return every published listing as Open Referral HSDS 3.0 services (service_full)."""
    return _feed("hsds")


@bp.get("/export/meeting-guide.json")
def meeting_guide_feed() -> Response:
    """Return every published listing as a Meeting Guide feed, for tsml-ui and the app."""
    return _feed("meeting-guide")


@bp.get("/export/groups.csv")
def csv_feed() -> Response:
    """Return every published listing as a CSV spreadsheet (the import's column set)."""
    return _feed("csv")


@bp.get("/groups.ics")
def calendar_feed():
    """Return the meetings of a search (same parameters as the search API) as iCalendar."""
    try:
        # The calendar holds every match, so paging parameters have no place here.
        refuse_unknown_params(request.args, SEARCH_PARAMS)
        if SEARCH_PARAMS.isdisjoint(request.args.keys()):
            return _feed("ics")
        search = urlencode(sorted(item for item in request.args.items(multi=True)
                                  if item[0] in SEARCH_PARAMS))  # fmt: skip
        return _feed("ics", search)
    except QueryError as error:
        response = jsonify(error={"param": error.param, "message": error.message})
        response.status_code = 400
        return response
