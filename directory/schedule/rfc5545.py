"""Convert schedules to and from RFC 5545 recurrence rules (RRULE values)."""

import re
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice, product
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from .occurrences import _local_starts, validate
from .rules import WEEKDAY_CODES, ScheduleError, ScheduleLike, _items, _parse

_BYDAY = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_MAX_COUNT = 1000  # COUNT is walked meeting by meeting; 1,000 weekly meetings is 19 years
_RRULE_PARTS = {"FREQ", "INTERVAL", "BYDAY", "BYSETPOS", "UNTIL", "COUNT", "WKST"}


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
