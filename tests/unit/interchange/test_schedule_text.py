"""Schedules written the way people write them are read, or refused with a reason."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from directory.interchange.schedule_text import (
    ScheduleTextError,
    format_schedule,
    parse_schedule_text,
)
from directory.schedule import problems


def _read(text: str) -> dict:
    fields = parse_schedule_text(text)
    return {key: value for key, value in fields.items() if value not in (None, 1)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuesdays 7pm", {"kind": "weekly", "weekdays": "TU", "start_time": dt.time(19)}),
        (
            "2nd & 4th Thursday 6:30-8pm",
            {"kind": "monthly", "weekdays": "TH", "month_weeks": "2,4",
             "start_time": dt.time(18, 30), "end_time": dt.time(20)},
        ),
        (
            "every other Monday 10am starting Jan 5, 2026",
            {"kind": "weekly", "weekdays": "MO", "interval": 2,
             "anchor_date": dt.date(2026, 1, 5), "start_time": dt.time(10)},
        ),
        (
            "Last Friday of the month, 7 to 9 p.m.",
            {"kind": "monthly", "weekdays": "FR", "month_weeks": "-1",
             "start_time": dt.time(19), "end_time": dt.time(21)},
        ),
        (
            "Mon-Fri 9am-noon",
            {"kind": "weekly", "weekdays": "MO,TU,WE,TH,FR", "start_time": dt.time(9),
             "end_time": dt.time(12)},
        ),
        ("Wednesdays 11-1pm", {"kind": "weekly", "weekdays": "WE", "start_time": dt.time(11),
                               "end_time": dt.time(13)}),
        ("Mondays and Wednesdays 19:00-20:30", {"kind": "weekly", "weekdays": "MO,WE",
                                                "start_time": dt.time(19),
                                                "end_time": dt.time(20, 30)}),
        (
            "Every Tuesday, 7:00\u20138:30 pm Central",
            {"kind": "weekly", "weekdays": "TU", "start_time": dt.time(19),
             "end_time": dt.time(20, 30), "timezone": "America/Chicago"},
        ),
        (
            "2026-12-01 & 2026-12-15 7pm",
            {"kind": "dates", "dates": "2026-12-01,2026-12-15", "start_time": dt.time(19)},
        ),
        (
            "Thursdays 6pm from 2026-02-01 until 2026-06-30",
            {"kind": "weekly", "weekdays": "TH", "start_time": dt.time(18),
             "valid_from": dt.date(2026, 2, 1), "valid_until": dt.date(2026, 6, 30)},
        ),
    ],
)  # fmt: skip
def test_reads_schedules_as_people_write_them(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Tuesdays 25:00", "'25:00' is not a real time (hours go up to 23)"),
        ("Tuesdays 7:75pm", "minutes go up to 59"),
        ("Sundays 13pm", "use 1-12 with am or pm"),
        ("Tuesdays 7", "add am or pm to '7'"),
        ("every other Monday 10am", "needs a date it meets on"),
        ("Tuesdays 7pm and Thursdays 6pm", "more than one time"),
        ("Saturday mornings", "could not read 'mornings'"),
        ("7pm", "names no day of the week"),
        ("Tuesdays", "has no start time"),
        ("monthly on Monday 7pm", "which week of the month"),
        ("", "empty"),
    ],
)
def test_refuses_what_it_cannot_read_and_says_why(text, reason):
    with pytest.raises(ScheduleTextError) as caught:
        parse_schedule_text(text)
    assert reason in str(caught.value)


def test_every_other_monday_hint_shows_how_to_fix_it():
    with pytest.raises(ScheduleTextError) as caught:
        parse_schedule_text("every other Monday 10am")
    assert "'every other Monday 10am starting 2026-01-05'" in str(caught.value)


def test_end_before_start_is_read_and_left_to_schedule_validation():
    fields = parse_schedule_text("Thursdays 8pm-7pm")
    found = problems(SimpleNamespace(**fields, timezone="America/Chicago"))
    assert found == ["end time 19:00 is before start time 20:00"]


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "weekly", "weekdays": "TU", "interval": 1, "start_time": dt.time(19)},
        {"kind": "weekly", "weekdays": "MO,WE,FR", "interval": 1, "start_time": dt.time(12),
         "end_time": dt.time(13, 15)},
        {"kind": "weekly", "weekdays": "MO", "interval": 2, "anchor_date": dt.date(2026, 1, 5),
         "start_time": dt.time(10), "end_time": dt.time(11, 30)},
        {"kind": "weekly", "weekdays": "SA", "interval": 3, "anchor_date": dt.date(2026, 1, 3),
         "start_time": dt.time(0, 30), "valid_until": dt.date(2026, 12, 31)},
        {"kind": "monthly", "weekdays": "TH", "interval": 1, "month_weeks": "2,4",
         "start_time": dt.time(18, 30), "end_time": dt.time(20)},
        {"kind": "monthly", "weekdays": "MO,WE", "interval": 1, "month_weeks": "1,3,-1",
         "start_time": dt.time(10), "end_time": dt.time(12), "valid_from": dt.date(2026, 3, 1)},
        {"kind": "monthly", "weekdays": "SA", "interval": 2, "month_weeks": "1",
         "anchor_date": dt.date(2026, 1, 3), "start_time": dt.time(9)},
        {"kind": "dates", "dates": "2026-12-01,2026-12-15", "interval": 1,
         "start_time": dt.time(19), "end_time": dt.time(20)},
    ],
)  # fmt: skip
def test_what_is_written_reads_back_the_same(fields):
    full = dict.fromkeys(
        ("weekdays", "anchor_date", "month_weeks", "dates", "end_time", "valid_from",
         "valid_until"),
    ) | fields  # fmt: skip
    text = format_schedule(SimpleNamespace(**full))
    assert parse_schedule_text(text) == full, text


def test_written_schedules_read_naturally():
    monthly = SimpleNamespace(kind="monthly", weekdays="TH", interval=1, month_weeks="2,4",
                              start_time=dt.time(18, 30), end_time=dt.time(20), anchor_date=None,
                              dates=None, valid_from=None, valid_until=None)  # fmt: skip
    assert format_schedule(monthly) == "2nd & 4th Thursday of the month 6:30pm-8pm"
