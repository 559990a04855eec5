# ruff: noqa: RUF001 - describe() uses en dashes, and the expected strings spell them out
"""Recurring schedules: occurrences across DST and month ends, text, RRULEs, validation."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from directory.schedule import (
    KINDS,
    TIME_OF_DAY,
    WEEKDAY_CODES,
    ScheduleError,
    describe,
    first_start,
    from_rrule,
    next_occurrences,
    occurrence_end,
    problems,
    rdates,
    time_of_day,
    to_rrule,
    validate,
    weekday_set,
)

CHICAGO = ZoneInfo("America/Chicago")
LONDON = ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")


@dataclass
class Sched:
    """Stand-in with the attributes of models.Schedule."""

    kind: str = "weekly"
    weekdays: str | None = "TU"
    interval: int = 1
    anchor_date: date | None = None
    month_weeks: str | None = None
    dates: str | None = None
    start_time: time = time(19, 0)
    end_time: time | None = time(20, 30)
    timezone: str = "America/Chicago"
    valid_from: date | None = None
    valid_until: date | None = None
    note: str | None = None


def weekly(weekdays="TU", **kw):
    return Sched(weekdays=weekdays, **kw)


def monthly(weekdays, month_weeks, **kw):
    return Sched(kind="monthly", weekdays=weekdays, month_weeks=month_weeks, **kw)


def one_off(dates, **kw):
    return Sched(kind="dates", weekdays=None, dates=dates, **kw)


def at(y, m, d, hh=12, mm=0, tz=CHICAGO):
    return datetime(y, m, d, hh, mm, tzinfo=tz)


def offset(hours):
    return timezone(timedelta(hours=hours))


def walls(starts):
    """Return (local wall time, UTC offset in hours) pairs, to check both at once."""
    return [(s.replace(tzinfo=None), s.utcoffset() / timedelta(hours=1)) for s in starts]


def test_constants():
    assert KINDS == ("weekly", "monthly", "dates")
    assert WEEKDAY_CODES == ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    assert list(TIME_OF_DAY) == ["morning", "afternoon", "evening"]


# --- daylight saving time ------------------------------------------------------------------


def test_chicago_spring_forward_keeps_7pm_and_moves_the_offset():
    starts = next_occurrences(weekly("SU"), at(2026, 2, 28), count=3)
    assert walls(starts) == [
        (datetime(2026, 3, 1, 19), -6.0),
        (datetime(2026, 3, 8, 19), -5.0),  # clocks went forward at 2 am that morning
        (datetime(2026, 3, 15, 19), -5.0),
    ]
    assert starts[0] == datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    assert starts[1] == datetime(2026, 3, 9, 0, 0, tzinfo=UTC)
    assert all(s.tzinfo is CHICAGO for s in starts)


def test_chicago_fall_back_keeps_7pm_and_moves_the_offset():
    starts = next_occurrences(weekly("SU"), at(2026, 10, 20), count=3)
    assert walls(starts) == [
        (datetime(2026, 10, 25, 19), -5.0),
        (datetime(2026, 11, 1, 19), -6.0),
        (datetime(2026, 11, 8, 19), -6.0),
    ]


def test_london_summer_time_both_ways():
    spring = next_occurrences(weekly("TU", timezone="Europe/London"), at(2026, 3, 20, tz=LONDON), 2)
    assert walls(spring) == [(datetime(2026, 3, 24, 19), 0.0), (datetime(2026, 3, 31, 19), 1.0)]
    autumn = next_occurrences(
        weekly("TU", timezone="Europe/London"), at(2026, 10, 15, tz=LONDON), 2
    )
    assert walls(autumn) == [(datetime(2026, 10, 20, 19), 1.0), (datetime(2026, 10, 27, 19), 0.0)]
    assert autumn[1] == datetime(2026, 10, 27, 19, 0, tzinfo=UTC)


def test_sydney_southern_hemisphere_both_ways():
    sched = weekly("TH", start_time=time(18), end_time=time(19), timezone="Australia/Sydney")
    ends_dst = next_occurrences(sched, at(2026, 3, 30, tz=SYDNEY), 2)
    assert walls(ends_dst) == [(datetime(2026, 4, 2, 18), 11.0), (datetime(2026, 4, 9, 18), 10.0)]
    starts_dst = next_occurrences(sched, at(2026, 9, 28, tz=SYDNEY), 2)
    assert walls(starts_dst) == [
        (datetime(2026, 10, 1, 18), 10.0),
        (datetime(2026, 10, 8, 18), 11.0),
    ]


def test_nonexistent_start_time_moves_forward_by_the_gap():
    sched = weekly("SU", start_time=time(2, 30), end_time=time(3, 30))
    starts = next_occurrences(sched, at(2026, 2, 28), count=3)
    assert walls(starts) == [
        (datetime(2026, 3, 1, 2, 30), -6.0),
        (datetime(2026, 3, 8, 3, 30), -5.0),  # 2:30 am did not exist on spring-forward day
        (datetime(2026, 3, 15, 2, 30), -5.0),
    ]
    assert starts[1] == datetime(2026, 3, 8, 8, 30, tzinfo=UTC)


def test_ambiguous_start_time_is_the_first_of_the_two():
    sched = weekly("SU", start_time=time(1, 30), end_time=time(2, 0))
    [start] = next_occurrences(sched, at(2026, 10, 31), count=1)
    # Python never calls an ambiguous time equal to one in another zone (PEP 495), so compare
    # in UTC: 1:30 CDT, not the 1:30 CST an hour later.
    assert start.astimezone(UTC) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert walls([start]) == [(datetime(2026, 11, 1, 1, 30), -5.0)]
    # The meeting after it is found from an `after` in the repeated hour, too.
    repeated = datetime(2026, 11, 1, 1, 45, fold=1, tzinfo=CHICAGO)
    assert next_occurrences(sched, repeated, 1) == [at(2026, 11, 8, 1, 30)]
    before = next_occurrences(sched, start - timedelta(minutes=1), 1)
    assert [s.astimezone(UTC) for s in before] == [start.astimezone(UTC)]


def test_strictly_after_and_any_zone_for_after():
    sched = weekly("TU")
    meeting = at(2026, 5, 12, 19)
    assert next_occurrences(sched, meeting, 1) == [at(2026, 5, 19, 19)]
    just_before = meeting.astimezone(ZoneInfo("Asia/Tokyo")) - timedelta(seconds=1)
    assert next_occurrences(sched, just_before, 1) == [meeting]
    assert next_occurrences(sched, meeting, 0) == []


# --- leap years, month ends, odd months ----------------------------------------------------


def test_last_thursday_of_february_in_a_leap_year():
    starts = next_occurrences(monthly("TH", "-1"), at(2028, 2, 1), count=3)
    assert [s.date() for s in starts] == [date(2028, 2, 24), date(2028, 3, 30), date(2028, 4, 27)]


def test_weekly_meeting_on_february_29():
    starts = next_occurrences(weekly("TU"), at(2028, 2, 27), count=2)
    assert [s.date() for s in starts] == [date(2028, 2, 29), date(2028, 3, 7)]


def test_dates_schedule_on_february_29():
    sched = one_off("2028-02-29,2028-03-14", start_time=time(18), end_time=time(19, 30))
    assert next_occurrences(sched, at(2028, 1, 1), count=5) == [
        at(2028, 2, 29, 18),
        at(2028, 3, 14, 18),
    ]
    assert next_occurrences(sched, at(2028, 2, 29, 18), count=5) == [at(2028, 3, 14, 18)]


def test_last_monday_across_the_year_end():
    starts = next_occurrences(monthly("MO", "-1"), at(2026, 12, 1), count=2)
    assert [s.date() for s in starts] == [date(2026, 12, 28), date(2027, 1, 25)]


def test_months_without_a_fifth_monday_are_skipped():
    starts = next_occurrences(monthly("MO", "5"), at(2026, 1, 1), count=4)
    assert [s.date() for s in starts] == [
        date(2026, 3, 30),
        date(2026, 6, 29),
        date(2026, 8, 31),
        date(2026, 11, 30),
    ]


def test_second_and_fourth_thursday():
    starts = next_occurrences(monthly("TH", "2,4"), at(2026, 5, 1), count=3)
    assert [s.date() for s in starts] == [date(2026, 5, 14), date(2026, 5, 28), date(2026, 6, 11)]


def test_every_other_month_stays_aligned_to_the_anchor():
    sched = monthly("MO", "1", interval=2, anchor_date=date(2019, 1, 7), timezone="Europe/London")
    starts = next_occurrences(sched, at(2026, 3, 5, tz=LONDON), count=3)
    assert [s.date() for s in starts] == [date(2026, 5, 4), date(2026, 7, 6), date(2026, 9, 7)]


# --- biweekly anchors, validity window -----------------------------------------------------


def test_biweekly_anchor_years_ago_lands_in_aligned_weeks():
    sched = weekly("WE", interval=2, anchor_date=date(2019, 1, 2))
    starts = next_occurrences(sched, at(2026, 5, 12), count=3)
    assert [s.date() for s in starts] == [date(2026, 5, 13), date(2026, 5, 27), date(2026, 6, 10)]
    assert all((s.date() - date(2019, 1, 2)).days % 14 == 0 for s in starts)


def test_biweekly_anchor_in_the_off_week_shifts_by_a_week():
    sched = weekly("WE", interval=2, anchor_date=date(2019, 1, 9))
    starts = next_occurrences(sched, at(2026, 5, 12), count=2)
    assert [s.date() for s in starts] == [date(2026, 5, 20), date(2026, 6, 3)]


def test_biweekly_anchor_names_a_monday_to_sunday_week():
    # Anchored on a Sunday: the Saturday before it is in the same (Monday-started) week.
    sched = weekly("SA,SU", interval=2, anchor_date=date(2026, 1, 11))
    starts = next_occurrences(sched, at(2026, 1, 1), count=4)
    assert [s.date() for s in starts] == [
        date(2026, 1, 10),
        date(2026, 1, 11),
        date(2026, 1, 24),
        date(2026, 1, 25),
    ]


def test_every_three_weeks_uses_valid_from_without_an_anchor():
    sched = weekly("SA", interval=3, valid_from=date(2026, 1, 3))
    starts = next_occurrences(sched, at(2025, 12, 1), count=3)
    assert [s.date() for s in starts] == [date(2026, 1, 3), date(2026, 1, 24), date(2026, 2, 14)]


def test_valid_until_is_the_last_day_inclusive():
    sched = weekly("TU", valid_until=date(2026, 5, 19))
    starts = next_occurrences(sched, at(2026, 5, 10), count=3)
    assert [s.date() for s in starts] == [date(2026, 5, 12), date(2026, 5, 19)]
    assert next_occurrences(sched, at(2026, 5, 20), count=3) == []


def test_valid_from_delays_the_first_meeting():
    sched = weekly("TU", valid_from=date(2026, 6, 1))
    starts = next_occurrences(sched, at(2026, 5, 10), count=2)
    assert [s.date() for s in starts] == [date(2026, 6, 2), date(2026, 6, 9)]


def test_dates_respect_the_validity_window():
    sched = one_off("2026-12-01,2026-12-15,2027-01-05", valid_until=date(2026, 12, 31))
    assert [s.date() for s in next_occurrences(sched, at(2026, 1, 1), 5)] == [
        date(2026, 12, 1),
        date(2026, 12, 15),
    ]
    assert [s.date() for s in rdates(sched)] == [date(2026, 12, 1), date(2026, 12, 15)]


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "daily"}, "kind 'daily' is not one of weekly, monthly, dates"),
        ({"weekdays": "TU,XX"}, "weekday 'XX' is not one of MO, TU, WE, TH, FR, SA, SU"),
        ({"weekdays": ""}, "a weekly schedule needs at least one weekday"),
        ({"weekdays": None}, "a weekly schedule needs at least one weekday"),
        ({"interval": 0}, "interval 0 must be a whole number from 1 to 52"),
        ({"interval": 53}, "interval 53 must be a whole number from 1 to 52"),
        ({"interval": 2}, "a schedule every 2 weeks needs an anchor date or a valid-from date"),
        ({"end_time": time(18)}, "end time 18:00 is before start time 19:00"),
        ({"end_time": time(19)}, "end time 19:00 is the same as start time 19:00"),
        ({"timezone": "America/Chikago"}, "unknown time zone 'America/Chikago'"),
        ({"timezone": "../etc/passwd"}, "unknown time zone '../etc/passwd'"),
        ({"timezone": ""}, "time zone is missing"),
        (
            {"valid_from": date(2026, 2, 1), "valid_until": date(2026, 1, 31)},
            "valid until 2026-01-31 is before valid from 2026-02-01",
        ),
        (
            {"valid_from": date(2026, 3, 4), "valid_until": date(2026, 3, 9)},
            "the every Tuesday rule never occurs between 2026-03-04 and 2026-03-09",
        ),
    ],
)
def test_weekly_validation_messages(changes, message):
    sched = dataclasses.replace(weekly("TU"), **changes)
    with pytest.raises(ScheduleError) as caught:
        validate(sched)
    assert str(caught.value) == message
    assert problems(sched) == [message]


@pytest.mark.parametrize(
    ("month_weeks", "message"),
    [
        ("6", "week ordinal '6' is not one of 1, 2, 3, 4, 5, -1"),
        ("0", "week ordinal '0' is not one of 1, 2, 3, 4, 5, -1"),
        ("2,-2", "week ordinal '-2' is not one of 1, 2, 3, 4, 5, -1"),
        ("last", "week ordinal 'last' is not one of 1, 2, 3, 4, 5, -1"),
        (None, "a monthly schedule needs week numbers, such as '2,4' or '-1' (last)"),
    ],
)
def test_monthly_ordinal_messages(month_weeks, message):
    assert problems(monthly("TH", month_weeks)) == [message]


def test_fifth_monday_that_never_occurs_in_a_short_window():
    sched = monthly("MO", "5", valid_from=date(2027, 2, 1), valid_until=date(2027, 2, 28))
    assert problems(sched) == ["the 5th Monday rule never occurs between 2027-02-01 and 2027-02-28"]
    # The same rule is fine when the window holds a month with five Mondays (March 2027).
    validate(dataclasses.replace(sched, valid_until=date(2027, 3, 31)))


def test_dates_validation_messages():
    assert problems(one_off(None)) == ["a dates schedule needs at least one date"]
    assert problems(one_off("2026-12-01,2026-13-01")) == [
        "date '2026-13-01' is not a date like 2026-12-01"
    ]
    assert problems(one_off("2026-12-01", valid_from=date(2027, 1, 1))) == [
        "none of the dates falls on or after 2027-01-01"
    ]


def test_problems_lists_every_problem_and_validate_raises_the_first():
    sched = weekly(
        "XX",
        end_time=time(18),
        timezone="Mars/Olympus",
        valid_from=date(2026, 2, 1),
        valid_until=date(2026, 1, 1),
    )
    assert problems(sched) == [
        "weekday 'XX' is not one of MO, TU, WE, TH, FR, SA, SU",
        "end time 18:00 is before start time 19:00",
        "unknown time zone 'Mars/Olympus'",
        "valid until 2026-01-01 is before valid from 2026-02-01",
    ]
    with pytest.raises(ScheduleError, match="weekday 'XX'"):
        validate(sched)


def test_valid_schedules_have_no_problems():
    for sched in (
        weekly("MO,TH"),
        weekly("WE", interval=2, anchor_date=date(2026, 1, 7)),
        monthly("FR", "-1"),
        one_off("2026-12-01"),
    ):
        assert problems(sched) == []


def test_naive_after_is_refused():
    with pytest.raises(ScheduleError) as caught:
        next_occurrences(weekly("TU"), datetime(2026, 5, 12, 12))
    assert str(caught.value) == "after must be time-zone aware, got naive 2026-05-12T12:00:00"


def test_occurrences_of_an_invalid_schedule_raise():
    with pytest.raises(ScheduleError, match="unknown time zone 'Nowhere/Town'"):
        next_occurrences(weekly("TU", timezone="Nowhere/Town"), at(2026, 1, 1))


# --- plain English -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sched", "text"),
    [
        (weekly("TU"), "Every Tuesday, 7:00–8:30 pm Central"),
        (
            weekly(
                "WE",
                interval=2,
                anchor_date=date(2026, 1, 7),
                start_time=time(18, 30),
                end_time=time(20),
                timezone="America/New_York",
            ),
            "Every other Wednesday, 6:30–8:00 pm Eastern",
        ),
        (
            weekly("TH,MO", start_time=time(10), end_time=time(11), timezone="America/Los_Angeles"),
            "Mondays and Thursdays, 10:00–11:00 am Pacific",
        ),
        (
            weekly("MO,WE,FR", start_time=time(9), end_time=time(10), timezone="America/Denver"),
            "Mondays, Wednesdays, and Fridays, 9:00–10:00 am Mountain",
        ),
        (
            weekly(
                "SA",
                interval=3,
                anchor_date=date(2026, 1, 3),
                start_time=time(11),
                end_time=time(12),
                timezone="America/Phoenix",
            ),
            "Every 3 weeks on Saturday, 11:00 am–noon Mountain (Arizona)",
        ),
        (
            weekly(
                "TU,TH",
                interval=2,
                anchor_date=date(2026, 1, 6),
                start_time=time(12),
                end_time=time(13, 30),
                timezone="Pacific/Honolulu",
            ),
            "Every other week on Tuesday and Thursday, noon–1:30 pm Hawaii",
        ),
        (
            weekly("SU", start_time=time(11, 30), end_time=time(13), timezone="America/Anchorage"),
            "Every Sunday, 11:30 am–1:00 pm Alaska",
        ),
        (
            monthly("TH", "4,2", start_time=time(18, 30), end_time=time(20)),
            "2nd and 4th Thursday of the month, 6:30–8:00 pm Central",
        ),
        (
            monthly("FR", "-1", end_time=None, timezone="America/Denver"),
            "Last Friday of the month, 7:00 pm Mountain",
        ),
        (
            monthly("MO", "1", interval=2, anchor_date=date(2026, 1, 5), timezone="Europe/London"),
            "Every other month on the 1st Monday, 7:00–8:30 pm London time",
        ),
        (
            monthly("WE", "1,-1", interval=3, anchor_date=date(2026, 1, 7), timezone="UTC"),
            "Every 3 months on the 1st and last Wednesday, 7:00–8:30 pm UTC",
        ),
        (
            one_off(
                "2026-12-15,2026-12-01",
                start_time=time(18),
                end_time=time(19, 30),
                timezone="America/New_York",
            ),
            "Dec 1 and Dec 15, 2026, 6:00–7:30 pm Eastern",
        ),
        (
            one_off("2026-12-15,2027-01-05", start_time=time(18), end_time=None),
            "Dec 15, 2026 and Jan 5, 2027, 6:00 pm Central",
        ),
        (
            one_off("2026-12-01,2026-12-08,2026-12-15,2027-01-05,2027-01-12"),
            "5 dates from Dec 1, 2026 to Jan 12, 2027, 7:00–8:30 pm Central",
        ),
    ],
)
def test_describe(sched, text):
    assert describe(sched) == text


def test_time_of_day_buckets():
    assert time_of_day(time(0, 0)) == "morning"
    assert time_of_day(time(11, 59)) == "morning"
    assert time_of_day(time(12, 0)) == "afternoon"
    assert time_of_day(time(16, 59)) == "afternoon"
    assert time_of_day(time(17, 0)) == "evening"
    assert time_of_day(time(23, 30)) == "evening"


def test_weekday_set():
    assert weekday_set(weekly("TH,MO")) == {"MO", "TH"}
    assert weekday_set(monthly("FR", "-1")) == {"FR"}
    assert weekday_set(one_off("2026-12-01,2026-12-04")) == {"TU", "FR"}


def test_occurrence_end_is_the_end_time_on_the_same_day():
    sched = weekly("SU")
    start = next_occurrences(sched, at(2026, 3, 7), 1)[0]
    assert occurrence_end(sched, start) == datetime(2026, 3, 9, 1, 30, tzinfo=UTC)
    assert occurrence_end(dataclasses.replace(sched, end_time=None), start) is None


# --- RFC 5545 ------------------------------------------------------------------------------


def fields(sched):
    return {
        name: getattr(sched, name)
        for name in (
            "kind",
            "weekdays",
            "interval",
            "anchor_date",
            "month_weeks",
            "dates",
            "start_time",
            "end_time",
            "timezone",
            "valid_from",
            "valid_until",
        )
    }


@pytest.mark.parametrize(
    ("sched", "rule"),
    [
        (weekly("TU", valid_from=date(2026, 5, 12)), "FREQ=WEEKLY;BYDAY=TU"),
        (
            weekly("WE", interval=2, anchor_date=date(2026, 1, 7), valid_from=date(2026, 1, 7)),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        ),
        (
            weekly("TU,TH", interval=2, anchor_date=date(2026, 1, 6), valid_from=date(2026, 1, 6)),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=MO",
        ),
        (monthly("TH", "2,4", valid_from=date(2026, 5, 14)), "FREQ=MONTHLY;BYDAY=2TH,4TH"),
        (
            monthly("FR", "-1", valid_from=date(2026, 5, 29), valid_until=date(2026, 12, 25)),
            "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20261226T055959Z",
        ),
        (
            monthly(
                "MO",
                "1",
                interval=2,
                anchor_date=date(2026, 1, 5),
                valid_from=date(2026, 1, 5),
                timezone="Europe/London",
                valid_until=date(2026, 7, 6),
            ),
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO;UNTIL=20260706T225959Z",
        ),
    ],
)
def test_rrule_round_trip(sched, rule):
    assert to_rrule(sched) == rule
    dtstart = first_start(sched)
    assert dtstart.date() == sched.valid_from
    assert dtstart.tzinfo.key == sched.timezone
    back = from_rrule(rule, dtstart, end_time=sched.end_time)
    assert back == fields(sched)
    after = at(2026, 1, 1)
    assert next_occurrences(Sched(**back), after, 5) == next_occurrences(sched, after, 5)


def test_dates_schedules_have_rdates_not_rrules():
    sched = one_off("2026-12-15,2026-12-01", start_time=time(18))
    assert to_rrule(sched) is None
    assert rdates(sched) == [at(2026, 12, 1, 18), at(2026, 12, 15, 18)]
    assert first_start(sched) == at(2026, 12, 1, 18)
    assert rdates(weekly("TU")) == []


def test_first_start_is_the_first_meeting_on_or_after_valid_from():
    assert first_start(monthly("TH", "-1", valid_from=date(2028, 2, 1))) == at(2028, 2, 24, 19)
    assert first_start(weekly("WE", interval=2, anchor_date=date(2026, 1, 9))) == at(
        2026, 1, 21, 19
    )


def test_from_rrule_accepts_prefix_bysetpos_count_and_default_byday():
    dtstart = at(2026, 5, 14, 18, 30)
    assert from_rrule("RRULE:FREQ=MONTHLY;BYDAY=TH;BYSETPOS=2,4", dtstart)["month_weeks"] == "2,4"
    counted = from_rrule("FREQ=WEEKLY;INTERVAL=2;COUNT=3", dtstart)
    assert counted["weekdays"] == "TH"  # from DTSTART, as RFC 5545 says
    assert counted["valid_until"] == date(2026, 6, 11)
    assert counted["anchor_date"] == date(2026, 5, 14)


def test_from_rrule_until_before_the_start_time_excludes_that_day():
    # 2026-06-11T00:00Z is 7 pm on June 10 in Chicago, before the 7:30 pm meeting.
    parsed = from_rrule("FREQ=WEEKLY;BYDAY=WE;UNTIL=20260611T000000Z", at(2026, 5, 6, 19, 30))
    assert parsed["valid_until"] == date(2026, 6, 9)
    parsed = from_rrule("FREQ=WEEKLY;BYDAY=WE;UNTIL=20260611T010000Z", at(2026, 5, 6, 19, 30))
    assert parsed["valid_until"] == date(2026, 6, 10)
    assert from_rrule("FREQ=WEEKLY;UNTIL=20260610", at(2026, 5, 6))["valid_until"] == date(
        2026, 6, 10
    )


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=DAILY", "FREQ=DAILY is not supported; only WEEKLY and MONTHLY rules are"),
        (
            "FREQ=YEARLY;BYMONTH=3",
            "FREQ=YEARLY is not supported; only WEEKLY and MONTHLY rules are",
        ),
        ("BYDAY=TU", "the RRULE has no FREQ part"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "RRULE part BYMONTHDAY is not supported in a monthly rule"),
        ("FREQ=WEEKLY;BYHOUR=9,17", "RRULE part BYHOUR is not supported in a weekly rule"),
        (
            "FREQ=MONTHLY;BYDAY=MO",
            "a monthly RRULE needs numbered weekdays, such as BYDAY=2TH or -1FR",
        ),
        ("FREQ=MONTHLY", "a monthly RRULE needs numbered weekdays, such as BYDAY=2TH or -1FR"),
        ("FREQ=MONTHLY;BYDAY=1MO,3TH", "BYDAY=1MO,3TH numbers each weekday differently"),
        ("FREQ=MONTHLY;BYDAY=-2FR", "week ordinal '-2' is not one of 1, 2, 3, 4, 5, -1"),
        ("FREQ=WEEKLY;BYDAY=2TH", "a weekly RRULE cannot pick numbered weeks (2TH or BYSETPOS)"),
        ("FREQ=WEEKLY;BYDAY=XY", "BYDAY value 'XY' is not a day like TU or 2TH"),
        ("FREQ=WEEKLY;INTERVAL=60", "interval 60 must be a whole number from 1 to 52"),
        (
            "FREQ=WEEKLY;COUNT=3;UNTIL=20261231T000000Z",
            "an RRULE cannot have both COUNT and UNTIL (RFC 5545)",
        ),
        ("FREQ=WEEKLY;UNTIL=soon", "UNTIL=SOON is not a date or date-time"),
        ("FREQ=WEEKLY;COUNT=0", "COUNT=0 is not a number from 1 to 1000"),
        ("FREQ=WEEKLY;COUNT=1000000", "COUNT=1000000 is not a number from 1 to 1000"),
        ("FREQ=MONTHLY;BYDAY=TH;BYSETPOS=X", "BYSETPOS=X is not a list of numbers"),
        (
            "FREQ=MONTHLY;BYDAY=TU,TH;BYSETPOS=2",
            "a monthly RRULE needs numbered weekdays, such as BYDAY=2TH or -1FR",
        ),
        ("FREQ=MONTHLY;BYDAY=-1FR;BYDAY=1FR", "RRULE part 'BYDAY=1FR' is empty or repeated"),
    ],
)
def test_unsupported_rrules_are_refused(rule, message):
    with pytest.raises(ScheduleError) as caught:
        from_rrule(rule, at(2026, 5, 14, 18, 30))
    assert str(caught.value) == message


def test_from_rrule_needs_an_iana_zone_on_dtstart():
    for dtstart in (datetime(2026, 5, 14, 18, 30), datetime(2026, 5, 14, 18, tzinfo=UTC)):
        with pytest.raises(ScheduleError, match="DTSTART must be a datetime with an IANA"):
            from_rrule("FREQ=WEEKLY;BYDAY=TH", dtstart)
