"""Send mail that is never lost: to the outbox folder by default, over SMTP when configured.

``send(compose(...))`` writes the message down, hands it to the configured Flask-Mailman
backend and answers a ``Delivery``; a message the backend refuses stays in
``<outbox>/unsent/`` for ``flask directory mail retry``. A delivery failure is never raised.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from flask import Flask
from flask_mailman import EmailMessage, EmailMultiAlternatives, Mail

from directory.mail.queue import Letter, Unsent, attempt, describe_error

log = logging.getLogger("directory.mail")
mailman = Mail()


def init_app(app: Flask) -> None:
    """Bind Flask-Mailman to ``app`` with the backend its DIRECTORY_MAIL_* settings chose."""
    # One setting, OUTBOX_PATH, names the folder; Flask-Mailman's backends read this one.
    app.config["MAIL_FILE_PATH"] = app.config["OUTBOX_PATH"]
    mailman.init_app(app)


@dataclass(frozen=True)
class Delivery:
    """What became of a message: sent, kept for retry, or (disk and server both failing) lost."""

    status: Literal["sent", "kept", "failed"]
    message_id: str
    error: str | None = None
    kept_as: Path | None = None

    @property
    def sent(self) -> bool:
        """Return whether the backend accepted the message."""
        return self.status == "sent"


def compose(
    subject: str,
    body: str,
    to: list[str],
    *,
    html: str | None = None,
    language: str | None = None,
    reply_to: list[str] | None = None,
) -> EmailMultiAlternatives:
    """Build a UTF-8 text message (with an HTML alternative if given) from the site."""
    headers = {"Content-Language": language} if language else {}
    message = EmailMultiAlternatives(
        subject, body, None, list(to), reply_to=reply_to, headers=headers
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def send(message: EmailMessage) -> Delivery:
    """Deliver ``message``, keeping it for ``mail retry`` if the backend fails.

    Raises ValueError only for a message that cannot be built (no recipient, an address that
    is not one, a header with a line break): that is the caller's bug, not a delivery failure.
    """
    letter = Letter.render(message)
    unsent = Unsent.of_app()
    try:
        unsent.begin(letter)
    except OSError as error:
        log.error("Mail %s could not be written down first (%s)", letter.message_id, error)
    failure = attempt(letter)
    if failure is None:
        try:
            unsent.forget(letter)
        except OSError as error:  # it would be sent again, not lost; say why
            log.error("Sent mail %s could not be crossed off (%s)", letter.message_id, error)
        return Delivery("sent", letter.message_id)
    error = describe_error(failure)
    letter.attempts = 1
    try:
        kept = unsent.keep(letter, error)
    except OSError as keep_error:
        log.error(
            "Mail %s was not sent (%s) and could not be kept (%s)",
            letter.message_id,
            error,
            describe_error(keep_error),
        )
        return Delivery("failed", letter.message_id, error)
    log.warning(
        "Mail %s was not sent (%s); kept as %s for `flask directory mail retry`",
        letter.message_id,
        error,
        kept.name,
    )
    return Delivery("kept", letter.message_id, error, kept)
