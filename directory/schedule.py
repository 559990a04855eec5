"""Turn meeting schedules into next occurrences, plain English and RFC 5545 rules.

A schedule is any object with the attributes of ``models.Schedule`` (see ``ScheduleLike``).
Recurrence math is dateutil's ``rrule``; this module only picks a ``dtstart`` close to the
wanted window, so a rule is never walked forward from an anchor years in the past.

Conventions:

- Times are wall-clock times in the schedule's IANA zone: a 7 pm meeting stays at 7 pm on
  both sides of a daylight-saving change, and its UTC offset changes instead.
- A start time that does not exist on a spring-forward day (2:30 am when clocks jump from
  2:00 to 3:00) moves forward by the length of the gap, to 3:30 am; a time that happens
  twice on a fall-back day is the first of the two. Both are zoneinfo's ``fold=0`` rules.
- Weeks start on Monday (RFC 5545's default WKST): an anchor date names the Monday-to-Sunday
  week that has a meeting.
"""

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice, product
from types import SimpleNamespace
from typing import Any, NamedTuple, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule

KINDS = ("weekly", "monthly", "dates")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = (1, 2, 3, 4, 5, -1)  # week of the month; -1 is the last
MAX_INTERVAL = 52
HORIZON_YEARS = 3  # how far ahead a rule is searched, and validated when open-ended
TIME_OF_DAY = {"morning": time(0, 0), "afternoon": time(12, 0), "evening": time(17, 0)}

_RRULE_DAYS = (MO, TU, WE, TH, FR, SA, SU)
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ORDINAL_WORDS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last"}
_US_ZONES = {
    "Eastern": "New_York Detroit Kentucky/Louisville Kentucky/Monticello Louisville "
    "Indiana/Indianapolis Indianapolis Fort_Wayne Indiana/Vincennes Indiana/Winamac "
    "Indiana/Marengo Indiana/Petersburg Indiana/Vevay",
    "Central": "Chicago Indiana/Knox Knox_IN Indiana/Tell_City Menominee "
    "North_Dakota/Center North_Dakota/New_Salem North_Dakota/Beulah",
    "Mountain": "Denver Boise Shiprock",
    "Mountain (Arizona)": "Phoenix",
    "Pacific": "Los_Angeles",
    "Alaska": "Anchorage Juneau Sitka Nome Yakutat Metlakatla",
    "Hawaii-Aleutian": "Adak Atka",
    "Atlantic": "Puerto_Rico St_Thomas Virgin",
}
_ZONE_NAMES = {
    f"America/{city}": label for label, cities in _US_ZONES.items() for city in cities.split()
}
_ZONE_NAMES |= {
    "US/Eastern": "Eastern", "US/Michigan": "Eastern", "US/East-Indiana": "Eastern",
    "US/Central": "Central", "US/Indiana-Starke": "Central", "US/Mountain": "Mountain",
    "US/Arizona": "Mountain (Arizona)", "US/Pacific": "Pacific", "US/Alaska": "Alaska",
    "US/Aleutian": "Hawaii-Aleutian", "US/Hawaii": "Hawaii", "Pacific/Honolulu": "Hawaii",
    "Pacific/Guam": "Chamorro", "Pacific/Saipan": "Chamorro", "Pacific/Pago_Pago": "Samoa",
    "US/Samoa": "Samoa",
}  # fmt: skip
_BYDAY = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_MAX_COUNT = 1000  # COUNT is walked meeting by meeting; 1,000 weekly meetings is 19 years
_RRULE_PARTS = {"FREQ", "INTERVAL", "BYDAY", "BYSETPOS", "UNTIL", "COUNT", "WKST"}


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


# --- plain English -------------------------------------------------------------------------


def _join(items: list[str], sep: str = ", ") -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return f"{sep.join(items[:-1])}{sep}and {items[-1]}"


def _span(start: date, end: date | None) -> str:
    if end is None or end == date.max:
        return f"on or after {start}"
    return f"on or before {end}" if start == date.min else f"between {start} and {end}"


def _day(day: date, year: bool = False) -> str:
    text = f"{_MONTHS[day.month - 1]} {day.day}"
    return f"{text}, {day.year}" if year else text


def _clock(moment: time, meridiem: bool = True) -> str:
    if (moment.hour, moment.minute) in ((12, 0), (0, 0)):
        return "noon" if moment.hour else "midnight"
    text = f"{moment.hour % 12 or 12}:{moment.minute:02d}"
    return f"{text} {'am' if moment.hour < 12 else 'pm'}" if meridiem else text


def _times_text(start: time, end: time | None) -> str:
    if end is None:
        return _clock(start)
    return f"{_clock(start, meridiem=(start.hour < 12) != (end.hour < 12))}\N{EN DASH}{_clock(end)}"


def _zone_text(key: str) -> str:
    if key in _ZONE_NAMES:
        return _ZONE_NAMES[key]
    if "/" in key and not key.startswith("Etc/"):
        return f"{key.rsplit('/', 1)[1].replace('_', ' ')} time"
    return key


def _pattern(rule: _Rule) -> str:
    names = [_DAY_NAMES[day] for day in rule.days]
    if rule.kind == "dates":
        if len(rule.dates) > 4:
            first, last = _day(rule.dates[0], year=True), _day(rule.dates[-1], year=True)
            return f"{len(rule.dates)} dates from {first} to {last}"
        if len({day.year for day in rule.dates}) == 1:
            return f"{_join([_day(day) for day in rule.dates])}, {rule.dates[0].year}"
        return _join([_day(day, year=True) for day in rule.dates], sep="; ")
    every = {1: "Every", 2: "Every other"}.get(rule.interval, f"Every {rule.interval}")
    if rule.kind == "monthly":
        which = f"{_join([_ORDINAL_WORDS[n] for n in rule.ordinals])} {_join(names)}"
        if rule.interval == 1:
            return f"{which[0].upper()}{which[1:]} of the month"
        return f"{every} month{'s' if rule.interval > 2 else ''} on the {which}"
    if rule.interval == 1:
        if len(names) == 7:
            return "Every day"
        if rule.days == (0, 1, 2, 3, 4):
            return "Every weekday"
        return f"Every {names[0]}" if len(names) == 1 else _join([f"{n}s" for n in names])
    if rule.interval == 2 and len(names) == 1:
        return f"Every other {names[0]}"
    return f"{every} week{'s' if rule.interval > 2 else ''} on {_join(names)}"


def _never(rule: _Rule, start: date, end: date | None) -> str:
    if rule.kind == "dates":
        return f"none of the dates falls {_span(start, end)}"
    text = _pattern(rule)
    if rule.kind == "monthly" and rule.interval == 1:
        text = text.removesuffix(" of the month")
    elif text.startswith("Every"):
        text = "e" + text[1:]
    return f"the {text} rule never occurs {_span(start, end)}"


def describe(schedule: ScheduleLike) -> str:
    """Return a schedule in plain English, e.g. "Every Tuesday, 7:00–8:30 pm Central"."""  # noqa: RUF002
    rule = _parse(schedule)
    return f"{_pattern(rule)}, {_times_text(rule.start, rule.end)} {_zone_text(rule.zone.key)}"


# --- RFC 5545 ------------------------------------------------------------------------------


def to_rrule(schedule: ScheduleLike) -> str | None:
    """Return the RFC 5545 RRULE value (no "RRULE:" prefix), or None for a dates schedule."""
    rule = _parse(schedule)
    if rule.kind == "dates":
        return None
    codes = [WEEKDAY_CODES[day] for day in rule.days]
    parts = [f"FREQ={rule.kind.upper()}"]
    if rule.interval > 1:
        parts.append(f"INTERVAL={rule.interval}")
    if rule.kind == "monthly":
        codes = [f"{n}{code}" for code in codes for n in rule.ordinals]
    parts.append(f"BYDAY={','.join(codes)}")
    if rule.kind == "weekly" and rule.interval > 1 and len(codes) > 1:
        parts.append("WKST=MO")  # RFC default, but it decides which days share a week
    if rule.valid_until:
        # With a TZID DTSTART, UNTIL must be UTC (RFC 5545 3.3.10): the end of the last day.
        end = datetime.combine(rule.valid_until, time(23, 59, 59), rule.zone).astimezone(UTC)
        parts.append(f"UNTIL={end:%Y%m%dT%H%M%SZ}")
    return ";".join(parts)


def _rrule_parts(text: str) -> dict[str, str]:
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    parts: dict[str, str] = {}
    for item in filter(None, text.split(";")):
        name, _, value = item.partition("=")
        name, value = name.strip().upper(), value.strip().upper()
        if not value or name in parts:
            raise ScheduleError(f"RRULE part {item!r} is empty or repeated")
        parts[name] = value
    freq = parts.get("FREQ")
    if freq is None:
        raise ScheduleError("the RRULE has no FREQ part")
    if freq not in ("WEEKLY", "MONTHLY"):
        raise ScheduleError(f"FREQ={freq} is not supported; only WEEKLY and MONTHLY rules are")
    extra = sorted(set(parts) - _RRULE_PARTS)
    if extra:
        raise ScheduleError(f"RRULE part {extra[0]} is not supported in a {freq.lower()} rule")
    if "COUNT" in parts and "UNTIL" in parts:
        raise ScheduleError("an RRULE cannot have both COUNT and UNTIL (RFC 5545)")
    return parts


def _byday(parts: dict[str, str], dtstart: datetime) -> tuple[list[str], list[str]]:
    """Split BYDAY (and BYSETPOS) into day codes and week ordinals."""
    pairs = []
    for item in _items(parts.get("BYDAY")):
        match = _BYDAY.fullmatch(item)
        if not match:
            raise ScheduleError(f"BYDAY value {item!r} is not a day like TU or 2TH")
        pairs.append((match[1], match[2]))
    numbered = [pair for pair in pairs if pair[0]]
    if parts["FREQ"] == "WEEKLY":
        if numbered or "BYSETPOS" in parts:
            raise ScheduleError("a weekly RRULE cannot pick numbered weeks (2TH or BYSETPOS)")
        codes = sorted({code for _, code in pairs}, key=WEEKDAY_CODES.index)
        codes = codes or [WEEKDAY_CODES[dtstart.weekday()]]
        if len(codes) > 1 and parts.get("INTERVAL", "1") != "1" and parts.get("WKST", "MO") != "MO":
            raise ScheduleError(f"WKST={parts['WKST']} is not supported; weeks start on Monday")
        return codes, []
    if "BYSETPOS" in parts and len(pairs) == 1 and not numbered:
        positions = _items(parts["BYSETPOS"])
        if not all(re.fullmatch(r"[+-]?\d{1,3}", n) for n in positions):
            raise ScheduleError(f"BYSETPOS={parts['BYSETPOS']} is not a list of numbers")
        pairs = [(n, pairs[0][1]) for n in positions]
    elif "BYSETPOS" in parts or not pairs or len(numbered) < len(pairs):
        raise ScheduleError("a monthly RRULE needs numbered weekdays, such as BYDAY=2TH or -1FR")
    codes = sorted({code for _, code in pairs}, key=WEEKDAY_CODES.index)
    numbers = sorted({str(int(n)) for n, _ in pairs}, key=lambda n: (int(n) < 0, abs(int(n))))
    if {(str(int(n)), code) for n, code in pairs} != set(product(numbers, codes)):
        raise ScheduleError(f"BYDAY={parts['BYDAY']} numbers each weekday differently")
    return codes, numbers


def _until(value: str, zone: ZoneInfo, start: time) -> date:
    """Return the last meeting date allowed by an UNTIL value."""
    try:
        if value.endswith("Z"):
            moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            local = moment.astimezone(zone).replace(tzinfo=None)
        elif "T" in value:
            local = datetime.strptime(value, "%Y%m%dT%H%M%S")
        else:
            return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise ScheduleError(f"UNTIL={value} is not a date or date-time") from None
    # A meeting later in the day than UNTIL is excluded from the rule.
    return local.date() if local.time() >= start else local.date() - timedelta(days=1)


def from_rrule(rule: str, dtstart: datetime, end_time: time | None = None) -> dict[str, Any]:
    """Return schedule attributes for an RRULE and its DTSTART (which sets the time zone).

    valid_from, and anchor_date for rules that skip weeks or months, become DTSTART's date;
    COUNT becomes the valid_until of the last meeting. The result is validated.
    """
    parts = _rrule_parts(rule)
    zone_key = getattr(dtstart.tzinfo, "key", None) if isinstance(dtstart, datetime) else None
    if zone_key is None:
        raise ScheduleError("DTSTART must be a datetime with an IANA (ZoneInfo) time zone")
    if not parts.get("INTERVAL", "1").isdigit():
        raise ScheduleError(f"INTERVAL={parts['INTERVAL']} is not a whole number")
    interval = int(parts.get("INTERVAL", "1"))
    codes, numbers = _byday(parts, dtstart)
    fields: dict[str, Any] = {
        "kind": parts["FREQ"].lower(),
        "weekdays": ",".join(codes),
        "interval": interval,
        "anchor_date": dtstart.date() if interval > 1 else None,
        "month_weeks": ",".join(numbers) or None,
        "dates": None,
        "start_time": dtstart.time(),
        "end_time": end_time,
        "timezone": zone_key,
        "valid_from": dtstart.date(),
        "valid_until": None,
    }
    if "UNTIL" in parts:
        fields["valid_until"] = _until(parts["UNTIL"], dtstart.tzinfo, dtstart.time())
    if "COUNT" in parts:
        if not parts["COUNT"].isdigit() or not 1 <= int(parts["COUNT"]) <= _MAX_COUNT:
            raise ScheduleError(f"COUNT={parts['COUNT']} is not a number from 1 to {_MAX_COUNT}")
        starts = _local_starts(_parse(SimpleNamespace(**fields)), dtstart.date(), years=None)
        last = next(islice(starts, int(parts["COUNT"]) - 1, None))
        fields["valid_until"] = last.date()
    validate(SimpleNamespace(**fields))
    return fields
