"""Load settings from ``DIRECTORY_*`` environment variables, with embedded defaults."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENV_PREFIX = "DIRECTORY_"

#: Settings a deployment may set through ``DIRECTORY_<NAME>``, with what each does.
#: README.md documents the same table; ``describe_settings()`` keeps them in step.
SETTINGS: dict[str, str] = {
    "INSTANCE_PATH": "Folder for all runtime state (database, search index, outbox). "
    "Default: ./instance",
    "DATABASE_URL": "SQLAlchemy URL of the database. Default: SQLite file "
    "<instance>/directory.sqlite3. Example: postgresql+psycopg://user@host/dbname",
    "SECRET_KEY": "Key that signs sessions and links. Default: generated once and kept in "
    "<instance>/secret_key",
    "INDEX_PATH": "Folder of the Whoosh search index. Default: <instance>/index",
    "OUTBOX_PATH": "Folder where emails are written when no SMTP server is set. "
    "Default: <instance>/outbox",
    "GEOCODER": "'offline' (default, the shipped gazetteer) or 'nominatim' (online, "
    "for street addresses)",
    "GEOCODER_USER_AGENT": "User agent sent to Nominatim; required with GEOCODER=nominatim",
    "GEOCODER_DOMAIN": "Nominatim server to use instead of the public one",
    "SMTP_HOST": "SMTP server for outgoing mail; unset means mail goes to the outbox folder",
    "SMTP_PORT": "SMTP port. Default: 587",
    "SMTP_USERNAME": "SMTP login",
    "SMTP_PASSWORD": "SMTP password",
    "MAIL_FROM": "Sender address of outgoing mail. Default: directory@localhost",
    "CONTACT_EMAIL": "Address people write to about a listing (the 'report a problem' link). "
    "Default: MAIL_FROM",
    "RATELIMIT_STORAGE_URL": "Where rate-limit counters live: memory:// (default) or "
    "redis://host:6379",
    "TILE_URL": "Map tile URL template, used only after a person opts in to the map",
    "DEMO_COUNT": "How many demo listings `make run` loads. Default: 2000",
}


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(ENV_PREFIX + name)
    return value if value not in (None, "") else default


def _secret_key(instance: Path) -> str:
    """Return the configured secret key, or one generated once into the instance folder."""
    configured = _env("SECRET_KEY")
    if configured:
        return configured
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


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
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SECRET_KEY": overrides.pop("SECRET_KEY", None) or _secret_key(instance),
        "INDEX_PATH": _env("INDEX_PATH", str(instance / "index")),
        "OUTBOX_PATH": _env("OUTBOX_PATH", str(instance / "outbox")),
        "GEOCODER": _env("GEOCODER", "offline"),
        "GEOCODER_USER_AGENT": _env("GEOCODER_USER_AGENT"),
        "GEOCODER_DOMAIN": _env("GEOCODER_DOMAIN"),
        "SMTP_HOST": _env("SMTP_HOST"),
        "SMTP_PORT": int(_env("SMTP_PORT", "587")),
        "SMTP_USERNAME": _env("SMTP_USERNAME"),
        "SMTP_PASSWORD": _env("SMTP_PASSWORD"),
        "MAIL_FROM": _env("MAIL_FROM", "directory@localhost"),
        "CONTACT_EMAIL": _env("CONTACT_EMAIL"),
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URL", "memory://"),
        "TILE_URL": _env("TILE_URL"),
        "DEMO_COUNT": int(_env("DEMO_COUNT", "2000")),
        "PLACE_CACHE_PATH": str(instance / "places.pickle"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
    }
    config.update(overrides)
    return config


def describe_settings() -> list[tuple[str, str]]:
    """Return (variable, meaning) pairs for every supported environment variable."""
    return [(ENV_PREFIX + name, text) for name, text in SETTINGS.items()]
