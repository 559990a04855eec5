"""The index: rebuilt from the database, kept in step after commits, repaired when stale."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading

import pytest
from sqlalchemy import insert, update

from directory import create_app
from directory.extensions import db
from directory.models import Group, Location, Organization, Schedule, TaxonomyTerm
from directory.search import get_engine
from directory.search import index as index_module
from directory.search.documents import iter_documents
from tests.factories import make_group
from tests.unit.search.fixed_directory import NOW, PUBLISHED, keys, run


def _same_instance(app, **extra):
    """Create a second app on the same database and index, as a restarted process would."""
    keep = ("INSTANCE_PATH", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "INDEX_PATH", "OUTBOX_PATH")
    kept = {key: app.config[key] for key in keep if key in app.config}
    return create_app({**kept, "TESTING": True, **extra})


# --- rebuilding ------------------------------------------------------------------------


def test_the_first_search_builds_a_missing_index(app, ids):
    engine = get_engine()
    assert not engine.index.exists()
    assert run().total == len(PUBLISHED)
    assert engine.index.exists()
    assert engine.index.staleness(db.session) is None


def test_rebuild_indexes_every_published_listing_and_nothing_else(db_ids):
    engine = get_engine()
    assert engine.index.rebuild(db.session) == len(PUBLISHED)
    found = run(per_page=100)
    assert {hit.id for hit in found.hits} == {db_ids[key] for key in PUBLISHED}


def test_documents_carry_what_search_needs(db_ids):
    (document,) = iter_documents(db.session, [db_ids["bipolar"]], now=NOW)
    assert document["gid"] == str(db_ids["bipolar"])
    assert document["name"] == "Oak Park Bipolar Peers"
    assert document["place"] == "Oak Park Illinois Oak Park Arts Center"
    facets = set(document["facets"].decode().split())
    assert facets == {
        "topic:bipolar", "audience:family-and-friends", "access:wheelchair", "lang:en",
    }  # fmt: skip
    stored = document["doc"]
    assert stored["schedule_text"].startswith("Every Thursday, 10:00")
    assert stored["tz"] == "America/Chicago"
    assert "organiser_email" not in stored


def test_a_rebuild_replaces_the_old_index_in_one_step(ids):
    assert run(q="lakeview").total == 1
    db.session.execute(update(Group).where(Group.id == ids["trauma"]).values(name="Northside"))
    db.session.commit()  # a bulk update: no ORM events, so no sync
    assert run(q="lakeview").total == 1
    get_engine().index.rebuild(db.session)
    assert run(q="lakeview").total == 0
    assert run(q="northside").total == 1


# --- keeping in step after commits ----------------------------------------------------


def test_publishing_a_listing_makes_it_searchable_after_commit(ids):
    assert run(q="pending").total == 0
    db.session.get(Group, ids["pending"]).status = "published"
    db.session.commit()
    assert keys(run(q="pending"), ids) == ["pending"]


def test_editing_a_listing_replaces_it(ids):
    assert run(q="survivors").total == 1
    db.session.get(Group, ids["trauma"]).name = "Lakeview Healing Circle"
    db.session.commit()
    assert run(q="survivors").total == 0
    assert keys(run(q="healing circle"), ids) == ["trauma"]


def test_archiving_a_listing_removes_it(ids):
    assert run(q="bereavement").total == 1
    db.session.get(Group, ids["grief"]).status = "archived"
    db.session.commit()
    assert run(q="bereavement").total == 0
    assert run(per_page=100).total == len(PUBLISHED) - 1


def test_deleting_a_listing_removes_it(ids):
    run()
    db.session.delete(db.session.get(Group, ids["phone"]))
    db.session.commit()
    assert run(q="veterans").total == 0


def test_a_new_published_listing_is_found(ids):
    run()
    make_group(name="Hyde Park Hoarding Help", topics=("hoarding",))
    db.session.commit()
    assert run(q="clutter").hits[0].name == "Hyde Park Hoarding Help"


def test_a_schedule_change_reaches_the_day_facet(ids):
    assert ids["trauma"] in {hit.id for hit in run(day="tue").hits}
    db.session.get(Group, ids["trauma"]).schedules[0].weekdays = "SA"
    db.session.commit()
    assert ids["trauma"] not in {hit.id for hit in run(day="tue").hits}
    assert ids["trauma"] in {hit.id for hit in run(day="sat").hits}


def test_moving_a_location_moves_its_groups(ids):
    assert "bipolar" in keys(run(near="60614", online="no"), ids)
    place = db.session.get(Group, ids["bipolar"]).location
    place.latitude, place.longitude = 43.0389, -87.9065  # to Milwaukee
    db.session.commit()
    assert "bipolar" not in keys(run(near="60614", online="no"), ids)


def test_renaming_an_organisation_renames_it_on_its_groups(ids):
    run()
    org = db.session.get(Group, ids["trauma"]).organization
    org.name = "NAMI Northshore (demo)"
    db.session.commit()
    assert run(q="lakeview").hits[0].organization == "NAMI Northshore (demo)"
    assert run(q="northshore").total == 3


def test_a_rolled_back_change_leaves_the_index_alone(ids):
    run()
    db.session.get(Group, ids["trauma"]).name = "Something Else"
    db.session.flush()
    db.session.rollback()
    assert keys(run(q="lakeview"), ids) == ["trauma"]


def test_changes_before_any_index_exists_are_simply_in_the_first_build(ids):
    db.session.get(Group, ids["pending"]).status = "published"
    db.session.commit()
    assert not get_engine().index.exists()
    assert keys(run(q="pending"), ids) == ["pending"]


def test_sync_can_be_switched_off(app, ids):
    run()
    app.config["SEARCH_SYNC"] = False
    db.session.get(Group, ids["pending"]).status = "published"
    db.session.commit()
    assert run(q="pending").total == 0


def test_a_taxonomy_change_marks_the_index_for_a_rebuild(ids):
    run()
    term = db.session.query(TaxonomyTerm).filter_by(vocabulary="topic", slug="ptsd").one()
    term.label = "Trauma, PTSD and C-PTSD"
    db.session.commit()
    engine = get_engine()
    assert engine.index.staleness(db.session) == "taxonomy"
    assert engine.check() == "rebuilt (taxonomy)"
    hit = run(q="lakeview").hits[0]
    assert hit.topics == ["Trauma, PTSD and C-PTSD"]
    labels = {v.value: v.label for v in run().facets["topic"]}
    assert labels["ptsd"] == "Trauma, PTSD and C-PTSD"


@pytest.mark.usefixtures("db_ids")
def test_sync_after_commit_on_each_database(db_ids):
    assert run(q="pending").total == 0
    db.session.get(Group, db_ids["pending"]).status = "published"
    db.session.get(Group, db_ids["grief"]).status = "archived"
    db.session.commit()
    assert keys(run(q="grief"), db_ids) == ["pending"]


# --- the write lock --------------------------------------------------------------------


def test_an_update_waits_for_another_writer(ids):
    run()
    engine = get_engine()
    lock = engine.index._acquire()
    releaser = threading.Timer(0.15, lock.release)
    releaser.start()
    db.session.get(Group, ids["pending"]).status = "published"
    db.session.commit()  # retries with back-off until the other writer lets go
    releaser.join()
    assert keys(run(q="pending"), ids) == ["pending"]
    assert not engine.index.is_marked_stale()


def test_a_lost_update_keeps_the_listing_and_is_repaired_later(ids, monkeypatch, caplog):
    run()
    engine = get_engine()
    monkeypatch.setattr(index_module, "LOCK_DELAYS", (0.001, 0.002))
    caplog.set_level(logging.ERROR)
    with engine.index.locked():
        db.session.get(Group, ids["pending"]).status = "published"
        db.session.commit()  # the index stays locked throughout: the update is lost
    assert db.session.get(Group, ids["pending"]).status == "published"  # committed anyway
    assert engine.index.is_marked_stale()
    assert "search index update failed" in caplog.text
    assert "pending" not in caplog.text.lower().split("failed")[0]  # no listing data logged
    # The next write repairs everything the lost one missed.
    db.session.get(Group, ids["grief"]).name = "Evanston Loss Group"
    db.session.commit()
    assert not engine.index.is_marked_stale()
    assert keys(run(q="pending"), ids) == ["pending"]
    assert keys(run(q="evanston loss group"), ids) == ["grief"]


def test_a_rebuild_refuses_when_the_lock_never_comes(ids, monkeypatch):
    run()
    engine = get_engine()
    monkeypatch.setattr(index_module, "REBUILD_LOCK_TIMEOUT", 0.05)
    with engine.index.locked(), pytest.raises(index_module.LockError):
        engine.index.rebuild(db.session)


# --- stale at start --------------------------------------------------------------------


def test_a_stale_index_is_repaired_at_start(app, ids):
    run()
    app.config["SEARCH_SYNC"] = False  # changes made while no process kept the index
    db.session.get(Group, ids["pending"]).status = "published"
    db.session.get(Group, ids["grief"]).status = "archived"
    db.session.commit()
    assert get_engine().index.staleness(db.session) == "changed"

    restarted = _same_instance(app, SEARCH_CHECK_AT_START=True)
    with restarted.app_context():
        assert restarted.extensions["search"].index.staleness(db.session) is None
        assert keys(run(q="grief"), ids) == ["pending"]


def test_a_missing_index_is_built_at_start(app, ids):
    restarted = _same_instance(app, SEARCH_CHECK_AT_START=True)
    assert restarted.extensions["search"].index.exists()


def test_listings_added_behind_the_apps_back_are_noticed(app, ids):
    run()
    organization = db.session.get(Organization, 1)
    db.session.execute(
        insert(Group).values(
            name="Imported Quietly", description="", format="online", cost="free",
            facilitation="peer", join_visibility="public", timezone="UTC", status="published",
            organization_id=organization.id, registration_required=False, is_demo=False,
            created_at=dt.datetime.now(dt.UTC), updated_at=dt.datetime.now(dt.UTC),
        )
    )  # fmt: skip
    db.session.commit()
    engine = get_engine()
    assert engine.index.staleness(db.session) == "changed"
    assert engine.check() == "repaired (changed)"
    assert run(q="quietly").total == 1


def test_an_index_from_another_version_is_rebuilt(app, ids):
    run()
    engine = get_engine()
    meta = engine.index.path / index_module.META_FILE
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "schema": 0}))
    assert engine.index.staleness(db.session) == "schema"
    restarted = _same_instance(app, SEARCH_CHECK_AT_START=True)
    with restarted.app_context():
        assert restarted.extensions["search"].index.staleness(db.session) is None
        assert run().total == len(PUBLISHED)


def test_the_start_check_is_off_in_tests_unless_asked(app, ids):
    restarted = _same_instance(app)
    assert not restarted.extensions["search"].index.exists()


def test_unrelated_commits_do_not_touch_the_index(ids):
    run()
    engine = get_engine()
    generation = engine.index.open().latest_generation()
    db.session.add(Schedule(group_id=ids["pending"], kind="weekly", weekdays="MO",
                            start_time=dt.time(9), timezone="America/Chicago"))  # fmt: skip
    db.session.add(Location(name="Unused Hall", timezone="America/Chicago"))
    db.session.commit()
    # The pending group was re-read (and stays out); the new location has no groups.
    assert engine.index.open().latest_generation() == generation + 1
    assert run(q="pending").total == 0


def test_another_process_sees_changes_without_restarting(app, ids):
    other = _same_instance(app)  # a second worker: its own engine on the same index
    with other.app_context():
        assert run(q="pending").total == 0
    db.session.get(Group, ids["pending"]).status = "published"
    db.session.commit()  # indexed by this "process"
    with other.app_context():
        # The other one notices the new generation of the index.
        assert keys(run(q="pending"), ids) == ["pending"]
