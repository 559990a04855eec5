"""Public feeds of published listings: HSDS, Meeting Guide, CSV and an iCalendar per search.

Each feed carries an ETag (a hash of its content) and Cache-Control, answers 304 Not
Modified to a matching If-None-Match, and allows any origin, so that tsml-ui or another
directory can read it from a browser.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, jsonify, request

from directory.extensions import db
from directory.interchange.export import (
    EXPORTS,
    export_listings,
    load_groups,
    published_ids,
    search_ids,
)
from directory.interchange.public import ExportContext
from directory.search.query import FACET_PARAMS, QueryError

bp = Blueprint("feeds", __name__, url_prefix="/api/v1")

#: How long browsers and proxies may reuse a feed before asking again (with its ETag).
MAX_AGE_SECONDS = 300
#: Parameters that make the calendar feed a search rather than every published listing.
SEARCH_PARAMS = frozenset(("q", "near", "lat", "lon", "radius", "unit", "online", "sort", "tz"))
SEARCH_PARAMS |= frozenset(FACET_PARAMS.values())
#: The most listings a search's calendar holds (the best matches first).
MAX_CALENDAR_LISTINGS = 1000


def _feed(fmt: str, ids: list[int]) -> Response:
    _writer, media_type, file_name = EXPORTS[fmt]
    groups = load_groups(db.session, ids)
    body = export_listings(fmt, groups, ExportContext(base_url=request.url_root))
    response = Response(body, content_type=media_type)
    response.set_etag(hashlib.sha256(body).hexdigest())
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE_SECONDS
    response.headers["Content-Disposition"] = f'inline; filename="{file_name}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)


@bp.get("/export/hsds.json")
def hsds_feed() -> Response:
    """Return every published listing as Open Referral HSDS 3.0 services (service_full)."""
    return _feed("hsds", published_ids(db.session))


@bp.get("/export/meeting-guide.json")
def meeting_guide_feed() -> Response:
    """Return every published listing as a Meeting Guide feed, for tsml-ui and the app."""
    return _feed("meeting-guide", published_ids(db.session))


@bp.get("/export/groups.csv")
def csv_feed() -> Response:
    """Return every published listing as a CSV spreadsheet (the import's column set)."""
    return _feed("csv", published_ids(db.session))


@bp.get("/groups.ics")
def calendar_feed():
    """Return the meetings of a search (same parameters as the search API) as iCalendar."""
    if SEARCH_PARAMS.isdisjoint(request.args.keys()):
        return _feed("ics", published_ids(db.session))
    try:
        ids = search_ids(request.args, limit=MAX_CALENDAR_LISTINGS)
    except QueryError as error:
        response = jsonify(error={"param": error.param, "message": error.message})
        response.status_code = 400
        return response
    return _feed("ics", ids)
