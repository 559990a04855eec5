"""Read and write listings as a CSV spreadsheet, one group per row (see README.md for columns).

Headers are matched loosely ("Group Name", "group_name" and "Meeting name" all mean
``name``), schedules are written in words ("Tuesdays 7pm; 1st Saturday 10am-noon") or in
day and time columns, and lists (topics, languages...) are separated by ";".
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator

from directory.folding import fold
from directory.models import Group

from . import values
from .public import ExportContext, join_details, terms_of
from .records import InputError, ListingRecord, OrganizationRecord, PlaceRecord, Reading
from .schedule_text import ScheduleTextError, format_schedule, parse_schedule_text
from .sources import Source
from .spreadsheet import csv_chunks, unguard

#: Column -> (other headers that mean it, listing fields it sets). Order is the export order.
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "id": ("ref|group id|listing id|record id|source id|external id|meeting id|slug", ()),
    "name": ("group name|group|title|meeting name|support group|group title|program name"
             "|program|service name|service", ("name",)),
    "description": ("about|details|summary|notes|group description|program description"
                    "|service description", ("description",)),
    "organization": ("organisation|org|host|hosted by|sponsor|affiliate|chapter|network"
                     "|provider|organization name|agency|agency name|parent agency",
                     ("organization",)),
    "organization_type": ("organisation type|org type|host type|organization kind",
                          ("organization",)),
    "organization_website": ("organisation website|org website|host website|organization url"
                             "|agency website",
                             ("organization",)),
    "organization_phone": ("organisation phone|org phone|host phone|agency phone",
                           ("organization",)),
    "organization_email": ("organisation email|org email|host email", ("organization",)),
    "format": ("meeting format|type|meeting type|attendance|mode|delivery|in person or online",
               ("format",)),
    "schedule": ("when|meets|meeting time|meeting times|day and time|days and times"
                 "|meeting schedule|schedules", ("schedules",)),
    "day": ("days|weekday|meeting day|day of week", ("schedules",)),
    "start_time": ("time|start|starts|begins|start at", ("schedules",)),
    "end_time": ("end|ends|end at|finish", ("schedules",)),
    "frequency": ("how often|recurrence|repeats|every", ("schedules",)),
    "timezone": ("time zone|tz|zone", ()),
    "location_name": ("location|venue|place|building|site|meeting place|site name"
                      "|location name|facility", ("location",)),
    "room": ("room floor|room number|where in the building", ("location",)),
    "address": ("street|street address|address 1|address line 1|address1", ("location",)),
    "address_2": ("address line 2|address2|suite", ("location",)),
    "city": ("town|municipality|city town", ("location",)),
    "state": ("region|province|st|state province|state code", ("location",)),
    "postal_code": ("zip|zip code|zipcode|postcode|postal", ("location",)),
    "country": ("country code|nation", ("location",)),
    "latitude": ("lat", ("location",)),
    "longitude": ("lon|lng|long", ("location",)),
    "topics": ("topic|conditions|condition|focus|issues|categories|category", ("topics",)),
    "audiences": ("audience|for|who|population|who it is for|who can attend", ("audiences",)),
    "languages": ("language|lang|spoken languages", ("languages",)),
    "accessibility": ("accessibility features|access|ada|accessible", ("accessibility",)),
    "cost": ("fee|fees|price|costs", ("cost",)),
    "cost_note": ("cost notes|cost details|fee details|price details", ("cost_note",)),
    "facilitation": ("facilitated by|led by|leader type|facilitator type|facilitation type",
                     ("facilitation",)),
    "registration_required": ("registration|register|rsvp|sign up required|pre registration"
                              "|registration needed", ("registration_required",)),
    "contact_name": ("contact|contact person|public contact", ("contact_name",)),
    "contact_email": ("email|public email|e mail", ("contact_email",)),
    "contact_phone": ("phone|telephone|public phone|phone number", ("contact_phone",)),
    "website": ("url|web|link|web site|group website|homepage", ("website",)),
    "join_url": ("join link|meeting link|zoom link|online link|video link|conference url"
                 "|online meeting link", ("join_url",)),
    "join_phone": ("dial in|call in number|conference phone|dial in number|join by phone",
                   ("join_phone",)),
    "join_instructions": ("how to join|joining instructions|join notes", ("join_instructions",)),
    "join_visibility": ("join details visibility|share join details", ("join_visibility",)),
    "organiser_name": ("organizer name|organizer|organiser|facilitator|facilitator name"
                       "|leader|private contact name", ("organiser_name",)),
    "organiser_email": ("organizer email|facilitator email|leader email|private email",
                        ("organiser_email",)),
    "organiser_phone": ("organizer phone|facilitator phone|leader phone|private phone",
                        ("organiser_phone",)),
    "verified": ("verified at|last verified|last updated|updated|last confirmed|confirmed",
                 ("verified_at",)),
}  # fmt: skip
#: Columns written on export: everything but private contacts and the visibility switch.
EXPORT_COLUMNS = tuple(
    name for name in COLUMNS
    if not name.startswith("organiser_")
    and name not in ("join_visibility", "day", "start_time", "end_time", "frequency")
)  # fmt: skip
#: The listing fields an exported file carries (and so a round trip keeps).
EXPORTED_FIELDS = frozenset(field for name in EXPORT_COLUMNS for field in COLUMNS[name][1])
LIST_SEPARATOR = re.compile(r"[;|\n]")


def _aliases() -> dict[str, str]:
    found = {}
    for column, (others, _fields) in COLUMNS.items():
        for alias in (column, *others.split("|")):
            found[" ".join(fold(alias).split())] = column
    return found


ALIASES = _aliases()


def _header(cells: list[str], name: str, warnings: list[str]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, cell in enumerate(cells):
        key = " ".join(fold(cell).split())
        column = ALIASES.get(key)
        if column is None:
            if key:
                warnings.append(f"column {cell.strip()!r} is not one we read; ignored")
            continue
        if column in seen:
            raise InputError(f"{name}: columns {seen[column]!r} and {cell!r} both mean {column}")
        seen[column] = cell
        mapping[index] = column
    if "name" not in seen:
        raise InputError(
            f"{name}: the first row must be a header with a name column "
            f"(found {', '.join(repr(c) for c in cells[:8]) or 'nothing'}); see README.md"
        )
    return mapping


def _list(value: str | None) -> list[str]:
    return [part.strip() for part in LIST_SEPARATOR.split(value or "") if part.strip()]


def _schedules(row: dict[str, str], record: ListingRecord) -> None:
    texts = _list(row.get("schedule"))
    if not texts and row.get("day"):
        times = "-".join(t for t in (row.get("start_time"), row.get("end_time")) if t)
        texts = [" ".join(t for t in (row.get("frequency"), row["day"], times) if t)]
    for text in texts:
        try:
            record.schedules.append(parse_schedule_text(text))
        except ScheduleTextError as error:
            record.problems.append(f"schedule: {error}")


def _record(row: dict[str, str], position: str, auto_ref: bool) -> ListingRecord:
    get = row.get
    ref = get("id")
    if auto_ref and get("name"):
        where = get("postal_code") or get("city") or get("address") or get("join_url") or "online"
        ref = f"auto:{fold(get('name'))}|{fold(where)}"[:200]
    record = ListingRecord(position=position, ref=ref, name=get("name"))
    for column in ("description", "format", "cost", "cost_note", "facilitation", "contact_name",
                   "contact_email", "contact_phone", "website", "join_url", "join_phone",
                   "join_instructions", "join_visibility", "organiser_name", "organiser_email",
                   "organiser_phone", "timezone"):  # fmt: skip
        setattr(record, column, get(column))
    for attribute, column, noun, parse in (
        ("registration_required", "registration_required", "registration required", values.boolean),
        ("verified_at", "verified", "verified", values.moment),
    ):
        try:
            setattr(record, attribute, parse(get(column), noun))
        except ValueError as error:
            record.problems.append(str(error))
    if any(get(c) for c in ("location_name", "address", "city", "postal_code", "latitude")):
        record.place = PlaceRecord(
            name=get("location_name"), room=get("room"), address_1=get("address"),
            address_2=get("address_2"), city=get("city"), region=get("state"),
            postal_code=get("postal_code"), country=get("country"),
            latitude=get("latitude"), longitude=get("longitude"),
        )  # fmt: skip
    if get("organization"):
        record.organization = OrganizationRecord(
            name=get("organization"), kind=get("organization_type"),
            website=get("organization_website"), phone=get("organization_phone"),
            email=get("organization_email"),
        )  # fmt: skip
    for column in ("topics", "audiences", "languages", "accessibility"):
        setattr(record, column, _list(get(column)))
    _schedules(row, record)
    return record


def read(source: Source, options) -> Reading:
    """Read a CSV file of listings; each row becomes a record positioned by its line."""
    name = source.name
    text = source.text(encoding=options.encoding)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        header = next(reader, None)
        if header is None:
            raise InputError(f"{name} is empty")
        mapping = _header(header, name, source.warnings)
        auto_ref = "id" not in mapping.values()
        if auto_ref:
            source.warnings.append(
                "there is no id column, so rows are matched to listings by name and place on "
                "re-import; add an id column to keep them matched when those change"
            )
        records, line = [], reader.line_num + 1
        for cells in reader:
            position = f"line {line}"
            line = reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            row = {
                column: unguard(cells[i].strip())
                for i, column in mapping.items()
                if i < len(cells) and cells[i].strip()
            }
            record = _record(row, position, auto_ref)
            if any(cell.strip() for cell in cells[len(header) :]):
                record.problems.append(
                    f"it has {len(cells)} fields but the header has {len(header)}; "
                    "put values that contain commas in double quotes"
                )
            records.append(record)
    except csv.Error as error:
        raise InputError(
            f"{name} line {line}: not readable as CSV ({error}); check that every "
            'double quote (") is closed'
        ) from None
    fields = {field for column in mapping.values() for field in COLUMNS[column][1]}
    return Reading(records, frozenset(fields))


def row_for(group: Group) -> dict[str, object]:
    """Return one listing's export row (public fields only)."""
    org, place = group.organization, group.location
    join = join_details(group)
    labels = {name: "; ".join(t.label for t in terms_of(group, name))
              for name in ("topics", "audiences", "accessibility")}  # fmt: skip
    return {
        "id": group.id, "name": group.name, "description": group.description,
        "organization": org and org.name, "organization_type": org and org.kind,
        "organization_website": org and org.website, "organization_phone": org and org.phone,
        "organization_email": org and org.email, "format": group.format,
        "schedule": "; ".join(format_schedule(s) for s in group.schedules),
        "timezone": group.effective_timezone,
        "location_name": place and place.name, "room": place and place.room,
        "address": place and place.address_1, "address_2": place and place.address_2,
        "city": place and place.city, "state": place and place.region,
        "postal_code": place and place.postal_code, "country": place and place.country,
        "latitude": place and place.latitude, "longitude": place and place.longitude,
        **labels, "languages": "; ".join(lang.name for lang in terms_of(group, "languages")),
        "cost": group.cost, "cost_note": group.cost_note, "facilitation": group.facilitation,
        "registration_required": "yes" if group.registration_required else "no",
        "contact_name": group.contact_name, "contact_email": group.contact_email,
        "contact_phone": group.contact_phone, "website": group.website,
        "join_url": join.url, "join_phone": join.phone,
        "join_instructions": join.instructions,
        "verified": group.verified_at.isoformat() if group.verified_at else None,
    }  # fmt: skip


def write(groups: Iterable[Group], context: ExportContext) -> Iterator[bytes]:
    """Yield listings as UTF-8 CSV (with a byte-order mark, so spreadsheets read accents)."""
    rows = ([row[column] for column in EXPORT_COLUMNS] for row in map(row_for, groups))
    yield from csv_chunks(itertools.chain([EXPORT_COLUMNS], rows), bom=True)
