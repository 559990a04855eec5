"""JSON API: search groups (``/api/v1/groups``) and read one group (``/api/v1/groups/<id>``).

Views parse, call the search engine or the listings module, and serialise. Errors are JSON
``{"error": {"param": ..., "message": ...}}``: 400 for a parameter that cannot be used
(an ambiguous place adds ``candidates``, an unknown one ``suggestions``), 404 for a group
that is not published. Organisers' private contact details are never part of a response.

Every listing carries how current it is and whether it meets: ``verified_at`` (its last
confirmation), ``paused`` and ``not_meeting_until`` (the local date it meets again, or null
while paused with no date, or when not paused) and ``reported_not_meeting`` (two or more
people reported it stopped meeting, and nobody has acted yet).
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, jsonify, request
from flask_babel import force_locale

from directory import listings
from directory import schedule as schedules
from directory.extensions import db
from directory.presenting import PublicListing, present, schedule_words
from directory.search import QueryError, parse_query, search
from directory.search.query import FACET_PARAMS, KM_PER_MILE
from directory.services import reported_not_meeting
from directory.web.api_schema import (
    GROUP_ANSWERS,
    PATH_PARAMETERS,
    SEARCH_ANSWERS,
    GroupSearch,
    spec,
)
from directory.web.links import external_url

bp = Blueprint("api", __name__, url_prefix="/api/v1")

#: The parameters that make a search (what it finds and in what order), also used by the
#: calendar feed (``web.feeds``) to tell a search from "every published listing".
SEARCH_PARAMS = frozenset(
    {"q", "near", "lat", "lon", "radius", "unit", "online", "sort", "tz", *FACET_PARAMS.values()}
)
#: Every parameter /api/v1/groups understands; anything else is refused by name.
KNOWN_PARAMS = SEARCH_PARAMS | {"page", "per_page"}
#: Parameters browsers and caches add that carry no meaning.
IGNORED_PARAMS = frozenset({"_"})


def _error(status: int, message: str, param: str | None = None, **extra):
    body = {"message": message, **extra}
    if param is not None:
        body = {"param": param, **body}
    return jsonify({"error": body}), status


@bp.errorhandler(QueryError)
def _bad_parameter(error: QueryError):
    return _error(400, error.message, error.param)


def refuse_unknown_params(args, known=KNOWN_PARAMS) -> None:
    """Raise QueryError naming the first parameter the API does not know."""
    unknown = sorted(set(args) - known - IGNORED_PARAMS)
    if unknown:
        raise QueryError(unknown[0], "unknown parameter")


@bp.get("/groups")
@spec.validate(query=GroupSearch, resp=SEARCH_ANSWERS, tags=["groups"], operation_id="searchGroups")
def groups():
    """Search published groups by words, place, facets and sort; one page as JSON.

    Every parameter is optional: with none, every published group, the soonest meeting
    first. A facet (topic, audience, format, day, time, lang, cost, access, org) may be
    repeated or comma-separated: a group matching any value of a facet is found, and every
    facet given must match. A place that could mean several places, or none, is a 400
    naming `near`.
    """
    refuse_unknown_params(request.args)
    query = parse_query(request.args)
    result = search(query)
    problem = result.place_problem
    if problem is not None and problem.ambiguous:
        candidates = [_place(place) for place in problem.candidates]
        return _error(400, problem.message, "near", candidates=candidates)
    if problem is not None:
        return _error(400, problem.message, "near", suggestions=list(problem.suggestions))
    return jsonify(_result(result))


@bp.get("/groups/<id:group_id>")
@spec.validate(
    resp=GROUP_ANSWERS,
    tags=["groups"],
    operation_id="getGroup",
    path_parameter_descriptions=PATH_PARAMETERS,
)
def group(group_id: int):
    """Return one published group in full.

    Its schedules, next meetings, public contact and, when its organiser shares them
    publicly, its joining details. Never its organiser's private contact.
    """
    found = listings.get_published(group_id)
    if found is None:
        return _error(404, "There is no published group with this number.")
    reported = group_id in reported_not_meeting(db.session, [group_id])
    return jsonify(_group(found, reported))


# --- serialising ------------------------------------------------------------------------


def _iso(moment: dt.datetime | dt.date | dt.time | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _place(place) -> dict:
    return {
        "display": place.display,
        "kind": place.kind,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "timezone": place.timezone,
        "city": place.city,
        "region": place.region,
        "postal_code": place.postal_code,
    }


def _pause(listing) -> dict:
    paused = listings.paused_today(listing)
    return {
        "paused": paused,
        "not_meeting_until": _iso(listing.resumes_on) if paused else None,
    }


def _result(result) -> dict:
    query = result.query
    reported = reported_not_meeting(db.session, [hit.id for hit in result.hits])
    pages = -(-result.total // query.per_page)
    place = None
    if result.place is not None:
        place = _place(result.place)
        if result.place.kind != "state":
            place["radius_miles"] = round(query.radius_miles, 2)
    return {
        "total": result.total,
        "page": query.page,
        "per_page": query.per_page,
        "pages": pages,
        "sort": query.effective_sort,
        "relaxed": result.relaxed,
        "suggestion": result.suggestion,
        "ignored": list(result.ignored),
        "excluded": [exclusion.shown for exclusion in query.words.excluded],
        "nearby": result.nearby,
        "online_only": result.online_only,
        "place": place,
        "results": [_hit(hit, query.unit, hit.id in reported) for hit in result.hits],
        "facets": {
            FACET_PARAMS[facet]: [
                {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                for v in values
            ]
            for facet, values in result.facets.items()
        },
    }


def _hit(hit, unit: str, reported: bool) -> dict:
    found = {
        "id": hit.id,
        "name": hit.name,
        "organization": hit.organization,
        "format": hit.format,
        "online": hit.online,
        "topics": [
            {"slug": slug, "label": label}
            for slug, label in zip(hit.topic_slugs, hit.topics, strict=False)
        ],
        "next_meeting": _iso(hit.next_meeting),
        "schedule_text": hit.schedule_text,
        "city": hit.city,
        "region": hit.region,
        "verified_at": _iso(hit.verified_at),
        **_pause(hit),
        "reported_not_meeting": reported,
        "url": external_url("public.group", group_id=hit.id),
        "api_url": external_url("api.group", group_id=hit.id),
    }
    if hit.distance_miles is not None:
        found["distance_miles"] = hit.distance_miles
        if unit == "km":
            found["distance_km"] = round(hit.distance_miles * KM_PER_MILE, 1)
    return found


def _terms(pairs) -> list[dict]:
    return [{"slug": slug, "label": label} for slug, label in pairs]


def _schedule(item) -> dict:
    try:
        rule = schedules.to_rrule(item)
    except schedules.ScheduleError:
        rule = None
    return {
        "text": schedule_words(item),
        "kind": item.kind,
        "weekdays": item.weekdays,
        "interval": item.interval,
        "anchor_date": _iso(item.anchor_date),
        "month_weeks": item.month_weeks,
        "dates": item.dates,
        "start_time": _iso(item.start_time),
        "end_time": _iso(item.end_time),
        "timezone": item.timezone,
        "valid_from": _iso(item.valid_from),
        "valid_until": _iso(item.valid_until),
        "note": item.note,
        "rrule": rule,
    }


def _host(host) -> dict | None:
    if host is None:
        return None
    return {"id": host.id, "name": host.name, "kind": host.kind, "website": host.website,
            "phone": host.phone, "email": host.email}  # fmt: skip


def _location(place) -> dict | None:
    if place is None:
        return None
    return {
        "name": place.name, "room": place.room, "address_1": place.address_1,
        "address_2": place.address_2, "city": place.city, "region": place.region,
        "postal_code": place.postal_code, "country": place.country,
        "latitude": place.latitude, "longitude": place.longitude,
    }  # fmt: skip


def _group(group, reported: bool) -> dict:
    """Serialise a group as the presenter shows it, in English (the API's language)."""
    with force_locale("en"):
        return _listing(present(group), reported)


def _listing(listing: PublicListing, reported: bool) -> dict:
    return {
        "id": listing.id,
        "name": listing.name,
        "description": listing.description,
        "format": listing.format,
        "online": listing.online,
        "cost": listing.cost,
        "cost_note": listing.cost_note,
        "facilitation": listing.facilitation,
        "registration_required": listing.registration_required,
        "topics": _terms(listing.topics),
        "audiences": _terms(listing.audiences),
        "accessibility": _terms(listing.accessibility),
        "languages": [{"code": code, "name": name} for code, name in listing.languages],
        "organization": _host(listing.host),
        "location": _location(listing.place),
        "timezone": listing.timezone,
        "schedules": [_schedule(item) for item in listing.schedules],
        "next_meetings": [start.isoformat() for start in listing.next_meetings],
        "contact": {
            "name": listing.contact_name,
            "email": listing.email,
            "phone": listing.phone,
            "website": listing.website,
        },
        "join": {
            "visibility": "on_request" if listing.joining_on_request else "public",
            "url": listing.join.url,
            "phone": listing.join.phone,
            "instructions": listing.join.instructions,
        },
        "verified_at": _iso(listing.verified_at),
        "paused": listing.paused,
        "not_meeting_until": _iso(listing.resumes_on) if listing.paused else None,
        "reported_not_meeting": reported,
        "updated_at": _iso(listing.updated_at),
        "demo": listing.is_demo,
        "url": listing.url,
    }
