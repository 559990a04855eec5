"""Moderators sign in, are locked out after repeated failures, sign out, and reset passwords."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import g, request_started
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from directory.extensions import db
from directory.models import Moderator, utcnow
from directory.services import Actor, add_moderator, signin
from directory.web.moderate.auth import landing_url
from tests.conftest import _make_app

EMAIL = "ana@example.org"
PASSWORD = "correct horse battery staple"
WRONG_OR_UNKNOWN = "That email address and password do not match an account."
LANDING = None  # the moderators' first page, wherever the queue is
LOCKED = "this account is paused after several unsuccessful sign-ins"


@pytest.fixture(autouse=True)
def _own_request_globals():
    """Give each request its own sign-in and CSRF token, as its own app context would.

    The ``app`` fixture holds an app context open, which requests share (with its ``g``):
    Flask-Login would otherwise see the last request's moderator in a new client's request.
    """

    def forget(sender, **_extra):
        for name in ("_login_user", "csrf_token"):
            g.pop(name, None)

    request_started.connect(forget)
    yield
    request_started.disconnect(forget)


def _add(email=EMAIL, password=PASSWORD) -> Moderator:
    moderator = add_moderator(db.session, email, password, Actor.command("test"))
    db.session.commit()
    return moderator


def _token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def _sign_in(client, email=EMAIL, password=PASSWORD, **extra):
    data = {"email": email, "password": password, "csrf_token": _token(client, "/moderate/login")}
    return client.post("/moderate/login", data={**data, **extra})


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _moderator(email=EMAIL) -> Moderator:
    db.session.expire_all()
    return db.session.scalar(db.select(Moderator).where(Moderator.email == email))


def _signed_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def test_a_moderator_signs_in_with_the_right_password(db_app):
    _add()
    client = db_app.test_client()
    response = _sign_in(client, email="  Ana@Example.org ")
    assert response.status_code == 302
    assert _signed_in(client)
    moderator = _moderator()
    assert moderator.failed_sign_ins == 0
    assert moderator.last_sign_in_at is not None
    assert abs(moderator.last_sign_in_at - utcnow()) < dt.timedelta(minutes=1)


def test_a_wrong_password_and_an_unknown_address_get_the_same_calm_answer(db_app):
    _add()
    client = db_app.test_client()
    wrong = _sign_in(client, password="not the password at all")
    unknown = _sign_in(client, email="nobody@example.org")
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert WRONG_OR_UNKNOWN in _text(response)
        assert 'value="' in _text(response)  # the address typed is kept
    assert 'value="nobody@example.org"' in _text(unknown)
    assert not _signed_in(client)
    assert _moderator().failed_sign_ins == 1


def test_an_unknown_address_costs_a_password_check_too(app, monkeypatch):
    checked = []
    real = signin.check_password_hash
    monkeypatch.setattr(signin, "check_password_hash", lambda *a: checked.append(1) or real(*a))
    _sign_in(app.test_client(), email="nobody@example.org")
    assert checked == [1]


def test_empty_fields_each_get_their_own_message(app):
    response = _sign_in(app.test_client(), email="", password="")
    assert response.status_code == 400
    page = _text(response)
    assert 'id="email-error">Please enter your email address.' in page
    assert 'id="password-error">Please enter your password.' in page


def test_repeated_failures_lock_the_account_calmly_until_the_lock_ends(db_app):
    _add()
    client = db_app.test_client()
    for _attempt in range(db_app.config["SIGN_IN_ATTEMPTS"] - 1):
        assert LOCKED not in _text(_sign_in(client, password="guess guess guess"))
    assert LOCKED in _text(_sign_in(client, password="guess guess guess"))
    locked_until = _moderator().locked_until
    expected = utcnow() + dt.timedelta(minutes=15)
    assert abs(locked_until - expected) < dt.timedelta(minutes=1)
    # The right password does not get in while locked, and the page does not say it was right.
    right = _sign_in(client)
    assert right.status_code == 400
    assert LOCKED in _text(right)
    assert WRONG_OR_UNKNOWN not in _text(right)
    assert not _signed_in(client)
    # Once the lock has run out, the right password works and the count starts afresh.
    moderator = _moderator()
    moderator.locked_until = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    assert _sign_in(client).status_code == 302
    assert _signed_in(client)
    assert _moderator().locked_until is None


def test_a_locked_account_is_not_checked_against_its_password(app, monkeypatch):
    moderator = _add()
    moderator.locked_until = utcnow() + dt.timedelta(minutes=5)
    db.session.commit()
    monkeypatch.setattr(Moderator, "check_password", lambda *_: pytest.fail("checked"))
    assert LOCKED in _text(_sign_in(app.test_client()))


def test_a_closed_account_cannot_sign_in(app):
    moderator = _add()
    moderator.is_active = False
    db.session.commit()
    response = _sign_in(app.test_client())
    assert WRONG_OR_UNKNOWN in _text(response)


def test_signing_in_starts_a_new_session(app):
    _add()
    client = app.test_client()
    client.get("/moderate/login")
    with client.session_transaction() as session:
        session["left_over"] = "from before"
    _sign_in(client)
    with client.session_transaction() as session:
        assert "left_over" not in session
        assert session["_user_id"] == _moderator().get_id()


@pytest.mark.parametrize(
    ("next_value", "lands_on"),
    [
        ("/moderate/items/3?kind=new", "/moderate/items/3?kind=new"),
        ("/moderate", "/moderate"),
        ("https://evil.example/moderate/", LANDING),
        ("//evil.example/moderate/", LANDING),
        ("/\\evil.example", LANDING),
        ("/search?q=x", LANDING),
        ("/moderate/../search", LANDING),
        ("/moderatex", LANDING),
        ("javascript:alert(1)", LANDING),
    ],
)
def test_next_only_leads_to_a_moderators_page_on_this_site(app, next_value, lands_on):
    _add()
    response = _sign_in(app.test_client(), next=next_value)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost")
    if lands_on is LANDING:
        with app.test_request_context():
            lands_on = landing_url()
    assert location.path + (f"?{location.query}" if location.query else "") == lands_on


def test_the_guard_keeps_where_the_moderator_was_going(app):
    _add()
    client = app.test_client()
    page = client.get("/moderate/login?next=/moderate/items/3").get_data(as_text=True)
    assert 'name="next" value="/moderate/items/3"' in page
    assert client.get("/moderate/login?next=https://evil.example/").status_code == 200
    assert 'name="next"' not in client.get("/moderate/login?next=//evil").get_data(as_text=True)


def test_a_signed_in_moderator_sees_their_email_and_a_sign_out_button(app):
    _add()
    client = app.test_client()
    _sign_in(client)
    page = _text(client.get("/moderate/reset"))
    assert f"Signed in as {EMAIL}" in page
    assert 'action="/moderate/logout"' in page
    assert _text(app.test_client().get("/moderate/login")).count("Sign out") == 0


def test_signing_out_needs_a_post_with_the_csrf_token(app):
    _add()
    client = app.test_client()
    _sign_in(client)
    assert client.get("/moderate/logout").status_code == 405
    assert client.post("/moderate/logout").status_code == 400  # no CSRF token
    assert _signed_in(client)
    token = _token(client, "/moderate/reset")
    response = client.post("/moderate/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/moderate/login"
    assert not _signed_in(client)
    assert "You have signed out." in _text(client.get("/moderate/login"))


def test_an_anonymous_sign_out_is_refused(app):
    app.config["WTF_CSRF_ENABLED"] = False
    assert app.test_client().post("/moderate/logout").status_code == 401


def test_sign_in_posts_are_rate_limited_per_client(tmp_path, sqlite_template):
    database = tmp_path / "limited.sqlite3"
    shutil.copyfile(sqlite_template, database)
    limited = _make_app(
        tmp_path,
        f"sqlite:///{database}",
        RATELIMIT_ENABLED=True,
        SIGN_IN_RATE_LIMIT="3 per minute",
    )
    client = limited.test_client()
    with limited.app_context():
        statuses = [_sign_in(client, password="wrong wrong wrong").status_code for _ in range(3)]
        assert statuses == [400, 400, 400]
        # The reset form counts into the same budget; the pages themselves are not limited.
        refused = _ask_for_reset(client)
        assert refused.status_code == 429
        assert "Retry-After" in refused.headers
        assert 'href="tel:988"' in refused.get_data(as_text=True)
        assert client.get("/moderate/login").status_code == 200
        db.session.remove()
        db.engine.dispose()


def _session_cookie(response) -> str:
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


def test_the_session_cookie_is_httponly_and_samesite_lax(app):
    _add()
    cookie = _session_cookie(_sign_in(app.test_client()))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # served over plain http here
    assert "Expires" not in cookie  # gone when the browser closes: nothing is remembered


def test_the_session_cookie_is_secure_under_an_https_base_url(
    tmp_path, sqlite_template, monkeypatch
):
    monkeypatch.setenv("DIRECTORY_BASE_URL", "https://groups.example.org/")
    database = tmp_path / "https.sqlite3"
    shutil.copyfile(sqlite_template, database)
    secure = _make_app(tmp_path, f"sqlite:///{database}")
    with secure.app_context():
        _add()
        client = secure.test_client()
        page = client.get("/moderate/login", base_url="https://groups.example.org")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))[1]
        response = client.post(
            "/moderate/login",
            base_url="https://groups.example.org",
            # What a browser sends once the site lets same-origin requests carry a Referer.
            headers={"Referer": "https://groups.example.org/moderate/login"},
            data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302
        cookie = _session_cookie(response)
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        db.session.remove()
        db.engine.dispose()


def _outbox(app) -> list[Path]:
    return sorted(Path(app.config["OUTBOX_PATH"]).glob("*.eml"))


def _ask_for_reset(client, email=EMAIL, **headers):
    token = _token(client, "/moderate/reset")
    return client.post("/moderate/reset", data={"email": email, "csrf_token": token}, **headers)


def _reset_link(app) -> str:
    (path,) = _outbox(app)
    body = BytesParser(policy=default).parsebytes(path.read_bytes()).get_body(("plain",))
    return urlsplit(re.search(r"https?://\S+/moderate/reset/\S+", body.get_content())[0]).path


def _choose(client, path, password, again=None):
    token = _token(client, path)
    data = {"password": password, "password_again": again or password, "csrf_token": token}
    return client.post(path, data=data)


def test_a_reset_answers_the_same_whether_or_not_the_address_has_an_account(db_app):
    _add()
    client = db_app.test_client()
    known = _ask_for_reset(client)
    unknown = _ask_for_reset(client, email="nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert "If that address has a moderator account" in _text(known)
    strip = re.compile(r'name="csrf_token" value="[^"]+"')
    assert strip.sub("", _text(known)) == strip.sub("", _text(unknown))
    assert len(_outbox(db_app)) == 1  # only the real account got mail


def test_a_reset_link_sets_a_new_password_once(db_app):
    _add()
    client = db_app.test_client()
    _ask_for_reset(client)
    (path,) = _outbox(db_app)
    message = BytesParser(policy=default).parsebytes(path.read_bytes())
    assert message["To"] == EMAIL
    assert message["Content-Language"] == "en"
    body = message.get_body(("plain",)).get_content()
    assert "choose a new password" in body
    assert "for 2 hours" in body
    assert "If you did not ask for this, you can ignore this message" in body
    link = _reset_link(db_app)

    assert client.get(link).status_code == 200
    short = _choose(client, link, "too short")
    assert short.status_code == 400
    assert 'id="password-error">Please use at least 12 characters.' in _text(short)
    mismatch = _choose(client, link, "a new long password", "a new long pasword")
    assert "The two passwords are not the same" in _text(mismatch)

    done = _choose(client, link, "a new long password")
    assert done.status_code == 302
    assert urlsplit(done.headers["Location"]).path == "/moderate/login"
    assert "Your new password is saved" in _text(client.get("/moderate/login"))
    assert _sign_in(client).status_code == 400  # the old password no longer works
    assert _sign_in(client, password="a new long password").status_code == 302

    fresh = db_app.test_client()
    used = fresh.get(link)
    assert used.status_code == 400
    assert "This link no longer works" in _text(used)
    assert 'href="/moderate/reset"' in _text(used)
    assert _choose_without_page(fresh, link).status_code == 400


def test_a_new_password_ends_the_sessions_signed_in_with_the_old_one(db_app):
    _add()
    elsewhere = db_app.test_client()  # a browser left signed in, say on a lost phone
    assert _sign_in(elsewhere).status_code == 302
    assert elsewhere.get("/moderate").status_code == 200
    client = db_app.test_client()
    _ask_for_reset(client)
    link = _reset_link(db_app)
    assert _choose(client, link, "a new long password").status_code == 302
    response = elsewhere.get("/moderate")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/moderate/login"


def _choose_without_page(client, link):
    token = _token(client, "/moderate/login")
    data = {"password": "another long password", "password_again": "another long password"}
    return client.post(link, data={**data, "csrf_token": token})


def test_a_reset_also_lifts_a_lock(app):
    moderator = _add()
    moderator.locked_until = utcnow() + dt.timedelta(minutes=10)
    db.session.commit()
    client = app.test_client()
    _ask_for_reset(client)
    _choose(client, _reset_link(app), "a new long password")
    assert _sign_in(client, password="a new long password").status_code == 302


def test_the_reset_mail_speaks_the_pages_language(app):
    _add()
    client = app.test_client()
    _ask_for_reset(client, headers={"Accept-Language": "es"})
    (path,) = _outbox(app)
    assert BytesParser(policy=default).parsebytes(path.read_bytes())["Content-Language"] == "es"


class _LongAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 3 * 3600


def test_an_expired_reset_link_is_refused_calmly(app, monkeypatch):
    moderator = _add()
    monkeypatch.setattr(
        signin,
        "_serializer",
        lambda key: URLSafeTimedSerializer(key, salt=signin.RESET_SALT, signer=_LongAgo),
    )
    token = signin.reset_token(moderator, app.secret_key)
    monkeypatch.undo()
    response = app.test_client().get(f"/moderate/reset/{token}")
    assert response.status_code == 400
    assert "this one has expired" in _text(response)
    assert 'href="/moderate/reset"' in _text(response)


@pytest.mark.parametrize("token", ["garbled", "a" * 300, "eyJtIjoxfQ.x.y"])
def test_a_garbled_reset_link_is_refused_calmly(app, token):
    _add()
    response = app.test_client().get(f"/moderate/reset/{token}")
    assert response.status_code == 400
    assert "This link no longer works" in _text(response)


def test_a_link_signed_for_something_else_is_refused(app):
    moderator = _add()
    other = URLSafeTimedSerializer(app.secret_key, salt="something-else")
    token = other.dumps({"m": moderator.id, "p": signin._fingerprint(moderator)})
    assert app.test_client().get(f"/moderate/reset/{token}").status_code == 400


def test_a_sign_in_ends_after_twelve_hours_even_in_an_open_browser(app, monkeypatch):
    import itsdangerous.timed

    _add()
    app.add_url_rule("/moderate/_probe", "moderate._probe", lambda: "private")
    client = app.test_client()
    _sign_in(client)
    assert client.get("/moderate/_probe").status_code == 200
    later = time.time() + 12 * 3600 + 60

    class _Later:
        @staticmethod
        def time() -> float:
            return later

    monkeypatch.setattr(itsdangerous.timed, "time", _Later)
    response = client.get("/moderate/_probe")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/moderate/login"


def test_a_sign_in_over_https_works_as_a_browser_sends_it(tmp_path, sqlite_template, monkeypatch):
    monkeypatch.setenv("DIRECTORY_BASE_URL", "https://groups.example.org/")
    database = tmp_path / "https.sqlite3"
    shutil.copyfile(sqlite_template, database)
    secure = _make_app(tmp_path, f"sqlite:///{database}")
    with secure.app_context():
        _add()
        client = secure.test_client()
        site = "https://groups.example.org"
        page = client.get("/moderate/login", base_url=site)
        policy = page.headers["Referrer-Policy"]
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))[1]
        # A browser sends a same-origin Referer unless the page's policy forbids it.
        headers = {} if policy == "no-referrer" else {"Referer": f"{site}/moderate/login"}
        response = client.post(
            "/moderate/login",
            base_url=site,
            headers=headers,
            data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
        )
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 302
