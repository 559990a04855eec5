"""The database itself refuses invalid listings, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import event, func, insert, select
from sqlalchemy.exc import IntegrityError

from directory.extensions import db
from directory.models import Group, Location, Organization, Schedule
from directory.schedule import ScheduleError
from tests.factories import (
    RECENTLY_VERIFIED,
    make_group,
    make_location,
    make_organization,
    make_schedule,
    terms,
)


def _commit_fails(match: str | None = None):
    with pytest.raises(IntegrityError) as caught:
        db.session.commit()
    db.session.rollback()
    if match:
        assert match in str(caught.value).lower()


def test_group_round_trips_with_its_relations(db_app):
    org = make_organization(name="Riverside DBSA-style Chapter", kind="dbsa")
    group = make_group(
        organization=org,
        topics=("depression", "bipolar"),
        audiences=("peers",),
        languages=("en", "es"),
    )
    db.session.commit()
    group_id = group.id
    db.session.expunge_all()

    loaded = db.session.scalar(select(Group).where(Group.id == group_id))
    assert loaded.organization.name == "Riverside DBSA-style Chapter"
    assert sorted(t.slug for t in loaded.topics) == ["bipolar", "depression"]
    assert [a.slug for a in loaded.audiences] == ["peers"]
    assert sorted(lang.code for lang in loaded.languages) == ["en", "es"]
    assert loaded.location.city == "Chicago"
    assert loaded.effective_timezone == "America/Chicago"
    assert loaded.schedules[0].start_time == dt.time(19, 0)
    assert loaded.created_at.tzinfo is not None
    assert loaded.verified_at == RECENTLY_VERIFIED


def test_unknown_status_is_refused(db_app):
    make_group(status="live")
    _commit_fails("status_allowed")


@pytest.mark.parametrize(
    ("column", "value"),
    [("format", "carrier-pigeon"), ("cost", "priceless"), ("facilitation", "robot")],
)
def test_unknown_enum_values_are_refused(db_app, column, value):
    # A place and a zone, so that the value's own check is the only one that fails.
    make_group(**{column: value}, location=make_location(), timezone="America/Chicago")
    _commit_fails(f"{column}_allowed")


@pytest.mark.parametrize(("lat", "lon"), [(100.0, 10.0), (-91.0, 0.0), (10.0, 181.0)])
def test_coordinates_out_of_range_are_refused(db_app, lat, lon):
    make_location(latitude=lat, longitude=lon)
    _commit_fails("range")


def test_half_a_coordinate_pair_is_refused(db_app):
    make_location(latitude=41.0, longitude=None)
    _commit_fails("coordinates_pair")


def test_in_person_group_needs_a_place(db_app):
    make_group(format="in_person", location=None, timezone="America/Chicago")
    _commit_fails("place_for_in_person")


def test_online_group_needs_its_own_time_zone(db_app):
    make_group(
        format="online",
        timezone=None,
        location=None,
        schedules=[make_schedule(timezone="America/New_York")],
    )
    _commit_fails("timezone_for_online")


def test_online_group_without_a_place_is_fine(db_app):
    group = make_group(format="online", timezone="America/Denver")
    db.session.commit()
    assert group.location is None
    assert group.effective_timezone == "America/Denver"


def _raw_schedule_row(group, **fields):
    """Write a schedule row straight to the table, past the ORM's own validation."""
    values = {
        "group_id": group.id,
        "kind": "weekly",
        "weekdays": "TU",
        "repeat_interval": 1,
        "start_time": dt.time(19),
        "end_time": dt.time(20),
        "timezone": "America/Chicago",
    }
    values.update(fields)
    db.session.execute(insert(Schedule.__table__).values(**values))


def test_database_refuses_a_schedule_ending_before_it_starts(db_app):
    group = make_group()
    db.session.commit()
    with pytest.raises(IntegrityError, match="end_after_start"):
        _raw_schedule_row(group, start_time=dt.time(19), end_time=dt.time(18))
    db.session.rollback()


@pytest.mark.parametrize("interval", [0, 53])
def test_database_refuses_an_interval_out_of_range(db_app, interval):
    group = make_group()
    db.session.commit()
    with pytest.raises(IntegrityError, match="interval_range"):
        _raw_schedule_row(group, repeat_interval=interval)
    db.session.rollback()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start_time": dt.time(19), "end_time": dt.time(18)}, "end time 18:00 is before"),
        ({"weekdays": None}, "weekday"),
        ({"timezone": "America/Chikago"}, "unknown time zone"),
        ({"kind": "monthly", "weekdays": "MO", "month_weeks": "6"}, "6"),
    ],
)
def test_a_schedule_that_cannot_meet_is_refused_before_it_is_written(db_app, fields, message):
    make_group(schedules=[make_schedule(**fields)])
    with pytest.raises(ScheduleError, match=message):
        db.session.commit()
    db.session.rollback()
    assert db.session.query(Schedule).count() == 0


def test_source_reference_is_unique_per_source(db_app):
    make_group(source="nami-feed", source_ref="42")
    make_group(source="nami-feed", source_ref="42")
    _commit_fails()


def test_same_reference_from_another_source_is_fine(db_app):
    make_group(source="nami-feed", source_ref="42")
    make_group(source="mha-feed", source_ref="42")
    db.session.commit()
    assert db.session.query(Group).count() == 2


def test_deleting_a_group_deletes_its_schedules(db_app):
    group = make_group()
    db.session.commit()
    db.session.delete(group)
    db.session.commit()
    assert db.session.query(Schedule).count() == 0
    assert db.session.query(Location).count() == 1


def test_naive_timestamps_are_refused_before_they_reach_the_database(db_app):
    make_group(verified_at=dt.datetime(2026, 1, 1))
    with pytest.raises(Exception, match="naive datetime"):
        db.session.commit()
    db.session.rollback()


def test_changing_only_a_schedule_or_a_topic_moves_the_group_updated_at(db_app):
    group = make_group()
    db.session.commit()
    first = group.updated_at
    group.schedules[0].start_time = dt.time(18, 30)
    db.session.commit()
    second = group.updated_at
    assert second > first
    group.topics = terms("topic", "grief")
    db.session.commit()
    assert group.updated_at > second


def _updated(*groups: Group) -> list[dt.datetime]:
    db.session.expire_all()
    return [db.session.get(Group, group.id).updated_at for group in groups]


def test_editing_a_place_moves_the_updated_at_of_every_group_meeting_there(db_app):
    place, elsewhere = make_location(), make_location(address_1="2 Other St")
    here = [make_group(location=place), make_group(location=place, status="pending")]
    there = make_group(location=elsewhere)
    db.session.commit()
    before = _updated(*here, there)
    db.session.get(Location, place.id).address_1 = "1200 W Fullerton Ave"
    db.session.commit()
    after = _updated(*here, there)
    assert after[0] > before[0] and after[1] > before[1]
    assert after[2] == before[2]


def test_editing_an_organisation_moves_the_updated_at_of_its_groups(db_app):
    host, other = make_organization(), make_organization()
    hosted, unrelated = make_group(organization=host), make_group(organization=other)
    db.session.commit()
    before = _updated(hosted, unrelated)
    db.session.get(Organization, host.id).phone = "312-555-0100"
    db.session.commit()
    after = _updated(hosted, unrelated)
    assert after[0] > before[0]
    assert after[1] == before[1]


def test_a_new_group_at_a_place_or_an_unshown_column_leaves_the_other_groups_alone(db_app):
    host, place = make_organization(), make_location()
    first = make_group(organization=host, location=place)
    db.session.commit()
    before = _updated(first)
    make_group(organization=db.session.get(Organization, host.id), location=place)
    db.session.get(Organization, host.id).trusted = True
    db.session.commit()
    assert _updated(first) == before


def test_an_organisation_with_thousands_of_groups_is_touched_with_one_update(db_app):
    host = make_organization()
    db.session.flush()
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    db.session.execute(
        insert(Group),
        [
            {"name": f"Group {n}", "description": "", "format": "online", "cost": "free",
             "facilitation": "peer", "join_visibility": "public", "timezone": "UTC",
             "status": "published", "organization_id": host.id, "registration_required": False,
             "is_demo": False, "created_at": now, "updated_at": now}
            for n in range(5000)
        ],
    )  # fmt: skip
    db.session.commit()
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        started = time.perf_counter()
        db.session.get(Organization, host.id).name = "Renamed Network"
        db.session.commit()
        elapsed = time.perf_counter() - started
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    touching = [s for s in statements if s.lstrip().upper().startswith("UPDATE SUPPORT_GROUP")]
    reading = [s for s in statements if "FROM support_group" in s]
    assert len(touching) == 1 and not reading, statements
    moved = db.session.scalar(
        select(func.count()).where(Group.organization_id == host.id, Group.updated_at > now)
    )
    assert moved == 5000
    print(f"renaming an organisation of 5,000 groups: {elapsed * 1000:.0f} ms")
