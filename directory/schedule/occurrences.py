"""Find a schedule's meetings: validation, next occurrences, DTSTART, RDATEs and day sets.

Recurrence math is dateutil's ``rrule``; this module only picks a ``dtstart`` close to the
wanted window, so a rule is never walked forward from an anchor years in the past.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule

from .rules import (
    HORIZON_YEARS,
    TIME_OF_DAY,
    WEEKDAY_CODES,
    ScheduleError,
    ScheduleLike,
    _parse,
    _Rule,
)
from .text import _never

_RRULE_DAYS = (MO, TU, WE, TH, FR, SA, SU)


def problems(schedule: ScheduleLike) -> list[str]:
    """Return every problem with a schedule, in plain English (empty when it is valid)."""
    found: list[str] = []
    rule = _parse(schedule, found)
    if rule is None:
        return found
    # The window searched: the validity window, or HORIZON_YEARS from where it is open.
    start, end = rule.valid_from or rule.anchor, rule.valid_until
    if rule.kind == "dates":
        start, end = start or date.min, end or date.max
    elif start is None:
        start = _years_later(end, -HORIZON_YEARS) if end else datetime.now(rule.zone).date()
    end = end or _years_later(start, HORIZON_YEARS)
    if (
        next(_local_starts(rule, start, years=None if rule.valid_until else HORIZON_YEARS), None)
        is None
    ):
        found.append(_never(rule, start, end))
    return found


def validate(schedule: ScheduleLike) -> None:
    """Raise ScheduleError naming the first problem with a schedule."""
    found = problems(schedule)
    if found:
        raise ScheduleError(found[0])


# --- occurrences ---------------------------------------------------------------------------


def _local_starts(
    rule: _Rule, from_day: date, years: int | None = HORIZON_YEARS
) -> Iterator[datetime]:
    """Yield naive local start times on or after ``from_day``, in order, within the window."""
    first = max(from_day, rule.valid_from or from_day)
    last = rule.valid_until
    if rule.kind == "dates":
        yield from (
            datetime.combine(day, rule.start)
            for day in rule.dates
            if first <= day and (last is None or day <= last)
        )
        return
    if years is not None:
        last = min(last or date.max, _years_later(first, years))
    dtstart = first
    if rule.kind == "weekly":
        freq, byday = WEEKLY, [_RRULE_DAYS[day] for day in rule.days]
        if rule.interval > 1:
            # Begin on the Monday of the nearest meeting week at or before `first`.
            monday = rule.anchor - timedelta(days=rule.anchor.weekday())
            weeks = (first - monday).days // 7
            dtstart = monday + timedelta(weeks=weeks - weeks % rule.interval)
    else:
        freq = MONTHLY
        byday = [_RRULE_DAYS[day](n) for day in rule.days for n in rule.ordinals]
        if rule.interval > 1:
            # Begin on the 1st of the nearest meeting month at or before `first`.
            months = (first.year - rule.anchor.year) * 12 + first.month - rule.anchor.month
            year, month = divmod(
                rule.anchor.year * 12 + rule.anchor.month - 1 + months - months % rule.interval,
                12,
            )
            dtstart = date(year, month + 1, 1)
    starts = rrule(
        freq,
        dtstart=datetime.combine(dtstart, rule.start),
        interval=rule.interval,
        wkst=MO,
        byweekday=byday,
        until=datetime.combine(last, rule.start) if last else None,
    )
    yield from (start for start in starts if start.date() >= first)


def _years_later(day: date, years: int) -> date:
    # relativedelta does this too, but at ten times the cost on a path run per listing.
    year = day.year + years
    if not date.min.year <= year <= date.max.year:
        return date.max if years > 0 else date.min
    try:
        return day.replace(year=year)
    except ValueError:  # Feb 29 in a year that has none
        return day.replace(year=year, day=28)


def _localize(naive: datetime, zone: ZoneInfo) -> datetime:
    # fold=0 gives a wall time in a spring-forward gap the offset from before the gap; the
    # round trip through UTC turns it into a real instant, i.e. later by the gap's length.
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ScheduleError(f"{name} must be time-zone aware, got naive {value.isoformat()}")


def next_occurrences(schedule: ScheduleLike, after: datetime, count: int = 3) -> list[datetime]:
    """Return the next ``count`` meeting starts strictly after ``after``, in the local zone.

    Rules are searched at most HORIZON_YEARS ahead; lists of dates are searched in full.
    """
    _require_aware(after, "after")
    rule = _parse(schedule)
    after_utc = after.astimezone(UTC)  # compare instants, not wall times (fold-safe)
    # One day of slack: a DST gap can push a late-evening wall time past local midnight.
    from_day = after.astimezone(rule.zone).date() - timedelta(days=1)
    found: list[datetime] = []
    if count < 1:
        return found
    for naive in _local_starts(rule, from_day):
        start = _localize(naive, rule.zone)
        if start > after_utc:
            found.append(start)
            if len(found) == count:
                break
    return found


def occurrence_end(schedule: ScheduleLike, start: datetime) -> datetime | None:
    """Return when the meeting starting at ``start`` ends (its end time, same local day)."""
    _require_aware(start, "start")
    rule = _parse(schedule)
    if rule.end is None:
        return None
    return _localize(datetime.combine(start.astimezone(rule.zone).date(), rule.end), rule.zone)


def first_start(schedule: ScheduleLike) -> datetime:
    """Return the DTSTART for ``to_rrule``: the first meeting on or after valid_from or anchor.

    An open-ended schedule with neither starts from today; a dates schedule from its first date.
    """
    rule = _parse(schedule)
    start = rule.valid_from or schedule.anchor_date
    if start is None:
        start = date.min if rule.kind == "dates" else datetime.now(rule.zone).date()
    naive = next(_local_starts(rule, start), None)
    if naive is None:
        raise ScheduleError(_never(rule, start, rule.valid_until))
    return _localize(naive, rule.zone)


def rdates(schedule: ScheduleLike) -> list[datetime]:
    """Return the RFC 5545 RDATEs of a dates schedule, within its validity (empty otherwise)."""
    rule = _parse(schedule)
    if rule.kind != "dates":
        return []
    return [_localize(naive, rule.zone) for naive in _local_starts(rule, date.min)]


def weekday_set(schedule: ScheduleLike) -> set[str]:
    """Return the day codes on which a schedule meets."""
    rule = _parse(schedule)
    days = rule.days or {day.weekday() for day in rule.dates}
    return {WEEKDAY_CODES[day] for day in days}


def time_of_day(moment: time) -> str:
    """Return the TIME_OF_DAY bucket a start time falls in: morning, afternoon or evening."""
    moment = moment.replace(tzinfo=None)
    return next(name for name, begins in reversed(TIME_OF_DAY.items()) if moment >= begins)
