"""DIRECTORY_MAIL_URL and friends become Flask-Mailman settings, or are refused at start."""

from __future__ import annotations

import pytest

from directory import create_app
from directory.config import load_config
from directory.mail.settings import MailSettingError, parse_mail_url

PASSWORD = "s3cret-Pa55"  # made up; the errors must never show it


def test_without_a_url_mail_goes_to_the_outbox_in_the_instance(tmp_path, monkeypatch):
    for name in ("MAIL_URL", "MAIL_FROM", "OUTBOX_PATH", "MAIL_TIMEOUT"):
        monkeypatch.delenv(f"DIRECTORY_{name}", raising=False)
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["MAIL_BACKEND"] == "directory.mail.outbox"
    assert config["OUTBOX_PATH"] == str(tmp_path / "outbox")
    assert config["MAIL_DEFAULT_SENDER"] == "Peer Support Directory <directory@localhost>"
    assert config["MAIL_TIMEOUT"] == 10.0


def test_smtp_url_means_starttls_on_587_with_percent_decoded_credentials():
    settings = parse_mail_url("smtp://me%40example.org:p%40ss%3Aw%2Frd%23@mail.example.org")
    assert settings["MAIL_BACKEND"] == "directory.mail.smtp"
    assert settings["MAIL_SERVER"] == "mail.example.org"
    assert settings["MAIL_PORT"] == 587
    assert (settings["MAIL_USE_TLS"], settings["MAIL_USE_SSL"]) == (True, False)
    assert settings["MAIL_USERNAME"] == "me@example.org"
    assert settings["MAIL_PASSWORD"] == "p@ss:w/rd#"


def test_smtps_url_means_implicit_tls_on_465():
    settings = parse_mail_url("smtps://user:pw@mail.example.org")
    assert settings["MAIL_PORT"] == 465
    assert (settings["MAIL_USE_TLS"], settings["MAIL_USE_SSL"]) == (False, True)


def test_a_local_relay_without_tls_or_login():
    settings = parse_mail_url("smtp://relay.internal:25?tls=off")
    assert settings["MAIL_PORT"] == 25
    assert (settings["MAIL_USE_TLS"], settings["MAIL_USE_SSL"]) == (False, False)
    assert settings["MAIL_USERNAME"] is None
    assert settings["MAIL_PASSWORD"] is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (f"http://user:{PASSWORD}@mail.example.org", "smtp:// or smtps://"),
        (f"smtp://user:{PASSWORD}@mail.example.org:99999", "port"),
        (f"smtp://user:{PASSWORD}@mail.example.org:25x", "port"),
        (f"smtp://user:{PASSWORD}@", "no server"),
        (f"smtp://user:{PASSWORD}@mail.example.org/inbox", "path"),
        (f"smtp://user:{PASSWORD}#x@mail.example.org", "percent-encoded)"),
        (f"smtp://user:{PASSWORD}@mail.example.org?tls=maybe", "tls='maybe'"),
        (f"smtps://user:{PASSWORD}@mail.example.org?tls=off", "tls='off'"),
        (f"smtp://user:{PASSWORD}@mail.example.org?timeout=3", "only one option"),
        ("smtp://user@mail.example.org", "without a password"),
        (f"smtp://:{PASSWORD}@mail.example.org", "without a user"),
    ],
)
def test_a_malformed_url_stops_the_site_at_start_without_showing_the_password(
    tmp_path, monkeypatch, url, reason
):
    monkeypatch.setenv("DIRECTORY_MAIL_URL", url)
    with pytest.raises(MailSettingError) as refused:
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    message = str(refused.value)
    assert message.startswith("DIRECTORY_MAIL_URL ")
    assert reason in message
    assert PASSWORD not in message
    assert PASSWORD not in repr(refused.value.__cause__ or "")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MAIL_FROM", "not an address"),
        ("MAIL_FROM", "a@example.org, b@example.org"),
        ("MAIL_TIMEOUT", "soon"),
        ("MAIL_TIMEOUT", "0"),
    ],
)
def test_a_bad_sender_or_timeout_is_refused_at_start(tmp_path, monkeypatch, name, value):
    monkeypatch.setenv(f"DIRECTORY_{name}", value)
    with pytest.raises(MailSettingError, match=f"DIRECTORY_{name}"):
        load_config({"INSTANCE_PATH": str(tmp_path)})
