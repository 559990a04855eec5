"""Links that stopped working, asking for fresh ones, and the safety of every manage path."""

from __future__ import annotations

import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from directory.extensions import db
from directory.services import Actor, revoke_links
from directory.web.manage.links import SALT, manage_token
from tests.conftest import _make_app
from tests.functional.moderate_helpers import body, outbox
from tests.functional.test_manage import ORGANISER, manage_path, post_from, published

SENT = "Please check your email"


def _old_token(group, monkeypatch, days: int) -> str:
    """Return a manage token signed ``days`` ago."""
    signed_at = int(time.time()) - days * 86400
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: signed_at)
        return manage_token(group)


def _main(page: str) -> str:
    """Return the page's main content, where its answer is."""
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_an_expired_link_offers_a_fresh_one_by_email(db_app, client, monkeypatch):
    group = published(name="Expired Link Circle")
    token = _old_token(group, monkeypatch, 61)
    page = client.get(f"/manage/{token}")
    assert page.status_code == 410
    assert "This link no longer works" in page.text
    assert "Email a fresh link to the organiser's address" in page.text
    assert ORGANISER not in page.text and "Expired Link Circle" not in page.text
    assert client.get(f"/manage/{_old_token(group, monkeypatch, 59)}").status_code == 200
    sent = post_from(client, f"/manage/{token}", f"/manage/{token}/fresh")
    assert sent.status_code == 200 and SENT in sent.text
    [message] = outbox()
    assert message["To"] == ORGANISER
    assert "/manage/" in body(message) and "Expired Link Circle" in message["Subject"]


def test_a_shorter_link_life_expires_links_sooner(db_app, client, monkeypatch):
    group = published()
    token = _old_token(group, monkeypatch, 3)
    assert client.get(f"/manage/{token}").status_code == 200
    db_app.config["MANAGE_LINK_DAYS"] = 2
    assert client.get(f"/manage/{token}").status_code == 410


def test_a_revoked_link_stops_working_and_a_fresh_one_works(db_app, client):
    group = published()
    old = manage_path(group)
    revoke_links(db.session, group, Actor.command("test"), "sent to the wrong person")
    db.session.commit()
    for path in (old, f"{old}/edit", f"{old}/pause", f"{old}/close"):
        page = client.get(path)
        assert page.status_code == 410 and "Email a fresh link" in page.text
    refused = post_from(client, old, f"{old}/confirm")
    assert refused.status_code == 410
    post_from(client, old, f"{old}/fresh")
    [message] = outbox()
    fresh = body(message).split("http://localhost", 1)[1].split()[0]
    assert fresh != old and client.get(fresh).status_code == 200


@pytest.mark.parametrize("kind", ["tampered", "other key", "junk", "no organiser"])
def test_a_tampered_link_asks_for_an_address_and_names_nothing(db_app, client, kind):
    group = published(name="Tampered Link Circle")
    token = manage_token(group)
    if kind == "tampered":
        token = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    elif kind == "other key":
        token = URLSafeTimedSerializer("another key", salt=SALT).dumps([group.id, 0])
    elif kind == "junk":
        token = "%00%27 or 1=1"
    else:
        group.organiser_email = None
        db.session.commit()
    page = client.get(f"/manage/{token}")
    assert page.status_code == 410
    assert 'action="/manage/links"' in page.text and 'name="email"' in page.text
    assert "Tampered Link Circle" not in page.text and "/fresh" not in page.text
    fresh = post_from(client, "/manage/links", f"/manage/{token}/fresh")
    assert fresh.status_code == 410 and outbox() == []


def test_the_links_form_answers_the_same_whatever_the_address(db_app, client):
    published(name="Alpha Circle")
    published(name="Beta Circle", status="pending")
    published(name="Closed Circle", status="closed")
    published(name="Someone Else's Circle", organiser_email="other@example.org")
    known = post_from(
        client, "/manage/links", "/manage/links", email=" rosa.ORGANISER@example.org "
    )
    assert known.status_code == 200
    [message] = outbox()
    assert message["To"] == ORGANISER
    text = body(message)
    assert "Alpha Circle" in text and "Beta Circle" in text
    assert "Closed Circle" not in text and "Someone Else" not in text
    assert text.count("http://localhost/manage/") == 2
    unknown = post_from(client, "/manage/links", "/manage/links", email="nobody@example.org")
    assert unknown.status_code == 200 and len(outbox()) == 1
    assert _main(unknown.text) == _main(known.text)
    assert "Alpha Circle" not in known.text and ORGANISER not in known.text


def test_the_links_form_asks_again_for_an_address_that_is_not_one(db_app, client):
    page = post_from(client, "/manage/links", "/manage/links", email="not an address")
    assert page.status_code == 400
    assert 'id="email-error"' in page.text and 'value="not an address"' in page.text
    assert outbox() == []


def test_are_you_the_organiser_emails_only_the_address_on_file(db_app, client):
    group = published(name="Request Circle")
    path = f"/groups/{group.id}/organiser"
    page = client.get(path)
    assert page.status_code == 200 and "Are you the organiser?" in page.text
    assert 'href="/manage/links"' in page.text
    for private in (ORGANISER, "Rosa", "555-0199"):
        assert private not in page.text
    asked = post_from(client, path, path + "?locale=es")
    assert asked.status_code == 200
    [message] = outbox()
    assert message["To"] == ORGANISER and message["Content-Language"] == "es"
    assert "Request Circle" in message["Subject"]
    for private in (ORGANISER, "Rosa", "555-0199"):
        assert private not in asked.text
    # A listing without an organiser address answers in the very same words, and sends nothing.
    silent = published(name="Silent Circle", organiser_email=None)
    other = f"/groups/{silent.id}/organiser"
    answer = post_from(client, other, other + "?locale=es")
    assert answer.status_code == 200 and len(outbox()) == 1
    assert _main(answer.text) == _main(asked.text)


@pytest.mark.parametrize("status", ["pending", "closed", "rejected", "archived"])
def test_are_you_the_organiser_is_only_for_listed_groups(db_app, client, status):
    group = published(status=status)
    assert client.get(f"/groups/{group.id}/organiser").status_code == 404
    assert client.get("/groups/999999/organiser").status_code == 404
    refused = post_from(client, "/manage/links", f"/groups/{group.id}/organiser")
    assert refused.status_code == 404 and outbox() == []


def test_a_filled_honeypot_answers_the_same_and_sends_nothing(db_app, client):
    group = published()
    path = f"/groups/{group.id}/organiser"
    page = post_from(client, path, path, nickname="bot")
    assert page.status_code == 200 and SENT in page.text
    page = post_from(client, "/manage/links", "/manage/links", email=ORGANISER, nickname="bot")
    assert page.status_code == 200 and SENT in page.text
    assert outbox() == []


@pytest.fixture
def limited(db_app, tmp_path):
    """Return an app on the test's database with rate limits on (one ask per client an hour)."""
    app = _make_app(
        tmp_path, db_app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True,
        MANAGE_LINK_RATE_LIMIT="2 per hour", OUTBOX_PATH=db_app.config["OUTBOX_PATH"],
    )  # fmt: skip
    yield app
    with app.app_context():
        db.engine.dispose()


def _client(app, address: str):
    """Return a test client that comes from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_one_client_may_ask_for_a_few_links_only(limited):
    group = published()
    client = limited.test_client()
    path = f"/groups/{group.id}/organiser"
    assert post_from(client, path, path).status_code == 200
    assert post_from(client, "/manage/links", "/manage/links", email=ORGANISER).status_code == 200
    refused = post_from(client, path, path)
    assert refused.status_code == 429
    assert "Please wait a little" in refused.text and 'href="tel:988"' in refused.text
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.headers["Cache-Control"] == "no-store"
    assert client.get(path).status_code == 200  # reading the page is not asking
    assert len(outbox()) == 2


def test_one_listing_gets_three_emails_an_hour_whoever_asks(limited):
    group = published()
    path = f"/groups/{group.id}/organiser"
    for number in range(3):
        client = _client(limited, f"10.0.0.{number}")
        assert post_from(client, path, path).status_code == 200
    client = _client(limited, "10.0.0.9")
    refused = post_from(client, path, path)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 60
    assert len(outbox()) == 3
    # By address the answer stays the same, and the listing is left out of the mail.
    client = _client(limited, "10.0.0.10")
    page = post_from(client, "/manage/links", "/manage/links", email=ORGANISER)
    assert page.status_code == 200 and SENT in page.text and len(outbox()) == 3
    # A listing without an address on file counts the same, so a refusal reveals nothing.
    silent = published(organiser_email=None)
    other = f"/groups/{silent.id}/organiser"
    for number in range(3):
        client = _client(limited, f"10.0.1.{number}")
        assert post_from(client, other, other).status_code == 200
    assert post_from(client, other, other).status_code == 429
    assert len(outbox()) == 3
