"""The engine in awkward states: nothing to search, a view replaced mid-search, a stale index."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from sqlalchemy import insert

from directory import create_app
from directory.extensions import db
from directory.models import Group, Organization, TaxonomyTerm
from directory.search import get_engine
from directory.search import views as views_module
from tests.factories import make_group
from tests.unit.search.fixed_directory import keys, run


def _same_instance(app, **extra):
    """Create a second app on the same database and index, as a restarted process would."""
    keep = ("INSTANCE_PATH", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "INDEX_PATH")
    return create_app({**{key: app.config[key] for key in keep}, "TESTING": True, **extra})


def _assert_empty(result) -> None:
    assert result.total == 0
    assert result.hits == []
    assert all(values == [] for values in result.facets.values())


def _insert_groups(count: int, name: str = "Imported Quietly") -> None:
    """Add published groups behind the ORM's back (no flush events: the index misses them)."""
    moment = dt.datetime.now(dt.UTC)
    organization = db.session.get(Organization, 1) or Organization(name="Imported")
    db.session.add(organization)
    db.session.flush()
    shared = {
        "description": "",
        "format": "online",
        "cost": "free",
        "facilitation": "peer",
        "join_visibility": "public",
        "timezone": "UTC",
        "status": "published",
        "organization_id": organization.id,
        "registration_required": False,
        "is_demo": False,
        "created_at": moment,
        "updated_at": moment,
    }
    db.session.execute(insert(Group), [{**shared, "name": f"{name} {n}"} for n in range(count)])
    db.session.commit()


# --- an empty directory ----------------------------------------------------------------


def test_an_empty_directory_searches_to_nothing(app):
    _assert_empty(run(q="grief"))
    chosen = run(near="60614", topic="grief")
    assert chosen.total == 0
    assert [(v.value, v.count, v.selected) for v in chosen.facets["topic"]] == [("grief", 0, True)]
    engine = get_engine()
    assert engine.index.exists()
    assert engine.index.staleness(db.session) is None  # reading an index with no segments


def test_an_empty_directory_answers_the_api(app, client):
    response = client.get("/api/v1/groups?q=grief")
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 0
    assert body["results"] == []
    assert all(values == [] for values in body["facets"].values())


def test_an_empty_index_is_checked_at_start(app):
    run()
    restarted = _same_instance(app, SEARCH_CHECK_AT_START=True)
    with restarted.app_context():
        _assert_empty(run(q="grief"))


def test_archiving_the_only_listing_leaves_an_empty_directory(app, client):
    group = make_group(name="Evanston Grief Circle", topics=("grief",))
    db.session.commit()
    assert run(q="grief").total == 1
    group.status = "archived"
    db.session.commit()
    _assert_empty(run(q="grief"))
    # A rebuild of nothing leaves Whoosh an index with no segments at all.
    engine = get_engine()
    assert engine.index.rebuild(db.session) == 0
    _assert_empty(run(q="grief"))
    assert engine.index.staleness(db.session) is None
    response = client.get("/api/v1/groups?q=grief")
    assert response.status_code == 200
    assert response.get_json()["total"] == 0


# --- one view per search ---------------------------------------------------------------


def test_a_search_keeps_its_view_when_another_thread_replaces_it(ids, monkeypatch):
    engine = get_engine()
    expected = run(q="bipolr peers", per_page=100)
    assert expected.suggestion == "bipolar peers"
    real_current = engine._current

    def current_then_replaced():
        view = real_current()
        # Another thread's check or refresh replaces the engine's state mid-search.
        engine._view = None
        engine._vocabulary = None
        engine._vocabulary_neighbours = {}
        return view

    monkeypatch.setattr(engine, "_current", current_then_replaced)
    result = run(q="bipolr peers", per_page=100)
    assert result.suggestion == expected.suggestion
    assert keys(result, ids) == keys(expected, ids)
    assert result.facets == expected.facets


def test_closures_read_the_view_they_are_given(ids):
    engine = get_engine()
    view = engine._current()
    organization = str(int(view.catalogue.org[view.catalogue.alive][0]))
    surface = engine._surface_for(view)
    expected = surface("peer")
    assert expected in {"peer", "peers"}
    engine._view = None  # as after another thread's check
    assert surface("peer") == expected
    assert engine._org_label(view, organization) in {
        "NAMI Lakeside (demo)",
        "Recovery Network (demo)",
    }
    assert engine.vocabulary() is not None  # opens a fresh view


# --- a stale index heals -------------------------------------------------------------


def _spy(monkeypatch, index, name: str) -> list:
    calls = []
    real = getattr(index, name)

    def spy(*args, **kwargs):
        calls.append(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(index, name, spy)
    return calls


def test_a_stale_index_needing_a_rebuild_heals_on_the_next_commit(app, ids, monkeypatch):
    run()
    app.config["SEARCH_SYNC"] = False
    _insert_groups(101)  # more than a reconcile may touch
    app.config["SEARCH_SYNC"] = True
    engine = get_engine()
    engine.index.mark_stale("an update failed")

    db.session.get(Group, ids["grief"]).name = "Evanston Loss Group"
    db.session.commit()  # reconciling would touch too much: rebuilt instead
    assert not engine.index.is_marked_stale()
    assert engine.index.staleness(db.session) is None
    assert run(q="quietly").total == 101
    assert keys(run(q="evanston loss group"), ids) == ["grief"]

    calls = _spy(monkeypatch, engine.index, "reconcile") + _spy(
        monkeypatch, engine.index, "rebuild"
    )
    updates = _spy(monkeypatch, engine.index, "update")
    db.session.get(Group, ids["pending"]).status = "published"
    db.session.commit()
    assert keys(run(q="pending"), ids) == ["pending"]
    assert updates == ["update"]  # back to updating only what changed
    assert calls == []


def test_a_taxonomy_change_is_rebuilt_not_papered_over_by_the_next_commit(ids):
    run()
    term = db.session.query(TaxonomyTerm).filter_by(vocabulary="topic", slug="ptsd").one()
    term.label = "Trauma, PTSD and C-PTSD"
    db.session.commit()
    engine = get_engine()
    assert engine.index.staleness(db.session) == "taxonomy"

    db.session.get(Group, ids["grief"]).name = "Evanston Loss Group"
    db.session.commit()
    assert engine.index.staleness(db.session) is None
    assert not engine.index.is_marked_stale()
    assert run(q="lakeview").hits[0].topics == ["Trauma, PTSD and C-PTSD"]
    assert keys(run(q="evanston loss group"), ids) == ["grief"]


# --- checking again while running ----------------------------------------------------


def test_a_running_engine_checks_the_index_again_after_a_while(app, ids, monkeypatch):
    run()
    _insert_groups(1)
    assert run(q="quietly").total == 0  # checked a moment ago: not yet
    monkeypatch.setattr(views_module, "CHECK_EVERY_SECONDS", 0.0)
    run(q="quietly")  # starts the check, in the background
    assert get_engine().wait_for_repair(30)
    assert run(q="quietly").total == 1
    assert get_engine().index.staleness(db.session) is None


def test_a_check_under_way_does_not_hold_up_other_searches(app, ids, monkeypatch):
    run()
    engine = get_engine()
    assert engine.wait_for_repair(30)
    _insert_groups(1)
    monkeypatch.setattr(views_module, "CHECK_EVERY_SECONDS", 0.0)
    release = threading.Event()
    real = engine.index.ensure_current

    def slow(session, progress=None):
        release.wait(30)  # another thread is checking (or rebuilding) right now
        return real(session, progress)

    monkeypatch.setattr(engine.index, "ensure_current", slow)
    assert run(q="quietly").total == 0  # served from the index as it is
    release.set()
    assert engine.wait_for_repair(30)
    assert run(q="quietly").total == 1


def test_a_failed_check_leaves_search_working(app, ids, monkeypatch, caplog):
    run()
    engine = get_engine()
    monkeypatch.setattr(views_module, "CHECK_EVERY_SECONDS", 0.0)

    def broken(session, progress=None):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(engine.index, "ensure_current", broken)
    caplog.set_level(logging.WARNING)
    assert keys(run(q="bereavement"), ids) == ["grief"]
    assert engine.wait_for_repair(30)
    assert "search index check failed" in caplog.text
    assert keys(run(q="bereavement"), ids) == ["grief"]
