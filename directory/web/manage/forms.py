"""The organiser's forms: the listing form, pausing, closing, and asking for a fresh link."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from directory.interchange import values
from directory.services.upkeep import LONGEST_PAUSE, REASON_LIMIT
from directory.web.forms import ListingForm, SubmitForm
from directory.web.forms.base import Form
from directory.web.forms.schedule import parse_dates

NOTE_LIMIT = REASON_LIMIT
TOO_LONG = _l("Please keep this to %(max)d characters or fewer.")


class EditForm(ListingForm):
    """The listing form, filled from the listing; the organiser's email stays required."""

    organiser_email = SubmitForm.organiser_email


class PauseForm(Form):
    """When the group meets again (optional), and a note for the moderators (optional)."""

    resumes_on = StringField(_l("The date it meets again (optional)"))
    note = TextAreaField(
        _l("A note for the moderators (optional)"),
        validators=[Length(max=NOTE_LIMIT, message=TOO_LONG)],
    )

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        """Build the form; ``today`` is the date where the group meets."""
        super().__init__(*args, **kwargs)
        self.today = today
        self.day: dt.date | None = None

    def validate_resumes_on(self, field) -> None:  # noqa: D102
        text = (field.data or "").strip()
        if not text:
            return
        days = parse_dates(text)
        if not days or len(days) != 1:
            raise _problem(_l("Please give a date such as 2026-12-01, or leave it empty."))
        day = days[0]
        if day <= self.today:
            raise _problem(_l("Please give a date after today, or leave it empty."))
        if day - self.today > LONGEST_PAUSE:
            raise _problem(
                _l("Please give a date within a year. For a longer break, leave it empty.")
            )
        self.day = day


class CloseForm(Form):
    """Why the group is closing for good: required, kept in the listing's history."""

    reason = TextAreaField(
        _l("Why is the group closing?"),
        validators=[
            DataRequired(_l("Please say in a few words why the group is closing.")),
            Length(max=REASON_LIMIT, message=TOO_LONG),
        ],
    )


class AskForm(Form):
    """Ask for the organiser's link: the honeypot only (the address is the one on file)."""

    #: The honeypot: hidden from people, who are asked to leave it empty; scripts fill it.
    nickname = StringField(_l("Leave this field empty"), validators=[Length(max=200)])


class AddressForm(AskForm):
    """Ask for the manage links of every listing an address is the organiser of."""

    email = StringField(
        _l("Your email"),
        validators=[DataRequired(_l("Please give your email.")), Length(max=254)],
    )

    def validate_email(self, field) -> None:  # noqa: D102
        try:
            field.data = values.email(field.data or "", "email")
        except ValueError:
            raise _problem(_l("Please give an email address such as name@example.org.")) from None


def _problem(message) -> ValidationError:
    return ValidationError(message)
