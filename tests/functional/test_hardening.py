"""Defences a person never sees until something goes wrong: bad rows, odd links, floods."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import insert
from werkzeug.urls import uri_to_iri

from directory import create_app
from directory.extensions import db
from directory.models import Schedule
from directory.web.security import PrivateAccessLog
from tests.factories import make_group


def test_a_schedule_row_that_cannot_meet_does_not_break_the_group_page(client):
    group = make_group()
    db.session.commit()
    # Written straight to the table, as an old row or a hand edit would be.
    db.session.execute(
        insert(Schedule.__table__).values(
            group_id=group.id, kind="weekly", weekdays=None, repeat_interval=1,
            start_time=dt.time(18), end_time=dt.time(19), timezone="America/Chicago",
        )
    )  # fmt: skip
    db.session.commit()
    for locale in ("en", "es"):
        response = client.get(f"/groups/{group.id}?locale={locale}")
        assert response.status_code == 200, locale
    page = client.get(f"/groups/{group.id}?locale=en").get_data(as_text=True)
    assert "Meeting times are not available" in page
    assert "Every Tuesday" in page


def test_joining_instructions_shared_on_request_stay_off_the_page(client):
    group = make_group(
        format="online", join_visibility="on_request", join_url="https://example.org/room",
        join_instructions="Passcode 4471",
    )  # fmt: skip
    db.session.commit()
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Passcode 4471" not in page
    assert "https://example.org/room" not in page
    assert "joining details on request" in page


def test_links_that_are_not_web_addresses_are_not_rendered(client):
    group = make_group(
        format="online", join_url="javascript:alert(1)", website="data:text/html,hi",
    )  # fmt: skip
    db.session.commit()
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "javascript:" not in page
    assert "data:text/html" not in page


def test_too_many_requests_get_a_calm_429(tmp_path, sqlite_template):
    import shutil

    database = tmp_path / "db.sqlite3"
    shutil.copyfile(sqlite_template, database)
    app = create_app({
        "INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "SECRET_KEY": "x", "RATE_LIMIT": "3 per minute",
    })  # fmt: skip
    client = app.test_client()
    codes = [client.get("/about").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert 'href="tel:988"' in client.get("/about").get_data(as_text=True)
    api = client.get("/api/v1/groups")  # the limit is the whole site's, not a page's
    assert api.status_code == 429
    assert "3 per 1 minute" in api.get_json()["error"]["message"]
    for _ in range(5):
        with client.get("/static/css/site.css") as response:
            assert response.status_code == 200


def test_only_trusted_hosts_are_answered_when_configured(tmp_path, sqlite_template):
    import shutil

    database = tmp_path / "db.sqlite3"
    shutil.copyfile(sqlite_template, database)
    app = create_app({
        "INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "SECRET_KEY": "x", "RATELIMIT_ENABLED": False, "TRUSTED_HOSTS": ["groups.example.org"],
    })  # fmt: skip
    client = app.test_client()
    assert client.get("/about", headers={"Host": "groups.example.org"}).status_code == 200
    assert client.get("/about", headers={"Host": "evil.example"}).status_code == 400


def test_access_log_keeps_no_search_words_even_with_quotes():
    line = uri_to_iri("/search?q=%22bipolar%22%20group&near=60614")
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, '%s - - [21/Nov/2026] "%s" %s -',
        ("203.0.113.9", f"GET {line} HTTP/1.1", "200"), None,
    )  # fmt: skip
    PrivateAccessLog().filter(record)
    message = record.getMessage()
    assert message == '- - - [21/Nov/2026] "GET /search HTTP/1.1" 200 -'
