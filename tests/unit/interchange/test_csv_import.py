"""The CSV importer: loose headers, schedules in words, and a report naming each bad line."""

from __future__ import annotations

import datetime as dt

from directory.extensions import db

from .conftest import by_ref, messages, run

SOURCE = "csv:groups.csv"


def test_imports_a_spreadsheet_and_names_each_rejected_line(app, fixtures):
    report = run(fixtures / "groups.csv", publish=True)
    assert report.ok, report.failure
    assert report.counts == {"created": 4, "updated": 0, "unchanged": 0, "archived": 0,
                             "rejected": 5, "skipped": 0}  # fmt: skip
    rejected = messages(report, "rejected")
    # Line numbers count the two-line quoted description of nami-chi-2 (lines 3-4).
    assert rejected == {
        "line 7": "schedule: '25:00' is not a real time (hours go up to 23)",
        "line 8": "unknown topic 'Basket weaving'",
        "line 9": "invalid coordinates: latitude 100 is outside -90..90",
        "line 10": "it has no name",
        "line 11": "schedule: 'every other Monday 10am' needs a date it meets on, to know which "
        "weeks: write e.g. 'every other Monday 10am starting 2026-01-05'",
    }
    assert set(by_ref(SOURCE)) == {"nami-chi-1", "nami-chi-2", "nami-chi-3", "nami-chi-4"}


def test_reads_every_column_into_the_listing(app, fixtures):
    run(fixtures / "groups.csv", publish=True)
    listings = by_ref(SOURCE)
    family = listings["nami-chi-1"]
    assert family.status == "published"
    assert family.organization.name == "NAMI Chicago"
    assert family.organization.kind == "nami"
    assert [t.slug for t in family.topics] == ["depression", "bipolar"]
    assert [t.slug for t in family.audiences] == ["family-and-friends"]
    assert [t.slug for t in family.accessibility] == ["wheelchair"]
    assert family.location.room == "Room 2"
    assert family.contact_phone == "(312) 555-0142"
    assert family.organiser_email == "organiser@example.org"
    assert family.verified_at == dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    schedule = family.schedules[0]
    assert (schedule.kind, schedule.weekdays, schedule.month_weeks) == ("monthly", "TH", "2,4")
    assert (schedule.start_time, schedule.end_time) == (dt.time(18, 30), dt.time(20))
    assert schedule.timezone == "America/Chicago"


def test_fills_coordinates_from_the_zip_code_and_splits_loose_lists(app, fixtures):
    run(fixtures / "groups.csv")
    church = by_ref(SOURCE)["nami-chi-2"]
    assert church.location.latitude is not None  # 60622 from the offline gazetteer
    assert church.location.timezone == "America/Chicago"
    assert sorted(t.slug for t in church.topics) == [
        "anxiety",
        "depression",
    ]  # "anxiety, depression"
    assert sorted(language.code for language in church.languages) == ["en", "es"]
    assert church.description.endswith("\nBring a friend.")


def test_online_and_hybrid_groups(app, fixtures):
    run(fixtures / "groups.csv")
    online, hybrid = by_ref(SOURCE)["nami-chi-3"], by_ref(SOURCE)["nami-chi-4"]
    assert online.format == "online"
    assert online.location is None
    assert online.timezone == "America/Chicago"
    assert online.schedules[0].anchor_date == dt.date(2026, 1, 5)
    assert online.registration_required is True
    assert online.facilitation == "co"
    assert hybrid.format == "hybrid"
    assert hybrid.location.city == "Chicago"
    assert hybrid.join_url == "https://meet.example.org/sat"


def test_review_is_the_default(app, fixtures):
    run(fixtures / "groups.csv")
    assert {group.status for group in by_ref(SOURCE).values()} == {"pending"}


def test_header_aliases_and_day_and_time_columns(app, tmp_path):
    path = tmp_path / "listing.csv"
    path.write_text(
        "Meeting Name,Day,Start Time,End,Venue,Address,Town,ST,Zip Code,Condition\n"
        "Evening Circle,Wednesday,6:30 pm,8pm,Library,1 Main St,Chicago,Illinois,60614,grief\n",
        encoding="utf-8",
    )
    report = run(path)
    assert report.counts["created"] == 1, report.summary()
    group = by_ref("csv:listing.csv").popitem()[1]
    assert group.location.region == "IL"
    assert (group.schedules[0].weekdays, group.schedules[0].start_time) == ("WE", dt.time(18, 30))
    assert any("no id column" in w.message for w in report.warnings)


def test_a_hospital_export_with_program_agency_and_site_columns(app, tmp_path):
    path = tmp_path / "hospital.csv"
    path.write_text(
        "Program Name,Agency,Program Description,Site Name,Street Address,City,State,Zip,"
        "Agency Phone,Days and Times\n"
        "Caregiver Coffee Hour,Providence Behavioral Health,For family caregivers.,"
        "Providence Park,4805 NE Glisan St,Portland,OR,97213,(503) 555-0150,Thursdays 10am\n",
        encoding="utf-8",
    )
    report = run(path)
    assert report.counts["created"] == 1, report.summary()
    assert not [w for w in report.warnings if "is not one we read" in w.message]
    group = by_ref("csv:hospital.csv").popitem()[1]
    assert group.name == "Caregiver Coffee Hour"
    assert group.organization.name == "Providence Behavioral Health"
    assert group.description == "For family caregivers."
    assert (group.location.name, group.location.city) == ("Providence Park", "Portland")


def test_a_file_without_a_name_column_is_refused_whole(app, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("title of nothing,when\nx,Tuesdays 7pm\n", encoding="utf-8")
    report = run(path)
    assert not report.ok
    assert "header with a name column" in report.failure


def test_formula_guard_is_removed_on_import(app, tmp_path):
    path = tmp_path / "guarded.csv"
    path.write_text("id,name,schedule,city,state,phone\n"
                    "g1,'=Calm Group,Tuesdays 7pm,Chicago,IL,'+1 312 555 0142\n")  # fmt: skip
    run(path, timezone="America/Chicago")
    group = by_ref("csv:guarded.csv")["g1"]
    assert group.name == "=Calm Group"
    assert group.contact_phone == "+1 312 555 0142"


def test_an_invalid_contact_is_left_out_with_a_warning(app, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text(
        "id,name,schedule,zip,email,website\n"
        "g1,Calm Group,Tuesdays 7pm,60614,not-an-email,javascript:alert(1)\n"
    )
    report = run(path)
    group = by_ref("csv:contacts.csv")["g1"]
    assert group.contact_email is None and group.website is None
    warned = " ".join(w.message for w in report.warnings)
    assert "contact email 'not-an-email' is not an email address" in warned
    assert "website 'javascript:alert(1)' is not a web address" in warned


def test_commits_the_import(app, fixtures):
    run(fixtures / "groups.csv")
    db.session.rollback()  # nothing pending: the import committed
    assert len(by_ref(SOURCE)) == 4


def test_organisations_sharing_a_name_stay_apart_when_their_contacts_differ(app, tmp_path):
    from sqlalchemy import select

    from directory.models import Organization

    sheet = tmp_path / "two-hospitals.csv"
    sheet.write_text(
        "ID,Group Name,Organization,Organization Phone,Format,When,Time Zone,Topics\n"
        "a,Grief Circle,Memorial Hospital,(312) 555-0164,Online,Tuesdays 7pm,America/Chicago,"
        "Grief\n"
        "b,Mood Group,Memorial Hospital,(253) 555-0129,Online,Mondays 7pm,America/Chicago,"
        "Depression\n"
        "c,Anxiety Group,Memorial Hospital,(312) 555-0164,Online,Fridays 7pm,America/Chicago,"
        "Anxiety\n"
    )
    report = run(sheet, publish=True)
    assert report.ok, report.failure
    assert report.counts["created"] == 3
    phones = sorted(o.phone for o in db.session.scalars(select(Organization)))
    assert phones == ["(253) 555-0129", "(312) 555-0164"]
    again = run(sheet, publish=True)
    assert again.counts["unchanged"] == 3
