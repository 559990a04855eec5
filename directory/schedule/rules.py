"""Read a schedule's fields into a checked rule: the constants, ScheduleError and the parser.

Every other module of the package works from the ``_Rule`` that ``_parse`` returns.
"""

from datetime import date, time
from typing import Any, NamedTuple, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

KINDS = ("weekly", "monthly", "dates")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = (1, 2, 3, 4, 5, -1)  # week of the month; -1 is the last
MAX_INTERVAL = 52
HORIZON_YEARS = 3  # how far ahead a rule is searched, and validated when open-ended
TIME_OF_DAY = {"morning": time(0, 0), "afternoon": time(12, 0), "evening": time(17, 0)}


class ScheduleError(ValueError):
    """Report a schedule that cannot be read or never meets."""


class ScheduleLike(Protocol):
    """Describe the attributes a schedule needs (``models.Schedule`` has them all)."""

    kind: str
    weekdays: str | None
    interval: int
    anchor_date: date | None
    month_weeks: str | None
    dates: str | None
    start_time: time
    end_time: time | None
    timezone: str
    valid_from: date | None
    valid_until: date | None


class _Rule(NamedTuple):
    kind: str
    days: tuple[int, ...]  # 0 is Monday
    interval: int
    ordinals: tuple[int, ...]
    dates: tuple[date, ...]
    anchor: date | None  # anchor_date, else valid_from
    start: time
    end: time | None
    zone: ZoneInfo
    valid_from: date | None
    valid_until: date | None


# --- reading and checking ------------------------------------------------------------------


def _kind(schedule: Any) -> str:
    if schedule.kind not in KINDS:
        raise ScheduleError(f"kind {schedule.kind!r} is not one of {', '.join(KINDS)}")
    return schedule.kind


def _items(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def _days(schedule: Any, kind: str | None) -> tuple[int, ...]:
    codes = [code.upper() for code in _items(schedule.weekdays)]
    if kind not in ("weekly", "monthly"):
        return ()
    if not codes:
        raise ScheduleError(f"a {kind} schedule needs at least one weekday")
    for code in codes:
        if code not in WEEKDAY_CODES:
            raise ScheduleError(f"weekday {code!r} is not one of {', '.join(WEEKDAY_CODES)}")
    return tuple(sorted({WEEKDAY_CODES.index(code) for code in codes}))


def _interval(schedule: Any) -> int:
    value = 1 if schedule.interval is None else schedule.interval
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_INTERVAL:
        raise ScheduleError(f"interval {value!r} must be a whole number from 1 to {MAX_INTERVAL}")
    return value


def _ordinals(schedule: Any, kind: str | None) -> tuple[int, ...]:
    if kind != "monthly":
        return ()
    items = _items(schedule.month_weeks)
    if not items:
        raise ScheduleError("a monthly schedule needs week numbers, such as '2,4' or '-1' (last)")
    found = set()
    for item in items:
        try:
            number = int(item)
        except ValueError:
            number = None
        if number not in ORDINALS:
            raise ScheduleError(f"week ordinal {item!r} is not one of 1, 2, 3, 4, 5, -1")
        found.add(number)
    return tuple(sorted(found, key=ORDINALS.index))


def _dates(schedule: Any, kind: str | None) -> tuple[date, ...]:
    if kind != "dates":
        return ()
    items = _items(schedule.dates)
    if not items:
        raise ScheduleError("a dates schedule needs at least one date")
    found = set()
    for item in items:
        try:
            found.add(date.fromisoformat(item))
        except ValueError:
            raise ScheduleError(f"date {item!r} is not a date like 2026-12-01") from None
    return tuple(sorted(found))


def _times(schedule: Any) -> tuple[time, time | None]:
    start, end = schedule.start_time, schedule.end_time
    if not isinstance(start, time):
        raise ScheduleError("start time is missing")
    if end is not None and end <= start:
        relation = "the same as" if end == start else "before"
        raise ScheduleError(f"end time {end:%H:%M} is {relation} start time {start:%H:%M}")
    return start, end


def _zone(key: str | None) -> ZoneInfo:
    if not key:
        raise ScheduleError("time zone is missing")
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ScheduleError(f"unknown time zone {key!r}") from None


def _window(schedule: Any) -> tuple[date | None, date | None]:
    start, until = schedule.valid_from, schedule.valid_until
    if start and until and until < start:
        raise ScheduleError(f"valid until {until} is before valid from {start}")
    return start, until


def _anchor(schedule: Any, kind: str | None, interval: int | None) -> date | None:
    anchor = schedule.anchor_date or schedule.valid_from
    if anchor is None and kind in ("weekly", "monthly") and (interval or 1) > 1:
        unit = "weeks" if kind == "weekly" else "months"
        raise ScheduleError(
            f"a schedule every {interval} {unit} needs an anchor date or a valid-from date"
        )
    return anchor


def _parse(schedule: Any, found: list[str] | None = None) -> _Rule | None:
    """Read a schedule; raise on the first problem, or collect them all into ``found``."""

    def step(check, *args):
        if found is None:
            return check(*args)
        try:
            return check(*args)
        except ScheduleError as exc:
            found.append(str(exc))
            return None

    kind = step(_kind, schedule)
    days = step(_days, schedule, kind)
    interval = step(_interval, schedule)
    ordinals = step(_ordinals, schedule, kind)
    dates = step(_dates, schedule, kind)
    times = step(_times, schedule)
    zone = step(_zone, schedule.timezone)
    window = step(_window, schedule)
    anchor = step(_anchor, schedule, kind, interval)
    if found:
        return None
    return _Rule(kind, days, interval, ordinals, dates, anchor, *times, zone, *window)
