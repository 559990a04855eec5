"""Write to organisers about keeping a listing current: links, reports, decisions, reminders.

Like ``notices``, each is sent after its change is committed and never raises (a failure is
logged; an undelivered message waits for ``mail retry``). Mail goes only to the organiser
address on file, in the language the organiser last used with us (their submission or their
latest change request), else English. A reporter's own address never reaches the organiser.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from directory import mail
from directory.extensions import db
from directory.models import ChangeRequest, Group, ProblemReport, Submission
from directory.web import links, words
from directory.web.manage.links import link_days, manage_token, manage_url

from .notices import _letter, _reported


def organiser_language(group: Group) -> str:
    """Return the language to write to a listing's organiser in."""
    latest = db.session.scalars(
        select(ChangeRequest.language)
        .where(ChangeRequest.group_id == group.id)
        .order_by(ChangeRequest.id.desc())
        .limit(1)
    ).first()
    if latest:
        return latest
    submitted = db.session.scalars(
        select(Submission.language).where(Submission.group_id == group.id)
    ).first()
    return submitted or "en"


def _to(group: Group, template: str, subject, language: str | None = None, **context):
    address = group.organiser_email
    if not address:
        return None
    language = language or organiser_language(group)
    with force_locale(language):
        return _letter(
            template, str(subject), [address], language, group=group, days=link_days(),
            manage_url=manage_url(group),
            edit_url=links.external_url("manage.edit", token=manage_token(group)),
            page_url=links.external_url("public.group", group_id=group.id), **context,
        )  # fmt: skip


@_reported
def manage_link(group: Group, language: str | None = None) -> mail.Delivery | None:
    """Send the organiser a fresh manage link for ``group`` (asked for on the site)."""
    subject = _l("Your link to manage %(name)s", name=group.name)
    return _to(group, "manage_link", subject, language)


@_reported
def manage_links(address: str, groups: list[Group], language: str) -> mail.Delivery | None:
    """Send one address the manage links of every listing it is the organiser of."""
    if not groups:
        return None
    with force_locale(language):
        items = [(group, manage_url(group)) for group in groups]
        return _letter(
            "manage_links", str(_l("Your links to manage your listings")), [address], language,
            items=items, days=link_days(),
        )  # fmt: skip


@_reported
def problem_reported(report: ProblemReport) -> mail.Delivery | None:
    """Tell the organiser what a visitor reported, with their manage link to put it right."""
    group = report.group
    subject = _l("Someone reported a problem with %(name)s", name=group.name)
    with force_locale(organiser_language(group)):
        kind = str(words.REPORT_KIND_LABELS.get(report.kind, report.kind))
    return _to(group, "problem_reported", subject, kind=kind, details=report.details)


@_reported
def change_decided(request: ChangeRequest) -> mail.Delivery | None:
    """Tell the organiser whether their change was published, with the moderator's reason."""
    group = request.group
    if request.outcome == "approved":
        subject = _l("Your changes are published: %(name)s", name=group.name)
    elif request.outcome == "rejected":
        subject = _l("About your changes to %(name)s", name=group.name)
    else:
        return None
    return _to(group, "change_decided", subject, request.language, request=request)


@_reported
def reminder(group: Group) -> mail.Delivery | None:
    """Ask the organiser to confirm the listing still meets, or to correct it."""
    subject = _l("Is %(name)s still meeting?", name=group.name)
    return _to(group, "reminder", subject, verified_at=group.verified_at)
