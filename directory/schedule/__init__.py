"""Turn meeting schedules into next occurrences, plain English and RFC 5545 rules.

A schedule is any object with the attributes of ``models.Schedule`` (see ``ScheduleLike``).
Recurrence math is dateutil's ``rrule``; the package only picks a ``dtstart`` close to the
wanted window, so a rule is never walked forward from an anchor years in the past.

Conventions:

- Times are wall-clock times in the schedule's IANA zone: a 7 pm meeting stays at 7 pm on
  both sides of a daylight-saving change, and its UTC offset changes instead.
- A start time that does not exist on a spring-forward day (2:30 am when clocks jump from
  2:00 to 3:00) moves forward by the length of the gap, to 3:30 am; a time that happens
  twice on a fall-back day is the first of the two. Both are zoneinfo's ``fold=0`` rules.
- Weeks start on Monday (RFC 5545's default WKST): an anchor date names the Monday-to-Sunday
  week that has a meeting.

Modules: ``rules`` (constants, ScheduleError, reading the fields), ``occurrences``
(validation and meeting times), ``text`` (plain English) and ``rfc5545`` (RRULEs).
"""

from .occurrences import (
    first_start,
    next_occurrences,
    occurrence_end,
    problems,
    rdates,
    time_of_day,
    validate,
    weekday_set,
)
from .rfc5545 import from_rrule, to_rrule
from .rules import (
    HORIZON_YEARS,
    KINDS,
    MAX_INTERVAL,
    ORDINALS,
    TIME_OF_DAY,
    WEEKDAY_CODES,
    ScheduleError,
    ScheduleLike,
)
from .text import describe

__all__ = [
    "HORIZON_YEARS",
    "KINDS",
    "MAX_INTERVAL",
    "ORDINALS",
    "TIME_OF_DAY",
    "WEEKDAY_CODES",
    "ScheduleError",
    "ScheduleLike",
    "describe",
    "first_start",
    "from_rrule",
    "next_occurrences",
    "occurrence_end",
    "problems",
    "rdates",
    "time_of_day",
    "to_rrule",
    "validate",
    "weekday_set",
]
