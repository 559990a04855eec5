"""Put listings into plain words in the page's language: labels, schedules, times, freshness."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_timedelta, get_timezone_name
from babel.numbers import format_decimal
from flask import g
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from directory import listings, taxonomy
from directory import schedule as recurrence
from directory.extensions import db
from directory.i18n import current_locale
from directory.models import utcnow
from directory.search import labels as fixed
from directory.search.query import KM_PER_MILE


def _translated(labels: dict[str, str]) -> dict[str, object]:
    """Return ``labels`` (msgids from ``directory.search.labels``) as lazily translated words."""
    return {value: _l(msgid) for value, msgid in labels.items()}


# The search's one vocabulary of fixed labels, in the page's language.
FORMAT_LABELS = _translated(fixed.FORMAT)
COST_LABELS = _translated(fixed.COST)
DAY_LABELS = _translated(fixed.DAY)
SORT_LABELS = _translated(fixed.SORT)
#: Facet name -> its heading on the results page, in the order the filters are shown.
FACET_TITLES = _translated(fixed.FACET_TITLES)
#: Labels of the facets whose values are a closed set.
CLOSED_LABELS = {facet: _translated(labels) for facet, labels in fixed.CLOSED.items()}
FACILITATION_LABELS = {
    "peer": _l("Peers with lived experience"),
    "professional": _l("A professional"),
    "co": _l("A peer and a professional together"),
}
#: What a visitor can report about a listing (``models.ReportKind``), as the form offers it.
REPORT_KIND_LABELS = {
    "stopped": _l("It has stopped meeting"),
    "wrong_time": _l("The day or time is wrong"),
    "wrong_place": _l("The place or address is wrong"),
    "broken_contact": _l("A link, phone number or email does not work"),
    "other": _l("Something else"),
}
#: Facets whose values are taxonomy slugs, with the taxonomy's vocabulary.
TAXONOMY_FACETS = fixed.TAXONOMY_FACETS

#: A listing not confirmed for this long carries a notice: call before you go. (After
#: ``HIDE_AFTER``, longer, it leaves search too.)
STALE_AFTER = dt.timedelta(days=365)

_MEETING_PATTERNS = {"en": "EEEE, MMMM d, h:mm a", "es": "EEEE d 'de' MMMM, H:mm"}
_CODES = recurrence.WEEKDAY_CODES
_ES_DAYS_PLURAL = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábados", "domingos")
_ES_DAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
_ES_ORDINALS = {1: "primer", 2: "segundo", 3: "tercer", 4: "cuarto", 5: "quinto", -1: "último"}


def label(mapping: dict, value: str) -> str:
    """Return the label of ``value`` in ``mapping``, or the value itself."""
    return str(mapping[value]) if value in mapping else value


def _term_names() -> dict[tuple[str, str], tuple[str, str | None]]:
    """Map (vocabulary, slug) to (English label, Spanish label), read once per request."""
    cached = g.get("_term_names")
    if cached is None:
        cached = {
            (vocabulary, slug): (english, spanish)
            for vocabulary, slug, english, spanish, _synonyms in taxonomy.term_rows(db.session)
        }
        g._term_names = cached
    return cached


def term_label(vocabulary: str, slug: str, english: str | None = None) -> str:
    """Return a taxonomy term's label in the page's language (its slug if it is unknown)."""
    spanish = None
    if english is None or current_locale() == "es":
        english, spanish = _term_names().get((vocabulary, slug), (english, None))
    if current_locale() == "es" and spanish:
        return spanish
    return english or slug


def term_labels(terms) -> list[str]:
    """Return the labels of TaxonomyTerm rows in the page's language (a row's own Spanish)."""
    spanish = current_locale() == "es"
    return [
        (spanish and getattr(term, "label_es", None))
        or term_label(term.vocabulary, term.slug, term.label)
        for term in terms
    ]


def language_name(code: str, fallback: str | None = None) -> str:
    """Return a language's name in the page's language, e.g. 'es' -> 'Spanish' or 'Español'.

    In English the directory's own name (``fallback``, from its languages file: 'Persian
    (Farsi)') wins, so pages, the API and exports name a language alike.
    """
    locale = current_locale()
    if locale == "en" and fallback:
        return fallback
    name = Locale.parse(locale).languages.get(code)
    if not name:
        return fallback or code
    return name[0].upper() + name[1:]


def facet_label(facet: str, value: str, fallback: str | None = None) -> str:
    """Return the label of one facet value in the page's language."""
    if facet in CLOSED_LABELS:
        return label(CLOSED_LABELS[facet], value)
    if facet in TAXONOMY_FACETS:
        return term_label(TAXONOMY_FACETS[facet], value, fallback)
    if facet == "lang":
        return language_name(value, fallback)
    return fallback or value


def zone_name(key: str) -> str:
    """Return a time zone's everyday name, e.g. 'Central Time' or 'hora central'."""
    return get_timezone_name(key, width="long", zone_variant="generic", locale=current_locale())


def schedule_text(schedule) -> str:
    """Describe a schedule in the page's language: 'Every Tuesday, 7:00–8:30 pm Central'."""  # noqa: RUF002
    if recurrence.problems(schedule):  # a row written before validation, or by hand
        return str(_l("Meeting times are not available: please contact the group."))
    if current_locale() != "es":
        return recurrence.describe(schedule)
    return _describe_es(schedule)


def schedule_texts(group_ids: list[int]) -> dict[int, str]:
    """Describe the listed groups' schedules in the page's language, when it is not English.

    The search engine's hits carry their schedules in English already; other languages
    describe them again from the schedules themselves.
    """
    if current_locale() == "en":
        return {}
    return {
        group_id: "; ".join(schedule_text(schedule) for schedule in schedules)
        for group_id, schedules in listings.schedules_for(group_ids).items()
        if schedules
    }


def _es_join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} y {items[-1]}"


def _es_clock(moment: dt.time) -> str:
    return f"{moment.hour}:{moment.minute:02d}"


def _describe_es(schedule) -> str:
    """Describe a schedule in Spanish, e.g. 'Todos los martes, 19:00–20:30, hora central'."""  # noqa: RUF002
    codes = [c.strip().upper() for c in (schedule.weekdays or "").split(",") if c.strip()]
    days = sorted({_CODES.index(c) for c in codes if c in _CODES})
    names = [_ES_DAYS_PLURAL[day] for day in days]
    interval = schedule.interval or 1
    if schedule.kind == "dates":
        found = sorted(
            dt.date.fromisoformat(d.strip()) for d in (schedule.dates or "").split(",") if d.strip()
        )
        dates = [format_date(day, "d 'de' MMMM 'de' y", locale="es") for day in found]
        pattern = (
            f"{len(found)} fechas, del {dates[0]} al {dates[-1]}" if len(found) > 4 else
            _es_join(dates)
        )  # fmt: skip
    elif schedule.kind == "monthly":
        weeks = [int(w) for w in (schedule.month_weeks or "").split(",") if w.strip()]
        weeks.sort(key=lambda n: (n < 0, n))
        singular = [_ES_DAYS[day] for day in days]
        which = f"el {_es_join([_ES_ORDINALS[n] for n in weeks])} {_es_join(singular)}"
        pattern = (
            f"{which[0].upper()}{which[1:]} de cada mes" if interval == 1 else
            f"Cada {interval} meses, {which} del mes"
        )  # fmt: skip
    elif interval == 1:
        if len(days) == 7:
            pattern = "Todos los días"
        elif days == [0, 1, 2, 3, 4]:
            pattern = "De lunes a viernes"
        else:
            pattern = f"Todos los {_es_join(names)}"
    else:
        every = "Cada dos semanas" if interval == 2 else f"Cada {interval} semanas"
        pattern = f"{every}, los {_es_join(names)}"
    times = _es_clock(schedule.start_time)
    if schedule.end_time:
        times += f"\N{EN DASH}{_es_clock(schedule.end_time)}"
    return f"{pattern}, {times}, {zone_name(schedule.timezone)}"


def meeting_time(start: dt.datetime, zone: str | None = None) -> str:
    """Format a meeting start, in ``zone`` or its own: 'Tuesday, December 1, 7:00 PM CST'."""
    if zone:
        start = start.astimezone(ZoneInfo(zone))
    locale = current_locale()
    text = format_datetime(start, _MEETING_PATTERNS.get(locale, "full"), locale=locale,
                           tzinfo=start.tzinfo)  # fmt: skip
    return f"{text} {start.tzname()}"


def long_date(moment: dt.date | dt.datetime) -> str:
    """Format a date in full words: 'August 12, 2026' or '12 de agosto de 2026'."""
    day = moment.date() if isinstance(moment, dt.datetime) else moment
    return format_date(day, "long", locale=current_locale())


def is_stale(
    verified_at: dt.datetime | None,
    now: dt.datetime | None = None,
    listed_at: dt.datetime | None = None,
) -> bool:
    """Return whether a listing's clock (its confirmation, else its listing) is over a year old.

    Without either date (a listing never confirmed, its listing date not given) it is not.
    """
    moment = listings.freshness_moment(verified_at, listed_at)
    if moment is None:
        return False
    return (now or utcnow()) - moment > STALE_AFTER


def verified_ago(verified_at: dt.datetime, now: dt.datetime | None = None) -> str:
    """Say how long ago a listing was verified: '3 months ago', 'hace 3 meses'."""
    delta = verified_at - (now or utcnow())
    if -delta < dt.timedelta(days=1):
        return str(_l("today"))
    return format_timedelta(
        delta, add_direction=True, threshold=1.5, format="long", locale=current_locale()
    )


@dataclasses.dataclass(frozen=True)
class Freshness:
    """How current a listing is, in words: the one home of every page's freshness."""

    #: "confirmed" (within a year), "unconfirmed" (never, listed within a year), "stale".
    kind: str
    #: A short line for results: 'Confirmed 3 weeks ago'.
    text: str
    #: Whether search no longer shows it (not confirmed within HIDE_AFTER).
    hidden: bool = False

    @property
    def stale(self) -> bool:
        """Return whether people should call before they go (over a year unconfirmed)."""
        return self.kind == "stale"


def freshness(
    verified_at: dt.datetime | None,
    listed_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Freshness:
    """Say how current a listing is, from its last confirmation (else when it was listed)."""
    now = now or utcnow()
    moment = listings.freshness_moment(verified_at, listed_at)
    hidden = moment is not None and moment < listings.hidden_before(now)
    if is_stale(verified_at, now, listed_at):
        text = gettext("Not confirmed for over a year: call before you go")
        return Freshness("stale", text, hidden)
    if verified_at is None:
        return Freshness("unconfirmed", gettext("Not yet confirmed by the organiser"), hidden)
    if now - verified_at < dt.timedelta(days=1):
        return Freshness("confirmed", gettext("Confirmed today"), hidden)
    return Freshness("confirmed", gettext("Confirmed %(ago)s", ago=verified_ago(verified_at, now)))


def not_meeting(listing, now: dt.datetime | None = None) -> str | None:
    """Say that a paused listing is not meeting ('Not meeting until May 4, 2027'), else None.

    ``listing`` is a Group or a search Hit; the pause is judged on today's date where the
    group meets, so the words go by themselves once its resume date comes.
    """
    if not listings.paused_today(listing, now):
        return None
    if listing.resumes_on is None:
        return gettext("Not meeting for now")
    return gettext("Not meeting until %(day)s", day=long_date(listing.resumes_on))


def tel_href(phone: str) -> str:
    """Return a tel: link for a phone number as people write it: '(312) 555-0142'."""
    return "tel:" + re.sub(r"[^\d+]", "", phone)


def distance_text(miles: float | None, unit: str = "mi") -> str:
    """Say a distance in the person's unit: '2.4 miles' or '3,9 km'."""
    if miles is None:
        return ""
    locale = current_locale()
    if unit == "km":
        return gettext(
            "%(value)s km", value=format_decimal(round(miles * KM_PER_MILE, 1), locale=locale)
        )
    rounded = round(miles, 1)
    number = format_decimal(rounded, locale=locale)
    return ngettext("%(value)s mile", "%(value)s miles", 1 if rounded == 1 else 2, value=number)
