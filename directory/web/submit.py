"""The organiser's front door: /submit, a preview of the listing, then what happens next.

One form page does it all without JavaScript: "Add another meeting time" and "Remove" post
the form and come back with a row more or less, "Preview" checks everything and shows the
listing as the public page will, carrying the form's values in hidden fields, and "Submit
for review" stores it pending (nothing public until a moderator approves it). Only that last
button counts against DIRECTORY_SUBMIT_RATE_LIMIT.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l

from directory.extensions import db, limiter
from directory.i18n import current_locale
from directory.mail import notices
from directory.presenting import present
from directory.services import ServiceError
from directory.services.submissions import preview_group, submit_group
from directory.web.forms import SubmitForm, error_links, listing_choices
from directory.web.forms.safety import honeypot_filled, start_stamp, started_at, too_fast

bp = Blueprint("submit", __name__)

#: Buttons, whose values are never carried from the preview back to the form.
BUTTONS = frozenset(("preview", "send", "change", "add_schedule", "csrf_token"))
TOO_FAST = _l(
    "That was quicker than we expected, so nothing was sent yet. Please check the form and "
    "press the button again."
)
NOT_ACCEPTED = _l(
    "We could not accept the listing as it is. Please check the details and try again."
)


def _rate_limit() -> str:
    return current_app.config.get("SUBMIT_RATE_LIMIT", "5 per hour;20 per day")


def _not_sent() -> bool:
    """Return whether this request is anything but the final "Submit for review"."""
    return request.method != "POST" or "send" not in request.form


def _form_page(form: SubmitForm, problem=None, status: int = 200):
    return render_template(
        "submit/form.html", form=form, problem=problem, errors=error_links(form)
    ), status


def _carried() -> list[tuple[str, str]]:
    """Return the posted values to carry through the preview, without buttons or token."""
    return [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in BUTTONS and not name.endswith("-remove")
    ]


@bp.route("/submit", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"], exempt_when=_not_sent)
def form():
    """Show the form, add or remove a meeting time, preview the listing, or send it."""
    form = SubmitForm(choices=listing_choices(db.session))
    if request.method == "GET":
        form.started.data = start_stamp()
        return _form_page(form)
    if started_at(form.started.data) is None:
        form.started.data = start_stamp()  # missing or forged: the wait starts now
    if form.add_schedule.data:
        form.add_row()
        return _form_page(form)
    if form.remove_row() or form.change.data or not (form.preview.data or form.send.data):
        return _form_page(form)
    if honeypot_filled(form.nickname.data):
        current_app.logger.info("submission with the honeypot filled: thanked, not stored")
        return _thank(form.organiser_email.data)
    if too_fast(form.started.data):
        return _form_page(form, problem=TOO_FAST)
    if not form.validate():
        return _form_page(form)
    fields = form.to_fields(db.session)
    try:
        if form.send.data:
            submission = submit_group(
                db.session, fields, language=current_locale(),
                organization_name=form.organization_text,
            )  # fmt: skip
        else:
            group, twin = preview_group(db.session, fields, form.organization_text)
    except ServiceError as error:
        db.session.rollback()
        current_app.logger.warning("submission refused by the services: %s", error)
        return _form_page(form, problem=NOT_ACCEPTED)
    if not form.send.data:
        return render_template(
            "submit/preview.html", form=form, group=group, twin=twin, carried=_carried(),
            listing=present(group), preview=True,
        )  # fmt: skip
    db.session.commit()
    # Stored already: notices log rather than raise, so no mail can lose the thank-you page.
    notices.submission_received(submission)
    notices.new_work(submission.group)
    return _thank(submission.group.organiser_email)


def _thank(email: str | None):
    session["submitted_to"] = (email or "")[:254]
    return redirect(url_for("submit.thanks"), 303)


@bp.get("/submit/thanks")
def thanks():
    """Say what happens next: a moderator reviews it, usually within a few days."""
    email = session.pop("submitted_to", None)
    return render_template("submit/thanks.html", email=email, days=notices.review_days())
