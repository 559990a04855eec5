"""Decide an organiser's changes to a published listing: approve (publish) or reject.

The request's id is in the address, so a page left open while the organiser sent newer
changes cannot approve the wrong ones. Each decision commits, then writes to the organiser
(``mail.upkeep.change_decided``), so a mail that fails never undoes the decision.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from directory import services
from directory.extensions import db
from directory.mail import upkeep as upkeep_mail
from directory.models import ChangeRequest, Group, Status
from directory.services import ServiceError

from . import bp, current_actor, summary
from .items import _decide, _text


def _request(group: Group, request_id: int) -> ChangeRequest:
    found = db.session.get(ChangeRequest, request_id)
    if found is None or found.group_id != group.id or not found.is_open:
        raise ServiceError("this change request is not open on this listing")
    return found


def _explain(error: ServiceError, group: Group) -> str:
    """Return a refused decision in the page's words (the error is English, for the log)."""
    if group.status != Status.PUBLISHED.value:
        status = summary.STATUS_LABELS.get(group.status, group.status)
        return _("This listing is no longer published (%(status)s), so its changes cannot be "
                 "decided. Nothing was changed.", status=status)  # fmt: skip
    if services.open_request(db.session, group) is None or "not open" in str(error):
        return _("These changes have been decided already, or the organiser has sent newer "
                 "ones. Nothing was changed.")  # fmt: skip
    return _("These changes no longer fit the listing as it is now, so they could not be "
             "published. You can turn them down with a reason, or correct the listing "
             "yourself. Nothing was changed.")  # fmt: skip


@bp.post("/items/<id:group_id>/changes/<id:request_id>/approve")
def approve_change(group_id: int, request_id: int):
    """Publish the organiser's changes; tell them, with the moderator's note."""
    decided: list[ChangeRequest] = []

    def act(group, form):
        decided.append(_request(group, request_id))
        services.approve_change(db.session, decided[0], current_actor(), _text(form.note))

    def after(group, form):
        upkeep_mail.change_decided(decided[0])
        flash(_("Published: the public page shows the changes now."))
        return redirect(url_for("moderate.item", group_id=group.id))

    return _decide(group_id, "approve_change", act, after, _explain)


@bp.post("/items/<id:group_id>/changes/<id:request_id>/reject")
def reject_change(group_id: int, request_id: int):
    """Turn the organiser's changes down; send them the reason."""
    decided: list[ChangeRequest] = []

    def act(group, form):
        decided.append(_request(group, request_id))
        services.reject_change(db.session, decided[0], current_actor(), form.reason.data)

    def after(group, form):
        upkeep_mail.change_decided(decided[0])
        flash(_("Turned down: the organiser has been sent your reason."))
        return redirect(url_for("moderate.item", group_id=group.id))

    return _decide(group_id, "reject_change", act, after, _explain)
