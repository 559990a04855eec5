"""Load settings from ``DIRECTORY_*`` environment variables, with embedded defaults."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import secrets
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

ENV_PREFIX = "DIRECTORY_"

#: Settings a deployment may set through ``DIRECTORY_<NAME>``, with what each does.
#: README.md documents the same table; ``describe_settings()`` keeps them in step.
SETTINGS: dict[str, str] = {
    "INSTANCE_PATH": "Folder for all runtime state (database, search index, caches). "
    "Default: ./instance",
    "DATABASE_URL": "SQLAlchemy URL of the database. Default: SQLite file "
    "<instance>/directory.sqlite3. Example: postgresql+psycopg://user@host/dbname",
    "SECRET_KEY": "Key that signs sessions and links. Default: generated once and kept in "
    "<instance>/secret_key",
    "INDEX_PATH": "Folder of the Whoosh search index. Default: <instance>/index",
    "GEOCODER": "'offline' (default, the shipped gazetteer) or 'nominatim' (online, "
    "for street addresses)",
    "GEOCODER_USER_AGENT": "User agent sent to Nominatim; required with GEOCODER=nominatim",
    "GEOCODER_DOMAIN": "Nominatim server to use instead of the public one",
    "CONTACT_EMAIL": "Address people write to about a listing (the 'report a problem' link). "
    "Default: directory@localhost; set it in production",
    "RATELIMIT_STORAGE_URL": "Where rate-limit counters live: memory:// (default, one "
    "process) or redis://host:6379 (shared by all workers)",
    "RATE_LIMIT": "Requests one client address may make to the whole site, all pages, feeds and "
    "API calls counted together, e.g. '300 per minute; 5000 per hour' (the default). Static "
    "files are not counted",
    "FEED_RATE_LIMIT": "A lower limit, on top, for the answers that hold many listings (the "
    "export feeds, the calendar files and the referral sheet's PDF). "
    "Default: '30 per minute; 300 per hour'",
    "RATELIMIT_KEY_PREFIX": "Prefix of the rate-limit counters' keys, so several sites (say, "
    "staging and production) can share one Redis. Default: none",
    "PROXY_HOPS": "How many reverse proxies stand in front of the site and set X-Forwarded-For "
    "and X-Forwarded-Proto. Default: 0 (those headers are ignored, since a client could "
    "forge them)",
    "WORKERS": "How many gunicorn worker processes `make serve` starts. Default: the number of "
    "CPU cores",
    "TRUSTED_HOSTS": "Comma-separated host names the site answers to, in any case (e.g. "
    "'groups.example.org'): a name accepts any port, 'name:8443' only that port, "
    "'.example.org' that domain and every name under it. Any other Host gets the 400 page, "
    "so links in pages and feeds can't be pointed elsewhere. Unset: any host (fine for local "
    "use only)",
    "BASE_URL": "Public address of the site, e.g. 'https://groups.example.org/'. Absolute links "
    "in feeds, emails, QR codes and JSON-LD use it, whatever Host a request names. Unset: "
    "the address of the request (set it in production)",
    "TILE_URL": "Map tile URL template, used only after a person opts in to the map",
    "EMBED_ORIGINS": "Space- or comma-separated origins of partner sites allowed to show the "
    "search at /embed in an iframe, each a scheme and host with an optional port, e.g. "
    "'https://nami-example.org https://clinic.example:8443'. Default: none (no site may "
    "frame it). The rest of the site can never be framed",
    "DEMO_COUNT": "How many demo listings `make run` loads. Default: 2000",
    "MAIL_URL": "Where mail goes: unset, into the outbox folder as .eml files; "
    "smtp://user:password@host:587 (STARTTLS), smtps://user:password@host:465 (TLS) or "
    "smtp://host:25?tls=off (a local relay), user and password percent-encoded",
    "MAIL_FROM": "The From of every message. Default: Peer Support Directory <directory@localhost>",
    "MAIL_TIMEOUT": "Seconds to wait for the SMTP server before keeping a message for retry. "
    "Default: 10",
    "OUTBOX_PATH": "Folder of the outbox (.eml files) and of unsent/, mail kept for "
    "`directory mail retry`. Default: <instance>/outbox",
    "SIGN_IN_ATTEMPTS": "Wrong passwords in a row that lock a moderator's account. Default: 5",
    "SIGN_IN_LOCK_MINUTES": "Minutes a locked moderator's account stays locked. Default: 15",
    "SIGN_IN_RATE_LIMIT": "Sign-in and password-reset forms one client address may send, "
    "e.g. '10 per minute; 50 per hour' (the default)",
    "RESET_LINK_HOURS": "Hours a moderator's password-reset link works. Default: 2",
    "ANSWER_LINK_DAYS": "Days the link to answer a moderator's question works. Default: 14",
    "REVIEW_DAYS": "Days a review usually takes, as organisers are told after submitting. "
    "Default: 3",
    "SUBMIT_MIN_SECONDS": "Seconds the submission form must be open before it is sent (faster "
    "is taken for a script). Default: 5",
    "SUBMIT_RATE_LIMIT": "Listings one client address may send for review (previews are not "
    "counted), e.g. '5 per hour; 20 per day' (the default)",
    "MANAGE_LINK_DAYS": "Days an organiser's manage link works (a fresh one can be asked for "
    "at any time). Default: 60",
    "MANAGE_LINK_RATE_LIMIT": "Requests for a fresh manage link one client address may make, "
    "e.g. '5 per hour; 20 per day' (the default); each listing's organiser also gets at most "
    "3 such emails an hour",
    "REPORT_RATE_LIMIT": "Problem reports one client address may send, e.g. '5 per hour; "
    "20 per day' (the default)",
    "REVIEW_AFTER": "How long after its last confirmation a listing's organiser is reminded to "
    "confirm it, as '6 months' (the default), '26 weeks' or '180 days'",
    "REMIND_EVERY": "The least time between two reminders about one listing. Default: '1 month'",
    "HIDE_AFTER": "How long after its last confirmation a listing leaves search (it is kept, "
    "and returns once confirmed). Default: '18 months'",
}


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(ENV_PREFIX + name)
    return value if value not in (None, "") else default


def _hosts(value: str | None) -> list[str] | None:
    return [h.strip() for h in value.split(",") if h.strip()] if value else None


def _secret_key(instance: Path) -> str:
    """Return the configured secret key, or one generated once into the instance folder."""
    configured = _env("SECRET_KEY")
    if configured:
        return configured
    key_file = instance / "secret_key"
    try:
        # Created private and exclusively: the first of several starting workers writes it,
        # the others read what it wrote.
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _attempt in range(50):
            key = key_file.read_text().strip()
            if key:
                return key
            time.sleep(0.01)  # another worker is between creating and writing the file
        raise RuntimeError(f"{key_file} is empty; delete it or set DIRECTORY_SECRET_KEY") from None
    key = secrets.token_hex(32)
    with os.fdopen(descriptor, "w") as file:
        file.write(key)
    return key


def _base_url(value: str | None) -> str | None:
    """Return a configured base URL with one trailing slash; refuse one that is not a site."""
    if not value:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.username:
        raise ValueError(
            f"{ENV_PREFIX}BASE_URL must be an http(s) address like https://groups.example.org/, "
            f"not {value!r}"
        )
    return value.strip().rstrip("/") + "/"


_HOST_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


def _origin(text: str) -> str:
    """Return one origin in its plain form ('https://host[:port]'), or raise ValueError."""
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.netloc.startswith("[") and host:
        try:
            host = f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError:
            host = ""
    elif not _HOST_NAME.match(host):
        host = ""
    if (
        parts.scheme.lower() not in ("http", "https")
        or not host
        or port == -1
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or text.endswith(("?", "#"))
    ):
        raise ValueError(text)
    return f"{parts.scheme.lower()}://{host}" + (f":{port}" if port is not None else "")


def embed_origins(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Return the origins allowed to frame /embed, refusing at start any that is not one.

    ``value`` is DIRECTORY_EMBED_ORIGINS (space- or comma-separated) or a list of origins.
    """
    if not value:
        return ()
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    origins: list[str] = []
    for item in items:
        try:
            origin = _origin(str(item).strip())
        except ValueError:
            raise ValueError(
                f"{ENV_PREFIX}EMBED_ORIGINS must list origins like https://nami-example.org "
                f"(a scheme, a host and an optional port, no path), not {str(item)!r}"
            ) from None
        if origin not in origins:
            origins.append(origin)
    return tuple(origins)


def _rate_limit(name: str, default: str) -> str:
    """Return a configured rate limit, refusing at start one that cannot be read."""
    from limits import parse_many

    value = _env(name, default)
    try:
        parse_many(value)
    except ValueError:
        raise ValueError(
            f"{ENV_PREFIX}{name} must read like '300 per minute; 5000 per hour', not {value!r}"
        ) from None
    return value


def _count(name: str, default: str) -> int:
    """Return a configured whole number from 1, refusing at start anything else."""
    value = _env(name, default)
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{ENV_PREFIX}{name} must be a whole number from 1, not {value!r}")
    return int(value)


_PERIOD_DAYS = {"day": 1, "week": 7, "month": 365.25 / 12, "year": 365.25}


def _period(name: str, default: str) -> dt.timedelta:
    """Return a configured length of time such as '6 months', '26 weeks' or '180 days'."""
    value = _env(name, default)
    number, _space, unit = value.strip().lower().partition(" ")
    unit = unit.strip().removesuffix("s")
    if not number.isdigit() or int(number) < 1 or unit not in _PERIOD_DAYS:
        raise ValueError(
            f"{ENV_PREFIX}{name} must read like '6 months', '26 weeks' or '180 days', not {value!r}"
        )
    return dt.timedelta(days=round(int(number) * _PERIOD_DAYS[unit]))


def _proxy_hops(value: str) -> int:
    """Return how many proxies to trust, refusing anything but a whole number from 0."""
    if not value.isdigit():
        raise ValueError(f"{ENV_PREFIX}PROXY_HOPS must be 0, 1, 2..., not {value!r}")
    return int(value)


def _mail_config(instance: Path) -> dict:
    """Return the mail settings (outbox or SMTP), refusing at start ones that cannot work."""
    from directory.mail.settings import mail_config

    return mail_config(_env, instance)


def load_config(overrides: dict | None = None) -> dict:
    """Build the Flask config mapping from the environment and ``overrides``."""
    overrides = dict(overrides or {})
    instance = Path(
        overrides.pop("INSTANCE_PATH", None) or _env("INSTANCE_PATH", "instance")
    ).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    database_url = _env("DATABASE_URL", f"sqlite:///{instance / 'directory.sqlite3'}")
    config = {
        "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # hide_parameters: a failed statement's message never carries its values (an
        # organiser's private contact, say) into a traceback or a log line.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "SECRET_KEY": overrides.pop("SECRET_KEY", None) or _secret_key(instance),
        "INDEX_PATH": _env("INDEX_PATH", str(instance / "index")),
        "GEOCODER": _env("GEOCODER", "offline"),
        "GEOCODER_USER_AGENT": _env("GEOCODER_USER_AGENT"),
        "GEOCODER_DOMAIN": _env("GEOCODER_DOMAIN"),
        "CONTACT_EMAIL": _env("CONTACT_EMAIL", "directory@localhost"),
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URL", "memory://"),
        "RATE_LIMIT": _rate_limit("RATE_LIMIT", "300 per minute; 5000 per hour"),
        "FEED_RATE_LIMIT": _rate_limit("FEED_RATE_LIMIT", "30 per minute; 300 per hour"),
        "RATELIMIT_KEY_PREFIX": _env("RATELIMIT_KEY_PREFIX", ""),
        "RATELIMIT_ENABLED": True,
        # A Redis outage must not take the site down: count in memory meanwhile, and log it.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "PROXY_HOPS": _proxy_hops(_env("PROXY_HOPS", "0")),
        "TRUSTED_HOSTS": _hosts(_env("TRUSTED_HOSTS")),
        "BASE_URL": _base_url(_env("BASE_URL")),
        "TILE_URL": _env("TILE_URL"),
        "EMBED_ORIGINS": _env("EMBED_ORIGINS"),
        "DEMO_COUNT": int(_env("DEMO_COUNT", "2000")),
        "PLACE_CACHE_PATH": str(instance / "places.pickle"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": (_env("BASE_URL") or "").startswith("https:"),
        # Moderators' sign-ins: the public site keeps nothing in the session but a form's
        # CSRF token, so a 12-hour session changes nothing for it.
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=12),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": (_env("BASE_URL") or "").startswith("https:"),
        "SIGN_IN_ATTEMPTS": _count("SIGN_IN_ATTEMPTS", "5"),
        "SIGN_IN_LOCK_MINUTES": _count("SIGN_IN_LOCK_MINUTES", "15"),
        "SIGN_IN_RATE_LIMIT": _rate_limit("SIGN_IN_RATE_LIMIT", "10 per minute; 50 per hour"),
        "RESET_LINK_HOURS": _count("RESET_LINK_HOURS", "2"),
        "ANSWER_LINK_DAYS": _count("ANSWER_LINK_DAYS", "14"),
        "REVIEW_DAYS": _count("REVIEW_DAYS", "3"),
        "SUBMIT_MIN_SECONDS": _count("SUBMIT_MIN_SECONDS", "5"),
        "SUBMIT_RATE_LIMIT": _rate_limit("SUBMIT_RATE_LIMIT", "5 per hour; 20 per day"),
        "MANAGE_LINK_DAYS": _count("MANAGE_LINK_DAYS", "60"),
        "MANAGE_LINK_RATE_LIMIT": _rate_limit("MANAGE_LINK_RATE_LIMIT", "5 per hour; 20 per day"),
        "REPORT_RATE_LIMIT": _rate_limit("REPORT_RATE_LIMIT", "5 per hour; 20 per day"),
        "REVIEW_AFTER": _period("REVIEW_AFTER", "6 months"),
        "REMIND_EVERY": _period("REMIND_EVERY", "1 month"),
        "HIDE_AFTER": _period("HIDE_AFTER", "18 months"),
        **_mail_config(instance),
    }
    config.update(overrides)
    config["EMBED_ORIGINS"] = embed_origins(config["EMBED_ORIGINS"])
    return config


def describe_settings() -> list[tuple[str, str]]:
    """Return (variable, meaning) pairs for every supported environment variable."""
    return [(ENV_PREFIX + name, text) for name, text in SETTINGS.items()]
