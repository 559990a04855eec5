"""Each exporter: its format's shape, public fields only, and the same bytes for the same data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import icalendar
import pytest

from directory.extensions import db
from directory.interchange import meeting_guide_types
from directory.interchange.csv_format import EXPORT_COLUMNS
from directory.interchange.export import EXPORTS, export_listings, load_groups, published_ids
from directory.interchange.public import ExportContext

from .listings import (
    SECRET_EMAIL,
    SECRET_LINK,
    SECRET_PASSCODE,
    SECRET_PHONE,
    private_listings,
    richer_listings,
)
from .meeting_guide_schema import meeting_guide_errors, schema

WHEN = ExportContext(base_url="https://groups.example.org/",
                     generated_at=dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC))  # fmt: skip


def _export(fmt: str) -> bytes:
    return export_listings(fmt, load_groups(db.session, published_ids(db.session)), WHEN)


def _text(fmt: str) -> str:
    data = _export(fmt)
    if fmt == "hsds-csv":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(archive.read(name).decode() for name in archive.namelist())
    return data.decode("utf-8-sig")


@pytest.fixture
def listings(db_app):
    return [*richer_listings(), *private_listings()]


@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_no_export_shows_private_contacts_or_links_shared_on_request(listings, fmt):
    text = _text(fmt)
    assert "Family Support Group" in text
    assert "Private Link Group" in text  # listed, but without what it shares on request
    secrets = (SECRET_EMAIL, SECRET_PHONE, "Sam Private", SECRET_LINK, "303) 555-0111",
               SECRET_PASSCODE, "otter-7731")  # fmt: skip
    for secret in secrets:
        assert secret not in text
    assert "Pending Group Not Exported" not in text


@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_the_same_data_gives_the_same_bytes(listings, fmt):
    assert _export(fmt) == _export(fmt)


def test_csv_export(listings):
    rows = list(csv.DictReader(io.StringIO(_text("csv"))))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert [row["name"] for row in rows] == [group.name for group in listings]
    monthly = next(row for row in rows if row["name"] == "Second and Fourth Thursday")
    assert monthly["schedule"] == (
        "2nd & 4th Thursday of the month 6:30pm-8pm; "
        "every other Monday 10am-8:30pm starting 2026-01-05 until 2027-06-30; "
        "2026-12-01 & 2026-12-15 7pm-8pm"
    )
    assert monthly["topics"] == "Anxiety and panic; Bipolar disorder"
    assert (monthly["cost"], monthly["registration_required"]) == ("donation", "yes")
    online = next(row for row in rows if row["name"] == "Online Peer Circle")
    assert online["join_phone"] == "'+13125550123"  # guarded against spreadsheet formulas
    assert online["timezone"] == "America/New_York"


def test_hsds_export(listings):
    page = json.loads(_text("hsds"))
    assert page["total_items"] == page["size"] == len(page["contents"]) == len(listings)
    service = next(s for s in page["contents"] if s["name"] == "Family Support Group")
    assert service["status"] == "active"
    assert service["organization"]["name"] == "NAMI Lakeside"
    location = service["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "60614"
    assert location["accessibility"] == [{"id": location["accessibility"][0]["id"],
                                          "description": "Wheelchair accessible"}]  # fmt: skip
    assert service["schedules"][0] | {"id": None} == {
        "id": None, "freq": "WEEKLY", "interval": 1, "byday": "TU", "dtstart": None,
        "valid_from": None, "valid_to": None, "timezone": -6, "opens_at": "19:00",
        "closes_at": "20:30", "description": "Every Tuesday, 7:00\u20138:30 pm Central",
        "notes": None,
    }  # fmt: skip
    codes = {a["taxonomy_term"]["code"] for a in service["attributes"]}
    assert {"topic:depression", "audience:women", "format:in_person", "timezone"} <= codes
    monthly = next(s for s in page["contents"] if s["name"] == "Second and Fourth Thursday")
    assert [(s.get("freq"), s.get("byday"), s["dtstart"]) for s in monthly["schedules"]] == [
        ("MONTHLY", "2TH,4TH", None), ("WEEKLY", "MO", "2026-01-05"),
        (None, None, "2026-12-01"), (None, None, "2026-12-15"),
    ]  # fmt: skip


def test_hsds_datapackage_export(listings):
    with zipfile.ZipFile(io.BytesIO(_export("hsds-csv"))) as archive:
        names = set(archive.namelist())
        descriptor = json.loads(archive.read("datapackage.json"))
        services = list(csv.DictReader(io.StringIO(archive.read("services.csv").decode())))
    assert {resource["path"] for resource in descriptor["resources"]} | {"datapackage.json"} == (
        names
    )
    assert {"services.csv", "schedules.csv", "service_at_location.csv", "attributes.csv"} <= names
    assert len(services) == len(listings)


def test_meeting_guide_export_is_valid_against_the_schema(listings):
    feed = json.loads(_text("meeting-guide"))
    assert meeting_guide_errors(feed) == []
    by_slug = {meeting["slug"]: meeting for meeting in feed}
    family = by_slug[str(listings[0].id)]
    assert (family["day"], family["time"], family["end_time"]) == (2, "19:00", "20:30")
    assert family["types"] == ["EN", "S", "W", "X"]
    assert family["entity"] == "NAMI Lakeside"
    online = by_slug[str(listings[1].id)]
    assert (online["day"], online["approximate"]) == ([1, 3], "yes")
    assert online["conference_url"] == "https://zoom.example.org/j/1"
    monthly = by_slug[str(listings[3].id)]
    assert "day" not in monthly  # not weekly: listed with its schedule in words
    assert "Meets: 2nd and 4th Thursday of the month" in monthly["notes"]


def test_meeting_guide_leaves_out_values_the_schema_refuses(app):
    from tests.factories import make_group, make_location

    make_group(name="Odd Address", location=make_location(
        address_1="1150 W 31st St. #4", city="St. Louis", postal_code="63101-1234",
        region="MO", room="Room 2"))  # fmt: skip
    db.session.commit()
    feed = json.loads(_text("meeting-guide"))
    assert meeting_guide_errors(feed) == []
    meeting = feed[0]
    assert "address" not in meeting
    assert (meeting["city"], meeting["postal_code"]) == ("St Louis", "63101")
    assert meeting["location_notes"] == "Room 2; 1150 W 31st St. #4, St. Louis, MO 63101-1234"


def test_meeting_guide_type_codes_match_the_schema():
    enum = set()
    for choice in schema("meeting-type.schema.json")["items"]["anyOf"]:
        enum |= set(choice["enum"])
    assert enum == meeting_guide_types.EXPORTABLE
    assert set(meeting_guide_types.EXPORT_TERMS.values()) <= enum


def test_ics_export(listings):
    calendar = icalendar.Calendar.from_ical(_export("ics"))
    events = calendar.walk("VEVENT")
    assert len(events) == sum(len(group.schedules) for group in listings)
    assert sorted(tz["TZID"] for tz in calendar.walk("VTIMEZONE")) == [
        "America/Chicago", "America/Denver", "America/New_York",
    ]  # fmt: skip
    family = next(e for e in events if e["SUMMARY"] == "Family Support Group")
    assert family.start.tzinfo.key == "America/Chicago"
    assert (family.start.hour, family.end.hour, family.end.minute) == (19, 20, 30)
    assert family["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU"
    assert family["URL"] == f"https://groups.example.org/groups/{listings[0].id}"
    assert "Lincoln Park Library" in family["LOCATION"]
    monthly = [e for e in events if e["SUMMARY"] == "Second and Fourth Thursday"]
    assert monthly[0]["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=2TH,4TH"
    assert b"UNTIL=20270701T045959Z" in monthly[1]["RRULE"].to_ical()
    dates = monthly[2]
    assert dates.start == dt.datetime(2026, 12, 1, 19, tzinfo=dates.start.tzinfo)
    assert [d.dt.date() for d in dates["RDATE"].dts] == [dt.date(2026, 12, 15)]
    online = next(e for e in events if e["SUMMARY"] == "Online Peer Circle")
    assert online["LOCATION"] == "Online"
    assert "Join online: https://zoom.example.org/j/1" in online["DESCRIPTION"]


def test_the_schema_check_catches_invalid_meetings():
    errors = meeting_guide_errors(
        [{"name": "x", "slug": "x", "time": "7pm", "postal_code": "6061", "types": ["ZZZ"]}]
    )
    assert len(errors) == 3, errors
    assert meeting_guide_errors({"name": "not a list", "slug": "x"}) != []


def test_ics_events_say_what_the_schedules_say(listings):
    """Read each recurring event back with ``schedule.from_rrule``: the same rule comes out."""
    from directory.schedule import from_rrule

    calendar = icalendar.Calendar.from_ical(_export("ics"))
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    compared = 0
    for group in listings:
        for schedule in group.schedules:
            event = events[f"group-{group.id}-schedule-{schedule.id}@peer-support-directory"]
            if "RRULE" not in event:
                continue
            rule = event["RRULE"].to_ical().decode()
            fields = from_rrule(rule, event.start, event.end.time())
            for name in ("kind", "weekdays", "interval", "month_weeks", "start_time",
                         "end_time", "timezone", "valid_until"):  # fmt: skip
                assert fields[name] == getattr(schedule, name), (group.name, name)
            compared += 1
    assert compared == 7
