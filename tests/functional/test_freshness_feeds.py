"""The API and the feeds carry how current a listing is and whether it meets, on both databases."""

from __future__ import annotations

import datetime as dt
import json

import icalendar
import pytest

from directory.extensions import db
from directory.interchange.export import export_listings, load_groups
from directory.interchange.public import ExportContext
from directory.models import utcnow
from directory.services import Actor, close, pause, report_problem
from directory.services.upkeep import local_today
from tests.factories import RECENTLY_VERIFIED, make_group

pytestmark = pytest.mark.usefixtures("db_app")

PRIVATE = "organiser.only@example.org"


def _paused(name: str, days: int | None, **fields):
    group = make_group(name=name, topics=("grief",), organiser_email=PRIVATE, **fields)
    db.session.flush()
    resumes_on = local_today(group) + dt.timedelta(days=days) if days is not None else None
    pause(db.session, group, Actor.organiser(), resumes_on=resumes_on)
    return group


@pytest.fixture
def listed():
    """A meeting group, one paused until a date, one paused with no date, one reported."""
    groups = {
        "meeting": make_group(name="Meeting Circle", topics=("grief",), organiser_email=PRIVATE),
        "dated": _paused("Dated Pause", 30),
        "open": _paused("Open Pause", None),
        "reported": make_group(name="Reported Circle", topics=("grief",)),
    }
    db.session.flush()
    for key in ("key-a", "key-b"):
        report_problem(db.session, groups["reported"], "stopped", reporter=key)
    db.session.commit()
    return groups


def test_search_api_carries_the_pause_the_reports_and_the_verification(client, listed):
    body = client.get("/api/v1/groups?topic=grief&per_page=10").get_json()
    found = {item["name"]: item for item in body["results"]}
    assert found["Dated Pause"]["paused"] is True
    assert found["Dated Pause"]["not_meeting_until"] == listed["dated"].resumes_on.isoformat()
    assert found["Open Pause"]["paused"] is True
    assert found["Open Pause"]["not_meeting_until"] is None
    assert found["Meeting Circle"]["paused"] is False
    assert found["Meeting Circle"]["not_meeting_until"] is None
    assert found["Reported Circle"]["reported_not_meeting"] is True
    assert found["Meeting Circle"]["reported_not_meeting"] is False
    assert found["Meeting Circle"]["verified_at"].startswith(RECENTLY_VERIFIED.date().isoformat())
    assert PRIVATE not in json.dumps(body)


def test_group_api_carries_them_too_and_no_meetings_during_the_pause(client, listed):
    dated = client.get(f"/api/v1/groups/{listed['dated'].id}").get_json()
    assert dated["paused"] is True
    assert dated["not_meeting_until"] == listed["dated"].resumes_on.isoformat()
    assert dated["reported_not_meeting"] is False
    starts = [dt.datetime.fromisoformat(value) for value in dated["next_meetings"]]
    assert starts and all(start.date() >= listed["dated"].resumes_on for start in starts)
    assert client.get(f"/api/v1/groups/{listed['open'].id}").get_json()["next_meetings"] == []
    reported = client.get(f"/api/v1/groups/{listed['reported'].id}").get_json()
    assert reported["reported_not_meeting"] is True
    assert reported["paused"] is False
    assert PRIVATE not in json.dumps([dated, reported])


def test_a_closed_group_leaves_the_api(client, listed):
    close(db.session, listed["meeting"], Actor.organiser(), "Ended")
    db.session.commit()
    assert client.get(f"/api/v1/groups/{listed['meeting'].id}").status_code == 404
    names = [
        item["name"] for item in client.get("/api/v1/groups?topic=grief").get_json()["results"]
    ]
    assert "Meeting Circle" not in names


def _export(fmt: str, groups) -> bytes:
    return export_listings(fmt, load_groups(db.session, [g.id for g in groups]), ExportContext())


def test_hsds_export_says_temporarily_closed_while_paused(listed):
    page = json.loads(_export("hsds", listed.values()))
    status = {service["name"]: service["status"] for service in page["contents"]}
    assert status == {"Meeting Circle": "active", "Dated Pause": "temporarily closed",
                      "Open Pause": "temporarily closed", "Reported Circle": "active"}  # fmt: skip
    assured = {service["name"]: service["assured_date"] for service in page["contents"]}
    assert assured["Meeting Circle"] == RECENTLY_VERIFIED.date().isoformat()
    assert assured["Dated Pause"] == utcnow().date().isoformat()  # pausing is a confirmation
    later = ExportContext(generated_at=utcnow() + dt.timedelta(days=31))
    groups = load_groups(db.session, [listed["dated"].id])
    again = json.loads(export_listings("hsds", groups, later))
    assert again["contents"][0]["status"] == "active"  # its resume date has come


def test_meeting_guide_notes_say_it_is_not_meeting(listed):
    meetings = {m["name"]: m for m in json.loads(_export("meeting-guide", listed.values()))}
    day = listed["dated"].resumes_on
    assert meetings["Dated Pause"]["notes"].startswith(
        f"Not meeting until {day:%B} {day.day}, {day.year}.\n\n"
    )
    assert meetings["Open Pause"]["notes"].startswith("Not meeting for now.")
    assert not meetings["Meeting Circle"]["notes"].startswith("Not meeting")
    assert meetings["Meeting Circle"]["updated"] == f"{RECENTLY_VERIFIED:%Y-%m-%d} 00:00:00"
    assert PRIVATE not in json.dumps(meetings)


def test_calendars_hold_no_meeting_during_a_pause(client, listed):
    dated = icalendar.Calendar.from_ical(client.get(f"/groups/{listed['dated'].id}.ics").data)
    events = dated.walk("VEVENT")
    assert len(events) == 1
    assert events[0].decoded("dtstart").date() >= listed["dated"].resumes_on
    undated = icalendar.Calendar.from_ical(client.get(f"/groups/{listed['open'].id}.ics").data)
    assert undated.walk("VEVENT") == []
    meeting = icalendar.Calendar.from_ical(client.get(f"/groups/{listed['meeting'].id}.ics").data)
    assert meeting.walk("VEVENT")[0].decoded("dtstart").date() < listed["dated"].resumes_on
