"""The provider's list: the referral sheet at /list, its PDF and QR code, and list links.

The list is only the address's ``id`` values (``/list?id=12&id=45``): pages that add to it
link to themselves with one more id, and the search form carries the ids along, so it needs
no account, no cookie and nothing stored. The sheet's own language (``language=es``) may differ
from the site's: a provider reading the English site can hand over a Spanish sheet.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import force_locale, gettext
from markupsafe import Markup

from directory.i18n import LANGUAGES, current_locale
from directory.models import utcnow
from directory.referral import sheet
from directory.referral.shortlist import MAX_GROUPS, PARAM, Shortlist, parse
from directory.web import links

bp = Blueprint("shortlist", __name__)

#: The parameter that chooses the sheet's language (``locale`` is the whole site's).
LANGUAGE_PARAM = "language"
#: Browsers may keep a sheet a few minutes; shared caches never (it names a patient's groups).
CACHE_CONTROL = "private, max-age=300"
#: Where a request keeps its parsed list (``g`` can outlive a request in tests and commands).
_ENVIRON_KEY = "directory.shortlist"


def current() -> Shortlist:
    """Return the list the page's address carries (read once per request)."""
    found = request.environ.get(_ENVIRON_KEY)
    if found is None:
        found = request.environ[_ENVIRON_KEY] = parse(request.args.getlist(PARAM))
    return found


def sheet_language() -> str:
    """Return the language the sheet is in: its own choice, else the page's."""
    chosen = (request.args.get(LANGUAGE_PARAM) or "").strip().lower()
    return chosen if chosen in LANGUAGES else current_locale()


def here_with(ids, anchor: str | None = None) -> str:
    """Return the current page's address carrying the list ``ids`` instead of its own.

    The ids go where the list was in the address (else at its end), so that moving a group
    changes only the order of the ids.
    """
    args: list[tuple[str, str]] = []
    listed = [(PARAM, str(group_id)) for group_id in ids]
    for key, value in request.args.items(multi=True):
        if key != PARAM:
            args.append((key, value))
        elif listed:
            args += listed
            listed = []
    args += listed
    query = f"?{urlencode(args)}" if args else ""
    return f"{request.path}{query}" + (f"#{anchor}" if anchor else "")


def list_url(ids=None, language: str | None = None, endpoint: str = "shortlist.sheet_page") -> str:
    """Return the path of the sheet (or its PDF, QR) for ``ids`` (the current list's)."""
    ids = current().ids if ids is None else ids
    values = {PARAM: list(ids)}
    if language:
        values[LANGUAGE_PARAM] = language
    return url_for(endpoint, **values)


def share_url(ids, language: str) -> str:
    """Return the list's absolute address, in the sheet's language, to share or scan.

    It carries no time zone: the recipient's browser shows the times in their own.
    """
    return links.external_url(
        "shortlist.sheet_page", **{PARAM: list(ids), LANGUAGE_PARAM: language}
    )


def share_links(address: str) -> dict[str, str]:
    """Return mailto: and sms: links prefilled with the list's address, in the page's words.

    ``subject`` and ``body`` (with ``{url}`` for the address) let list.js build them again
    when the list changes in place.
    """
    subject = gettext("Peer support groups")
    body = gettext("Peer support groups you may want to try: %(url)s", url="{url}")
    filled = body.replace("{url}", address)
    mail = "mailto:?" + urlencode({"subject": subject, "body": filled}, quote_via=quote)
    # "sms:?&body=" is the form both Android and iOS fill in.
    sms = "sms:?&body=" + quote(filled, safe="")
    return {"mailto": mail, "sms": sms, "subject": subject, "body": body}


def group_address(group_id: int) -> str:
    """Return a group page's absolute address, as printed results show it."""
    return links.external_url("public.group", group_id=group_id)


def prepared_day(entries) -> dt.date:
    """Return today's date where the sheet's first listed group meets (else in UTC)."""
    zone = next((entry.listing.timezone for entry in entries if entry.listing), None)
    try:
        return utcnow().astimezone(ZoneInfo(zone or "UTC")).date()
    except (ZoneInfoNotFoundError, ValueError):
        return utcnow().date()


@bp.app_context_processor
def _list_context() -> dict:
    return {
        "current_list": current,
        "list_here": here_with,
        "list_url": list_url,
        "list_param": PARAM,
        "list_max": MAX_GROUPS,
        "group_address": group_address,
    }


def _render_sheet(shortlist: Shortlist, language: str, address: str):
    """Return the sheet's entries and the sheet rendered in ``language``, whatever the site's."""
    if not shortlist.ids:
        return [], ""
    with force_locale(language):
        found = sheet.entries(shortlist.ids)
        body = render_template(
            "list/sheet.html",
            entries=found,
            sheet_lang=language,
            address=address,
            prepared=prepared_day(found),
            qr_url=list_url(shortlist.ids, language, "shortlist.qr_code"),
        )
    return found, body


@bp.get("/list")
def sheet_page():
    """Show the referral sheet for the listed groups, with ways to print, save and share it."""
    shortlist = current()
    language = sheet_language()
    address = share_url(shortlist.ids, language)
    found, body = _render_sheet(shortlist, language, address)
    page = render_template(
        "list/page.html",
        shortlist=shortlist,
        entries=found,
        sheet=Markup(body),  # noqa: S704 - rendered by our own autoescaped template
        sheet_lang=language,
        address=address,
        share=share_links(address),
        languages=LANGUAGES,
    )
    status = 400 if shortlist.junk and not shortlist.ids else 200
    return _cached(Response(page, status=status, mimetype="text/html"))


@bp.get("/list.pdf")
def sheet_pdf():
    """Send the referral sheet as a PDF, made here, in the sheet's language."""
    shortlist = current()
    if not shortlist.ids:
        return _no_groups(shortlist)
    from directory.referral import pdf  # reportlab: about 15 MB a server loads on first use

    language = sheet_language()
    address = share_url(shortlist.ids, language)
    with force_locale(language):
        found = sheet.entries(shortlist.ids)
        body = pdf.build(found, address, prepared_day(found))
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'inline; filename="peer-support-groups.pdf"'
    return _cached(response)


@bp.get("/list.svg")
def qr_code():
    """Send the QR code that opens this list (in the sheet's language) on a phone."""
    shortlist = current()
    if not shortlist.ids:
        return _no_groups(shortlist)
    from directory.referral import qr  # segno: loaded on first use, as the PDF's library is

    language = sheet_language()
    with force_locale(language):
        title = gettext("Scan to open this list on a phone")
    body = qr.svg(share_url(shortlist.ids, language), title)
    return _cached(Response(body, mimetype="image/svg+xml"))


def _no_groups(shortlist: Shortlist):
    """Answer a PDF or QR request whose address names no group: a page saying so."""
    page = render_template(
        "list/page.html",
        shortlist=shortlist,
        entries=[],
        sheet="",
        sheet_lang=current_locale(),
        address=None,
        share=None,
        languages=LANGUAGES,
    )
    return _cached(Response(page, status=400 if shortlist.junk else 404, mimetype="text/html"))


def _cached(response: Response) -> Response:
    """Let the browser keep a list's page briefly; keep it out of shared caches and indexes."""
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Robots-Tag"] = "noindex"
    return response
