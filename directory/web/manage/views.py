"""The organiser's page for one listing, by its manage link, and what can be done from it.

From the page the organiser confirms the group still meets (one click), edits the listing
(a change request, unless a moderator trusts them), pauses it, says it meets again, or closes
it for good. Each goes through ``directory.services``; the view commits, then mails.
"""

from __future__ import annotations

import functools

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from directory import services
from directory.extensions import db
from directory.i18n import current_locale
from directory.mail import notices
from directory.models import Group, Status
from directory.services import Actor, ServiceError
from directory.services.upkeep import local_today
from directory.web import words
from directory.web.forms import error_links, listing_choices
from directory.web.moderate.edit import UNKNOWN_ORGANISATION

from . import bp
from .forms import AddressForm, AskForm, CloseForm, EditForm, PauseForm
from .links import LinkProblem, group_for_token

NOT_DONE = _l("That could not be done just now, so nothing was changed. Please try again.")
NOT_SAVED = _l("We could not save the listing as it is. Please check the details and try again.")


def bad_link(token: str, group: Group | None, problem: LinkProblem | None):
    """Answer a link that does not open its listing: a calm page offering a fresh one."""
    if group is None or problem is LinkProblem.INVALID:
        return render_template("manage/bad_link.html", form=AddressForm(), token=None), 410
    return render_template("manage/bad_link.html", form=AskForm(), token=token), 410


def opened(view=None, *, published: bool = False):
    """Give the view the listing its token manages; answer a bad link with its 410 page.

    With ``published``, a listing that is not (or no longer) published goes back to its
    manage page, which says why nothing can be done.
    """
    if view is None:
        return functools.partial(opened, published=published)

    @functools.wraps(view)
    def wrapped(token: str):
        group, problem = group_for_token(token)
        if group is None or problem is not None:
            return bad_link(token, group, problem)
        if published and group.status != Status.PUBLISHED.value:
            return redirect(url_for("manage.listing", token=token), 303)
        return view(group, token)

    return wrapped


def _actor(group: Group) -> Actor:
    return Actor.organiser(group.organiser_email)


def _back(token: str, message: str):
    flash(message)
    return redirect(url_for("manage.listing", token=token), 303)


def _done(token: str, message: str):
    db.session.commit()
    return _back(token, message)


def _refused(token: str, error: ServiceError):
    db.session.rollback()
    current_app.logger.warning("an organiser's change refused by the services: %s", error)
    return _back(token, str(NOT_DONE))


@bp.get("/manage/<token>")
@opened
def listing(group: Group, token: str):
    """Show the organiser's page for the listing a manage link names."""
    if group.status == Status.PENDING.value:
        return render_template("manage/pending.html", group=group)
    if group.status != Status.PUBLISHED.value:
        return render_template("manage/gone.html", group=group)
    reports = services.open_reports(db.session, group.id)
    kinds = sorted({str(words.REPORT_KIND_LABELS.get(r.kind, r.kind)) for r in reports})
    waiting = services.open_request(db.session, group)
    return render_template(
        "manage/listing.html", group=group, token=token, report_kinds=kinds, waiting=waiting,
        paused=group.paused_on(local_today(group)),
    )  # fmt: skip


@bp.post("/manage/<token>/confirm")
@opened(published=True)
def confirm(group: Group, token: str):
    """Record, in one click, that the group still meets as listed."""
    try:
        services.confirm(db.session, group, _actor(group))
    except ServiceError as error:
        return _refused(token, error)
    return _done(token, _("Thank you. The listing now shows it was confirmed today."))


def _choices(group: Group):
    return listing_choices(db.session, tuple(language.code for language in group.languages))


def _edit_page(form: EditForm, group: Group, token: str, problem=None, status: int = 200):
    return render_template(
        "manage/edit.html", form=form, group=group, token=token, problem=problem,
        errors=error_links(form), waiting=services.open_request(db.session, group),
    ), status  # fmt: skip


OUTCOMES = {
    "confirmed": _l(
        "Nothing had changed, so we counted it as a confirmation that the group still meets."
    ),
    "published": _l("Thank you. Your changes are published now."),
    "requested": _l(
        "Thank you. Your changes wait for review by a moderator; until then the group's page "
        "shows the details as they were."
    ),
}


@bp.route("/manage/<token>/edit", methods=["GET", "POST"])
@opened(published=True)
def edit(group: Group, token: str):
    """Edit the listing in the listing form: a change request, or published if trusted."""
    if request.method == "GET":
        return _edit_page(EditForm.from_group(group, choices=_choices(group)), group, token)
    form = EditForm(choices=_choices(group))
    form.keep_place_of(group)  # the exact place stays while the address is unchanged
    if form.rows_changed():
        return _edit_page(form, group, token)
    if not form.validate():
        return _edit_page(form, group, token, status=400)
    fields = form.to_fields(db.session)
    if form.organization_text and fields["organization"] is None:
        form.organization_name.errors.append(UNKNOWN_ORGANISATION)
        return _edit_page(form, group, token, status=400)
    try:
        outcome = services.request_change(db.session, group, fields, language=current_locale())
    except ServiceError as error:
        db.session.rollback()
        current_app.logger.warning("an organiser's edit refused by the services: %s", error)
        return _edit_page(form, group, token, NOT_SAVED, 400)
    db.session.commit()
    if outcome.kind == "requested":
        notices.new_work(group, "change")
    return _back(token, str(OUTCOMES[outcome.kind]))


def _pause_page(form: PauseForm, group: Group, token: str, status: int = 200):
    return render_template(
        "manage/pause.html", form=form, group=group, token=token, errors=error_links(form)
    ), status


@bp.route("/manage/<token>/pause", methods=["GET", "POST"])
@opened(published=True)
def pause(group: Group, token: str):
    """Mark the group not meeting for now, until a date or until the organiser says so."""
    form = PauseForm(today=local_today(group))
    if request.method == "GET" and group.resumes_on and group.paused_on(form.today):
        form.resumes_on.data = group.resumes_on.isoformat()  # changing the pause's date
    if request.method == "GET" or not form.validate():
        return _pause_page(form, group, token, 200 if request.method == "GET" else 400)
    try:
        services.pause(db.session, group, _actor(group), resumes_on=form.day, note=form.note.data)
    except ServiceError as error:
        return _refused(token, error)
    if form.day is None:
        return _done(token, _("Paused. The listing says it is not meeting for now."))
    when = words.long_date(form.day)
    return _done(token, _("Paused. The listing says it is not meeting until %(day)s.", day=when))


@bp.post("/manage/<token>/resume")
@opened(published=True)
def resume(group: Group, token: str):
    """End a pause: the group meets again."""
    if group.paused_at is None:
        return _back(token, _("The listing already says the group is meeting."))
    try:
        services.resume(db.session, group, _actor(group))
    except ServiceError as error:
        return _refused(token, error)
    return _done(token, _("Welcome back. The listing says the group is meeting again."))


@bp.route("/manage/<token>/close", methods=["GET", "POST"])
@opened(published=True)
def close(group: Group, token: str):
    """Ask for a reason, then close the group for good."""
    form = CloseForm()
    if request.method == "GET" or not form.validate():
        page = render_template(
            "manage/close.html", form=form, group=group, token=token, errors=error_links(form)
        )
        return page, 200 if request.method == "GET" else 400
    try:
        services.close(db.session, group, _actor(group), form.reason.data)
    except ServiceError as error:
        return _refused(token, error)
    return _done(token, _("The group is closed. Thank you for letting people know."))
