"""Keep mail that could not be sent in ``<outbox>/unsent/`` and send it again later."""

from __future__ import annotations

import fcntl
import json
import logging
import re
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.parser import BytesParser
from email.policy import default as default_policy
from email.utils import make_msgid, parseaddr
from pathlib import Path

from flask import current_app
from flask_mailman.message import sanitize_address

from directory.mail.outbox import SUFFIX, eml_name, write_file

log = logging.getLogger("directory.mail")

#: Lines put above a kept message; stripped again, byte for byte, before it is sent.
PREFIX = b"X-Directory-"
ENVELOPE, ATTEMPTS, ERROR, LAST_ATTEMPT = (
    "X-Directory-Envelope",
    "X-Directory-Attempts",
    "X-Directory-Last-Error",
    "X-Directory-Last-Attempt",
)
#: Written before the first attempt, so mail survives a process killed while sending.
SENDING = ".sending"
#: A ``.sending`` file this old was left by a process that died mid-send: retry it.
STALE_AFTER = timedelta(hours=1)
#: Failures of one message only; any other OSError means the server is out of reach.
ONE_MESSAGE_FAILURES = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
)
_ADDRESS = re.compile(r"[^\s<>\"'@,;:()\[\]]+@[^\s<>\"'@,;:()\[\]]+")


class _Rendered:
    """Stored message bytes, shaped like the MIME object Flask-Mailman's backends flatten."""

    def __init__(self, data: bytes):
        self.data = data

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        """Return the bytes with ``linesep`` line endings (SMTP wants CRLF)."""
        lines = self.data.replace(b"\r\n", b"\n")
        return lines if linesep == "\n" else lines.replace(b"\n", linesep.encode())


class Letter:
    """A message rendered once to bytes with its envelope: what is sent, kept and resent.

    It offers what Flask-Mailman's backends read from an ``EmailMessage`` (``from_email``,
    ``recipients()``, ``message()``), so a retry sends exactly the bytes first tried, with
    the same Message-ID and Date.
    """

    encoding = None

    def __init__(self, data: bytes, sender: str, to: list[str], *, attempts: int = 0):
        self.data, self.from_email, self.to, self.attempts = data, sender, to, attempts
        self.path: Path | None = None
        headers = BytesParser(policy=default_policy).parsebytes(data, headersonly=True)
        self.message_id = str(headers.get("Message-ID", ""))

    @classmethod
    def render(cls, message) -> Letter:
        """Render an ``EmailMessage``; raise ValueError if it cannot be a message at all."""
        encoding = message.encoding or current_app.extensions["mailman"].default_charset
        if not message.recipients():
            raise ValueError("A message needs at least one recipient")
        sender = sanitize_address(message.from_email, encoding)
        to = [sanitize_address(address, encoding) for address in message.recipients()]
        if not any(name.lower() == "message-id" for name in message.extra_headers):
            # The sender's domain, not this machine's name (which may be slow to look up).
            domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
            message.extra_headers = {
                **message.extra_headers,
                "Message-ID": make_msgid(domain=domain),
            }
        return cls(message.message().as_bytes(), sender, to)

    @classmethod
    def load(cls, path: Path) -> Letter:
        """Read a kept message; raise ValueError if the file is not one."""
        head, data = _split_head(path.read_bytes())
        try:
            envelope = json.loads(head[ENVELOPE])
            letter = cls(data, envelope["from"], list(envelope["to"]), attempts=int(head[ATTEMPTS]))
        except (KeyError, TypeError, json.JSONDecodeError) as error:
            raise ValueError(f"{path.name} is not a kept message") from error
        letter.path = path
        return letter

    def recipients(self) -> list[str]:
        """Return the envelope recipients (To, Cc and Bcc)."""
        return self.to

    def message(self) -> _Rendered:
        """Return the message as Flask-Mailman's backends flatten it."""
        return _Rendered(self.data)

    def kept_bytes(self, error: str | None) -> bytes:
        """Return the file a kept message is stored as: the envelope and error, then the message."""
        envelope = json.dumps({"from": self.from_email, "to": self.to}, ensure_ascii=True)
        head = [f"{ENVELOPE}: {envelope}", f"{ATTEMPTS}: {self.attempts}"]
        if error:
            head += [f"{ERROR}: {error}", f"{LAST_ATTEMPT}: {datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}"]
        return "".join(line + "\n" for line in head).encode("ascii") + self.data


def describe_error(error: BaseException) -> str:
    """Describe a delivery failure in one line, with no address and no password in it."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _text in error.recipients.values()})
        text = f"{len(error.recipients)} recipient(s) refused ({', '.join(codes)})"
    elif isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        reply = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        text = f"{error.smtp_code} {reply}"
    else:
        text = str(error)
    text = f"{type(error).__name__}: {text}"
    config = current_app.config
    for secret in (config.get("MAIL_PASSWORD"), config.get("MAIL_USERNAME")):
        if secret:
            text = text.replace(secret, "***")
    text = _ADDRESS.sub("<address>", " ".join(text.split()))
    return text.encode("ascii", "replace").decode()[:300]


def attempt(letter: Letter) -> BaseException | None:
    """Hand ``letter`` to the configured backend once; return what went wrong, or None."""
    try:
        sent = current_app.extensions["mailman"].get_connection().send_messages([letter])
    # Whatever a backend raises (refused, timed out, no such host, disk full), the message
    # must be kept, not lost, and the caller's work must go on.
    except Exception as error:
        return error
    return None if sent else RuntimeError("the mail backend accepted nothing")


@dataclass(frozen=True)
class Waiting:
    """What ``mail status`` and ``mail retry`` report about the kept messages."""

    count: int
    oldest: datetime | None
    last_error: str | None


class Unsent:
    """The folder of messages kept for another attempt."""

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def of_app(cls) -> Unsent:
        """Return the unsent folder of the current app's outbox."""
        return cls(Path(current_app.config["OUTBOX_PATH"]) / "unsent")

    def begin(self, letter: Letter) -> None:
        """Write ``letter`` down before a first attempt (it is deleted once sent)."""
        letter.path = write_file(self.folder, eml_name(SENDING), letter.kept_bytes(None))

    def keep(self, letter: Letter, error: str) -> Path:
        """Store ``letter`` with its error as a kept ``.eml``, replacing its earlier file."""
        earlier = letter.path
        name = earlier.with_suffix(SUFFIX).name if earlier else eml_name()
        letter.path = write_file(self.folder, name, letter.kept_bytes(error))
        if earlier and earlier != letter.path:
            earlier.unlink(missing_ok=True)
        return letter.path

    def forget(self, letter: Letter) -> None:
        """Delete the file of a letter that has been sent."""
        if letter.path:
            letter.path.unlink(missing_ok=True)

    def paths(self) -> list[Path]:
        """Return the kept messages, oldest first, with any a dead process left mid-send."""
        if not self.folder.is_dir():
            return []
        stale = datetime.now().timestamp() - STALE_AFTER.total_seconds()
        found = list(self.folder.glob(f"*{SUFFIX}"))
        found += [p for p in self.folder.glob(f"*{SENDING}") if _mtime(p) < stale]
        return sorted(found, key=lambda path: path.name)

    def waiting(self) -> Waiting:
        """Count the kept messages and say since when the oldest waits and what failed last."""
        paths = self.paths()
        if not paths:
            return Waiting(0, None, None)
        newest = max(paths, key=_mtime)
        try:
            error = _split_head(newest.read_bytes())[0].get(ERROR)
        except (OSError, UnicodeDecodeError):
            error = None
        return Waiting(len(paths), _queued_at(paths[0]), error)

    def retry(self) -> tuple[int, Waiting] | None:
        """Send the kept messages again, oldest first; return how many went, or None if busy."""
        with self._lock() as locked:
            if not locked:
                return None
            sent = 0
            for path in self.paths():
                try:
                    letter = Letter.load(path)
                except (ValueError, OSError):
                    log.error("Skipped %s in the unsent mail: it is not a kept message", path.name)
                    continue
                error = attempt(letter)
                if error is None:
                    self.forget(letter)
                    sent += 1
                    continue
                letter.attempts += 1
                self.keep(letter, describe_error(error))
                if isinstance(error, OSError) and not isinstance(error, ONE_MESSAGE_FAILURES):
                    break  # the server is out of reach: the rest would only wait for timeouts
            return sent, self.waiting()

    @contextmanager
    def _lock(self) -> Iterator[bool]:
        """Hold the folder's retry lock if no other ``mail retry`` holds it."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(self.folder / ".retry.lock", "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _split_head(data: bytes) -> tuple[dict[str, str], bytes]:
    """Split a kept file into its X-Directory lines and the message's own bytes."""
    head = {}
    while data.startswith(PREFIX):
        line, _, data = data.partition(b"\n")
        name, _, value = line.decode("ascii").partition(":")
        head[name.strip()] = value.strip()
    return head, data


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _queued_at(path: Path) -> datetime:
    """Return when a kept message was first tried, from its file name (its mtime otherwise)."""
    try:
        stamp = datetime.strptime(path.name.split("-", 1)[0], "%Y%m%dT%H%M%S.%fZ")
        return stamp.replace(tzinfo=UTC)
    except ValueError:
        return datetime.fromtimestamp(_mtime(path), UTC)
