"""End a listing's manage links, and trust (or stop trusting) its organiser or organisation.

A trusted organiser's or organisation's edits publish at once (still audited); revoking the
links makes every manage link sent so far stop working (the organiser can ask for a fresh
one, which goes only to the address on file).
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from directory import services
from directory.extensions import db
from directory.models import Group
from directory.services import ServiceError

from . import bp, current_actor
from .items import _decide, _text


def _explain(error: ServiceError, group: Group) -> str:
    return _("That could not be done as the listing is now. Nothing was changed.")


def _back(group: Group):
    return redirect(url_for("moderate.item", group_id=group.id))


@bp.post("/items/<id:group_id>/revoke-links")
def revoke_links(group_id: int):
    """Make every manage link sent for the listing so far stop working."""

    def act(group, form):
        services.revoke_links(db.session, group, current_actor(), _text(form.reason))

    def after(group, form):
        flash(_("Every manage link sent so far has stopped working. The organiser can ask "
                "for a fresh one from the group's page."))  # fmt: skip
        return _back(group)

    return _decide(group_id, "revoke", act, after, _explain)


@bp.post("/items/<id:group_id>/trust/organiser")
def trust_organiser(group_id: int):
    """Trust the listing's organiser address, or stop trusting it."""

    def act(group, form):
        if not group.organiser_email:
            raise ServiceError("the listing has no organiser address")
        services.set_trusted_organiser(
            db.session, group.organiser_email, form.wanted, current_actor()
        )

    def after(group, form):
        if form.wanted:
            flash(_("Trusted: this organiser's changes will publish at once."))
        else:
            flash(_("No longer trusted: this organiser's changes will wait for a moderator."))
        return _back(group)

    return _decide(group_id, "trust_organiser", act, after, _explain)


@bp.post("/items/<id:group_id>/trust/organisation")
def trust_organization(group_id: int):
    """Trust the listing's organisation, or stop trusting it."""

    def act(group, form):
        if group.organization is None:
            raise ServiceError("the listing has no organisation")
        services.set_trusted_organization(
            db.session, group.organization, form.wanted, current_actor()
        )

    def after(group, form):
        if form.wanted:
            flash(_("Trusted: changes from this organisation's organisers will publish at once."))
        else:
            flash(_("No longer trusted: this organisation's changes will wait for a moderator."))
        return _back(group)

    return _decide(group_id, "trust_organization", act, after, _explain)
