"""Open Referral HSDS: 3.0 JSON and datapackages, and 1.1 datapackages."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from zoneinfo import ZoneInfo

import pytest

from directory.interchange.hsds_map import offset_zone, schedule_fields

from .conftest import by_ref, run

JSON_SOURCE = "hsds:services.json"


def test_imports_hsds_json_services(app, fixtures):
    report = run(fixtures / "hsds" / "services.json", publish=True)
    assert report.format == "hsds"
    assert report.counts == {"created": 2, "updated": 0, "unchanged": 0, "archived": 0,
                             "rejected": 2, "skipped": 1}  # fmt: skip
    group = by_ref(JSON_SOURCE)["5f0c2d4e-0001-4a1b-9c1d-000000000001"]
    assert group.format == "in_person"
    assert group.organization.name == "DBSA Lakeside"
    assert group.organization.kind == "dbsa"
    assert group.organization.phone == "(312) 555-0111"
    assert (group.contact_name, group.contact_phone) == ("Front desk", "(312) 555-0112")
    assert group.verified_at == dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    assert [t.slug for t in group.topics] == ["depression"]  # the AIRS term, matched by name
    assert sorted(t.slug for t in group.accessibility) == ["hearing-loop", "wheelchair"]
    assert sorted(language.code for language in group.languages) == ["en", "es"]
    warnings = [w.message for w in report.warnings]
    assert "taxonomy term 'Housing assistance' matches no topic or audience; ignored" in warnings
    assert "language 'Klingon' is not one we list; ignored" in warnings


def test_our_own_attributes_and_a_virtual_location(app, fixtures):
    run(fixtures / "hsds" / "services.json")
    group = by_ref(JSON_SOURCE)["5f0c2d4e-0001-4a1b-9c1d-000000000002"]
    assert group.format == "online"
    assert group.timezone == "America/New_York"  # the attribute, not the -5 offset
    assert group.join_url == "https://video.example.org/veterans"
    assert group.join_instructions == "Ask for the passcode by email."
    assert group.cost == "donation"
    assert [t.slug for t in group.audiences] == ["veterans"]
    assert [t.slug for t in group.topics] == ["ptsd"]
    schedule = group.schedules[0]
    assert (schedule.kind, schedule.weekdays, schedule.month_weeks) == ("monthly", "WE", "2,4")
    assert schedule.note == "Camera optional"


def test_an_inactive_service_archives_its_listing(app, fixtures, tmp_path):
    service = {
        "id": "s1",
        "name": "Peer Circle",
        "status": "active",
        "schedules": [{"freq": "WEEKLY", "byday": "TU", "opens_at": "19:00"}],
        "attributes": [
            {
                "taxonomy_term": {"code": "timezone", "taxonomy": "peer-support-directory"},
                "value": "America/Chicago",
            }
        ],
        "service_at_locations": [
            {"location": {"location_type": "virtual", "url": "https://example.org/j"}}
        ],
    }
    path = tmp_path / "one.json"
    path.write_text(json.dumps([service]))
    run(path, publish=True)
    path.write_text(json.dumps([{**service, "status": "inactive"}]))
    report = run(path, keep_missing=True)
    assert report.counts["skipped"] == 1
    assert [(e.ref, e.message) for e in report.of("archived")] == [("s1", "its status is inactive")]
    assert by_ref("hsds:one.json")["s1"].status == "archived"


def test_organization_full_with_its_services(app, tmp_path):
    organization = {"id": "o1", "name": "Mental Health America of Example", "services": [
        {"id": "s1", "name": "Peer Circle", "status": "active",
         "schedules": [{"freq": "WEEKLY", "byday": "TU", "opens_at": "19:00"}],
         "service_at_locations": [{"location": {"location_type": "physical",
                                                "addresses": [{"address_1": "1 Main St",
                                                               "city": "Austin",
                                                               "state_province": "TX",
                                                               "postal_code": "78701"}]}}]},
    ]}  # fmt: skip
    path = tmp_path / "org.json"
    path.write_text(json.dumps(organization))
    report = run(path)
    assert report.format == "hsds" and report.counts["created"] == 1, report.summary()
    group = by_ref("hsds:org.json")["s1"]
    assert (group.organization.name, group.organization.kind) == (
        "Mental Health America of Example", "mha")  # fmt: skip
    assert group.location.timezone == "America/Chicago"


def test_imports_an_hsds_3_datapackage_folder_and_zip(app, fixtures, tmp_path):
    folder = fixtures / "hsds-3.0-package"
    report = run(folder)
    assert report.format == "hsds-csv"
    assert report.counts["created"] == 2 and report.counts["skipped"] == 1
    assert report.of("skipped")[0].position == "services.csv line 4"
    circle = by_ref("hsds-csv:hsds-3.0-package")["svc-1"]
    assert circle.schedules[0].weekdays == "MO,TH"
    assert circle.location.timezone == "America/Denver"
    assert [t.slug for t in circle.accessibility] == ["step-free"]  # "Elevator to every floor"
    assert [language.code for language in circle.languages] == ["es"]
    monthly = by_ref("hsds-csv:hsds-3.0-package")["svc-2"]
    assert (monthly.schedules[0].month_weeks, monthly.cost) == ("1", "donation")  # "$5 suggested"
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as package:
        for path in folder.iterdir():
            package.write(path, f"nested/{path.name}")
    assert run(archive).counts["created"] == 2


def test_imports_an_hsds_1_1_datapackage(app, fixtures):
    report = run(fixtures / "hsds-1.1-package")
    assert report.format == "hsds-1.1"
    assert report.counts["created"] == 1 and report.counts["rejected"] == 1
    assert report.of("rejected")[0].message.startswith(
        "no time zone: its place 'Somewhere' has no coordinates or US address"
    )
    group = by_ref("hsds-1.1:hsds-1.1-package")["s1"]
    assert group.schedules[0].weekdays == "MO,WE"  # weekday 1 is Monday in HSDS 1.1
    assert group.location.timezone == "America/Los_Angeles"
    assert sorted(t.slug for t in group.accessibility) == ["parking", "wheelchair"]
    assert group.organization.kind == "hospital"
    assert [language.code for language in group.languages] == ["en"]


def test_the_timezone_option_places_what_nothing_else_can(app, fixtures):
    report = run(fixtures / "hsds-1.1-package", timezone="America/Chicago")
    assert report.counts["created"] == 2


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"freq": "WEEKLY", "byday": "MO,WE", "opens_at": "18:00:00-06:00"},
         {"kind": "weekly", "weekdays": "MO,WE", "start_time": dt.time(18)}),
        ({"freq": "MONTHLY", "byday": "-1FR", "opens_at": "19:00", "closes_at": "20:00"},
         {"kind": "monthly", "weekdays": "FR", "month_weeks": "-1", "end_time": dt.time(20)}),
        ({"freq": "WEEKLY", "interval": 2, "byday": "TU", "dtstart": "2026-01-06",
          "opens_at": "10:00"},
         {"interval": 2, "anchor_date": dt.date(2026, 1, 6), "valid_from": None}),
        ({"freq": "WEEKLY", "byday": "TU", "dtstart": "2026-01-06", "count": 3,
          "opens_at": "10:00"},
         {"valid_from": dt.date(2026, 1, 6), "valid_until": dt.date(2026, 1, 20)}),
        ({"freq": "MONTHLY", "byday": "TH", "until": "2026-06-30", "valid_to": "2026-05-31",
          "opens_at": "10:00", "dtstart": "2026-01-01"},
         {"month_weeks": None, "kind": "error"}),
        ({"freq": "WEEKLY", "byday": "TH", "until": "2026-06-30", "valid_to": "2026-05-31",
          "opens_at": "10:00"},
         {"valid_until": dt.date(2026, 5, 31)}),
        ({"dtstart": "2026-12-24", "opens_at": "18:00"},
         {"kind": "dates", "dates": "2026-12-24"}),
        ({"description": "Every Tuesday, 7:00-8:30 pm", "opens_at": None},
         {"kind": "weekly", "weekdays": "TU", "end_time": dt.time(20, 30)}),
    ],
)  # fmt: skip
def test_schedule_fields(item, expected):
    if expected.get("kind") == "error":
        with pytest.raises(ValueError, match="numbered weekdays"):
            schedule_fields(item, "America/Chicago")
        return
    fields = schedule_fields(item, "America/Chicago")
    assert {key: fields.get(key) for key in expected} == expected


def test_utc_offsets_become_fixed_zones():
    assert offset_zone(3) == "Etc/GMT-3"
    assert offset_zone("-5") == "Etc/GMT+5"
    assert offset_zone(0) == "Etc/UTC"
    assert offset_zone(5.5) is None
    assert ZoneInfo(offset_zone(-6)).utcoffset(dt.datetime(2026, 7, 1)) == dt.timedelta(hours=-6)


def test_a_broken_table_refuses_the_package(app, fixtures, tmp_path):
    import shutil

    folder = tmp_path / "package"
    shutil.copytree(fixtures / "hsds-3.0-package", folder)
    with (folder / "schedules.csv").open("a") as table:
        table.write('sch-3,svc-1,,,,,,,,,,WEEKLY,1,"TU,19:00\n')
    report = run(folder)
    assert "schedules.csv line 4: not readable as CSV (unexpected end of data)" in report.failure


@pytest.mark.parametrize("given", ["hsds-csv", "hsds-1.1"])
def test_an_hsds_1_1_package_given_as_hsds_csv_is_read_as_1_1(app, fixtures, given):
    report = run(fixtures / "hsds-1.1-package", format=given)
    assert report.format == "hsds-1.1"
    assert report.summary().startswith(
        "Import of " + str(fixtures / "hsds-1.1-package") + " as hsds-1.1"
    )
    assert report.counts["created"] == 1  # its schedules and addresses were read
    group = by_ref("hsds-1.1:hsds-1.1-package")["s1"]
    assert group.schedules[0].weekdays == "MO,WE"
    notes = [w.message for w in report.warnings if w.position == "file"]
    assert notes == ([] if given == "hsds-1.1" else [
        "--format hsds-csv was given, but the package has HSDS 1.1 tables (regular_schedules.csv, "
        "physical_addresses.csv, services_at_location.csv): read as HSDS 1.1"
    ])  # fmt: skip


def test_an_hsds_3_0_package_given_as_1_1_is_read_as_3_0(app, fixtures):
    report = run(fixtures / "hsds-3.0-package", format="hsds-1.1")
    assert report.format == "hsds-csv"
    assert report.counts["created"] == 2
    assert any("no HSDS 1.1 tables: read as HSDS 3.0" in w.message for w in report.warnings)
