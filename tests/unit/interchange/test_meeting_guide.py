"""Meeting Guide feeds: days and times, type codes, and online, hybrid and phone meetings."""

from __future__ import annotations

import datetime as dt
import json

from .conftest import by_ref, run

SOURCE = "meeting-guide:feed.json"


def test_imports_a_feed(app, fixtures):
    report = run(fixtures / "meeting-guide" / "feed.json", publish=True)
    assert report.counts["created"] == 4
    assert set(by_ref(SOURCE)) == {
        "monday-night-women", "early-risers-online", "hybrid-saturday", "dial-in-serenity",
    }  # fmt: skip


def test_in_person_meeting_with_types_and_entity(app, fixtures):
    run(fixtures / "meeting-guide" / "feed.json")
    meeting = by_ref(SOURCE)["monday-night-women"]
    assert meeting.format == "in_person"
    assert meeting.location.name == "Lakeview Community Church"
    assert meeting.location.room == "Basement hall"
    assert meeting.location.timezone == "America/Chicago"
    schedule = meeting.schedules[0]
    assert (schedule.weekdays, schedule.start_time, schedule.end_time) == (
        "MO", dt.time(19), dt.time(20))  # fmt: skip
    assert [t.slug for t in meeting.audiences] == ["women"]
    assert [t.slug for t in meeting.accessibility] == ["wheelchair"]
    assert sorted(language.code for language in meeting.languages) == ["en", "es"]
    assert [t.slug for t in meeting.topics] == ["substance-use"]
    assert meeting.organization.name == "Example Intergroup"
    assert meeting.organization.email == "info@example.org"
    assert meeting.verified_at == dt.datetime(2026, 9, 15, 18, 30, tzinfo=dt.UTC)
    assert meeting.description == "Enter by the side door."


def test_online_hybrid_and_phone_are_told_apart(app, fixtures):
    run(fixtures / "meeting-guide" / "feed.json")
    meetings = by_ref(SOURCE)
    online = meetings["early-risers-online"]
    assert (online.format, online.location, online.timezone) == ("online", None, "America/New_York")
    assert online.join_url == "https://zoom.example.org/j/5551234"
    assert online.join_instructions == "Password: serenity"
    assert online.schedules[0].weekdays == "MO,TU,WE,TH,FR"  # "day": [1, 2, 3, 4, 5]
    hybrid = meetings["hybrid-saturday"]
    assert hybrid.format == "hybrid"
    assert hybrid.location.timezone == "America/Denver"  # from the ZIP code's coordinates
    phone = meetings["dial-in-serenity"]
    assert (phone.format, phone.join_phone) == ("phone", "+13125550199")
    assert [t.slug for t in phone.audiences] == ["older-adults"]


def test_a_single_meeting_object_is_a_feed_of_one(app, fixtures):
    report = run(fixtures / "meeting-guide" / "single.json")
    assert report.format == "meeting-guide"
    assert report.counts["created"] == 1
    meeting = by_ref("meeting-guide:single.json")["sunday-serenity"]
    assert meeting.schedules[0].weekdays == "SU"
    assert [t.slug for t in meeting.audiences] == ["lgbtq"]


def test_topic_option_replaces_the_default_topic(app, fixtures):
    run(fixtures / "meeting-guide" / "single.json", topics=("grief",))
    meeting = by_ref("meeting-guide:single.json")["sunday-serenity"]
    assert [t.slug for t in meeting.topics] == ["grief"]


def test_temporarily_closed_location(app, tmp_path):
    meetings = [
        {"name": "Closed Hall", "slug": "closed", "day": 2, "time": "19:00",
         "address": "1 Main St", "city": "Chicago", "state": "IL", "postal_code": "60614",
         "types": ["TC"]},
        {"name": "Moved Online", "slug": "moved", "day": 2, "time": "19:00",
         "address": "1 Main St", "city": "Chicago", "state": "IL", "postal_code": "60614",
         "types": ["TC"], "conference_url": "https://zoom.example.org/j/9"},
    ]  # fmt: skip
    path = tmp_path / "tc.json"
    path.write_text(json.dumps(meetings))
    report = run(path)
    assert [(e.ref, e.message) for e in report.of("skipped")] == [
        ("closed", "its location is temporarily closed and it has no online meeting")
    ]
    moved = by_ref("meeting-guide:tc.json")["moved"]
    assert (moved.format, moved.timezone) == ("online", "America/Chicago")


def test_end_time_after_midnight_is_dropped_with_a_warning(app, tmp_path):
    path = tmp_path / "late.json"
    path.write_text(json.dumps([{"name": "Midnight", "slug": "m", "day": 5, "time": "23:00",
                                 "end_time": "00:30", "postal_code": "60614"}]))  # fmt: skip
    report = run(path)
    assert report.counts["created"] == 1
    assert report.warnings[0].message == "end_time 00:30 is not after time 23:00; left out"


def test_bad_days(app, tmp_path):
    path = tmp_path / "days.json"
    path.write_text(json.dumps([
        {"name": "Eighth day", "slug": "a", "day": 7, "time": "19:00", "postal_code": "60614"},
        {"name": "No time", "slug": "b", "day": 2, "postal_code": "60614"},
        {"name": "By appointment", "slug": "c", "postal_code": "60614"},
    ]))  # fmt: skip
    report = run(path)
    assert {e.ref: e.message for e in report.of("rejected")} == {
        "a": "day 7 is not 0 (Sunday) to 6 (Saturday)",
        "b": "it gives a day without a time, or a time without a day",
    }
    assert by_ref("meeting-guide:days.json")["c"].schedules == []
