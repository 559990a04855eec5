"""Mail goes over SMTP to a real server run in the test, and waits in unsent/ when it can't."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from directory import mail
from tests.functional.mail_helpers import (
    HOST,
    AppMaker,
    Recorder,
    authenticator,
    free_port,
    self_signed_certificate,
    server_context,
    smtp_server,
)

ORGANISER = "José Pérez <jose.perez@example.org>"
SUBJECT = "Recibimos su grupo «Duelo y esperanza»"
BODY = "Hola José:\n\nGracias por inscribir su grupo. Un moderador lo revisará pronto.\n"


@pytest.fixture
def make_app(tmp_path, sqlite_template, monkeypatch):
    maker = AppMaker(tmp_path, sqlite_template, monkeypatch)
    yield maker
    maker.close()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    made = self_signed_certificate(tmp_path_factory.mktemp("tls"))
    if made is None:
        pytest.skip("the TLS tests make their certificate with openssl, which is missing")
    return made


def _send(app, **extra):
    with app.app_context():
        return mail.send(mail.compose(SUBJECT, BODY, [ORGANISER], language="es", **extra))


def test_plain_smtp_delivers_headers_body_and_bcc_to_the_server(make_app):
    recorder = Recorder()
    with smtp_server(recorder) as port:
        app = make_app(f"smtp://{HOST}:{port}?tls=off")
        with app.app_context():
            message = mail.compose(SUBJECT, BODY, [ORGANISER], language="es")
            message.bcc = ["moderators@example.org"]
            delivery = mail.send(message)
    assert delivery.sent
    (envelope,) = recorder.envelopes
    assert envelope.mail_from == "directory@localhost"
    assert envelope.rcpt_tos == ["jose.perez@example.org", "moderators@example.org"]
    (received,) = recorder.messages()
    assert received["Subject"] == SUBJECT
    assert received["To"].addresses[0].display_name == "José Pérez"
    assert received["From"] == "Peer Support Directory <directory@localhost>"
    assert received["Message-ID"] == delivery.message_id
    assert received["Content-Language"] == "es"
    assert "Bcc" not in received
    assert received.get_body(("plain",)).get_content() == BODY
    assert not list((Path(app.config["OUTBOX_PATH"]) / "unsent").glob("*"))


def test_starttls_with_login_delivers_to_a_server_whose_certificate_is_trusted(
    make_app, certificate, monkeypatch
):
    cert, key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this one certificate
    recorder = Recorder()
    server = {
        "tls_context": server_context(cert, key),
        "require_starttls": True,
        "auth_required": True,
        "authenticator": authenticator(b"organiser@example.org", b"p@ss:w/rd"),
    }
    with smtp_server(recorder, **server) as port:
        url = f"smtp://organiser%40example.org:p%40ss%3Aw%2Frd@{HOST}:{port}"
        delivery = _send(make_app(url))
    assert delivery.sent, delivery.error
    assert recorder.messages()[0]["Subject"] == SUBJECT


def test_starttls_to_a_server_with_an_untrusted_certificate_keeps_the_mail(
    make_app, certificate, monkeypatch
):
    # Flask-Mailman alone would encrypt without checking, and hand over the password.
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    cert, key = certificate
    recorder = Recorder()
    server = {"tls_context": server_context(cert, key), "require_starttls": True}
    with smtp_server(recorder, **server) as port:
        delivery = _send(make_app(f"smtp://user:pw@{HOST}:{port}"))
    assert delivery.status == "kept"
    assert "CERTIFICATE_VERIFY_FAILED" in delivery.error
    assert recorder.envelopes == []


def test_smtps_delivers_over_implicit_tls(make_app, certificate, monkeypatch):
    cert, key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    recorder = Recorder()
    with smtp_server(recorder, ssl_context=server_context(cert, key)) as port:
        delivery = _send(make_app(f"smtps://{HOST}:{port}"))
    assert delivery.sent, delivery.error
    assert recorder.messages()[0].get_body(("plain",)).get_content() == BODY


def test_a_refused_connection_keeps_the_mail_until_retry_sends_it_once(make_app, caplog):
    port = free_port()  # nothing listens here yet
    app = make_app(f"smtp://{HOST}:{port}?tls=off")
    with caplog.at_level(logging.WARNING, logger="directory.mail"):
        delivery = _send(app)
    assert delivery.status == "kept"
    assert "ConnectionRefusedError" in delivery.error
    kept = list(delivery.kept_as.parent.glob("*.eml"))
    assert kept == [delivery.kept_as]
    assert delivery.kept_as.stat().st_mode & 0o777 == 0o600
    assert "jose.perez" not in caplog.text
    assert "Gracias" not in caplog.text
    assert delivery.kept_as.name in caplog.text

    cron = make_app(f"smtp://{HOST}:{port}?tls=off").test_cli_runner()
    status = cron.invoke(args=["directory", "mail", "status"])
    assert "1 message waits to be sent" in status.output
    assert "ConnectionRefusedError" in status.output
    still_down = cron.invoke(args=["directory", "mail", "retry"])
    assert still_down.exit_code == 1
    assert "1 message waits" in still_down.output

    recorder = Recorder()
    with smtp_server(recorder, port=port):
        retried = cron.invoke(args=["directory", "mail", "retry"])
        again = cron.invoke(args=["directory", "mail", "retry"])
    assert retried.exit_code == 0, retried.output
    assert "Sent 1 waiting message." in retried.output
    assert again.exit_code == 0
    assert "No mail is waiting" in again.output
    (received,) = recorder.messages()
    assert received["Message-ID"] == delivery.message_id  # the same message, not a new one
    assert received["Subject"] == SUBJECT
    assert not any(name.startswith("X-Directory") for name in received)
    assert received.get_body(("plain",)).get_content() == BODY
    assert list(delivery.kept_as.parent.glob("*.eml")) == []


def test_a_refused_recipient_is_kept_and_its_address_stays_out_of_the_log(make_app, caplog):
    recorder = Recorder(refuse_recipients=True)
    with smtp_server(recorder) as port, caplog.at_level(logging.WARNING):
        delivery = _send(make_app(f"smtp://{HOST}:{port}?tls=off"))
    assert delivery.status == "kept"
    assert "SMTPRecipientsRefused" in delivery.error
    assert "jose.perez" not in caplog.text
    assert b"jose.perez@example.org>: Recipient" not in delivery.kept_as.read_bytes()
