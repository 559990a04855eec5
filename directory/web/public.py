"""Public pages: home, search results, a group's page and calendar, and the guides."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from directory import listings
from directory import search as directory_search
from directory.extensions import db
from directory.geo import valid_timezone
from directory.interchange.ical import group_calendar as calendar_file
from directory.interchange.public import ExportContext
from directory.presenting import present
from directory.search.query import FACET_PARAMS, SORTS, QueryError, parse_query
from directory.services import audit, reported_not_meeting
from directory.web import links, words
from directory.web.structured import group_jsonld

bp = Blueprint("public", __name__)

#: Links under the home page's search form: (parameter, value, label).
COMMON_SEARCHES = (
    ("topic", "depression", _l("Depression")),
    ("topic", "anxiety", _l("Anxiety and panic")),
    ("topic", "grief", _l("Grief and loss")),
    ("topic", "bipolar", _l("Bipolar disorder")),
    ("topic", "ptsd", _l("Trauma and PTSD")),
    ("topic", "substance-use", _l("Substance use and recovery")),
    ("topic", "suicide-loss", _l("Losing someone to suicide")),
    ("audience", "family-and-friends", _l("Family and friends")),
    ("audience", "parents", _l("Parents")),
    ("audience", "veterans", _l("Veterans")),
    ("audience", "lgbtq", _l("LGBTQ+ people")),
)
RADIUS_CHOICES = (5, 10, 25, 50, 100)
#: How many similar groups a closed group's page suggests.
SIMILAR_COUNT = 4

# Every page that shows a listing (or a hit) says how current it is, and whether it meets.
bp.add_app_template_global(words.freshness, "freshness")
bp.add_app_template_global(words.not_meeting, "not_meeting")


@bp.get("/")
def home():
    """Show the search form, common searches and a word on what peer support is."""
    common = [
        {"param": param, "value": value, "label": label} for param, value, label in COMMON_SEARCHES
    ]
    return render_template(
        "public/home.html", total=listings.searchable_count(), common_links=common
    )


def _without_unknown_zone(args: MultiDict) -> MultiDict:
    """Drop a time zone the server does not know: the page's script fills it in silently.

    A browser may report a zone newer than the server's data; the search should still work,
    in the place's own zone. The API keeps the strict check: a client chose its value.
    """
    zone = args.get("tz")
    if zone is None or valid_timezone(zone):
        return args
    kept = MultiDict(args)
    kept.poplist("tz")
    return kept


@bp.get("/search")
def search():
    """Show the groups that match the query string, with filters, a map and pages."""
    context = {
        "args": request.args,
        "radius_choices": RADIUS_CHOICES,
        "sorts": SORTS,
        "facet_params": FACET_PARAMS,
        "facet_clear": dict.fromkeys(FACET_PARAMS.values()),
    }
    try:
        query = parse_query(_without_unknown_zone(request.args))
        result = directory_search.search(query)
    except QueryError as error:  # a bad parameter, or a facet value the directory lacks
        return render_template("public/results.html", error=error, **context), 400
    tile_url = current_app.config.get("TILE_URL")
    ids = [hit.id for hit in result.hits]
    return render_template(
        "public/results.html",
        query=query,
        result=result,
        points=listings.map_points(ids),
        schedule_texts=words.schedule_texts(ids),
        reported=reported_not_meeting(db.session, ids),
        viewer_zone=query.tz or (result.place.timezone if result.place else None),
        tile_url=tile_url,
        tile_host=links.tile_host(tile_url),
        tile_attribution=links.tile_attribution(tile_url),
        **context,
    )


def _published_or_404(group_id: int):
    found = listings.get_published(group_id)
    if found is None:
        abort(404)
    return found


def _closed_page(closed):
    """Say a closed group no longer meets (410), with similar groups nearby to try instead."""
    args = listings.similar_search(closed)
    try:
        similar = directory_search.search(parse_query(MultiDict(args)))
    except QueryError:  # a topic the search no longer knows: no suggestions, still the page
        similar = None
    hits = [hit for hit in similar.hits if hit.id != closed.id][:SIMILAR_COUNT] if similar else []
    ids = [hit.id for hit in hits]
    page = render_template(
        "public/closed.html",
        group=closed,
        closed_at=listings.closed_at(closed.id),
        hits=hits,
        total=similar.total if similar else 0,
        search_args=args,
        query=similar.query if similar else None,
        points={},
        schedule_texts=words.schedule_texts(ids),
        reported=reported_not_meeting(db.session, ids),
        viewer_zone=None,
    )
    return page, 410


@bp.get("/groups/<id:group_id>")
def group(group_id: int):
    """Show one published group with everything a person needs to go (a closed one: 410)."""
    found = listings.get_published(group_id)
    if found is None:
        closed = listings.get_closed(group_id)
        if closed is None:
            abort(404)
        return _closed_page(closed)
    listing = present(found)
    return render_template(
        "public/group.html",
        listing=listing,
        jsonld=group_jsonld(listing),
        last_updated=audit.last_changed(db.session, group_id),
        reported=group_id in reported_not_meeting(db.session, [group_id]),
    )


@bp.get("/groups/<id:group_id>.ics")
def group_calendar(group_id: int):
    """Send the group's meetings as an iCalendar file to add to a calendar."""
    found = _published_or_404(group_id)
    body = calendar_file(found, ExportContext(base_url=links.site_root()))
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="group-{group_id}.ics"'},
    )


@bp.get("/about")
def about():
    """Explain peer support, what to expect, this directory, and how to report a problem."""
    return render_template(
        "public/about.html",
        contact=current_app.config["CONTACT_EMAIL"],
    )


@bp.get("/choosing-a-group")
def choosing():
    """Help a person choose a group that fits."""
    return render_template("public/choosing.html")


@bp.get("/privacy")
def privacy():
    """Say what the site stores and what it does not."""
    return render_template(
        "public/privacy.html",
        tile_host=links.tile_host(current_app.config.get("TILE_URL")),
    )
