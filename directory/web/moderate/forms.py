"""The moderators' decision forms: approve, reject, ask, archive and settle a duplicate.

Each is a Flask-WTF form (``forms.base.Form``), so each carries its CSRF token; the text a
moderator writes is kept when the form comes back with a message, and is never longer than
the services keep.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from directory.services.decisions import DUPLICATE_OUTCOMES
from directory.services.submissions import MESSAGE_LIMIT
from directory.web.forms.base import Form


def _length(what) -> Length:
    return Length(max=MESSAGE_LIMIT, message=what)


class ApproveForm(Form):
    """Publish a listing, with an optional message to its organiser."""

    message = TextAreaField(
        _l("Message to the organiser (optional)"),
        validators=[
            Optional(),
            _length(_l("Please keep the message under %(max)d characters.")),
        ],
    )


class RejectForm(Form):
    """Turn a listing down, with the reason its submitter is sent."""

    reason = TextAreaField(
        _l("Reason, sent to the submitter"),
        validators=[
            DataRequired(_l("Please write the reason: the submitter will read it.")),
            _length(_l("Please keep the reason under %(max)d characters.")),
        ],
    )


class AskForm(Form):
    """Ask a listing's submitter a question by email."""

    question = TextAreaField(
        _l("Your question"),
        validators=[
            DataRequired(_l("Please write the question for the submitter.")),
            _length(_l("Please keep the question under %(max)d characters.")),
        ],
    )


class ArchiveForm(Form):
    """Take a listing out of the directory, with a reason kept in its history."""

    reason = TextAreaField(
        _l("Reason for archiving (kept in the history)"),
        validators=[
            DataRequired(_l("Please write why the listing is archived.")),
            _length(_l("Please keep the reason under %(max)d characters.")),
        ],
    )


class DuplicateForm(Form):
    """Settle a possible duplicate: keep both, merge into the listing there, or reject."""

    outcome = HiddenField(validators=[AnyOf(DUPLICATE_OUTCOMES, message=_l("Please choose."))])
    reason = TextAreaField(
        _l("Note (optional; sent to the submitter when the listing is turned down)"),
        validators=[
            Optional(),
            _length(_l("Please keep the note under %(max)d characters.")),
        ],
    )
