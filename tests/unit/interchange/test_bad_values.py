"""Values of the wrong kind reject one record with a plain reason, never the whole import."""

from __future__ import annotations

import json
import logging

import pytest

from directory.interchange import values

from .conftest import by_ref, messages, run

MEETING = {
    "name": "Evening Meeting", "day": 1, "time": "19:00", "timezone": "America/Chicago",
    "conference_url": "https://zoom.us/j/1", "slug": "x",
}  # fmt: skip


def _service(**changes):
    service = {
        "id": "s1", "name": "Grief Group",
        "service_at_locations": [
            {"location": {"location_type": "virtual", "url": "https://zoom.us/j/1"}}
        ],
        "schedules": [{"freq": "WEEKLY", "byday": "TU", "opens_at": "19:00", "timezone": -6}],
    }  # fmt: skip
    return service | changes


def _import(tmp_path, data, **options):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(data))
    return run(path, **options)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"name": []}, "name must be text"),
        ({"name": {"en": "A"}}, "name must be text"),
        ({"notes": ["a", "b"]}, "description must be text"),
    ],
)
def test_a_list_or_object_in_a_meeting_text_field_rejects_that_meeting(
    app, tmp_path, changes, reason
):
    good = MEETING | {"slug": "good", "name": "Good Meeting"}
    report = _import(tmp_path, [MEETING | changes, good], dry_run=True)
    assert report.ok, report.summary()
    assert report.counts["created"] == 1
    rejected = messages(report, "rejected")
    assert len(rejected) == 1
    assert reason in next(iter(rejected.values()))
    assert "it has no name" not in next(iter(rejected.values()))


def test_a_list_as_an_hsds_name_rejects_that_service(app, tmp_path):
    report = _import(tmp_path, {"contents": [_service(name=[]), _service(id="s2")]})
    assert report.counts["created"] == 1, report.summary()
    assert "name must be text" in messages(report, "rejected")["service 1"]


def test_a_number_in_a_text_field_becomes_text(app, tmp_path):
    report = _import(tmp_path, [MEETING | {"name": 12, "notes": 3.5}], publish=True)
    assert report.counts["created"] == 1, report.summary()
    group = by_ref("meeting-guide:feed.json")["x"]
    assert (group.name, group.description) == ("12", "3.5")


@pytest.mark.parametrize("number", [["312 555 0112"], {"n": "312 555 0112"}, []])
def test_an_hsds_phone_of_the_wrong_kind_is_left_out_without_a_traceback(
    app, tmp_path, caplog, number
):
    caplog.set_level(logging.ERROR)
    report = _import(tmp_path, {"contents": [_service(phones=[{"number": number}])]})
    assert report.counts["created"] == 1, report.summary()
    assert [w.message for w in report.warnings] == ["contact phone must be text; left out"]
    assert caplog.records == []


def test_an_hsds_organisation_name_of_the_wrong_kind_is_left_out(app, tmp_path):
    org = {"name": ["DBSA"], "phones": [{"number": ["1"]}]}
    report = _import(tmp_path, {"contents": [_service(organization=org)]})
    assert report.counts["created"] == 1, report.summary()
    assert "organisation name must be text" in report.warnings[0].message


def test_a_list_as_a_time_zone_rejects_that_meeting(app, tmp_path):
    report = _import(tmp_path, [MEETING | {"timezone": ["America/Chicago"]}])
    assert "time zone must be text" in messages(report, "rejected")["meeting 1"]


@pytest.mark.parametrize("value", [["1"], {"a": 1}, True])
def test_contact_checks_refuse_values_that_are_not_text(value):
    for check in (values.phone, values.email, values.url):
        with pytest.raises(ValueError, match="must be text"):
            check(value, "it")


@pytest.mark.parametrize(
    ("content", "kind"),
    [("42", "a number"), ("null", "null"), ('"groups"', "a string"), ("-1.5e3\n", "a number"),
     ("true", "true or false")],
)  # fmt: skip
def test_json_that_is_not_a_feed_says_so(app, tmp_path, content, kind):
    path = tmp_path / "feed.json"
    path.write_text(content)
    report = run(path)
    assert report.failure == (
        f"{path} is JSON holding only {kind}, not HSDS services or Meeting Guide meetings"
    )


def test_an_unknown_topic_for_every_listing_fails_the_import_up_front(app, tmp_path):
    report = _import(tmp_path, [MEETING], topics=("nonsense",))
    assert not report.ok
    assert report.failure.startswith("--topic: ")
    assert "nonsense" in report.failure
    assert report.entries == []
