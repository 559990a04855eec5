"""Rate limits count per client across the whole site, with lower ones for the big answers."""

from __future__ import annotations

import logging
import shutil

import pytest

from directory import create_app
from directory.config import load_config
from directory.extensions import db
from directory.web.limits import EXPENSIVE_ENDPOINTS
from tests.factories import make_group

FEEDS = (
    "/api/v1/export/hsds.json",
    "/api/v1/export/meeting-guide.json",
    "/api/v1/export/groups.csv",
    "/api/v1/groups.ics",
)


@pytest.fixture
def limited(tmp_path, sqlite_template):
    """Return a maker of apps with rate limiting on, each on its own copy of the database."""

    def make(**config):
        database = tmp_path / "limited.sqlite3"
        shutil.copyfile(sqlite_template, database)
        settings = {
            "INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SECRET_KEY": "x", "INDEX_PATH": str(tmp_path / "index"),
        }  # fmt: skip
        settings.update(config)
        return create_app(settings)

    return make


def test_the_limit_is_shared_by_every_route(limited):
    client = limited(RATE_LIMIT="3 per minute").test_client()
    assert client.get("/about").status_code == 200
    assert client.get("/api/v1/groups").status_code != 429
    assert client.get("/").status_code == 200
    # A fourth request anywhere is one too many, whichever page it asks for.
    assert client.get("/search").status_code == 429
    assert client.get("/api/v1/groups?q=grief").status_code == 429


def test_feeds_and_calendars_have_a_lower_limit_of_their_own(limited):
    app = limited(RATE_LIMIT="100 per minute", FEED_RATE_LIMIT="4 per minute")
    with app.app_context():
        group = make_group()
        db.session.commit()
        group_id = group.id
    client = app.test_client()
    assert 429 not in [client.get(url).status_code for url in FEEDS]
    # Any further feed or calendar is refused, but the rest of the site still answers.
    assert client.get(f"/groups/{group_id}.ics").status_code == 429
    assert client.get(FEEDS[0]).status_code == 429
    assert client.get(f"/list.pdf?id={group_id}").status_code == 429  # the sheet's PDF too
    assert client.get(f"/list?id={group_id}").status_code == 200  # but not the sheet
    assert client.get(f"/groups/{group_id}").status_code == 200
    assert client.get("/api/v1/groups").status_code != 429


def test_every_expensive_endpoint_exists(limited):
    # A renamed view would silently lose its lower limit.
    assert set(limited().view_functions) >= EXPENSIVE_ENDPOINTS


@pytest.mark.parametrize("url", ["/about", "/api/v1/groups", "/api/v1/export/groups.csv"])
def test_a_refused_client_is_told_when_to_come_back(limited, url):
    client = limited(RATE_LIMIT="1 per minute").test_client()
    client.get(url)
    refused = client.get(url)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    with client.get("/static/css/site.css") as static:
        assert "Retry-After" not in static.headers


def test_forwarded_client_addresses_count_only_behind_a_configured_proxy(limited):
    proxied = limited(RATE_LIMIT="1 per minute", PROXY_HOPS=1).test_client()
    first = {"X-Forwarded-For": "203.0.113.7"}
    other = {"X-Forwarded-For": "198.51.100.4"}
    assert proxied.get("/about", headers=first).status_code == 200
    assert proxied.get("/about", headers=first).status_code == 429
    assert proxied.get("/about", headers=other).status_code == 200  # another person

    direct = limited(RATE_LIMIT="1 per minute").test_client()
    assert direct.get("/about", headers=first).status_code == 200
    # Without a proxy the header is the client's own claim: changing it gains nothing.
    assert direct.get("/about", headers=other).status_code == 429


def test_a_rate_limit_storage_outage_does_not_take_the_site_down(limited, caplog):
    app = limited(RATE_LIMIT="2 per minute", RATELIMIT_STORAGE_URI="redis://127.0.0.1:1")
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        codes = [client.get("/about").status_code for _ in range(3)]
    assert codes == [200, 200, 429]  # counted in memory meanwhile
    assert "falling back to in-memory storage" in caplog.text


def test_a_rate_limit_that_cannot_be_read_is_refused_at_start(tmp_path, monkeypatch):
    monkeypatch.setenv("DIRECTORY_FEED_RATE_LIMIT", "lots")
    with pytest.raises(ValueError, match="DIRECTORY_FEED_RATE_LIMIT"):
        load_config({"INSTANCE_PATH": str(tmp_path)})


def test_hsts_only_over_https(limited):
    client = limited(RATELIMIT_ENABLED=False).test_client()
    secure = client.get("/about", base_url="https://groups.example.org")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=63072000")
    assert "Strict-Transport-Security" not in client.get("/about").headers


def test_a_forwarded_scheme_counts_only_behind_a_configured_proxy(limited):
    https = {"X-Forwarded-Proto": "https"}
    proxied = limited(RATELIMIT_ENABLED=False, PROXY_HOPS=1).test_client()
    assert "Strict-Transport-Security" in proxied.get("/about", headers=https).headers
    direct = limited(RATELIMIT_ENABLED=False).test_client()
    assert "Strict-Transport-Security" not in direct.get("/about", headers=https).headers


def test_cookies_are_https_only_when_the_site_is(tmp_path, monkeypatch):
    monkeypatch.setenv("DIRECTORY_BASE_URL", "https://groups.example.org/")
    assert load_config({"INSTANCE_PATH": str(tmp_path)})["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("DIRECTORY_BASE_URL", "http://localhost:5000/")
    assert load_config({"INSTANCE_PATH": str(tmp_path)})["SESSION_COOKIE_SECURE"] is False
