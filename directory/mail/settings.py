"""Turn the DIRECTORY_MAIL_* settings into Flask-Mailman's configuration, refusing bad ones."""

from __future__ import annotations

from email.errors import HeaderParseError
from email.headerregistry import parser as address_parser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

#: Backends by dotted module, in Flask-Mailman's convention (each module has ``EmailBackend``).
OUTBOX_BACKEND = "directory.mail.outbox"
SMTP_BACKEND = "directory.mail.smtp"

DEFAULT_FROM = "Peer Support Directory <directory@localhost>"
DEFAULT_TIMEOUT = 10.0

#: How each scheme encrypts by default, and its default port.
SCHEMES = {"smtp": ("starttls", 587), "smtps": ("ssl", 465)}
TLS_CHOICES = {"smtp": ("starttls", "off"), "smtps": ("ssl",)}

URL_SHAPE = (
    "smtp://user:password@host:587 (STARTTLS), smtps://user:password@host:465 (TLS) "
    "or smtp://host:25?tls=off (a local relay), with user and password percent-encoded"
)


class MailSettingError(ValueError):
    """A mail setting that cannot be used; the message never repeats a password."""


def _refuse(name: str, reason: str) -> MailSettingError:
    return MailSettingError(f"DIRECTORY_{name} {reason}")


def parse_mail_url(value: str) -> dict:
    """Return Flask-Mailman's SMTP settings for a ``smtp://`` or ``smtps://`` URL."""

    def refuse(reason: str) -> MailSettingError:
        # Only the reason, never the value: the URL may hold the password.
        return _refuse("MAIL_URL", f"{reason}; it must look like {URL_SHAPE}")

    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        raise refuse(
            "has a port that is not a number from 1 to 65535 (or a '/', '#' or '@' in the "
            "password that is not percent-encoded)"
        ) from None
    if parts.scheme not in SCHEMES:
        raise refuse("must start with smtp:// or smtps://")
    if not parts.hostname:
        raise refuse("names no server")
    if parts.path not in ("", "/") or parts.fragment:
        raise refuse("has a path or '#' after the server (percent-encode '/', '#' and '@')")
    try:
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        raise refuse("has a query that cannot be read") from None
    if set(query) - {"tls"} or any(len(values) != 1 for values in query.values()):
        raise refuse("takes only one option, tls")
    default_tls, default_port = SCHEMES[parts.scheme]
    tls = query.get("tls", [default_tls])[0]
    if tls not in TLS_CHOICES[parts.scheme]:
        raise refuse(
            f"has tls={tls!r}; {parts.scheme}:// takes {' or '.join(TLS_CHOICES[parts.scheme])}"
        )
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if bool(username) != bool(password):
        raise refuse("has a user without a password, or a password without a user")
    return {
        "MAIL_BACKEND": SMTP_BACKEND,
        "MAIL_SERVER": parts.hostname,
        "MAIL_PORT": port or default_port,
        "MAIL_USERNAME": username,
        "MAIL_PASSWORD": password,
        "MAIL_USE_TLS": tls == "starttls",
        "MAIL_USE_SSL": tls == "ssl",
    }


def parse_sender(value: str) -> str:
    """Return a From address after checking it reads as one mailbox."""
    try:
        token, rest = address_parser.get_mailbox(value.strip())
    except (HeaderParseError, ValueError, IndexError):
        token, rest = None, "?"
    if rest or token is None or not token.domain or "\n" in value or "\r" in value:
        raise _refuse(
            "MAIL_FROM",
            f"must be one address like 'Peer Support Directory <directory@example.org>', "
            f"not {value!r}",
        )
    return value.strip()


def parse_timeout(value: str) -> float:
    """Return the SMTP timeout in seconds, refusing anything but a positive number."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 600:
        raise _refuse("MAIL_TIMEOUT", f"must be a number of seconds from 1 to 600, not {value!r}")
    return seconds


def mail_config(env, instance: Path) -> dict:
    """Return the mail part of the Flask config; ``env(name, default)`` reads a setting."""
    outbox = env("OUTBOX_PATH", str(instance / "outbox"))
    url = env("MAIL_URL")
    config = {
        "MAIL_BACKEND": OUTBOX_BACKEND,
        "MAIL_DEFAULT_SENDER": parse_sender(env("MAIL_FROM", DEFAULT_FROM)),
        "MAIL_TIMEOUT": parse_timeout(env("MAIL_TIMEOUT", str(DEFAULT_TIMEOUT))),
        "OUTBOX_PATH": str(Path(outbox).resolve()),
    }
    if url:
        config.update(parse_mail_url(url))
    return config
