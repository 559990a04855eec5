"""By default mail lands in the outbox as .eml files, and a failure never loses a message."""

from __future__ import annotations

import logging
import os
import re
import time
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pytest

from directory import mail
from directory.mail.queue import Letter, Unsent
from tests.functional.mail_helpers import AppMaker

SUBJECT = "Su grupo «Duelo y esperanza» fue aprobado"
BODY = "Hola Íñigo:\n\nSu grupo ya aparece en el directorio. ¡Gracias!\n"
TO = ["Íñigo Muñoz <inigo@example.org>"]


@pytest.fixture
def make_app(tmp_path, sqlite_template, monkeypatch):
    maker = AppMaker(tmp_path, sqlite_template, monkeypatch)
    yield maker
    maker.close()


def _outbox(app) -> list[Path]:
    return sorted(Path(app.config["OUTBOX_PATH"]).glob("*.eml"))


def _parse(path: Path):
    return BytesParser(policy=default).parsebytes(path.read_bytes())


def test_by_default_a_message_is_one_private_eml_file_in_the_outbox(app):
    delivery = mail.send(mail.compose(SUBJECT, BODY, TO, language="es"))
    assert delivery.sent
    (path,) = _outbox(app)
    assert path.parent == Path(app.instance_path) / "outbox"
    assert re.fullmatch(r"\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{12}\.eml", path.name)
    assert path.stat().st_mode & 0o777 == 0o600
    message = _parse(path)
    assert message["Subject"] == SUBJECT
    assert message["From"] == "Peer Support Directory <directory@localhost>"
    assert message["To"].addresses[0].display_name == "Íñigo Muñoz"
    assert message["To"].addresses[0].addr_spec == "inigo@example.org"
    assert message["Message-ID"] == delivery.message_id
    assert message["Message-ID"].endswith("@localhost>")
    assert message["Date"].datetime is not None
    assert message["Content-Language"] == "es"
    assert message.get_content_charset() == "utf-8"
    assert message.get_body(("plain",)).get_content() == BODY
    assert path.read_bytes().isascii() is False  # UTF-8 text as it is, not mangled
    assert b"Subject: =?utf-8?" in path.read_bytes()  # the header itself is encoded
    assert list((Path(app.config["OUTBOX_PATH"]) / "unsent").glob("*")) == []


def test_an_html_alternative_travels_with_the_text(app):
    mail.send(mail.compose(SUBJECT, BODY, TO, html="<p>Hola <b>Íñigo</b></p>"))
    message = _parse(_outbox(app)[0])
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content() == BODY
    assert message.get_body(("html",)).get_content().strip() == "<p>Hola <b>Íñigo</b></p>"


def test_messages_sent_at_once_never_collide_and_sort_in_sending_order(app):
    for number in range(5):
        mail.send(mail.compose(f"Aviso {number}", BODY, TO))
    subjects = [_parse(path)["Subject"] for path in _outbox(app)]
    assert subjects == [f"Aviso {number}" for number in range(5)]


def test_the_outbox_and_sender_follow_their_settings(make_app, tmp_path):
    app = make_app(OUTBOX_PATH=str(tmp_path / "mail"), MAIL_FROM="Directorio <hola@example.org>")
    with app.app_context():
        delivery = mail.send(mail.compose(SUBJECT, BODY, TO))
    (path,) = (tmp_path / "mail").glob("*.eml")
    assert _parse(path)["From"] == "Directorio <hola@example.org>"
    assert delivery.message_id.endswith("@example.org>")


def test_a_message_that_cannot_be_built_is_refused_at_once(app):
    with pytest.raises(ValueError, match="newlines"):
        mail.send(mail.compose("Line one\nBcc: everyone@example.org", BODY, TO))
    with pytest.raises(ValueError, match="recipient"):
        mail.send(mail.compose(SUBJECT, BODY, []))
    assert _outbox(app) == []


def test_an_unwritable_outbox_reports_the_failure_instead_of_raising(make_app, tmp_path, caplog):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the outbox should be")
    app = make_app(OUTBOX_PATH=str(blocked))
    with app.app_context(), caplog.at_level(logging.WARNING, logger="directory.mail"):
        delivery = mail.send(mail.compose(SUBJECT, BODY, TO))
    assert delivery.status == "failed"
    assert "could not be kept" in caplog.text
    assert "inigo" not in caplog.text


def test_a_failing_backend_keeps_the_message_for_retry(app, monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr("directory.mail.outbox.EmailBackend.send_messages", broken)
    with caplog.at_level(logging.WARNING, logger="directory.mail"):
        delivery = mail.send(mail.compose(SUBJECT, BODY, TO))
    assert delivery.status == "kept"
    kept = delivery.kept_as.read_bytes()
    assert b"X-Directory-Last-Error: OSError: No space left on device" in kept
    assert _parse(delivery.kept_as)["Subject"] == SUBJECT  # still a message a client opens
    assert "inigo" not in caplog.text
    assert "Hola" not in caplog.text

    monkeypatch.undo()
    result = app.test_cli_runner().invoke(args=["directory", "mail", "retry"])
    assert result.exit_code == 0, result.output
    (path,) = _outbox(app)
    assert path.read_bytes().startswith(b"X-Directory") is False
    assert _parse(path)["Message-ID"] == delivery.message_id


def test_mail_left_mid_send_by_a_dead_process_is_sent_by_retry(app):
    letter = Letter.render(mail.compose(SUBJECT, BODY, TO))
    unsent = Unsent.of_app()
    unsent.begin(letter)  # written down, then the process died before sending
    fresh = app.test_cli_runner().invoke(args=["directory", "mail", "status"])
    assert "No mail is waiting" in fresh.output  # it may still be sending: leave it be
    two_hours_ago = time.time() - 7200
    os.utime(letter.path, (two_hours_ago, two_hours_ago))
    result = app.test_cli_runner().invoke(args=["directory", "mail", "retry"])
    assert "Sent 1 waiting message." in result.output
    assert _parse(_outbox(app)[0])["Subject"] == SUBJECT
    assert list(unsent.folder.glob("*")) == [unsent.folder / ".retry.lock"]
