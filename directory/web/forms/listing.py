"""The listing form: every field of a group, checked with a plain message beside each.

``ListingForm`` serves the organiser's submission, the moderator's corrections and the
organiser's answer page: ``to_fields`` gives the services' mapping (``services.editing``),
``from_group`` fills the form from a listing. ``SubmitForm`` adds what only /submit needs:
the consent line, the honeypot, the signed start time and the preview buttons.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from directory.interchange import places, values
from directory.interchange.records import PlaceRecord
from directory.interchange.state import LOCATION_FIELDS
from directory.models import Cost, Facilitation, Format, Group, JoinVisibility, Location
from directory.services.submissions import find_organization
from directory.web import words
from directory.web.forms.base import Form

from .options import ListingChoices, zone_choices
from .schedule import ScheduleForm, schedule_data
from .widgets import ChoiceRadioField, MultiCheckboxField, options

DESCRIPTION_LIMIT = 4000
INSTRUCTIONS_LIMIT = 2000
MAX_SCHEDULES = 10
TOO_LONG = _l("Please keep this to %(max)d characters or fewer.")
PLACED = (Format.IN_PERSON.value, Format.HYBRID.value)
#: The form's own fields that are a listing column of the same name.
COLUMNS = ("name", "description", "format", "cost", "cost_note", "facilitation",
           "registration_required", "contact_name", "contact_email", "contact_phone", "website",
           "join_url", "join_phone", "join_instructions", "join_visibility", "organiser_name",
           "organiser_email", "organiser_phone")  # fmt: skip
#: Place fields: form field -> Location column.
PLACE = {"place_name": "name", "room": "room", "address_1": "address_1", "city": "city",
         "region": "region", "postal_code": "postal_code"}  # fmt: skip
TERMS = ("topics", "audiences", "accessibility", "languages")


def _size(model, column: str, limit: int | None = None) -> Length:
    return Length(max=limit or model.__table__.c[column].type.length, message=TOO_LONG)


def _text(label, model, column: str) -> StringField:
    return StringField(label, validators=[_size(model, column)])


def _labels(mapping: dict) -> list:
    return options(mapping.items())


#: The parts of a place that say where it is; its name and room do not move it.
ADDRESS = ("address_1", "city", "region", "postal_code")


class ListingForm(Form):
    """Every field a listing has; ``choices`` gives the terms, languages and organisations."""

    name = StringField(_l("Name of the group"), validators=[
        DataRequired(_l("Please give the group's name.")), _size(Group, "name")])  # fmt: skip
    description = TextAreaField(
        _l("What happens at a meeting, and who it is for"),
        validators=[Length(max=DESCRIPTION_LIMIT, message=TOO_LONG)],
    )
    organization_name = StringField(
        _l("Host organisation (if any)"), validators=[_size(Group, "name")]
    )
    format = ChoiceRadioField(
        _l("How it meets"), choices=_labels(words.FORMAT_LABELS), default=Format.IN_PERSON.value
    )
    place_name = _text(_l("Name of the place"), Location, "name")
    room = _text(_l("Room or floor"), Location, "room")
    address_1 = _text(_l("Street address"), Location, "address_1")
    city = _text(_l("City"), Location, "city")
    region = _text(_l("State"), Location, "region")
    postal_code = _text(_l("ZIP code"), Location, "postal_code")
    join_url = _text(_l("Link to join online"), Group, "join_url")
    join_phone = _text(_l("Phone number to join by phone"), Group, "join_phone")
    join_instructions = TextAreaField(
        _l("How to join (a meeting ID, a passcode, what to expect)"),
        validators=[Length(max=INSTRUCTIONS_LIMIT, message=TOO_LONG)],
    )
    join_visibility = ChoiceRadioField(_l("Who sees how to join"), choices=options([
        (JoinVisibility.PUBLIC.value, _l("Show it on the listing")),
        (JoinVisibility.ON_REQUEST.value, _l("Only people who contact the group")),
    ]), default=JoinVisibility.PUBLIC.value)  # fmt: skip
    schedules = FieldList(FormField(ScheduleForm), min_entries=1, max_entries=MAX_SCHEDULES)
    add_schedule = SubmitField(_l("Add another meeting time"))
    topics = MultiCheckboxField(_l("Topics"))
    audiences = MultiCheckboxField(_l("Who it is for"))
    accessibility = MultiCheckboxField(_l("Accessibility"))
    languages = MultiCheckboxField(_l("Languages spoken at meetings"))
    cost = ChoiceRadioField(_l("Cost"), choices=_labels(words.COST_LABELS), default=Cost.FREE.value)
    cost_note = _text(_l("About the cost (optional)"), Group, "cost_note")
    facilitation = ChoiceRadioField(
        _l("Who leads it"),
        choices=_labels(words.FACILITATION_LABELS),
        default=Facilitation.PEER.value,
    )
    registration_required = BooleanField(_l("People need to register or contact the group first"))
    contact_name = _text(_l("Contact name"), Group, "contact_name")
    contact_email = _text(_l("Contact email"), Group, "contact_email")
    contact_phone = _text(_l("Contact phone"), Group, "contact_phone")
    website = _text(_l("Group website"), Group, "website")
    organiser_name = _text(_l("Your name"), Group, "organiser_name")
    organiser_email = StringField(_l("Your email"), validators=[_size(Group, "organiser_email")])
    organiser_phone = _text(_l("Your phone (optional)"), Group, "organiser_phone")

    def __init__(self, *args, choices: ListingChoices, **kwargs) -> None:
        """Build the form (from the request's form by default) with the choices it offers."""
        super().__init__(*args, **kwargs)
        self.choices = choices
        for name in TERMS:
            getattr(self, name).choices = options(getattr(choices, name))
        self.location: dict | None = None
        self.prepare_rows()

    def prepare_rows(self) -> None:
        """Give every meeting-time row its time zones: the US ones, the place's, its own."""
        zone = (self.location or {}).get("timezone")
        for entry in self.schedules:
            row = entry.form
            own = row.timezone.data if _valid_zone(row.timezone.data) else None
            row.timezone.choices = options(
                [("", _l("The place's time zone")), *zone_choices(zone, own)]
            )

    def add_row(self) -> None:
        """Add an empty meeting-time row (up to MAX_SCHEDULES)."""
        if len(self.schedules) < MAX_SCHEDULES:
            self.schedules.append_entry()
        self.prepare_rows()

    def remove_row(self) -> bool:
        """Remove the row whose Remove button was pressed; return whether one was."""
        for index, entry in enumerate(self.schedules.entries):
            if entry.form.remove.data:
                del self.schedules.entries[index]
                if not self.schedules.entries:
                    self.schedules.append_entry()
                self.prepare_rows()
                return True
        return False

    def rows_changed(self) -> bool:
        """Add or remove a meeting-time row if its button was pressed; return whether it was.

        Such a post only changes the form: the page shows it again, nothing is checked.
        """
        if self.add_schedule.data:
            self.add_row()
            return True
        return self.remove_row()

    # --- one field at a time (WTForms calls validate_<name>) -------------------------------

    def validate_contact_email(self, field) -> None:  # noqa: D102
        _normalise(field, values.email, _EMAIL)

    def validate_organiser_email(self, field) -> None:  # noqa: D102
        _normalise(field, values.email, _EMAIL)

    def validate_website(self, field) -> None:  # noqa: D102
        _normalise(field, values.url, _l("Please give a web address that starts with https://."))

    def validate_join_url(self, field) -> None:  # noqa: D102
        _normalise(field, values.url, _l("Please give a web address that starts with https://."))

    def validate_contact_phone(self, field) -> None:  # noqa: D102
        _normalise(field, values.phone, _PHONE)

    def validate_join_phone(self, field) -> None:  # noqa: D102
        _normalise(field, values.phone, _PHONE)

    def validate_organiser_phone(self, field) -> None:  # noqa: D102
        _normalise(field, values.phone, _PHONE)

    # --- the listing as a whole ------------------------------------------------------------

    def validate(self, extra_validators=None) -> bool:
        """Check every field, then the place, how to join and each meeting time."""
        super().validate(extra_validators)
        fmt = self.format.data
        if fmt in PLACED:
            self._place()
        online = fmt in (Format.ONLINE.value, Format.HYBRID.value) and self._public_join()
        if online and not (self.join_url.data or "").strip() and not self.join_instructions.data:
            self.join_url.errors.append(_l("Please give the link to join, or say how to join."))
        if fmt == Format.PHONE.value and self._public_join() and not self.join_phone.data:
            self.join_phone.errors.append(_l("Please give the phone number to call."))
        zone = (self.location or {}).get("timezone")
        for entry in self.schedules:
            entry.form.check(zone, placed=fmt in PLACED)
        self.prepare_rows()
        return not self.errors

    def _public_join(self) -> bool:
        return self.join_visibility.data == JoinVisibility.PUBLIC.value

    def _place(self) -> None:
        given = {column: (getattr(self, name).data or "").strip() or None
                 for name, column in PLACE.items()}  # fmt: skip
        kept = self.location
        if kept is not None and all(kept.get(column) == given[column] for column in ADDRESS):
            # The listing's own address (its name or room may change): keep its coordinates.
            self.location = {**kept, **given}
            return
        if not (given["city"] and given["region"]) and not given["postal_code"]:
            self.city.errors.append(_l("Please give the city and state, or the ZIP code."))
            return
        problems: list[str] = []
        record = PlaceRecord(**given, country="US")
        location, _zone = places.locate(record, None, None, problems, [])
        if location is None or location["latitude"] is None or problems:
            self.city.errors.append(
                _l("We could not find this place. Please check the city, state and ZIP code.")
            )
            return
        self.location = location

    def to_fields(self, session: Session) -> dict[str, Any]:
        """Return the services' mapping of a checked form (``validate`` first)."""
        fields: dict[str, Any] = {}
        for name in COLUMNS:
            value = getattr(self, name).data
            fields[name] = (value.strip() or None) if isinstance(value, str) else value
        fields["description"] = (self.description.data or "").strip()
        fmt = fields["format"]
        if fmt == Format.IN_PERSON.value:
            fields.update(join_url=None, join_phone=None, join_instructions=None)
        elif fmt == Format.ONLINE.value:
            fields["join_phone"] = None
        elif fmt == Format.PHONE.value:
            fields["join_url"] = None
        location = self.location if fmt in PLACED else None
        zone = location["timezone"] if location else None
        fields["location"] = location
        fields["schedules"] = [entry.form.to_values(zone) for entry in self.schedules]
        fields["timezone"] = zone or next(
            (row["timezone"] for row in fields["schedules"] if row["timezone"]), None
        )
        for name in TERMS:
            fields[name] = list(getattr(self, name).data or ())
        found = find_organization(session, self.organization_name.data or "")
        fields["organization"] = found.id if found is not None else None
        return fields

    def keep_place_of(self, group: Group) -> None:
        """Keep ``group``'s exact place while the form's address is still the same as its own.

        Call it on a form posted to correct a listing; without it the place is looked up
        again, at its ZIP code's or city's centre.
        """
        place = group.location
        if place is not None:
            self.location = {name: getattr(place, name) for name in LOCATION_FIELDS}
        self.prepare_rows()

    @property
    def organization_text(self) -> str | None:
        """Return the host organisation's name as given, for a new one, or None."""
        return " ".join((self.organization_name.data or "").split()) or None

    @classmethod
    def from_group(cls, group: Group, *, choices: ListingChoices, **kwargs) -> ListingForm:
        """Return a form filled from ``group`` (not from the request)."""
        data: dict[str, Any] = {name: getattr(group, name) for name in COLUMNS}
        if group.location is not None:
            data |= {name: getattr(group.location, column) for name, column in PLACE.items()}
        data["schedules"] = [schedule_data(item) for item in group.schedules]
        for name in ("topics", "audiences", "accessibility"):
            data[name] = [term.slug for term in getattr(group, name)]
        data["languages"] = [language.code for language in group.languages]
        if group.organization is not None:
            data["organization_name"] = group.organization.name
        form = cls(formdata=None, data=data, choices=choices, **kwargs)
        form.keep_place_of(group)
        return form


class SubmitForm(ListingForm):
    """The listing form on /submit: email required, consent, honeypot, start time, buttons."""

    organiser_email = StringField(_l("Your email"), validators=[
        DataRequired(_l("Please give your email, so a moderator can reach you.")),
        _size(Group, "organiser_email")])  # fmt: skip
    consent = BooleanField(_l("I run or help run this group and may list it"), validators=[
        DataRequired(_l("Please confirm that you run or help run this group."))])  # fmt: skip
    #: The honeypot: hidden from people, who are asked to leave it empty; bots fill it.
    nickname = StringField(_l("Leave this field empty"), validators=[Length(max=200)])
    started = HiddenField()
    preview = SubmitField(_l("Preview"))
    send = SubmitField(_l("Submit for review"))
    change = SubmitField(_l("Change something"))


_EMAIL = _l("Please give an email address such as name@example.org.")
_PHONE = _l("Please give a phone number such as (312) 555-0142.")


def _normalise(field, normaliser, message) -> None:
    """Replace the field's text by its normal form, or refuse it with ``message``."""
    if not (field.data or "").strip():
        field.data = None
        return
    try:
        field.data = normaliser(field.data, field.name)
    except ValueError:
        raise ValidationError(message) from None


def _valid_zone(key: str | None) -> bool:
    from directory.geo import valid_timezone

    return bool(key) and valid_timezone(key)
