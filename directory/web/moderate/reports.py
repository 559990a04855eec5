"""Resolve a visitor's problem report on a listing, saying what was done (kept in history)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from directory import services
from directory.extensions import db
from directory.models import Group, ProblemReport
from directory.services import ServiceError

from . import bp, current_actor
from .items import _decide


def _explain(error: ServiceError, group: Group) -> str:
    return _("This report has been resolved already. Nothing was changed.")


@bp.post("/items/<id:group_id>/reports/<id:report_id>/resolve")
def resolve_report(group_id: int, report_id: int):
    """Close one open report of the listing with the moderator's note."""

    def act(group, form):
        report = db.session.get(ProblemReport, report_id)
        if report is None or report.group_id != group.id:
            raise ServiceError("this report is not one of this listing's")
        services.resolve_report(db.session, report, current_actor(), form.note.data)

    def after(group, form):
        flash(_("Resolved: the report is closed, and your note is in the history."))
        return redirect(url_for("moderate.item", group_id=group.id))

    return _decide(group_id, "resolve", act, after, _explain, resolving=report_id)
