"""Build the links pages show: filters added or removed, directions, reports, the map."""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

from flask import Flask, current_app, request, url_for
from flask_babel import gettext

from directory.interchange.values import url_problem

#: Parameters that start a new search, so changing one goes back to page 1.
_PAGING = ("page",)


def site_root() -> str:
    """Return the site's public address, ending in '/': DIRECTORY_BASE_URL, else the request's.

    The one place absolute links start from (feeds, JSON-LD, the API, emails, QR codes).
    """
    return current_app.config.get("BASE_URL") or request.url_root


def external_url(endpoint: str, **values) -> str:
    """Return the absolute address of a page or API route, on ``site_root()``.

    ``url_for`` gives the path with the mount point (SCRIPT_NAME) in front; the request's
    root already ends in it, and a configured base names its own path, so it is dropped here
    rather than counted twice.
    """
    path = url_for(endpoint, **values)
    mount = request.script_root
    if mount and (path == mount or path.startswith(mount + "/")):
        path = path[len(mount) :]
    return site_root() + path.lstrip("/")


def _args() -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.args.items(multi=True) if v != "" and k not in _PAGING]


def _search_url(args: list[tuple[str, str]]) -> str:
    base = url_for("public.search")
    return f"{base}?{urlencode(args)}" if args else base


def url_with(**changes: str | int | None) -> str:
    """Return this search's address with parameters replaced (None removes), on page 1."""
    args = [(k, v) for k, v in _args() if k not in changes]
    args += [(k, str(v)) for k, v in changes.items() if v is not None and v != ""]
    return _search_url(args)


def url_without(param: str, value: str | None = None) -> str:
    """Return this search's address without one value of ``param`` (or all of it)."""
    args = [
        (k, v)
        for k, v in _args()
        if not (k == param and (value is None or v.lower() == value.lower()))
    ]
    return _search_url(args)


def page_url(page: int) -> str:
    """Return this search's address at ``page``."""
    args = _args() + ([("page", str(page))] if page > 1 else [])
    return _search_url(args)


def directions_url(location) -> str | None:
    """Return an OpenStreetMap directions link to a meeting place, or None without one."""
    if location is None:
        return None
    if location.latitude is not None:
        target = f"{location.latitude:.5f},{location.longitude:.5f}"
    elif location.one_line:
        target = location.one_line
    else:
        return None
    return "https://www.openstreetmap.org/directions?" + urlencode({"to": target})


def report_mailto(group) -> str:
    """Return a mailto: link to the site's contact, with the listing named in the message."""
    address = current_app.config["CONTACT_EMAIL"]
    page = external_url("public.group", group_id=group.id)
    subject = gettext("Problem with listing %(id)s: %(name)s", id=group.id, name=group.name)
    body = gettext("Listing: %(url)s\n\nWhat is wrong or out of date?\n\n", url=page)
    return f"mailto:{address}?" + urlencode({"subject": subject, "body": body}, quote_via=quote)


def tile_host(tile_url: str | None) -> str | None:
    """Return the host name of the map tile server, to name it in the map notice."""
    if not tile_url:
        return None
    host = urlsplit(tile_url).hostname or ""
    return host.replace("{s}.", "") or None


def tile_attribution(tile_url: str | None) -> str:
    """Return the credit line map images need: OpenStreetMap's, or the tile server's name."""
    host = tile_host(tile_url)
    if not host:
        return ""
    if host.endswith("openstreetmap.org"):
        return "© OpenStreetMap contributors"
    return host


def safe_url(value: str | None) -> str | None:
    """Return a web address fit for a link (http or https), or None for anything else.

    The same rule as the importers' (``values.url_problem``), so a row stored before a rule
    was added still never becomes a link to somewhere else.
    """
    if not value:
        return None
    return None if url_problem(value.strip()) else value.strip()


def init_app(app: Flask) -> None:
    """Expose the link builders to templates."""
    for function in (url_with, url_without, page_url):
        app.add_template_global(function)
    app.add_template_filter(safe_url, "safe_url")
