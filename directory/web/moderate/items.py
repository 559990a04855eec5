"""One item of the queue at /moderate/items/<id>: what was sent, its history, and the decisions.

Each decision is a POST that calls one service, commits, then sends its mail (so a mail
that fails never undoes the decision), and redirects with a confirmation. A listing outside
a limited moderator's organisations is a 404, as if it did not exist; a decision the
listing's state no longer allows (a stale page) comes back with a message, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from directory import services
from directory.extensions import db
from directory.mail import notices
from directory.models import DuplicateFlag, Group, Status, Submission
from directory.services import NotAllowed, ServiceError, inference
from directory.web import answer, links

from . import bp, current_actor, current_moderator, summary, upkeep
from .forms import ApproveForm, ArchiveForm, AskForm, DuplicateForm, RejectForm
from .upkeep_forms import (
    ApproveChangeForm,
    RejectChangeForm,
    ResolveForm,
    RevokeForm,
    TrustForm,
)

#: Each form's prefix, so several forms share the page without their fields' names meeting.
FORMS = {
    "approve": ApproveForm, "reject": RejectForm, "ask": AskForm, "archive": ArchiveForm,
    "duplicate": DuplicateForm, "approve_change": ApproveChangeForm,
    "reject_change": RejectChangeForm, "resolve": ResolveForm, "revoke": RevokeForm,
    "trust_organiser": TrustForm, "trust_organization": TrustForm,
}  # fmt: skip
#: Where each decision may start from, to tell a stale page from another problem.
ALLOWED = {
    "approve": (Status.PENDING,), "reject": (Status.PENDING,), "ask": (Status.PENDING,),
    "archive": (Status.PENDING, Status.PUBLISHED), "duplicate": (Status.PENDING,),
}  # fmt: skip


def group_or_404(group_id: int) -> Group:
    """Return the listing if it exists and the signed-in moderator may see it, else 404."""
    group = db.session.get(Group, group_id)
    if group is None or not current_moderator().may_moderate(group):
        abort(404)
    return group


def submission_of(group: Group) -> Submission | None:
    """Return the listing's submission, when it was sent in on the site."""
    return db.session.scalar(select(Submission).where(Submission.group_id == group.id))


def _flags(group: Group) -> list[DuplicateFlag]:
    query = select(DuplicateFlag).where(DuplicateFlag.group_id == group.id)
    return list(db.session.scalars(query.order_by(DuplicateFlag.id)))


def _twins(group: Group) -> list[Group]:
    """Return newer listings flagged as possibly this one, for a link to each."""
    query = select(Group).join(DuplicateFlag, DuplicateFlag.group_id == Group.id)
    query = query.where(DuplicateFlag.duplicate_of_id == group.id).order_by(Group.id)
    return [twin for twin in db.session.scalars(query) if current_moderator().may_moderate(twin)]


def _forms() -> dict:
    return {name: form(prefix=name) for name, form in FORMS.items()}


def _comparison(group: Group, flag: DuplicateFlag) -> dict:
    other = flag.duplicate_of
    visible = current_moderator().may_moderate(other)
    rows = [
        row if visible or not row.private else summary.Comparison(row.label, row.mine, "", True)
        for row in summary.compare(group, other)
    ]
    return {"flag": flag, "other": other, "rows": rows}


def render_item(group: Group, forms: dict | None = None, problem: str | None = None,
                status: int = 200, resolving: int | None = None):  # fmt: skip
    """Render a listing's review page, with the decisions its state allows.

    ``resolving`` names the report whose resolve form came back with a message: the other
    reports' forms stay empty.
    """
    submission = submission_of(group)
    flags = _flags(group)
    pending = group.status == Status.PENDING.value
    page = render_template(
        "moderate/item.html",
        group=group,
        submission=submission,
        rows=summary.rows(group, inference.inferred_of(db.session, group)),
        status_label=summary.STATUS_LABELS.get(group.status, group.status),
        comparisons=[_comparison(group, flag) for flag in flags],
        twins=_twins(group),
        history=summary.history_entries(services.history(db.session, group.id)),
        forms=forms or _forms(),
        blank_resolve=ResolveForm(prefix="resolve", formdata=None),
        resolving=resolving,
        problem=problem,
        **upkeep.context(group),
        may={
            "approve": pending and not flags,
            "reject": pending and not flags,
            "ask": pending and submission is not None,
            "archive": group.status == Status.PUBLISHED.value,
            "duplicate": pending and bool(flags),
        },
    )
    return page, status


@bp.get("/items/<id:group_id>")
def item(group_id: int):
    """Show everything about one listing for review, and the decisions open to it."""
    return render_item(group_or_404(group_id))


def _problem(error: ServiceError, group: Group, decision: str) -> str:
    if group.status not in ALLOWED[decision]:
        status = summary.STATUS_LABELS.get(group.status, group.status)
        return _("This listing has been decided already (%(status)s). Nothing was changed.",
                 status=status)  # fmt: skip
    return _("That could not be done: %(reason)s. Nothing was changed.", reason=str(error))


def _decide(group_id: int, decision: str, act: Callable, after: Callable,
            explain: Callable | None = None, resolving: int | None = None):  # fmt: skip
    """Validate the decision's form, apply it through ``act``, commit, then ``after``.

    ``explain(error, group)`` puts a refusal into the page's words (else ``_problem``).
    """
    group = group_or_404(group_id)
    forms = _forms()
    form = forms[decision]
    if not form.validate_on_submit():
        return render_item(group, forms, status=400, resolving=resolving)
    try:
        act(group, form)
    except NotAllowed:
        db.session.rollback()
        abort(404)
    except ServiceError as error:
        db.session.rollback()
        current_app.logger.info("moderator's %s refused: %s", decision, error)
        problem = explain(error, group) if explain else _problem(error, group, decision)
        return render_item(group, forms, problem, status=400, resolving=resolving)
    db.session.commit()
    return after(group, form)


def _text(field) -> str | None:
    return (field.data or "").strip() or None


def _tell_organiser(group: Group, message: str | None) -> bool:
    submission = submission_of(group)
    if submission is None:
        return False
    notices.decided(submission, message)
    return True


@bp.post("/items/<id:group_id>/approve")
def approve(group_id: int):
    """Publish the listing; tell its organiser, with the moderator's message."""

    def act(group, form):
        services.approve(db.session, group, current_actor(), _text(form.message))

    def after(group, form):
        _tell_organiser(group, _text(form.message))
        flash(_("Approved: it is searchable now."))
        return redirect(url_for("moderate.queue"))

    return _decide(group_id, "approve", act, after)


@bp.post("/items/<id:group_id>/reject")
def reject(group_id: int):
    """Turn the listing down; send its submitter the reason."""

    def act(group, form):
        services.reject(db.session, group, current_actor(), form.reason.data)

    def after(group, form):
        if _tell_organiser(group, _text(form.reason)):
            flash(_("Turned down: the submitter has been sent your reason."))
        else:
            flash(_("Turned down: the reason is kept in the history."))
        return redirect(url_for("moderate.queue"))

    return _decide(group_id, "reject", act, after)


@bp.post("/items/<id:group_id>/ask")
def ask(group_id: int):
    """Email the submitter a question with a link to answer; the item then waits for them."""

    def act(group, form):
        submission = submission_of(group)
        if submission is None:
            raise ServiceError(_("only a listing sent in on the site has a submitter to ask"))
        services.ask_submitter(db.session, submission, current_actor(), form.question.data)

    def after(group, form):
        submission = submission_of(group)
        notices.question_asked(submission, answer.answer_url(submission))
        flash(_("Question sent: the item waits for the submitter's answer."))
        return redirect(url_for("moderate.item", group_id=group.id))

    return _decide(group_id, "ask", act, after)


@bp.post("/items/<id:group_id>/archive")
def archive(group_id: int):
    """Take the listing out of the directory, with the reason in its history."""

    def act(group, form):
        services.archive_group(db.session, group, current_actor(), form.reason.data)

    def after(group, form):
        flash(_("Archived: it is no longer in the directory."))
        return redirect(url_for("moderate.item", group_id=group.id))

    return _decide(group_id, "archive", act, after)


def _duplicate_message(submission: Submission, kept: Group, reason: str | None) -> str | None:
    """Return what the organiser of a listing turned down as a duplicate is told."""
    if reason or kept.status != Status.PUBLISHED.value:
        return reason
    with force_locale(submission.language):
        page = links.external_url("public.group", group_id=kept.id)
        return _("Your group is in the directory already: %(url)s", url=page)


@bp.post("/items/<id:group_id>/duplicates/<id:flag_id>")
def duplicate(group_id: int, flag_id: int):
    """Settle a possible duplicate: keep both, merge into the listing there, or reject."""
    kept: list[Group] = []

    def act(group, form):
        flag = db.session.get(DuplicateFlag, flag_id)
        if flag is None or flag.group_id != group.id:
            raise ServiceError(_("this possible duplicate has been settled already"))
        kept.append(flag.duplicate_of)
        if form.outcome.data == "merge" and not current_moderator().may_moderate(kept[0]):
            raise ServiceError(_("the listing already there is another organisation's"))
        services.resolve_duplicate(
            db.session, flag, current_actor(), form.outcome.data, _text(form.reason)
        )

    def after(group, form):
        outcome = form.outcome.data
        if outcome == "not_duplicate":
            flash(_("Kept as a separate listing: it now waits for your approval."))
            return redirect(url_for("moderate.item", group_id=group.id))
        submission = submission_of(group)
        if submission is not None:
            notices.decided(submission, _duplicate_message(submission, kept[0], _text(form.reason)))
        if outcome == "merge":
            flash(_("Merged into the listing already there."))
        else:
            flash(_("Turned down as a duplicate."))
        return redirect(url_for("moderate.queue"))

    return _decide(group_id, "duplicate", act, after)
