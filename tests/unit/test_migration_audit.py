"""The audit migration upgrades a database holding listings, and downgrades, on both databases."""

from __future__ import annotations

import os
import uuid

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, make_url, text

from directory.extensions import db
from tests.conftest import PG_ENV, _make_app

BEFORE = "a0d06afc9fd5"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request, tmp_path):
    """Yield the URL of a database with no tables, SQLite or PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    if not os.environ.get(PG_ENV):
        pytest.skip(f"PostgreSQL tests need {PG_ENV}")
    admin_url = make_url(os.environ[PG_ENV])
    name = f"directory_migration_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin_url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_existing_listings_get_no_corrections_and_downgrade_removes_the_tables(
    empty_database, tmp_path
):
    app = _make_app(tmp_path, empty_database)
    with app.app_context():
        upgrade(revision=BEFORE)
        db.session.execute(text(
            "INSERT INTO support_group (name, description, format, cost, facilitation, "
            "registration_required, join_visibility, status, timezone, is_demo, created_at, "
            "updated_at) VALUES ('Grief Circle', '', 'online', 'free', 'peer', false, 'public', "
            "'published', 'UTC', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))  # fmt: skip
        db.session.commit()
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"audit_record", "moderator", "moderator_organization"} <= tables
        stored = db.session.execute(text("SELECT corrected_fields FROM support_group")).scalar()
        assert stored in ("[]", [])
        db.session.remove()  # else PostgreSQL's downgrade waits on this session's locks
        downgrade(revision=BEFORE)
        inspector = inspect(db.engine)
        assert "audit_record" not in inspector.get_table_names()
        assert "corrected_fields" not in {c["name"] for c in inspector.get_columns("support_group")}
        db.engine.dispose()
