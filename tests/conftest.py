"""Shared fixtures: apps on a fresh, migrated database per test, with no network."""

from __future__ import annotations

import os
import shutil
import socket
import uuid

import pytest
from sqlalchemy import create_engine, make_url, text

from directory import create_app
from directory.extensions import db

TEST_SECRET = "test-secret-key"
PG_ENV = "DIRECTORY_TEST_DATABASE_URL"
LOOPBACK = ("127.0.0.1", "::1", "localhost")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Refuse any connection that leaves this machine, so no test reaches a real service."""
    real_connect = socket.socket.connect

    def guarded_connect(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in LOOPBACK and not host.startswith("/"):
            raise OSError(f"test tried to reach the network: {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


def _make_app(instance, database_url, **extra):
    config = {
        "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": TEST_SECRET,
        "TESTING": True,
        "INDEX_PATH": str(instance / "index"),
        "RATELIMIT_ENABLED": False,
    }
    config.update(extra)
    return create_app(config)


def _migrate_and_load(app):
    from flask_migrate import upgrade

    from directory.taxonomy import load_taxonomy

    with app.app_context():
        upgrade()
        load_taxonomy(db.session)
        db.session.commit()
        db.engine.dispose()


def _settle(application) -> None:
    """Let the work a test started in the background end, then close every connection.

    An index repair or a feed build still running holds a connection: returned after the
    pool is disposed, it would stay open until the collector frees it, mid-way through a
    later test, with a ResourceWarning.
    """
    from directory.interchange import feed_cache

    engine = application.extensions.get("search")
    if engine is not None:
        engine.wait_for_repair(60)
    feed_cache.wait_for_builds(60)
    db.session.remove()
    db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """Return a SQLite file migrated and loaded with the taxonomy, to copy per test."""
    base = tmp_path_factory.mktemp("template")
    path = base / "template.sqlite3"
    _migrate_and_load(_make_app(base, f"sqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_database(tmp_path_factory):
    """Create a throwaway PostgreSQL database, migrate it, and drop it at the end."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV}, e.g. postgresql+psycopg://postgres@127.0.0.1/test"
        )
    admin_url = make_url(url)
    name = f"directory_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    test_url = admin_url.set(database=name).render_as_string(hide_password=False)
    _migrate_and_load(_make_app(tmp_path_factory.mktemp("pg"), test_url))
    yield test_url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _reset_postgres(app):
    """Empty every table but the taxonomy, so each test starts clean."""
    keep = {"taxonomy_term", "language", "alembic_version"}
    tables = [t.name for t in db.metadata.sorted_tables if t.name not in keep]
    with app.app_context():
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        db.session.commit()


@pytest.fixture
def app(tmp_path, sqlite_template):
    """Yield an app on its own migrated SQLite database, inside an app context."""
    database = tmp_path / "directory.sqlite3"
    shutil.copyfile(sqlite_template, database)
    application = _make_app(tmp_path, f"sqlite:///{database}")
    with application.app_context():
        yield application
        _settle(application)


@pytest.fixture
def configured_app(tmp_path, sqlite_template):
    """Return a maker of an app on its own SQLite database with settings of a test's own.

    ``configured_app(RATELIMIT_ENABLED=True, ...)`` returns the app, inside its app context,
    which is left (and the app settled) after the test.
    """
    made = []

    def make(**config):
        database = tmp_path / f"configured-{len(made)}.sqlite3"
        shutil.copyfile(sqlite_template, database)
        application = _make_app(tmp_path, f"sqlite:///{database}", **config)
        context = application.app_context()
        context.push()
        made.append((application, context))
        return application

    yield make
    for application, context in reversed(made):
        _settle(application)
        context.pop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_app(request, tmp_path):
    """Yield an app on each real database: SQLite always, PostgreSQL when configured."""
    if request.param == "sqlite":
        yield request.getfixturevalue("app")
        return
    url = request.getfixturevalue("postgres_database")
    application = _make_app(tmp_path, url)
    _reset_postgres(application)
    with application.app_context():
        yield application
        _settle(application)


@pytest.fixture
def client(request):
    """Return a test client for the test's app: ``db_app``'s when it asks for it, else ``app``'s."""
    name = "db_app" if "db_app" in request.fixturenames else "app"
    return request.getfixturevalue(name).test_client()


@pytest.fixture
def runner(app):
    """Return a CLI runner for ``app``."""
    return app.test_cli_runner()
