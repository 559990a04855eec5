"""The demo directory is realistic, visibly fictional, deterministic and removable."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlparse

import pytest
import zipcodes
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from directory import demo
from directory.demo import REFERENCE_DATE, DemoError, generate_demo, remove_demo
from directory.extensions import db
from directory.models import (
    Group,
    Language,
    Location,
    Organization,
    OrgKind,
    Schedule,
    TaxonomyTerm,
    group_topic,
)
from tests.factories import make_group

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FICTIONAL_PHONE = re.compile(r"^\(\d{3}\) 555-01\d\d$")
DEMO_ORG_KINDS = {kind.value for kind in OrgKind} - {OrgKind.OTHER.value}


def _groups() -> list[Group]:
    query = (
        select(Group)
        .order_by(Group.id)
        .options(
            selectinload(Group.organization),
            selectinload(Group.location),
            selectinload(Group.schedules),
            selectinload(Group.topics),
            selectinload(Group.audiences),
            selectinload(Group.accessibility),
            selectinload(Group.languages),
        )
    )
    return list(db.session.scalars(query))


def _snapshot() -> list[tuple]:
    """Describe the generated directory without its database ids."""
    rows = []
    for g in _groups():
        place = g.location
        rows.append((
            g.source_ref, g.name, g.description, g.format, g.cost, g.facilitation,
            g.contact_phone, g.contact_email, g.join_url, g.timezone, g.verified_at,
            g.organization.name, g.organization.kind,
            place and (place.name, place.room, place.one_line, place.latitude, place.longitude),
            tuple(
                (s.kind, s.weekdays, s.interval, s.anchor_date, s.month_weeks, s.dates,
                 s.start_time, s.end_time, s.timezone)
                for s in g.schedules
            ),
            tuple(sorted(t.slug for t in g.topics)),
            tuple(sorted(a.slug for a in g.audiences)),
            tuple(sorted(a.slug for a in g.accessibility)),
            tuple(sorted(lang.code for lang in g.languages)),
        ))  # fmt: skip
    return rows


def _miles(lat1, lon1, lat2, lon2) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 3958.8 * 2 * math.asin(math.sqrt(a))


@pytest.mark.parametrize("count", [0, -5, 1_000_001])
def test_counts_outside_the_range_are_refused(app, count):
    with pytest.raises(ValueError, match=r"count must be between 1 and 1,000,000"):
        generate_demo(db.session, count)


@pytest.mark.parametrize("count", ["300", 2.5, True, None])
def test_counts_that_are_not_whole_numbers_are_refused(app, count):
    with pytest.raises(ValueError, match="count must be a whole number"):
        generate_demo(db.session, count)


def test_three_hundred_groups_look_like_a_real_directory(app):
    result = generate_demo(db.session, 300, seed=7)
    db.session.commit()
    groups = _groups()
    assert len(groups) == result["groups"] == 300

    by_format = {}
    for group in groups:
        by_format.setdefault(group.format, []).append(group)
    assert len(by_format["online"]) == result["online"] >= 30  # at least 10%
    assert by_format["hybrid"] and by_format["phone"]
    assert len(by_format["in_person"]) > 200
    for group in by_format["online"] + by_format["phone"]:
        assert group.location is None
        assert group.timezone.startswith(("America/", "Pacific/Honolulu"))
    for group in by_format["online"] + by_format["hybrid"]:
        assert urlparse(group.join_url).hostname == "example.org"
    for group in by_format["phone"]:
        assert FICTIONAL_PHONE.match(group.join_phone)
    for group in by_format["in_person"] + by_format["hybrid"]:
        assert group.location is not None and group.timezone is None

    # Every group is published, marked as demo data, and fictional in every contact detail.
    orgs = {group.organization.id: group.organization for group in groups}
    assert len(orgs) == result["organizations"] < 300
    assert {org.kind for org in orgs.values()} == DEMO_ORG_KINDS
    for org in orgs.values():
        assert org.is_demo and org.source == "demo" and org.name.endswith("(demo)")
        assert FICTIONAL_PHONE.match(org.phone)
        assert org.email.endswith("@example.org")
        assert urlparse(org.website).hostname == "example.org"
    for number, group in enumerate(groups, start=1):
        assert group.is_demo and group.status == "published"
        assert (group.source, group.source_ref) == ("demo", f"demo-7-{number}")
        for phone in (group.contact_phone, group.organiser_phone, group.join_phone):
            assert phone is None or FICTIONAL_PHONE.match(phone)
        assert group.contact_phone or group.contact_email
        for email in (group.contact_email, group.organiser_email):
            assert email is None or email.endswith("@example.org")
        assert group.website is None or urlparse(group.website).hostname == "example.org"
        assert 1 <= len(group.topics) <= 3
        assert 1 <= len(group.audiences) <= 2
        assert group.languages
        sentences = re.findall(r"[.!?](?:\s|$)", group.description)
        assert 2 <= len(sentences) <= 4, group.description
        assert (group.cost == "fee") == bool(group.cost_note)
    assert len({group.name for group in groups}) > 200

    # Places: real ZIP centroids, nudged by less than a mile, across many states.
    states = {group.location.region for group in groups if group.location}
    assert len(states) == result["states"] >= 20
    locations = {group.location.id: group.location for group in groups if group.location}
    assert len(locations) == result["locations"]
    for location in locations.values():
        record = zipcodes.matching(location.postal_code)[0]
        assert (record["state"], record["city"]) == (location.region, location.city)
        assert location.timezone == record["timezone"]
        distance = _miles(float(record["lat"]), float(record["long"]),
                          location.latitude, location.longitude)  # fmt: skip
        assert distance < 1
        assert re.match(r"^\d+ \w+ \w+$", location.address_1)

    # Languages: mostly English, some Spanish (with Spanish names), a few others.
    codes = [tuple(sorted(lang.code for lang in group.languages)) for group in groups]
    assert sum("en" in c for c in codes) > 240
    assert 15 <= sum("es" in c for c in codes) <= 60
    assert any(c == ("es",) for c in codes)
    assert any(group.name.startswith(("Grupo", "Círculo")) for group in groups)

    # Cost, facilitation and accessibility follow a realistic mix.
    costs = [group.cost for group in groups]
    assert costs.count("free") > 200 and "donation" in costs and "fee" in costs
    assert sum(group.facilitation == "peer" for group in groups) > 180
    assert sum(bool(group.accessibility) for group in by_format["in_person"]) > 150
    assert not any(group.accessibility for group in by_format["online"])
    assert any(group.registration_required for group in groups)

    # Verified over the last 18 months before the fixed reference date; some over a year ago.
    reference = dt.datetime.combine(REFERENCE_DATE, dt.time.max, dt.UTC)
    ages = [(reference - group.verified_at).days for group in groups]
    assert min(ages) >= 0 and max(ages) <= 550
    assert sum(age > 365 for age in ages) > 30


def test_schedules_are_realistic_and_valid(app):
    schedule_module = pytest.importorskip("directory.schedule")
    result = generate_demo(db.session, 300, seed=3)
    db.session.commit()
    groups = _groups()
    schedules = [s for g in groups for s in g.schedules]
    assert len(schedules) == result["schedules"]
    for group in groups:
        for schedule in group.schedules:
            schedule_module.validate(schedule)
            assert schedule.timezone == group.effective_timezone
            assert schedule.start_time.minute in (0, 30)
            minutes = (
                dt.datetime.combine(REFERENCE_DATE, schedule.end_time)
                - dt.datetime.combine(REFERENCE_DATE, schedule.start_time)
            ).seconds // 60
            assert 60 <= minutes <= 120
    weekly = [s for s in schedules if s.kind == "weekly" and s.interval == 1]
    biweekly = [s for s in schedules if s.kind == "weekly" and s.interval == 2]
    monthly = [s for s in schedules if s.kind == "monthly"]
    assert len(weekly) > len(monthly) > len(biweekly) > 0
    assert all(s.anchor_date for s in biweekly)
    assert {"-1", "2,4"} <= {s.month_weeks for s in monthly}
    assert sum(s.start_time.hour >= 17 for s in schedules) > len(schedules) / 2
    assert any(len(group.schedules) == 2 for group in groups)


def test_the_same_seed_gives_the_same_directory(app):
    generate_demo(db.session, 120, seed=5)
    first = _snapshot()
    assert remove_demo(db.session) == 120
    db.session.commit()
    generate_demo(db.session, 120, seed=5)
    assert _snapshot() == first
    remove_demo(db.session)
    generate_demo(db.session, 120, seed=6)
    other = _snapshot()
    assert [row[1] for row in other] != [row[1] for row in first]
    assert [row[13] for row in other] != [row[13] for row in first]


def test_the_directory_does_not_depend_on_hash_randomisation(tmp_path):
    script = textwrap.dedent(
        """
        import hashlib, sys
        from directory import create_app
        from directory.extensions import db
        from directory.demo import generate_demo
        from tests.unit.test_demo import _snapshot

        app = create_app({"INSTANCE_PATH": sys.argv[1], "SECRET_KEY": "x",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{sys.argv[1]}/d.db"})
        with app.app_context():
            db.create_all()
            generate_demo(db.session, 60, seed=11)
            print(hashlib.sha256(repr(_snapshot()).encode()).hexdigest())
        """
    )
    digests = []
    for hash_seed in ("1", "2"):
        instance = tmp_path / hash_seed
        instance.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(PROJECT_ROOT)}
        done = subprocess.run(
            [sys.executable, "-W", "ignore", "-c", script, str(instance)],
            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        digests.append(done.stdout.strip())
    assert len(digests[0]) == 64
    assert digests[0] == digests[1]


def test_loading_a_seed_twice_is_refused_and_another_seed_adds(db_app):
    generate_demo(db.session, 20, seed=1)
    with pytest.raises(DemoError, match="demo data for seed 1 is already loaded; use --replace"):
        generate_demo(db.session, 20, seed=1)
    result = generate_demo(db.session, 30, seed=2)
    db.session.commit()
    assert result["groups"] == 30
    assert db.session.scalar(select(func.count()).select_from(Group)) == 50


def test_remove_demo_deletes_demo_rows_and_keeps_the_rest(db_app):
    with db.session.no_autoflush:
        real = make_group(name="Real Tuesday Group")
    db.session.commit()
    generate_demo(db.session, 150, seed=4)
    db.session.commit()

    assert remove_demo(db.session) == 150
    db.session.commit()

    assert [g.name for g in db.session.scalars(select(Group))] == ["Real Tuesday Group"]
    assert db.session.scalar(select(func.count()).select_from(Schedule)) == 1
    assert db.session.scalar(select(func.count()).select_from(group_topic)) == 1
    assert db.session.scalar(select(func.count()).select_from(Location)) == 1
    assert not db.session.scalars(select(Organization).where(Organization.is_demo)).all()
    assert db.session.get(Location, real.location_id).city == "Chicago"
    assert remove_demo(db.session) == 0
    # The taxonomy stays, and new demo data can be generated after removal.
    assert generate_demo(db.session, 10, seed=4)["groups"] == 10


def test_progress_is_reported_after_each_batch(app, monkeypatch):
    monkeypatch.setattr(demo, "BATCH_SIZE", 40)
    steps = []
    generate_demo(db.session, 100, progress=steps.append)
    assert steps == [40, 40, 20]


def test_ids_continue_after_existing_rows_and_new_rows_follow(db_app):
    with db.session.no_autoflush:
        existing = make_group()
    db.session.commit()
    generate_demo(db.session, 5)
    db.session.commit()
    ids = db.session.scalars(select(Group.id).where(Group.is_demo).order_by(Group.id)).all()
    assert ids == list(range(existing.id + 1, existing.id + 6))
    last_schedule = db.session.scalar(select(func.max(Schedule.id)))
    # Rows added the ordinary way afterwards get fresh ids (PostgreSQL sequences moved on).
    with db.session.no_autoflush:
        later = make_group()
    db.session.commit()
    assert later.id > ids[-1]
    assert later.schedules[0].id > last_schedule


def test_an_empty_taxonomy_is_loaded_first(app):
    db.session.execute(TaxonomyTerm.__table__.delete())
    db.session.execute(Language.__table__.delete())
    generate_demo(db.session, 10)
    assert db.session.scalar(select(func.count()).select_from(TaxonomyTerm)) > 50
    assert db.session.scalar(select(func.count()).select_from(group_topic)) >= 10


def test_a_demo_organisation_still_hosting_a_real_group_is_kept(app):
    generate_demo(db.session, 30, seed=8)
    demo_org = db.session.scalars(select(Organization).order_by(Organization.id)).first()
    with db.session.no_autoflush:
        make_group(name="Real group at a demo host", organization=demo_org)
    db.session.commit()

    assert remove_demo(db.session) == 30
    assert db.session.scalars(select(Organization.name)).all() == [demo_org.name]
    with pytest.raises(DemoError, match="seed 8 is already loaded"):
        generate_demo(db.session, 30, seed=8)
