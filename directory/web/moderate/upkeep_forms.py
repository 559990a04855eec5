"""The moderators' forms for keeping a listing current: changes, reports, links and trust.

Each is a Flask-WTF form (``forms.base.Form``), so each carries its CSRF token; what a
moderator writes is kept when the form comes back with a message, and is never longer than
the services keep.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from directory.services.reports import DETAILS_LIMIT
from directory.services.submissions import MESSAGE_LIMIT
from directory.web.forms.base import Form

#: The values of a trust toggle's buttons.
TRUST_CHOICES = ("yes", "no")


class ApproveChangeForm(Form):
    """Publish an organiser's changes, with an optional note to them."""

    note = TextAreaField(
        _l("Note to the organiser (optional)"),
        validators=[
            Optional(),
            Length(max=MESSAGE_LIMIT, message=_l("Please keep the note under %(max)d characters.")),
        ],
    )


class RejectChangeForm(Form):
    """Turn down an organiser's changes, with the reason they are sent."""

    reason = TextAreaField(
        _l("Reason, sent to the organiser"),
        validators=[
            DataRequired(_l("Please write the reason: the organiser will read it.")),
            Length(
                max=MESSAGE_LIMIT, message=_l("Please keep the reason under %(max)d characters.")
            ),
        ],
    )


class ResolveForm(Form):
    """Close a problem report with what was done about it."""

    note = TextAreaField(
        _l("What was done (kept in the history)"),
        validators=[
            DataRequired(_l("Please say what was done about the report.")),
            Length(max=DETAILS_LIMIT, message=_l("Please keep the note under %(max)d characters.")),
        ],
    )


class RevokeForm(Form):
    """End every manage link sent for a listing, with an optional reason."""

    reason = TextAreaField(
        _l("Why (optional, kept in the history)"),
        validators=[
            Optional(),
            Length(
                max=MESSAGE_LIMIT, message=_l("Please keep the reason under %(max)d characters.")
            ),
        ],
    )


class TrustForm(Form):
    """Trust, or stop trusting, an organiser or an organisation (the button says which)."""

    trusted = HiddenField(validators=[AnyOf(TRUST_CHOICES, message=_l("Please choose."))])

    @property
    def wanted(self) -> bool:
        """Return whether the button pressed asks to trust."""
        return self.trusted.data == "yes"
