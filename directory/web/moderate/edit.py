"""Correct a listing before approving it: the listing form, filled from it, at .../edit.

The form is the organisers' own (``directory.web.forms.ListingForm``); saving goes through
``services.edit_group``, which records each changed field (before and after) and remembers it
as corrected, so a later import keeps the moderator's value. Topics and audiences inferred
from the listing's words are marked "(inferred)": the moderator unticks one to remove it,
ticks others to change them (the list saved is then the listing's own), or confirms them.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.fields.choices import SelectChoice

from directory import services
from directory.extensions import db
from directory.models import Group, Status
from directory.services import NotAllowed, ServiceError, inference
from directory.web.forms import ListingForm, error_links, listing_choices

from . import bp, current_actor
from .items import group_or_404

#: Listings a correction makes sense for; a decided-against one is left as it was.
EDITABLE = (Status.PENDING.value, Status.PUBLISHED.value)
UNKNOWN_ORGANISATION = _l(
    "No organisation has this name. Please pick one from the list, or leave it empty."
)


def _choices(group: Group):
    return listing_choices(db.session, tuple(language.code for language in group.languages))


#: The private contact's labels for a moderator, who is not the organiser.
ORGANISER_LABELS = {
    "organiser_name": _l("Organiser's name"),
    "organiser_email": _l("Organiser's email"),
    "organiser_phone": _l("Organiser's phone"),
}


class CorrectionForm(ListingForm):
    """The listing form as a moderator corrects it, with the inferred tags to confirm."""

    confirm_inferred = BooleanField(
        _l("The inferred tags left ticked are right: make them the listing's own")
    )


def _mark_inferred(form: CorrectionForm, inferred: dict[str, list[str]]) -> list[tuple]:
    """Add "(inferred)" to the labels of inferred tags; return (field label, tag labels)."""
    found = []
    for name, slugs in inferred.items():
        field = form[name]
        labels = [choice.label for choice in field.choices if choice.value in slugs]
        field.choices = [
            SelectChoice(choice.value, _("%(label)s (inferred)", label=choice.label))
            if choice.value in slugs
            else choice
            for choice in field.choices
        ]
        if labels:
            found.append((field.label.text, labels))
    return found


def _page(form: CorrectionForm, group: Group, problem: str | None = None, status: int = 200):
    for name, text in ORGANISER_LABELS.items():
        form[name].label.text = text
    inferred = _mark_inferred(form, inference.inferred_of(db.session, group))
    return render_template(
        "moderate/edit.html", form=form, group=group, problem=problem, errors=error_links(form),
        inferred=inferred,
    ), status  # fmt: skip


@bp.route("/items/<id:group_id>/edit", methods=["GET", "POST"])
def edit(group_id: int):
    """Show the listing in the listing form; save a moderator's corrections, audited."""
    group = group_or_404(group_id)
    if group.status not in EDITABLE:
        abort(404)
    if request.method == "GET":
        return _page(CorrectionForm.from_group(group, choices=_choices(group)), group)
    form = CorrectionForm(choices=_choices(group))
    form.keep_place_of(group)  # the exact place stays while the address is unchanged
    if form.rows_changed():
        return _page(form, group)
    if not form.validate():
        return _page(form, group, status=400)
    fields = form.to_fields(db.session)
    if form.organization_text and fields["organization"] is None:
        form.organization_name.errors.append(UNKNOWN_ORGANISATION)
        return _page(form, group, status=400)
    try:
        changed = services.edit_group(
            db.session, group, fields, current_actor(),
            confirm_inferred=bool(form.confirm_inferred.data),
        )  # fmt: skip
    except NotAllowed:
        db.session.rollback()
        abort(404)
    except ServiceError as error:
        db.session.rollback()
        problem = _("That could not be saved: %(reason)s. Nothing was changed.", reason=str(error))
        return _page(form, group, problem, 400)
    db.session.commit()
    flash(_("Corrected: each change is in the history.") if changed else _("Nothing was changed."))
    return redirect(url_for("moderate.item", group_id=group.id))
