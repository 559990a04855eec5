"""Ask for a manage link: from the group's page, from a link that stopped working, by address.

Each answers the same words whatever is on file, and mails only the organiser address on
file: nobody learns which listings an address manages, or whether a listing has an address.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, request

from directory.extensions import db, limiter
from directory.i18n import current_locale
from directory.mail import upkeep as letters
from directory.models import Group, Status
from directory.services.organisers import MANAGED, listings_managed_by
from directory.web.forms.safety import honeypot_filled

from . import bp, throttle
from .forms import AddressForm, AskForm
from .links import group_for_token
from .views import bad_link


def _rate_limit() -> str:
    return current_app.config.get("MANAGE_LINK_RATE_LIMIT", "5 per hour;20 per day")


#: One budget per client address for every way of asking, so moving between them gains nothing.
limited = limiter.shared_limit(_rate_limit, scope="manage-link", methods=["POST"])


def _sent(several: bool = False):
    return render_template("manage/sent.html", several=several)


def _bot(form: AskForm) -> bool:
    if honeypot_filled(form.nickname.data):
        current_app.logger.info("a manage-link request with the honeypot filled: not sent")
        return True
    return False


def _mail_one(group: Group, language: str | None = None) -> None:
    """Mail the organiser on file a fresh link, within the listing's own limit."""
    if not throttle.mail_allowed(group.id):
        raise throttle.refuse(group.id)
    if group.organiser_email and group.status in MANAGED:
        letters.manage_link(group, language)


@bp.post("/manage/<token>/fresh")
@limited
def fresh(token: str):
    """Email a fresh manage link to the organiser address of an expired or revoked link."""
    group, problem = group_for_token(token)
    if group is None:
        return bad_link(token, group, problem)
    form = AskForm()
    if not form.validate() or _bot(form):
        return _sent()
    _mail_one(group)
    return _sent()


@bp.route("/manage/links", methods=["GET", "POST"])
@limited
def links():
    """Email an organiser the manage links of every listing their address is on file for."""
    form = AddressForm()
    if request.method == "GET":
        return render_template("manage/links.html", form=form)
    if not form.validate():
        return render_template("manage/links.html", form=form), 400
    if _bot(form):
        return _sent(several=True)
    groups = listings_managed_by(db.session, form.email.data)
    # A listing that has had its emails for the hour is left out, quietly: a refusal here
    # would tell the asker that the address manages something.
    groups = [group for group in groups if throttle.mail_allowed(group.id)]
    if groups:
        letters.manage_links(groups[0].organiser_email, groups, current_locale())
    return _sent(several=True)


@bp.route("/groups/<id:group_id>/organiser", methods=["GET", "POST"])
@limited
def request_link(group_id: int):
    """Offer to email the organiser on file a fresh manage link."""
    group = db.session.get(Group, group_id)
    if group is None or group.status != Status.PUBLISHED.value:
        abort(404)
    form = AskForm()
    if request.method == "GET":
        return render_template("manage/request.html", group=group, form=form)
    if not form.validate() or _bot(form):
        return _sent()
    _mail_one(group, current_locale())
    return _sent()
