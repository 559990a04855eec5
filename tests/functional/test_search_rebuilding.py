"""A request that arrives while the index is rebuilt is answered, never made to run the rebuild."""

from __future__ import annotations

import shutil
import threading

import pytest

from directory.extensions import db
from directory.search import get_engine
from tests.unit.search.fixed_directory import build_directory, run


@pytest.fixture
def ids(app):
    """Build the fixed directory (its index not yet built)."""
    return build_directory()


@pytest.fixture
def blocked_rebuild(app, monkeypatch):
    """Hold every rebuild until the test lets it go; record the threads it ran in."""
    engine = get_engine()
    release, threads = threading.Event(), []
    real = engine.index.rebuild

    def held(session, *args, **kwargs):
        threads.append(threading.current_thread())
        started.set()
        release.wait(10)  # bounded: on code that rebuilds in the request, the test fails
        return real(session, *args, **kwargs)

    started = threading.Event()  # the background repair may start after the answer is sent
    monkeypatch.setattr(engine.index, "rebuild", held)
    yield release, threads, started
    release.set()
    engine.wait_for_repair(30)


def test_a_search_with_no_index_yet_is_told_search_is_being_updated(app, client, ids,
                                                                     blocked_rebuild):  # fmt: skip
    release, threads, started = blocked_rebuild
    get_engine().wait_seconds = 0.0  # a large directory: the rebuild takes minutes
    response = client.get("/search?q=grief")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    page = response.text
    assert "Search is being updated" in page
    assert "988" in page  # the crisis line, as on every page
    assert started.wait(10)
    assert threads[0] is not threading.current_thread()

    api = client.get("/api/v1/groups?q=grief")
    assert api.status_code == 503
    assert api.headers["Retry-After"] == "30"
    assert "being rebuilt" in api.get_json()["error"]["message"]

    spanish = client.get("/search?q=grief", headers={"Accept-Language": "es"})
    assert spanish.status_code == 503
    assert "Estamos actualizando la búsqueda" in spanish.text

    release.set()
    assert get_engine().wait_for_repair(30)
    done = client.get("/search?q=grief")
    assert done.status_code == 200
    assert "Evanston Loss and Healing" in done.text


def test_a_search_during_a_rebuild_is_answered_from_the_last_good_index(app, client, ids,
                                                                         monkeypatch):  # fmt: skip
    assert run(q="bereavement").total == 1
    engine = get_engine()
    assert engine.wait_for_repair(30)
    release = threading.Event()
    real = engine.index.rebuild

    def held(session, *args, **kwargs):
        release.wait(10)
        return real(session, *args, **kwargs)

    monkeypatch.setattr(engine.index, "rebuild", held)
    shutil.rmtree(engine.index.path)  # the index folder is deleted while serving
    engine._checked_at -= 3600  # a minute has passed: the periodic check is due
    response = client.get("/search?q=bereavement")
    assert response.status_code == 200
    assert "Evanston Loss and Healing" in response.text
    assert engine.healer.running  # the rebuild goes on in the background
    release.set()
    assert engine.wait_for_repair(30)
    assert engine.index.staleness(db.session) is None
    again = client.get("/search?q=bereavement")
    assert again.status_code == 200
    assert "Evanston Loss and Healing" in again.text
