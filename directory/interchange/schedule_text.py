"""Read schedules the way people write them ("Tuesdays 7pm") and write them back that way.

``parse_schedule_text("2nd & 4th Thursday 6:30-8pm")`` returns ``models.Schedule`` column
values (without a time zone unless the text names one, as in "7pm Eastern"), or raises
ScheduleTextError saying what it could not read. ``format_schedule`` writes a schedule in
the same words, so what the CSV exporter writes the CSV importer reads back unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from directory.schedule import ORDINALS, WEEKDAY_CODES

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_WORDS = {
    "MO": "mo mon mons monday mondays",
    "TU": "tu tue tues tuesday tuesdays",
    "WE": "we wed weds wednesday wednesdays",
    "TH": "th thu thur thurs thursday thursdays",
    "FR": "fr fri fris friday fridays",
    "SA": "sa sat sats saturday saturdays",
    "SU": "su sun suns sunday sundays",
}
DAY_WORDS = {word: code for code, words in _DAY_WORDS.items() for word in words.split()}
ORDINAL_WORDS = {
    "1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3,
    "4th": 4, "fourth": 4, "5th": 5, "fifth": 5, "last": -1,
}  # fmt: skip
ORDINAL_TEXT = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last"}
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
#: US zone words, as ``schedule.describe`` and people write them, to IANA zones.
ZONE_WORDS = {
    "eastern": "America/New_York", "et": "America/New_York", "est": "America/New_York",
    "edt": "America/New_York", "central": "America/Chicago", "ct": "America/Chicago",
    "cst": "America/Chicago", "cdt": "America/Chicago", "mountain": "America/Denver",
    "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver",
    "pacific": "America/Los_Angeles", "pt": "America/Los_Angeles",
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "alaska": "America/Anchorage", "hawaii": "Pacific/Honolulu",
    "arizona": "America/Phoenix",
}  # fmt: skip
#: Words that carry no meaning of their own in a schedule.
_FILLER_WORDS = "every each on the at of and from to in a an meets meeting meetings day days week"
FILLER = frozenset(f"{_FILLER_WORDS} weeks weekly month months time s".split(" "))

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE = (
    r"(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:st|nd|rd|th)?,?\s+\d{4})"
)
_ANCHOR = re.compile(rf"\b(?:starting|beginning|starts|begins|anchor)(?:\s+on)?\s+{_DATE}")
_FROM = re.compile(rf"\b(?:from|valid from)\s+{_DATE}")
_UNTIL = re.compile(rf"\b(?:until|till|through|thru|ending|ends|to)(?:\s+on)?\s+{_DATE}")
_ANY_DATE = re.compile(rf"\b{_DATE}")
_EVERY_N = re.compile(r"\bevery\s+(\d{1,2}|two|three|four|five|six)\s+(week|month)s?\b")
_EVERY_OTHER = re.compile(
    r"\b(?:every\s+other|every\s+second|alternate|alternating)\s*(week|month)?s?\b"
    r"|\b(bi-?weekly|fortnightly|bi-?monthly)\b"
)
_MONTHLY = re.compile(
    r"\b(?:of\s+(?:the|each|every)\s+month|(?:each|every|a|per)\s+month|monthly)\b"
)
_DAY = r"(mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)[a-z]*"
_DAY_RANGE = re.compile(rf"\b{_DAY}\s*(?:-|to|through|thru)\s*{_DAY}\b")
_DAY_SETS = {
    r"\bweekdays?\b": ("MO", "TU", "WE", "TH", "FR"),
    r"\bweekends?\b": ("SA", "SU"),
    r"\b(?:daily|every\s+day|7\s+days\s+a\s+week)\b": WEEKDAY_CODES,
}
_CLOCK = r"(?:(\d{1,2})(?::(\d{2}))?\s*(am|pm|a|p)?(?![\w:])|(noon|midnight))"
_TIME_RANGE = re.compile(rf"(?<![\w:]){_CLOCK}\s*(?:-|to|until|till)\s*{_CLOCK}")
_TIME = re.compile(rf"(?<![\w:]){_CLOCK}")
_ZONE = re.compile(r"\b(" + "|".join(ZONE_WORDS) + r")(?:\s+time)?\b")


class ScheduleTextError(ValueError):
    """Report schedule text that cannot be read, saying what to write instead."""


def _normalise(raw: str) -> str:
    value = raw.lower().replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    value = re.sub(r"\b([ap])\.m\.?", r"\1m", value).replace("(", " ").replace(")", " ")
    return " ".join(value.split())


def _date(text: str) -> dt.date:
    text = text.replace(",", " ").replace(".", " ")
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", " ".join(text.split()))
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    month, day, year = text.split()
    try:
        return dt.date(int(year), _MONTHS.index(month[:3]) + 1, int(day))
    except ValueError:
        raise ScheduleTextError(f"{text!r} is not a real date") from None


def _take(pattern: re.Pattern, value: str) -> tuple[list[re.Match], str]:
    found = list(pattern.finditer(value))
    return found, pattern.sub(" ", value)


def _clock(
    hour: str | None, minute: str | None, meridiem: str | None, word: str | None, written: str
) -> tuple[dt.time | None, bool]:
    """Return (time, whether am/pm was known); the time is None when am/pm is missing."""
    if word:
        return (dt.time(12) if word == "noon" else dt.time(0)), True
    h, m = int(hour), int(minute or 0)
    if m > 59:
        raise ScheduleTextError(f"{written!r} is not a real time (minutes go up to 59)")
    if meridiem:
        if not 1 <= h <= 12:
            raise ScheduleTextError(f"{written!r} is not a real time (use 1-12 with am or pm)")
        return dt.time(h % 12 + (12 if meridiem.startswith("p") else 0), m), True
    if h > 23:
        raise ScheduleTextError(f"{written!r} is not a real time (hours go up to 23)")
    if minute is not None and len(hour) == 2:  # "19:00" and "07:30" are 24-hour times
        return dt.time(h, m), True
    return None, False


def _times(value: str) -> tuple[dt.time | None, dt.time | None, str]:
    ranges, rest = _take(_TIME_RANGE, value)
    singles, rest = _take(_TIME, rest)
    if len(ranges) + len(singles) > 1:
        raise ScheduleTextError(
            "found more than one time; put each meeting time in its own schedule, "
            "separated by ';' (e.g. 'Tuesdays 7pm; Saturdays 10am')"
        )
    if not ranges and not singles:
        return None, None, rest
    if singles:
        match = singles[0]
        start, known = _clock(*match.groups(), match[0].strip())
        if not known:
            raise ScheduleTextError(f"add am or pm to {match[0].strip()!r}, or write 19:00")
        return start, None, rest
    match = ranges[0]
    first, second = match.groups()[:4], match.groups()[4:]
    end, end_known = _clock(*second, match[0].strip())
    start, start_known = _clock(*first, match[0].strip())
    if not end_known:
        raise ScheduleTextError(f"add am or pm to {match[0].strip()!r}, or write 19:00-20:30")
    if not start_known:
        meridiem = "pm" if end.hour >= 12 else "am"
        start, _ = _clock(first[0], first[1], meridiem, None, match[0].strip())
        if start >= end and meridiem == "pm" and int(first[0]) <= 12:
            start, _ = _clock(first[0], first[1], "am", None, match[0].strip())
    return start, end, rest


def _days(value: str) -> tuple[list[str], str]:
    days: list[str] = []
    for match in _DAY_RANGE.finditer(value):
        first, last = DAY_WORDS.get(match[1]), DAY_WORDS.get(match[2])
        if first and last:
            i, j = WEEKDAY_CODES.index(first), WEEKDAY_CODES.index(last)
            days += [WEEKDAY_CODES[(i + k) % 7] for k in range((j - i) % 7 + 1)]
    value = _DAY_RANGE.sub(" ", value)
    for pattern, codes in _DAY_SETS.items():
        if re.search(pattern, value):
            days += codes
            value = re.sub(pattern, " ", value)
    words = []
    for word in value.split():
        if word in DAY_WORDS:
            days.append(DAY_WORDS[word])
        else:
            words.append(word)
    return sorted(set(days), key=WEEKDAY_CODES.index), " ".join(words)


def parse_schedule_text(raw: str) -> dict[str, Any]:
    """Return schedule column values for text such as "every other Monday 10am"."""
    original = " ".join(str(raw).split())
    if not original:
        raise ScheduleTextError("the schedule is empty")
    value = _normalise(original)
    anchors, value = _take(_ANCHOR, value)
    froms, value = _take(_FROM, value)
    untils, value = _take(_UNTIL, value)
    dates, value = _take(_ANY_DATE, value)
    value = re.sub(r"[&+/;,]", " ", value)
    if len(anchors) > 1 or len(froms) > 1 or len(untils) > 1:
        raise ScheduleTextError("give 'starting', 'from' and 'until' dates once each")
    every_n, value = _take(_EVERY_N, value)
    every_other, value = _take(_EVERY_OTHER, value)
    monthly, value = _take(_MONTHLY, value)
    zones, value = _take(_ZONE, value)
    interval, unit = 1, None
    if every_n:
        count = every_n[0][1]
        interval, unit = int(NUMBER_WORDS.get(count, count)), every_n[0][2]
    elif every_other:
        match = every_other[0]
        interval = 2
        unit = "month" if (match[1] == "month" or "monthly" in (match[2] or "")) else "week"
    start, end, value = _times(value)
    ordinals = []
    for word in value.split():
        if word in ORDINAL_WORDS:
            ordinals.append(ORDINAL_WORDS[word])
    value = " ".join(word for word in value.split() if word not in ORDINAL_WORDS)
    days, value = _days(value)
    leftover = [word for word in re.split(r"[\s,]+", value) if word and word not in FILLER]
    if leftover:
        raise ScheduleTextError(
            f"could not read {' '.join(leftover)!r} in {original!r}; write e.g. 'Tuesdays 7pm', "
            "'2nd & 4th Thursday 6:30-8pm' or 'every other Monday 10am starting 2026-01-05'"
        )
    if start is None:
        raise ScheduleTextError(f"{original!r} has no start time; write e.g. 'Tuesdays 7pm'")
    fields: dict[str, Any] = {
        "kind": "weekly", "weekdays": None, "interval": interval, "anchor_date": None,
        "month_weeks": None, "dates": None, "start_time": start, "end_time": end,
        "valid_from": _date(froms[0][1]) if froms else None,
        "valid_until": _date(untils[0][1]) if untils else None,
    }  # fmt: skip
    if zones:
        words = [match[1] for match in zones]
        fields["timezone"] = ZONE_WORDS["arizona" if "arizona" in words else words[0]]
    anchor = _date(anchors[0][1]) if anchors else None
    if dates:
        if days or ordinals or interval > 1:
            raise ScheduleTextError(
                f"{original!r} mixes dates with weekdays; list one-off dates alone, "
                "e.g. '2026-12-01 & 2026-12-15 7pm', and use 'starting', 'from' or 'until' "
                "before a date that bounds a weekly or monthly schedule"
            )
        fields["kind"] = "dates"
        fields["dates"] = ",".join(sorted({_date(m[1]).isoformat() for m in dates}))
        return fields
    if not days:
        raise ScheduleTextError(f"{original!r} names no day of the week; write e.g. 'Tuesdays 7pm'")
    fields["weekdays"] = ",".join(days)
    if ordinals or monthly or unit == "month":
        if unit == "week":
            raise ScheduleTextError(f"{original!r} mixes a week of the month and every other week")
        if not ordinals:
            raise ScheduleTextError(
                f"{original!r} does not say which week of the month; write e.g. '1st Monday'"
            )
        fields["kind"] = "monthly"
        fields["month_weeks"] = ",".join(str(n) for n in sorted(set(ordinals), key=ORDINALS.index))
    if interval > 1:
        if anchor is None and fields["valid_from"] is None:
            example = f"{original} starting 2026-01-05"
            raise ScheduleTextError(
                f"{original!r} needs a date it meets on, to know which "
                f"{'months' if fields['kind'] == 'monthly' else 'weeks'}: write e.g. {example!r}"
            )
        fields["anchor_date"] = anchor
    elif anchor is not None:
        fields["valid_from"] = fields["valid_from"] or anchor
    return fields


def _clock_text(moment: dt.time) -> str:
    if moment == dt.time(12):
        return "noon"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def _plural(code: str) -> str:
    return f"{DAY_NAMES[WEEKDAY_CODES.index(code)]}s"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} & {items[-1]}"


def format_schedule(schedule: Any) -> str:
    """Write a schedule in the words ``parse_schedule_text`` reads (time zone left out)."""
    codes = [c for c in (schedule.weekdays or "").split(",") if c]
    names = [DAY_NAMES[WEEKDAY_CODES.index(c)] for c in codes]
    interval = schedule.interval or 1
    if schedule.kind == "dates":
        words = " & ".join(d.strip() for d in (schedule.dates or "").split(",") if d.strip())
    elif schedule.kind == "monthly":
        weeks = [int(n) for n in (schedule.month_weeks or "").split(",") if n]
        which = f"{_and([ORDINAL_TEXT[n] for n in weeks])} {_and(names)}"
        words = f"{which} of the month" if interval == 1 else f"every {interval} months on {which}"
    elif interval == 1:
        words = _and([_plural(c) for c in codes])
    elif interval == 2:
        words = f"every other {_and(names)}"
    else:
        words = f"every {interval} weeks on {_and(names)}"
    times = _clock_text(schedule.start_time)
    if schedule.end_time is not None:
        times += f"-{_clock_text(schedule.end_time)}"
    parts = [words, times]
    if schedule.anchor_date is not None and schedule.kind != "dates" and interval > 1:
        parts.append(f"starting {schedule.anchor_date.isoformat()}")
    if schedule.valid_from is not None:
        parts.append(f"from {schedule.valid_from.isoformat()}")
    if schedule.valid_until is not None:
        parts.append(f"until {schedule.valid_until.isoformat()}")
    return " ".join(parts)
