"""One meeting time of a listing: weekly, monthly or on dates, with its times and zone."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    Form,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Length, NumberRange, Optional

from directory import schedule as recurrence
from directory.models import Schedule
from directory.web import words

from .widgets import ChoiceRadioField, MultiCheckboxField, options

#: Ways people write a time when their browser has no time picker: 19:00, 7:00 pm, 7pm.
TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p", "%I %p", "%I%p"]
KIND_LABELS = {
    "weekly": _l("Every week, or every few weeks"),
    "monthly": _l("Once or more a month, on a weekday (such as the 1st Monday)"),
    "dates": _l("On particular dates"),
}
WEEKDAYS = [(code, words.DAY_LABELS[key]) for code, key in zip(
    recurrence.WEEKDAY_CODES, ("mon", "tue", "wed", "thu", "fri", "sat", "sun"), strict=True
)]  # fmt: skip
WEEKS = [("1", _l("1st")), ("2", _l("2nd")), ("3", _l("3rd")), ("4", _l("4th")),
         ("5", _l("5th")), ("-1", _l("Last"))]  # fmt: skip
DATES_LIMIT = 2000
_DATE_SPLIT = re.compile(r"[\s,;]+")


def parse_dates(text: str | None) -> list[dt.date] | None:
    """Read dates written 2026-12-01 or 12/1/2026, one per line or comma; None if one is bad."""
    found = []
    for item in _DATE_SPLIT.split((text or "").strip()):
        if not item:
            continue
        for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
            try:
                found.append(dt.datetime.strptime(item, pattern).date())
                break
            except ValueError:
                continue
        else:
            return None
    return sorted(set(found))


class ScheduleForm(Form):
    """One row of meeting times; ``to_values`` gives the services' schedule mapping."""

    kind = ChoiceRadioField(_l("How often it meets"), choices=options(KIND_LABELS.items()),
                      default="weekly")  # fmt: skip
    weekdays = MultiCheckboxField(_l("On which days"), choices=options(WEEKDAYS))
    interval = IntegerField(
        _l("Every how many weeks"), default=1,
        validators=[Optional(), NumberRange(1, recurrence.MAX_INTERVAL,
                                            message=_l("Please give a number from 1 to 52."))],
    )  # fmt: skip
    anchor_date = DateField(_l("The date of one meeting"), validators=[Optional()])
    month_weeks = MultiCheckboxField(_l("Which weeks of the month"), choices=options(WEEKS))
    dates = TextAreaField(_l("Dates"), validators=[Length(max=DATES_LIMIT)])
    start_time = TimeField(_l("Starts at"), format=TIME_FORMATS, validators=[Optional()])
    end_time = TimeField(_l("Ends at"), format=TIME_FORMATS, validators=[Optional()])
    timezone = SelectField(_l("Time zone"), validate_choice=False, default="")
    note = StringField(_l("Anything to know about this time"),
                       validators=[Length(max=Schedule.__table__.c.note.type.length)])  # fmt: skip
    remove = SubmitField(_l("Remove this meeting time"))

    def check(self, zone: str | None, placed: bool = False) -> bool:
        """Check the row as a whole; add messages; return whether it is good.

        ``zone`` is the place's; ``placed`` says the listing has a place that could not be
        found, so its zone is unknown yet and only the place's message is shown for it.
        """
        if self.start_time.raw_data and self.start_time.raw_data[0] and self.start_time.errors:
            self.start_time.errors[:] = [_l("Please give a time such as 19:00 or 7:00 pm.")]
        if self.end_time.errors:
            self.end_time.errors[:] = [_l("Please give a time such as 20:30 or 8:30 pm.")]
        if self.anchor_date.errors:
            self.anchor_date.errors[:] = [_l("Please give a date such as 2026-12-01.")]
        kind = self.kind.data if self.kind.data in KIND_LABELS else "weekly"
        if kind in ("weekly", "monthly") and not self.weekdays.data:
            self.weekdays.errors.append(_l("Please choose at least one day."))
        if kind == "monthly" and not self.month_weeks.data:
            self.month_weeks.errors.append(_l("Please choose at least one week of the month."))
        if kind == "weekly" and (self.interval.data or 1) > 1 and not self.anchor_date.data:
            self.anchor_date.errors.append(
                _l("Please give the date of one meeting, so we know which weeks it meets.")
            )
        if kind == "dates":
            dates = parse_dates(self.dates.data)
            if dates is None:
                self.dates.errors.append(_l("Please write each date like 2026-12-01."))
            elif not dates:
                self.dates.errors.append(_l("Please give at least one date."))
        if self.start_time.data is None and not self.start_time.errors:
            self.start_time.errors.append(_l("Please give the time the meeting starts."))
        start, end = self.start_time.data, self.end_time.data
        if start and end and end <= start:
            self.end_time.errors.append(_l("The end time must be after the start time."))
        if not self.timezone.data and not zone and not placed:
            self.timezone.errors.append(_l("Please choose the time zone of the meeting times."))
        elif self.timezone.data and not _known_zone(self.timezone.data):
            self.timezone.errors.append(_l("Please choose a time zone from the list."))
        if self.errors:
            return False
        if recurrence.problems(Schedule(**self.to_values(zone or "America/Chicago"))):
            self.kind.errors.append(
                _l("These meeting times never happen in the next few years. "
                   "Please check the days and dates.")
            )  # fmt: skip
            return False
        return True

    def to_values(self, zone: str | None) -> dict:
        """Return the row as the services' schedule mapping (checked by ``check`` first)."""
        kind = self.kind.data if self.kind.data in KIND_LABELS else "weekly"
        weekly = kind == "weekly"
        dates = parse_dates(self.dates.data) if kind == "dates" else None
        return {
            "kind": kind,
            "weekdays": ",".join(self.weekdays.data or ()) if kind != "dates" else None,
            "interval": (self.interval.data or 1) if weekly else 1,
            "anchor_date": self.anchor_date.data if weekly else None,
            "month_weeks": ",".join(self.month_weeks.data or ()) if kind == "monthly" else None,
            "dates": ",".join(day.isoformat() for day in dates) if dates else None,
            "start_time": self.start_time.data,
            "end_time": self.end_time.data,
            "timezone": self.timezone.data or zone,
            "note": (self.note.data or "").strip() or None,
        }


def schedule_data(item) -> dict:
    """Return a stored schedule as the data that fills a ScheduleForm row."""
    return {
        "kind": item.kind,
        "weekdays": [c.strip() for c in (item.weekdays or "").split(",") if c.strip()],
        "interval": item.interval or 1,
        "anchor_date": item.anchor_date,
        "month_weeks": [w.strip() for w in (item.month_weeks or "").split(",") if w.strip()],
        "dates": "\n".join(d.strip() for d in (item.dates or "").split(",") if d.strip()),
        "start_time": item.start_time,
        "end_time": item.end_time,
        "timezone": item.timezone,
        "note": item.note,
    }


def _known_zone(key: str) -> bool:
    from directory.geo import valid_timezone

    return valid_timezone(key)
