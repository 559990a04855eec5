"""The stale list at /moderate/stale: published listings nobody has confirmed for a long time.

Those out of search (``DIRECTORY_HIDE_AFTER`` without a confirmation) and those past
``DIRECTORY_REVIEW_AFTER`` (reminded, or due a reminder), longest unconfirmed first, each
with its last confirmation and the reminders sent; a limited moderator sees only their
organisations' listings. The queries live in ``directory.services.stale``.
"""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from directory.extensions import db
from directory.models import utcnow
from directory.services import stale as stale_list

from . import bp, current_moderator, page_number

KIND_LABELS = {
    "hidden": _l("Out of search"),
    "review": _l("Due for review"),
}
#: Reminder dates shown per listing; older ones are counted.
REMINDERS_SHOWN = 6


def thresholds() -> stale_list.Thresholds:
    """Return the stale list's moments, from the app's settings, as of now."""
    config = current_app.config
    return stale_list.Thresholds(
        utcnow(), config["REVIEW_AFTER"], config["HIDE_AFTER"], config["REMIND_EVERY"]
    )


@bp.get("/stale")
def stale():
    """List the listings not confirmed for long, by kind and page, oldest confirmation first."""
    kind = request.args.get("kind")
    kind = kind if kind in stale_list.KINDS else None
    limits = thresholds()
    organization_ids = current_moderator().organization_ids
    totals = stale_list.counts(db.session, limits, organization_ids)
    total = totals[kind] if kind else totals["all"]
    pages = max(1, (total + stale_list.PER_PAGE - 1) // stale_list.PER_PAGE)
    page = min(page_number(), pages)
    return render_template(
        "moderate/stale.html",
        items=stale_list.page_of(db.session, limits, organization_ids, kind, page),
        counts=totals,
        kind=kind,
        kind_labels=KIND_LABELS,
        page=page,
        pages=pages,
        limits=limits,
        shown=REMINDERS_SHOWN,
        day=lambda moment: format_date(moment, "medium"),
    )
