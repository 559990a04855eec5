"""Read and write Meeting Guide JSON feeds (code4recovery/spec), as tsml-ui and the app use.

A meeting meets weekly on ``day`` (0 is Sunday; a number or a list) at ``time``. Online and
hybrid meetings are told apart by ``conference_url``/``conference_phone`` and by an
``approximate`` address, which only places the meeting for its time zone. Type codes become
audiences, accessibility features and languages; the export writes only schema-valid values.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from directory.listings import paused_today
from directory.models import Group
from directory.schedule import WEEKDAY_CODES, describe

from . import meeting_guide_types as types
from . import values
from .public import ExportContext, join_details
from .records import ListingRecord, OrganizationRecord, PlaceRecord, Reading, guarded, not_an_object
from .sources import Source
from .state import TERM_FIELDS

#: What a meeting can say about a listing.
_FIELDS = (
    "name description website verified_at location schedules join_url join_phone "
    "join_instructions organization contact_name contact_email contact_phone topics "
    "audiences accessibility languages"
)
FIELDS = frozenset(_FIELDS.split())
#: The topic a Meeting Guide feed's meetings get unless ``--topic`` says otherwise.
DEFAULT_TOPIC = "substance-use"
#: Meeting Guide days run from Sunday (0); ours from Monday.
DAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
_STATE_ZIP = re.compile(r"^([A-Za-z]{2})\s+(\S+)$")
#: The schema's patterns, which an exported value must match or be left out.
PATTERNS = {
    "address": re.compile(r"^(?:[0-9]+\s)?[0-9]*\s?[A-Za-z]+(?:\s[A-Za-z]+)*$"),
    "city": re.compile(r"^[A-Za-z]+(?:\s[A-Za-z]+)*$"),
    "state": re.compile(r"^[A-Z]{2}$"),
    "postal_code": re.compile(r"^[0-9]{5}$"),
    "conference_phone": re.compile(r"^[+]?\d{1,15}(?:[,*#]\d+)*$"),
}


def _days(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    days = []
    for item in items:
        text = str(item).strip()
        if not text.isdigit() or int(text) > 6:
            raise ValueError(f"day {item!r} is not 0 (Sunday) to 6 (Saturday)")
        days.append(DAYS[int(text)])
    return sorted(set(days), key=WEEKDAY_CODES.index)


def _schedule(meeting: dict, record: ListingRecord) -> None:
    try:
        start = values.clock_time(meeting.get("time"), "time")
        end = values.clock_time(meeting.get("end_time"), "end_time")
        days = _days(meeting["day"]) if meeting.get("day") not in (None, "", []) else []
    except ValueError as error:
        record.problems.append(str(error))
        return
    if not days and start is None:
        return  # "by appointment": listed without a time
    if not days or start is None:
        record.problems.append("it gives a day without a time, or a time without a day")
        return
    if end is not None and end <= start:
        record.warnings.append(f"end_time {end:%H:%M} is not after time {start:%H:%M}; left out")
        end = None
    record.schedules.append({"kind": "weekly", "weekdays": ",".join(days), "interval": 1,
                             "start_time": start, "end_time": end,
                             "timezone": values.text(meeting.get("timezone"))})  # fmt: skip


def _place(meeting: dict) -> PlaceRecord | None:
    address, city = meeting.get("address"), meeting.get("city")
    state, postal = meeting.get("state"), meeting.get("postal_code")
    country = meeting.get("country")
    formatted = values.text(meeting.get("formatted_address"))
    if formatted and not (address or city):
        parts = [part.strip() for part in formatted.split(",")]
        if len(parts) >= 3 and not re.search(r"\d", parts[-1]):
            country = country or parts.pop()
        if len(parts) >= 3 and (match := _STATE_ZIP.match(parts[-1])):
            state, postal = match[1], match[2]
            parts.pop()
        address, city = parts[0], (parts[1] if len(parts) > 1 else None)
    notes = values.text(meeting.get("location_notes"))
    place = PlaceRecord(
        name=meeting.get("location"), room=notes if notes and len(notes) <= 120 else None,
        address_1=address, city=city, region=state, postal_code=postal, country=country,
        latitude=meeting.get("latitude"), longitude=meeting.get("longitude"),
        approximate=str(meeting.get("approximate") or "").lower() == "yes",
    )  # fmt: skip
    return place if place.has_address or place.name or place.approximate else None


def _types(meeting: dict, record: ListingRecord, topics_given: bool) -> set[str]:
    raw = meeting.get("types") or []
    codes = [c.strip() for c in raw.split(",")] if isinstance(raw, str) else raw
    found = set()
    for code in codes:
        code = str(code).strip()
        if code in types.LANGUAGES:
            record.loose_languages.append(types.LANGUAGES[code])
        elif code in types.TERMS:
            vocabulary, slug = types.TERMS[code]
            {"audience": record.audiences, "accessibility": record.accessibility,
             "topic": record.topics}[vocabulary].append(slug)  # fmt: skip
        elif code not in types.KNOWN:
            record.warnings.append(f"unknown meeting type code {code!r}; ignored")
        found.add(code)
    if not topics_given:
        record.topics.append(DEFAULT_TOPIC)
    return found


def meeting_record(meeting: dict, position: str, topics_given: bool) -> ListingRecord:
    """Return the record of one Meeting Guide meeting."""
    slug = meeting.get("slug")
    record = ListingRecord(
        position=position, ref=None if slug in (None, "") else str(slug),
        name=meeting.get("name"), description=meeting.get("notes"), website=meeting.get("url"),
        join_url=meeting.get("conference_url"), join_phone=meeting.get("conference_phone"),
        contact_name=meeting.get("contact_1_name"), contact_email=meeting.get("contact_1_email"),
        contact_phone=meeting.get("contact_1_phone"), timezone=meeting.get("timezone"),
    )  # fmt: skip
    notes = [meeting.get("conference_url_notes"), meeting.get("conference_phone_notes")]
    record.join_instructions = "\n".join(str(n) for n in notes if n) or None
    try:
        record.verified_at = values.moment(meeting.get("updated"), "updated")
    except ValueError as error:
        record.warnings.append(f"{error}; left out")
    record.place = _place(meeting)
    codes = _types(meeting, record, topics_given)
    closed = types.TEMPORARILY_CLOSED in codes
    if closed and record.place is not None:
        record.place.approximate = True  # only the online meeting goes on
    if closed and not (record.join_url or record.join_phone):
        record.inactive = "its location is temporarily closed and it has no online meeting"
    if types.ONLINE in codes and record.place is not None and not record.place.address_1:
        record.place.approximate = True
    entity = values.text(meeting.get("entity"))
    if entity:
        record.organization = OrganizationRecord(
            name=entity, email=meeting.get("entity_email"), phone=meeting.get("entity_phone"),
            website=meeting.get("entity_website_url") or meeting.get("entity_url"),
        )  # fmt: skip
    _schedule(meeting, record)
    return record


def read(source: Source, options) -> Reading:
    """Read a Meeting Guide feed: a list of meetings, or a single meeting object."""
    data = source.json(options.encoding)
    meetings = data if isinstance(data, list) else [data]
    records = []
    for number, meeting in enumerate(meetings, 1):
        position = f"meeting {number}"
        if isinstance(meeting, dict):
            build = lambda m=meeting, p=position: meeting_record(m, p, bool(options.topics))  # noqa: E731
            records.append(guarded(build, position, meeting))
        else:
            records.append(not_an_object(position, meeting))
    return Reading(records, FIELDS)


# --- writing -------------------------------------------------------------------------------


def _ascii(value: str | None) -> str | None:
    if not value:
        return None
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[.,'#]", " ", folded).split())


def fit(name: str, value: str | None) -> str | None:
    """Return a value in the form the schema's pattern for ``name`` allows, or None."""
    if value is None:
        return None
    if name == "postal_code":
        value = value.strip()[:5]
    elif name == "conference_phone":
        value = re.sub(r"[^\d+,*#]", "", value)
    elif name != "state":
        value = _ascii(value)
    return value if value and PATTERNS[name].match(value) else None


def _codes(group: Group) -> list[str]:
    codes = {
        types.EXPORT_TERMS.get((vocabulary, term.slug))
        for name, vocabulary in zip(
            TERM_FIELDS, ("topic", "audience", "accessibility"), strict=True
        )
        for term in getattr(group, name)
    }
    codes |= {types.EXPORT_LANGUAGES.get(language.code) for language in group.languages}
    return sorted(code for code in codes if code in types.EXPORTABLE)


def _place_fields(group: Group) -> dict[str, Any]:
    place = group.location
    if place is None:
        return {"approximate": "yes", "timezone": group.effective_timezone}
    fields = {name: fit(name, raw) for name, raw in (
        ("address", place.address_1), ("city", place.city), ("state", place.region),
        ("postal_code", place.postal_code))}  # fmt: skip
    notes = [place.room]
    if place.address_1 and fields["address"] is None:
        notes.append(place.one_line)  # the schema's pattern can't hold it; keep it readable
    return {
        "location": place.name, "location_notes": "; ".join(n for n in notes if n) or None,
        **fields, "country": place.country, "latitude": place.latitude,
        "longitude": place.longitude, "approximate": "no", "region": fields["city"],
        "timezone": place.timezone,
    }  # fmt: skip


def _meetings(group: Group, base: dict) -> list[dict]:
    weekly = [
        s
        for s in group.schedules
        if s.kind == "weekly" and s.interval == 1 and not (s.valid_from or s.valid_until)
    ]
    others = [s for s in group.schedules if s not in weekly]
    notes = [base.get("notes") or ""] + [f"Meets: {describe(s)}." for s in others]
    base = {**base, "notes": "\n\n".join(n for n in notes if n) or None}
    if not weekly:
        return [base]  # listed without a day: "by appointment", with the schedule in notes
    meetings = []
    for number, schedule in enumerate(weekly, 1):
        days = [DAYS.index(code) for code in schedule.weekdays.split(",")]
        meeting = {**base, "day": days[0] if len(days) == 1 else sorted(days),
                   "time": schedule.start_time.strftime("%H:%M"),
                   "end_time": schedule.end_time.strftime("%H:%M") if schedule.end_time else None,
                   "timezone": schedule.timezone}  # fmt: skip
        if number > 1:
            meeting["slug"] = f"{base['slug']}-{number}"
        meetings.append(meeting)
    return meetings


def pause_note(group: Group, context: ExportContext) -> str | None:
    """Say a paused listing is not meeting ('Not meeting until May 4, 2027.'), else None.

    Meeting Guide has no field for a pause, so its meetings stay in the feed (apps would
    otherwise drop them, then find them again) with this first in their notes.
    """
    if not paused_today(group, context.generated_at):
        return None
    day = group.resumes_on
    if day is None:
        return "Not meeting for now."
    return f"Not meeting until {day:%B} {day.day}, {day.year}."


def meetings_for(group: Group, context: ExportContext) -> list[dict]:
    """Return a listing as Meeting Guide meetings: one per weekly time, schema-valid."""
    join_url, join_phone, join_notes = join_details(group)
    org = group.organization
    notes = "\n\n".join(n for n in (pause_note(group, context), group.description) if n)
    base = {
        "name": group.name[:255], "slug": str(group.id), "notes": notes or None,
        "url": group.website or context.listing_url(group), "types": _codes(group),
        "conference_url": join_url, "conference_url_notes": join_notes,
        "conference_phone": fit("conference_phone", join_phone),
        "updated": group.verified_at.strftime("%Y-%m-%d %H:%M:%S") if group.verified_at else None,
        "entity": org and org.name, "entity_email": org and org.email,
        "entity_phone": org and org.phone, "entity_website_url": org and org.website,
        "contact_1_name": group.contact_name, "contact_1_email": group.contact_email,
        "contact_1_phone": group.contact_phone, **_place_fields(group),
    }  # fmt: skip
    return [{k: v for k, v in m.items() if v not in (None, "", [])} | {"types": m["types"]}
            for m in _meetings(group, base)]  # fmt: skip


def write(groups: Iterable[Group], context: ExportContext) -> Iterator[bytes]:
    """Yield listings as a Meeting Guide feed (a JSON list of meetings), a listing at a time."""
    separator = "["
    for group in groups:
        for meeting in meetings_for(group, context):
            text = json.dumps(meeting, ensure_ascii=False, separators=(",", ":"))
            yield (separator + text).encode("utf-8")
            separator = ","
    yield b"[]" if separator == "[" else b"]"
