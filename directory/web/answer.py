"""The page where an organiser answers a moderator's question, by a signed link from an email.

The link names the submission and the moment the question was asked, signed with the site's
key: it stops working when it expires (DIRECTORY_ANSWER_LINK_DAYS), once it has been used
(the answer is later than the question), when another question replaces it, and when the
listing has been decided.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from directory.extensions import db
from directory.mail import notices
from directory.mail.notices import answer_link_days
from directory.models import Submission
from directory.services import ServiceError, answer_submission
from directory.services.submissions import MESSAGE_LIMIT
from directory.web import links
from directory.web.forms import ListingForm, error_links, listing_choices
from directory.web.forms.listing import SubmitForm
from directory.web.submit import NOT_ACCEPTED

bp = Blueprint("answer", __name__)
SALT = "submission-answer"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def answer_token(submission: Submission) -> str:
    """Return the signed token for answering the submission's latest question."""
    return _serializer().dumps([submission.id, submission.asked_at.isoformat()])


def answer_url(submission: Submission) -> str:
    """Return the absolute link to answer the submission's latest question."""
    return links.external_url("answer.answer_question", token=answer_token(submission))


def submission_for(token: str) -> Submission | None:
    """Return the submission a token still lets its organiser answer, else None."""
    try:
        submission_id, asked = _serializer().loads(token, max_age=answer_link_days() * 86400)
        submission = db.session.get(Submission, int(submission_id))
    except (BadSignature, TypeError, ValueError):
        return None
    if submission is None or submission.asked_at is None:
        return None
    if submission.asked_at.isoformat() != asked or not submission.waiting_for_submitter:
        return None
    if submission.group.status != "pending":
        return None
    return submission


class AnswerForm(ListingForm):
    """The organiser's answer to a moderator's question, with the listing to correct."""

    answer = TextAreaField(
        _l("Your answer"),
        validators=[
            DataRequired(_l("Please write your answer.")),
            Length(
                max=MESSAGE_LIMIT,
                message=_l("Please keep your answer under %(max)d characters."),
            ),
        ],
    )
    organiser_email = SubmitForm.organiser_email


def _choices(group):
    return listing_choices(db.session, tuple(language.code for language in group.languages))


def _page(form: AnswerForm, submission: Submission, status: int = 200):
    return render_template(
        "answer/answer.html", form=form, submission=submission, group=submission.group,
        errors=error_links(form),
    ), status  # fmt: skip


@bp.route("/submit/answer/<token>", methods=["GET", "POST"])
def answer_question(token: str):
    """Show a moderator's question to the organiser; record their answer and corrections."""
    submission = submission_for(token)
    if submission is None:
        return render_template("answer/invalid.html"), 410
    group = submission.group
    if request.method == "GET":
        return _page(AnswerForm.from_group(group, choices=_choices(group)), submission)
    form = AnswerForm(choices=_choices(group))
    form.keep_place_of(group)  # the exact place stays while the address is unchanged
    if form.rows_changed():
        return _page(form, submission)
    if not form.validate():
        return _page(form, submission, 400)
    changes = form.to_fields(db.session)
    if form.organization_text and changes["organization"] is None:
        changes.pop("organization")  # a new organisation's name: the moderator will see to it
    try:
        answer_submission(db.session, submission, form.answer.data, changes)
    except ServiceError as error:
        db.session.rollback()
        current_app.logger.warning("an answer refused by the services: %s", error)
        if submission_for(token) is None:
            return render_template("answer/invalid.html"), 410
        form.answer.errors.append(NOT_ACCEPTED)
        return _page(form, submission, 400)
    db.session.commit()
    notices.new_work(group, "answer")
    return render_template("answer/answered.html", group=group)
