"""Report a problem with a listing, from its public page: /groups/<id>/report.

A short form (what is wrong, optional details, an optional address for a reply) stores a
``ProblemReport`` for the moderators' queue and tells the organiser, with their manage link.
The reporter is known only by a keyed hash of their address and the listing, so two reports
from one person count once. Sending counts against DIRECTORY_REPORT_RATE_LIMIT; a script
that fills the honeypot is thanked and nothing is kept. The thank-you page says what happens
next and never shows the organiser's contact.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from directory import listings, services
from directory.extensions import db, limiter
from directory.i18n import current_locale
from directory.interchange import values
from directory.mail import notices
from directory.mail import upkeep as upkeep_mail
from directory.models import Group, ReportKind
from directory.services import ServiceError
from directory.services.reports import DETAILS_LIMIT
from directory.web import words
from directory.web.forms import error_links
from directory.web.forms.base import Form
from directory.web.forms.safety import honeypot_filled
from directory.web.forms.widgets import ChoiceRadioField, options

bp = Blueprint("report", __name__)

NOT_ACCEPTED = _l("We could not take the report as it is. Please check it and try again.")
#: The session key that tells the thank-you page a reply address was given.
REPLY_KEY = "report_reply"


def _rate_limit() -> str:
    return current_app.config.get("REPORT_RATE_LIMIT", "5 per hour;20 per day")


class ReportForm(Form):
    """What a visitor says is wrong with a listing, and how to reach them if they like."""

    kind = ChoiceRadioField(
        _l("What is wrong?"),
        choices=options(words.REPORT_KIND_LABELS.items()),
    )
    details = TextAreaField(
        _l("Details (optional)"),
        validators=[
            Length(
                max=DETAILS_LIMIT,
                message=_l("Please keep the details under %(max)d characters."),
            )
        ],
    )
    contact_email = StringField(
        _l("Your email (optional)"),
        validators=[Length(max=254, message=_l("Please give a shorter email address."))],
    )
    #: The honeypot: hidden from people, who are asked to leave it empty; bots fill it.
    nickname = StringField(_l("Leave this field empty"), validators=[Length(max=200)])

    def validate_details(self, field) -> None:
        """Ask for details when the problem is "something else"."""
        field.data = (field.data or "").strip()  # control characters: see forms.base
        if self.kind.data == ReportKind.OTHER.value and not field.data:
            raise ValidationError(_l("Please say what is wrong."))

    def validate_contact_email(self, field) -> None:
        """Keep an address in normal form; refuse one that is not an address."""
        text = (field.data or "").strip()
        try:
            field.data = values.email(text, "contact email") if text else ""
        except ValueError:
            raise ValidationError(
                _l("Please give an email address such as name@example.org, or leave it empty.")
            ) from None


def _group_or_404(group_id: int) -> Group:
    group = listings.get_published(group_id)
    if group is None:
        abort(404)
    return group


def _page(form: ReportForm, group: Group, problem=None, status: int = 200):
    return render_template(
        "report/form.html", form=form, group=group, problem=problem, errors=error_links(form)
    ), status


def _thank(group: Group, reply: bool):
    session[REPLY_KEY] = reply
    return redirect(url_for("report.thanks", group_id=group.id), 303)


@bp.route("/groups/<id:group_id>/report", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
def report(group_id: int):
    """Show the report form; store a visitor's report and tell the organiser and moderators."""
    group = _group_or_404(group_id)
    form = ReportForm()
    if request.method == "GET":
        return _page(form, group)
    if honeypot_filled(form.nickname.data):
        current_app.logger.info("problem report with the honeypot filled: thanked, not stored")
        return _thank(group, False)
    if not form.validate():
        return _page(form, group, status=400)
    reporter = services.reports.reporter_key(
        current_app.secret_key, request.remote_addr or "", group.id
    )
    try:
        found = services.report_problem(
            db.session, group, form.kind.data, details=form.details.data,
            contact_email=form.contact_email.data, reporter=reporter, language=current_locale(),
        )  # fmt: skip
    except ServiceError as error:
        db.session.rollback()
        current_app.logger.warning("a problem report refused by the services: %s", error)
        return _page(form, group, NOT_ACCEPTED, 400)
    db.session.commit()
    # Stored already: mail never raises, so no failure can lose the thank-you page.
    upkeep_mail.problem_reported(found)
    notices.new_work(group, "report")
    return _thank(group, bool(found.contact_email))


@bp.get("/groups/<id:group_id>/report/thanks")
def thanks(group_id: int):
    """Say what happens to the report next."""
    group = _group_or_404(group_id)
    reply = bool(session.pop(REPLY_KEY, False))
    return render_template("report/thanks.html", group=group, reply=reply)
