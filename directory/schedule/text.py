"""Say a schedule in plain English, with US zone names: see ``describe``."""

from datetime import date, time

from .rules import ScheduleLike, _parse, _Rule

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
