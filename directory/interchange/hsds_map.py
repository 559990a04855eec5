"""Read one Open Referral HSDS 3.0 service (nested, as in service_full) into a ListingRecord.

Both HSDS readers use this: the JSON one directly, the datapackage ones after nesting their
tables. Services keep our own fields (format, cost, topics...) as attributes of the
"peer-support-directory" taxonomy; terms of other taxonomies are matched by name.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from directory.schedule import ScheduleError, from_rrule

from . import values
from .records import ListingRecord, OrganizationRecord, PlaceRecord
from .schedule_text import ScheduleTextError, parse_schedule_text

#: The taxonomy our own attributes belong to, and the kinds of term it has.
TAXONOMY = "peer-support-directory"
LIST_CODES = ("topic", "audience", "accessibility")
VALUE_CODES = ("format", "cost", "facilitation", "registration")
#: Status values of a service that no longer runs.
CLOSED = ("inactive", "defunct", "temporarily closed")
RRULE_PARTS = ("interval", "byday", "wkst", "count", "until", "byweekno", "bymonthday",
               "byyearday")  # fmt: skip
NOTE_MAX, COST_NOTE_MAX = 300, 200
OPEN_START = dt.date(2000, 1, 3)


def _items(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _clip(text: str | None, limit: int, noun: str, record: ListingRecord) -> str | None:
    if text and len(text) > limit:
        record.warnings.append(f"{noun} was longer than {limit} characters; shortened")
        return text[: limit - 1] + "\N{HORIZONTAL ELLIPSIS}"
    return text


def offset_zone(offset: Any) -> str | None:
    """Return the fixed IANA zone of a whole-hour UTC offset: 3 gives "Etc/GMT-3"."""
    try:
        hours = float(offset)
    except (TypeError, ValueError):
        return None
    if not hours.is_integer() or not -12 <= hours <= 14:
        return None
    return "Etc/UTC" if hours == 0 else f"Etc/GMT{-int(hours):+d}"


def _rrule(item: dict) -> str:
    parts = [f"FREQ={str(item['freq']).upper()}"]
    for name in RRULE_PARTS:
        value = values.text(item.get(name))
        if value is None:
            continue
        if name == "until":
            value = values.date_value(value, "until").strftime("%Y%m%d")
        parts.append(f"{name.upper()}={value.replace(' ', '')}")
    return ";".join(parts)


def schedule_fields(item: dict, zone: str | None) -> dict[str, Any]:
    """Return schedule column values for one HSDS schedule; raise ValueError if unreadable."""
    start = values.clock_time(item.get("opens_at"), "opens_at")
    end = values.clock_time(item.get("closes_at"), "closes_at")
    dtstart = values.date_value(item.get("dtstart"), "dtstart")
    valid_from = values.date_value(item.get("valid_from"), "valid_from")
    valid_to = values.date_value(item.get("valid_to"), "valid_to")
    note = values.text(item.get("notes"))
    if not values.text(item.get("freq")):
        if dtstart and start:
            fields = {"kind": "dates", "dates": dtstart.isoformat(), "start_time": start,
                      "end_time": end}  # fmt: skip
            return {**fields, "timezone": zone, "note": note}
        try:
            return {**parse_schedule_text(item.get("description") or ""), "note": note}
        except ScheduleTextError:
            raise ValueError("it has no freq, no dtstart and no description we can read") from None
    if start is None:
        raise ValueError("it has no opens_at time")
    if values.text(item.get("count")) and not (dtstart or valid_from):
        raise ValueError("it counts meetings (count) but has no dtstart to count from")
    first = dtstart or valid_from or OPEN_START  # only COUNT depends on it, and it needs one
    moment = dt.datetime.combine(first, start, ZoneInfo(zone or "UTC"))
    try:
        fields = from_rrule(_rrule(item), moment, end)
    except ScheduleError as error:
        raise ValueError(str(error)) from None
    interval = fields["interval"]
    if interval > 1 and dtstart is None:
        raise ValueError(f"it repeats every {interval} periods but has no dtstart to count from")
    ends = [day for day in (fields["valid_until"], valid_to) if day]
    fields.update(
        anchor_date=dtstart if interval > 1 else None,
        valid_from=valid_from or (dtstart if interval == 1 else None),
        valid_until=min(ends) if ends else None,
        timezone=zone, note=note,
    )  # fmt: skip
    return fields


def _merge_dates(schedules: list[dict]) -> list[dict]:
    merged: list[dict] = []
    for item in schedules:
        last = merged[-1] if merged else None
        same = ("start_time", "end_time", "timezone", "note")
        if (last and item["kind"] == last["kind"] == "dates"
                and all(item.get(k) == last.get(k) for k in same)):  # fmt: skip
            days = sorted({*last["dates"].split(","), *item["dates"].split(",")})
            last["dates"] = ",".join(days)
        else:
            merged.append(dict(item))
    return merged


def _attributes(service: dict, record: ListingRecord) -> None:
    for attribute in _items(service.get("attributes")):
        term = attribute.get("taxonomy_term") or {}
        code = str(term.get("code") or "")
        if term.get("taxonomy") != TAXONOMY:
            name = values.text(term.get("name")) or values.text(attribute.get("label"))
            if name:
                record.loose_terms.append(name)
            continue
        kind, _, value = code.partition(":")
        given = values.text(attribute.get("value"))
        if kind in LIST_CODES:
            {"topic": record.topics, "audience": record.audiences,
             "accessibility": record.accessibility}[kind].append(value)  # fmt: skip
        elif kind == "registration":
            record.registration_required = value == "required"
        elif kind in VALUE_CODES:
            setattr(record, kind, value)
        elif code == "timezone":
            record.timezone = given
        elif code == "room" and record.place is not None:
            record.place.room = given


def _place(location: dict) -> PlaceRecord:
    addresses = _items(location.get("addresses"))
    physical = [a for a in addresses if a.get("address_type") in (None, "", "physical")]
    address = (physical or addresses or [{}])[0]
    return PlaceRecord(
        name=location.get("name"), address_1=address.get("address_1"),
        address_2=address.get("address_2"), city=address.get("city"),
        region=address.get("state_province") or address.get("region"),
        postal_code=address.get("postal_code"), country=address.get("country"),
        latitude=location.get("latitude"), longitude=location.get("longitude"),
    )  # fmt: skip


def _locations(service: dict, record: ListingRecord) -> list[dict]:
    """Set the place and online details; return every schedule found on the way."""
    schedules = list(_items(service.get("schedules")))
    physical = []
    for link in _items(service.get("service_at_locations")):
        location = link.get("location") if isinstance(link.get("location"), dict) else {}
        schedules += _items(link.get("schedules")) + _items(location.get("schedules"))
        record.loose_languages += [_language(x) for x in _items(location.get("languages"))]
        if location.get("location_type") == "virtual":
            record.join_url = record.join_url or location.get("url")
            phones = _items(location.get("phones"))
            record.join_phone = record.join_phone or (phones[0].get("number") if phones else None)
            record.join_instructions = record.join_instructions or location.get("description")
        elif location and location.get("location_type") in (None, "", "physical"):
            physical.append(location)  # a "postal" location is a mailing address, not a venue
    if physical:
        record.place = _place(physical[0])
        for feature in _items(physical[0].get("accessibility")):
            texts = (feature.get("description"), feature.get("details"))
            record.accessibility_text += [str(text) for text in texts if text]
        if len(physical) > 1:
            record.warnings.append(f"it has {len(physical)} locations; only the first is used")
    return schedules


def _language(item: dict) -> str:
    return str(item.get("code") or item.get("name") or item.get("language") or "")


def _organization(org: Any) -> OrganizationRecord | None:
    if not isinstance(org, dict) or not values.text(org.get("name")):
        return None
    phones = _items(org.get("phones"))
    return OrganizationRecord(
        name=org["name"], ref=values.text(org.get("id")), description=org.get("description"),
        website=org.get("website") or org.get("url"), email=org.get("email"),
        phone=phones[0].get("number") if phones else None,
    )  # fmt: skip


def _cost(service: dict, record: ListingRecord) -> None:
    if record.cost:
        return
    amounts = []
    for option in _items(service.get("cost_options")):
        try:
            amounts.append(values.number(option.get("amount"), "amount") or 0)
        except ValueError as error:
            record.warnings.append(f"cost option: {error}")
    words = f" {(service.get('fees_description') or service.get('fees') or '').lower()} "
    if re.search(r"\bdonation|\bsuggested|pay what you can", words):
        record.cost = "donation"
    elif any(amounts) or re.search(r"[$£€]|\bfee|\bcharge", words):
        record.cost = "fee"


def _freshness(service: dict, record) -> Any:
    """Return when the feed last checked a service: assured_date, else last_modified."""
    for name in ("assured_date", "last_modified"):
        try:
            found = values.moment(service.get(name), name)
        except ValueError as error:
            record.warnings.append(f"{error}; left out")
            continue
        if found is not None:
            return found
    return None


def service_record(service: dict, position: str) -> ListingRecord:
    """Return the record of one nested HSDS 3.0 service."""
    record = ListingRecord(
        position=position,
        ref=values.text(service.get("id")),
        name=service.get("name"),
        description=service.get("description"),
        website=service.get("url"),
        contact_email=service.get("email"),
    )
    status = str(service.get("status") or "active").lower()
    if status in CLOSED:
        record.inactive = f"its status is {status}"
    contacts = _items(service.get("contacts"))
    phones = _items(service.get("phones")) or _items(contacts[0].get("phones") if contacts else [])
    record.contact_phone = phones[0].get("number") if phones else None
    if contacts:
        record.contact_name = contacts[0].get("name")
        record.contact_email = record.contact_email or contacts[0].get("email")
    record.organization = _organization(service.get("organization"))
    record.loose_languages = [_language(x) for x in _items(service.get("languages"))]
    fees = values.text(service.get("fees_description") or service.get("fees"))
    record.cost_note = _clip(fees, COST_NOTE_MAX, "fees_description", record)
    record.verified_at = _freshness(service, record)
    found = _locations(service, record)
    _attributes(service, record)
    _cost(service, record)
    offsets = [offset_zone(item.get("timezone")) for item in found if "timezone" in item]
    record.fallback_timezone = next((zone for zone in offsets if zone), None)
    seen, converted = set(), []
    for item in found:
        key = item.get("id") or repr(sorted(item.items()))
        if key in seen:
            continue
        seen.add(key)
        try:
            fields = schedule_fields(item, record.timezone)
            fields["note"] = _clip(fields.get("note"), NOTE_MAX, "schedule notes", record)
            converted.append(fields)
        except ValueError as error:
            record.problems.append(f"schedule {len(seen)}: {error}")
    record.schedules = _merge_dates(converted)
    return record
