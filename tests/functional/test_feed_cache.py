"""A feed is built once per change of the data, whatever the Host; requests never wait on it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from directory.extensions import db
from directory.interchange import feed_cache
from directory.web import feeds
from tests.unit.interchange.listings import richer_listings

URLS = ("/api/v1/export/hsds.json", "/api/v1/export/meeting-guide.json",
        "/api/v1/export/groups.csv", "/api/v1/groups.ics")  # fmt: skip
HOSTS = ("http://localhost", "http://localhost:8080", "https://groups.example.org",
         "https://evil.example.net:8443", "http://10.0.0.7:5000", "http://[::1]:9000")  # fmt: skip


@pytest.fixture
def listings(app):
    return richer_listings()


@pytest.fixture
def builds(monkeypatch):
    """Count the feed builds (by format), and let a test hold them until it says go."""
    counted: list[str] = []
    started, go = threading.Event(), threading.Event()
    go.set()
    real = feeds.build_feed

    def counting(fmt, ids, base_url, *page):
        counted.append(fmt)
        started.set()
        go.wait(timeout=10)  # a safety net: a test sets it long before
        return real(fmt, ids, base_url, *page)

    monkeypatch.setattr(feeds, "build_feed", counting)
    yield counted, started, go
    go.set()
    feed_cache.wait_for_builds()


def _rename(group, name):
    group.name = name
    db.session.commit()


@pytest.mark.parametrize("url", URLS)
def test_many_hosts_and_ports_build_the_feed_once_per_change(client, listings, builds, url):
    counted, _started, _go = builds
    tags = {client.get(url, base_url=host).headers["ETag"] for host in HOSTS}
    assert len(counted) == 1
    assert len(tags) == 1
    _rename(listings[0], "Family Support Group (renamed)")
    for host in HOSTS:
        assert client.get(url, base_url=host).status_code == 200
    feed_cache.wait_for_builds()
    assert len(counted) == 2
    for host in HOSTS:
        assert "Family Support Group (renamed)" in client.get(url, base_url=host).text
    assert len(counted) == 2


def test_links_come_from_the_configured_base_url(app, client, listings, builds):
    app.config["BASE_URL"] = "https://groups.example.org/"
    body = client.get("/api/v1/groups.ics", base_url="https://evil.example.net:8443").text
    assert "https://groups.example.org/groups/" in body.replace("\r\n ", "")
    assert "evil.example.net" not in body


def test_a_request_during_a_rebuild_gets_the_older_build_at_once(client, listings, builds):
    counted, started, go = builds
    url = "/api/v1/export/groups.csv"
    first = client.get(url)
    _rename(listings[0], "Family Support Group (renamed)")
    started.clear()
    go.clear()  # the rebuild will wait until the test says go
    during = [client.get(url, base_url=host) for host in HOSTS]
    # One rebuild, started by the first; its thread may not have run yet on a busy machine.
    assert started.wait(10) and len(counted) == 2
    for response in during:
        assert response.status_code == 200
        assert response.data == first.data
        assert response.headers["ETag"] == first.headers["ETag"]
        assert response.headers["Cache-Control"] == "public, max-age=30"
    go.set()
    feed_cache.wait_for_builds()
    after = client.get(url)
    assert after.headers["ETag"] != first.headers["ETag"]
    assert "Family Support Group (renamed)" in after.text
    assert len(counted) == 2


def test_a_feed_never_built_is_built_once_for_everyone_waiting(app, listings, builds):
    counted, started, go = builds
    go.clear()
    url = "/api/v1/export/meeting-guide.json"
    answers: list = []

    def ask():
        answers.append(app.test_client().get(url))

    first = threading.Thread(target=ask)
    first.start()
    assert started.wait(timeout=10)
    others = [threading.Thread(target=ask) for _ in range(3)]
    for thread in others:
        thread.start()
    go.set()
    for thread in (first, *others):
        thread.join(timeout=30)
    assert len(counted) == 1
    assert [response.status_code for response in answers] == [200] * 4
    assert len({response.data for response in answers}) == 1


def test_a_feed_never_built_is_built_outside_the_request(app, client, listings, monkeypatch):
    threads: list[threading.Thread] = []
    real = feeds.build_feed

    def recording(fmt, ids, base_url, *page):
        threads.append(threading.current_thread())
        return real(fmt, ids, base_url, *page)

    monkeypatch.setattr(feeds, "build_feed", recording)
    assert client.get("/api/v1/export/groups.csv").status_code == 200
    assert threads and threads[0] is not threading.current_thread()


def test_a_slow_first_build_is_a_503_and_goes_on_in_the_background(app, client, listings,
                                                                  builds, monkeypatch):  # fmt: skip
    counted, started, go = builds
    monkeypatch.setattr(feeds, "FIRST_BUILD_WAIT_SECONDS", 0)
    go.clear()  # a large directory: the build takes longer than anyone should wait
    response = client.get("/api/v1/export/groups.csv")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert started.wait(timeout=10)
    go.set()
    feed_cache.wait_for_builds()
    assert client.get("/api/v1/export/groups.csv").status_code == 200
    assert len(counted) == 1


def test_a_feed_still_being_built_elsewhere_is_a_503_after_a_while(app, client, monkeypatch):
    monkeypatch.setattr(feeds, "FIRST_BUILD_WAIT_SECONDS", 0)
    cache = feed_cache.FeedCache(Path(app.instance_path) / "exports")
    lock = cache.try_lock("csv")  # as another worker building it would
    try:
        response = client.get("/api/v1/export/groups.csv")
    finally:
        lock.release()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"


def test_a_search_calendar_is_kept_per_normalised_search(client, listings, builds):
    from directory.search import get_engine

    get_engine().check()
    counted, _started, _go = builds
    same = ("audience=lgbtq", "audience=LGBTQ", "audience=+lgbtq+&q=", "q=&audience=lgbtq",
            "audience=lgbtq&_=123", "online=yes&audience=lgbtq")  # fmt: skip
    bodies = {client.get(f"/api/v1/groups.ics?{query}").data for query in same}
    assert len(counted) == 1
    assert len(bodies) == 1 and b"Online Peer Circle" in bodies.pop()
    words = ("q=Family", "q=family", "q=+FAMILY+")
    assert len({client.get(f"/api/v1/groups.ics?{query}").data for query in words}) == 1
    assert len(counted) == 2
    client.get("/api/v1/groups.ics?audience=lgbtq,women")
    client.get("/api/v1/groups.ics?audience=women&audience=lgbtq")
    assert len(counted) == 3


def test_search_calendars_kept_are_bounded(app, client, listings, builds, monkeypatch):
    from directory.search import get_engine

    get_engine().check()
    monkeypatch.setattr(feed_cache, "SEARCH_FILES", 3)
    for word in ("family", "peer", "online", "group", "support"):
        assert client.get(f"/api/v1/groups.ics?q={word}").status_code == 200
    kept = list((Path(app.instance_path) / "exports").glob(f"{feed_cache.SEARCH_PREFIX}*"))
    assert len(kept) == 3


def test_a_search_calendar_reads_a_bounded_number_of_pages(client, listings, monkeypatch):
    from directory.interchange import export
    from directory.search import get_engine

    get_engine().check()
    asked = []
    real = export.search_ids

    def recording(args, limit=None, max_pages=None):
        asked.append((limit, max_pages))
        return real(args, limit=limit, max_pages=max_pages)

    monkeypatch.setattr(feeds, "search_ids", recording)
    assert client.get("/api/v1/groups.ics?q=group").status_code == 200
    assert asked == [(feeds.MAX_CALENDAR_LISTINGS, feeds.MAX_CALENDAR_PAGES)]
    assert feeds.MAX_CALENDAR_PAGES * 100 >= feeds.MAX_CALENDAR_LISTINGS


def test_the_fingerprint_is_reused_briefly_and_forgotten_on_commit(app, listings, monkeypatch):
    from sqlalchemy import update

    from directory.models import Group

    monkeypatch.setattr(feeds, "FINGERPRINT_SECONDS", 3600.0)
    with app.test_request_context():
        first = feeds.fingerprint()
        # Another process's change (no session of this one commits): the kept value holds...
        with db.engine.begin() as connection:
            connection.execute(update(Group).where(Group.id == listings[0].id).values(name="X"))
        assert feeds.fingerprint() == first
        monkeypatch.setattr(feeds, "FINGERPRINT_SECONDS", 0.0)
        second = feeds.fingerprint()  # ...until it is older than FINGERPRINT_SECONDS
        assert second != first
        monkeypatch.setattr(feeds, "FINGERPRINT_SECONDS", 3600.0)
        _rename(listings[1], "Renamed here")  # a commit in this process: forgotten at once
        assert feeds.fingerprint() != second
