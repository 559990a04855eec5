"""Write to organisers and moderators about submissions: receipts, questions, decisions, work.

Each function is called after the change it tells of is committed, so a mail that fails
never undoes it: ``mail.send`` keeps an undelivered message for ``mail retry`` and never
raises for a delivery failure. Mail to an organiser is written in the language of the page
they submitted from; mail to moderators in the language of the page that caused it.
"""

from __future__ import annotations

import functools
import logging

from flask import current_app, render_template
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from directory import mail
from directory.extensions import db
from directory.models import Group, Moderator, Submission
from directory.web import links

log = logging.getLogger(__name__)


def _reported(notice):
    """Log, never raise, when a notice cannot even be written: its change is committed."""

    @functools.wraps(notice)
    def guarded(*args, **kwargs):
        try:
            return notice(*args, **kwargs)
        except Exception:
            log.exception("could not write the %s notice", notice.__name__)
            return None

    return guarded


def review_days() -> int:
    """Return how many days a review usually takes, as organisers are told."""
    return int(current_app.config.get("REVIEW_DAYS", 3))


def answer_link_days() -> int:
    """Return how many days a link to answer a moderator's question works."""
    return int(current_app.config.get("ANSWER_LINK_DAYS", 14))


def _letter(template: str, subject: str, to: list[str], language: str, **context):
    body = render_template(f"mail/{template}.txt", **context)
    return mail.send(mail.compose(subject, body, to, language=language))


def _to_organiser(submission: Submission, template: str, subject, **context):
    """Write to the submission's organiser in their language; None when they gave no address.

    ``subject`` is a lazy string: it is translated here, in the organiser's language.
    """
    address = submission.group.organiser_email
    if not address:
        return None
    with force_locale(submission.language):
        return _letter(
            template, str(subject), [address], submission.language,
            group=submission.group, **context,
        )  # fmt: skip


@_reported
def submission_received(submission: Submission) -> mail.Delivery | None:
    """Send the organiser a receipt: what they sent, what happens next and when."""
    subject = _l("We have your listing: %(name)s", name=submission.group.name)
    return _to_organiser(submission, "submission_received", subject, days=review_days())


@_reported
def question_asked(submission: Submission, answer_url: str) -> mail.Delivery | None:
    """Send the organiser a moderator's question, with the signed link to answer it."""
    subject = _l("A question about your listing: %(name)s", name=submission.group.name)
    return _to_organiser(
        submission, "question_asked", subject, question=submission.question,
        answer_url=answer_url, days=answer_link_days(),
    )  # fmt: skip


@_reported
def decided(submission: Submission, message: str | None = None) -> mail.Delivery | None:
    """Tell the organiser the moderator's decision (approved or rejected) and their message."""
    group = submission.group
    if group.status == "published":
        subject = _l("Your listing is in the directory: %(name)s", name=group.name)
        page = links.external_url("public.group", group_id=group.id)
    elif group.status == "rejected":
        subject, page = _l("About your listing: %(name)s", name=group.name), None
    else:
        return None
    return _to_organiser(submission, "decided", subject, message=message, page_url=page)


def moderators_for(group: Group) -> list[Moderator]:
    """Return the active moderators who may decide ``group``."""
    active = db.session.scalars(select(Moderator).where(Moderator.is_active.is_(True)))
    return [moderator for moderator in active if moderator.may_moderate(group)]


@_reported
def new_work(group: Group, what: str = "submission") -> list[mail.Delivery]:
    """Tell each moderator who may decide ``group`` that it waits for them, one message each.

    ``what`` is "submission", "answer" (to a question), "change" (an organiser's change
    request) or "report" (a visitor's problem report).
    """
    language = str(get_locale() or "en")
    if what == "answer":
        subject = _("An organiser answered: %(name)s", name=group.name)
    elif what == "change":
        subject = _("An organiser changed a listing: %(name)s", name=group.name)
    elif what == "report":
        subject = _("A problem was reported: %(name)s", name=group.name)
    else:
        subject = _("A new listing to review: %(name)s", name=group.name)
    body = render_template(
        "mail/new_work.txt", group=group, what=what,
        item_url=links.external_url("moderate.item", group_id=group.id),
    )  # fmt: skip
    return [
        mail.send(mail.compose(subject, body, [moderator.email], language=language))
        for moderator in moderators_for(group)
    ]
