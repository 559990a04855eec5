"""Build apps with mail settings, run a real SMTP server, and read what arrived."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from contextlib import contextmanager
from email.parser import BytesParser
from email.policy import default

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from directory.extensions import db
from tests.conftest import _make_app

HOST = "127.0.0.1"


class AppMaker:
    """Make apps on one copied database and instance folder, as separate processes would."""

    def __init__(self, tmp_path, sqlite_template, monkeypatch):
        self.tmp_path, self.monkeypatch, self.apps = tmp_path, monkeypatch, []
        self.database = tmp_path / "directory.sqlite3"
        shutil.copyfile(sqlite_template, self.database)
        for name in ("MAIL_URL", "MAIL_FROM", "OUTBOX_PATH", "MAIL_TIMEOUT"):
            monkeypatch.delenv(f"DIRECTORY_{name}", raising=False)

    def __call__(self, mail_url: str | None = None, **env: str):
        """Return an app whose DIRECTORY_MAIL_URL (and other DIRECTORY_* names) are given."""
        if mail_url:
            self.monkeypatch.setenv("DIRECTORY_MAIL_URL", mail_url)
        else:
            self.monkeypatch.delenv("DIRECTORY_MAIL_URL", raising=False)
        for name, value in env.items():
            self.monkeypatch.setenv(f"DIRECTORY_{name}", value)
        app = _make_app(self.tmp_path, f"sqlite:///{self.database}")
        self.apps.append(app)
        return app

    def close(self):
        """Close every app's database connections."""
        for app in self.apps:
            with app.app_context():
                db.engine.dispose()


def free_port() -> int:
    """Return a loopback port nothing listens on (at least for now)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Recorder:
    """An aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self, refuse_recipients: bool = False):
        self.envelopes, self.refuse_recipients = [], refuse_recipients

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_recipients:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        """Return each accepted message, parsed with the line endings a mailbox file has."""
        return [
            BytesParser(policy=default).parsebytes(e.content.replace(b"\r\n", b"\n"))
            for e in self.envelopes
        ]


def authenticator(login: bytes, password: bytes):
    """Return an aiosmtpd authenticator accepting only ``login`` with ``password``."""

    def check(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=(auth_data.login, auth_data.password) == (login, password))

    return check


@contextmanager
def smtp_server(handler, port: int | None = None, **options):
    """Run a real SMTP server on loopback for the ``with`` block; yield its port."""
    port = port or free_port()
    controller = Controller(handler, hostname=HOST, port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def self_signed_certificate(folder):
    """Return (cert, key) paths of a certificate for 127.0.0.1 made with openssl, or None."""
    if not shutil.which("openssl"):
        return None
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # fixed arguments, nothing from outside the test
        [
            *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt"),
            *("ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def server_context(cert, key) -> ssl.SSLContext:
    """Return the TLS context the test SMTP server presents."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context
