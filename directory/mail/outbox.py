"""Write each message as one RFC 5322 ``.eml`` file in the outbox: the default backend."""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from flask_mailman.backends.base import BaseEmailBackend

SUFFIX = ".eml"


def eml_name(suffix: str = SUFFIX) -> str:
    """Return a file name that sorts by time and never collides with another's."""
    now = datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%S.%fZ}-{secrets.token_hex(6)}{suffix}"


def write_file(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``folder/name`` atomically, readable by this user only."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    final = folder / name
    # A dot and no .eml suffix: nothing that lists the folder mistakes a half-written file
    # for a message, and os.replace makes the whole file appear at once.
    temporary = folder / f".{name}.{secrets.token_hex(4)}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return final


class EmailBackend(BaseEmailBackend):
    """Deliver messages into the outbox folder, one ``.eml`` file each.

    Flask-Mailman's own ``file`` backend appends every message of a connection to one
    ``.log`` file with separator lines, which no mail program opens; this one writes the
    message's exact bytes, so each file opens in a mail client or parses with ``email``.
    """

    def __init__(self, *args, file_path: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = Path(file_path or self.mailman.file_path)

    def send_messages(self, email_messages) -> int:
        """Write each message to its own file and return how many were written."""
        written = 0
        for message in email_messages:
            if not message.recipients():
                continue
            write_file(self.folder, eml_name(), message.message().as_bytes())
            written += 1
        return written
