"""The search a partner site shows in an iframe: /embed, compact, cookieless, linking out.

A partner (a NAMI affiliate, a clinic) frames ``/embed?topic=grief&near=60614``: the query
string is the same as the search page's, so every preset (``topic``, ``org``, ``near``, the
meeting-language facet ``lang``) is an ordinary filter the person sees and can change. The
page's own language is ``locale`` (``en`` or ``es``), as everywhere on the site. Results and
the link to the full list open the site itself in a new tab.

Only the origins in DIRECTORY_EMBED_ORIGINS may frame it (``web.security``), and it never
sets a cookie: a partner's visitors carry nothing of ours away from their page.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from directory import search as directory_search
from directory.extensions import db
from directory.geo import valid_timezone
from directory.i18n import PARAM as LOCALE_PARAM
from directory.i18n import requested_locale
from directory.search.healing import SearchRebuilding
from directory.search.query import FACET_PARAMS, QueryError, parse_query
from directory.services import reported_not_meeting
from directory.web import links, words
from directory.web.public import RADIUS_CHOICES

bp = Blueprint("embed", __name__)

#: Filters the embed always offers; any other facet shows once a preset or a choice sets it.
OFFERED_FACETS = ("topic", "format", "lang", "org")
#: How many groups the embed lists; the link under them opens the whole list on the site.
HITS_SHOWN = 10
#: Parameters the embed does not take from its address: it shows one short page.
_NOT_TAKEN = ("page", "per_page", LOCALE_PARAM)


class CookielessResponse(Response):
    """A response that never sets a cookie, whoever asks it to.

    The language chosen by ``?locale=`` (``i18n.remember_choice``), a refreshed session and a
    "remember me" sign-in all go through ``set_cookie``; none of them may reach a partner's
    page, so here it does nothing.
    """

    def set_cookie(self, *args, **kwargs) -> None:
        """Set no cookie: the embed keeps nothing in the browser."""


def _search_args() -> MultiDict:
    """Return the request's search parameters: one short page, a time zone the server knows."""
    kept = MultiDict(
        [(key, value) for key, value in request.args.items(multi=True) if key not in _NOT_TAKEN]
    )
    zone = kept.get("tz")
    if zone is not None and not valid_timezone(zone):  # newer than the server's data
        kept.poplist("tz")
    return kept


def _with_locale(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Add the page's language to a link's parameters when the address chose one."""
    chosen = requested_locale()
    return [*pairs, (LOCALE_PARAM, chosen)] if chosen else pairs


def _embed_address(pairs: list[tuple[str, str]]) -> str:
    query = urlencode(_with_locale(pairs))
    return url_for("embed.search") + (f"?{query}" if query else "")


def embed_url(**changes: str | None) -> str:
    """Return this embed's address with parameters replaced (None removes), inside the frame."""
    pairs = [(k, v) for k, v in _search_args().items(multi=True) if k not in changes and v != ""]
    pairs += [(k, str(v)) for k, v in changes.items() if v is not None and v != ""]
    return _embed_address(pairs)


def embed_without(param: str, value: str | None = None) -> str:
    """Return this embed's address without one value of ``param`` (or all of it)."""
    return _embed_address(
        [
            (k, v)
            for k, v in _search_args().items(multi=True)
            if v != "" and not (k == param and (value is None or v.lower() == value.lower()))
        ]
    )


def site_url(endpoint: str, pairs: list[tuple[str, str]] = (), **values) -> str:
    """Return the absolute address of a page of the full site, in the embed's language."""
    query = urlencode(_with_locale(list(pairs)))
    return links.external_url(endpoint, **values) + (f"?{query}" if query else "")


def _render(status: int = 200, headers=None, **context) -> CookielessResponse:
    """Render the embed's page with what every state of it needs."""
    search_pairs = [(k, v) for k, v in _search_args().items(multi=True) if v != ""]
    page = render_template(
        "embed/search.html",
        args=request.args,
        locale_chosen=requested_locale(),
        radius_choices=RADIUS_CHOICES,
        facet_params=FACET_PARAMS,
        embed_url=embed_url,
        embed_without=embed_without,
        site_url=site_url,
        full_search_url=site_url("public.search", search_pairs),
        **context,
    )
    return CookielessResponse(page, status, headers)


def _shown_facets(query) -> list[str]:
    """Return the facets whose filters the embed shows: the offered ones, then any chosen."""
    chosen = [facet for facet in FACET_PARAMS if facet in query.facets]
    return [*OFFERED_FACETS, *(facet for facet in chosen if facet not in OFFERED_FACETS)]


@bp.get("/embed")
def search():
    """Show a compact search, preset by its address, for a partner's iframe."""
    try:
        query = parse_query(_search_args())
        query = dataclasses.replace(query, page=1, per_page=HITS_SHOWN)
        result = directory_search.search(query)
    except QueryError as error:  # a bad preset or choice: say which part, in plain words
        # Coordinates go together: without one, the other alone would be refused next.
        part = ("lat", "lon") if error.param in ("lat", "lon") else (error.param,)
        return _render(400, error=error, without=embed_url(**dict.fromkeys(part)))
    except SearchRebuilding as error:
        return _render(503, _headers(error), rebuilding=True)
    ids = [hit.id for hit in result.hits]
    return _render(
        query=query,
        result=result,
        shown_facets=_shown_facets(query),
        schedule_texts=words.schedule_texts(ids),
        reported=reported_not_meeting(db.session, ids),
        viewer_zone=query.tz or (result.place.timezone if result.place else None),
        facet_clear=dict.fromkeys(FACET_PARAMS.values()),
    )


@bp.errorhandler(HTTPException)
def refused(error: HTTPException):
    """Answer an error inside the frame (too many requests, say) with the embed's own page."""
    return _render(error.code or 400, _headers(error), refused=error.code)


def _headers(error: HTTPException) -> list[tuple[str, str]]:
    """Return the headers an HTTP error carries (Retry-After, Allow), but its content type."""
    return [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
