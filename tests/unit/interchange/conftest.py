"""Helpers for the interchange tests: the project's fixtures, imports, a second empty instance."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.interchange.pipeline import ImportOptions, run_import
from directory.models import Group
from tests.conftest import _make_app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "interchange"


def run(location, **options):
    """Import ``location`` (a path or URL) into the current app's database."""
    return run_import(db.session, str(location), ImportOptions(**options))


def groups(source: str | None = None) -> list[Group]:
    """Return every listing, or one source's, in id order."""
    query = select(Group).order_by(Group.id)
    if source is not None:
        query = query.where(Group.source == source)
    return list(db.session.scalars(query))


def by_ref(source: str) -> dict[str, Group]:
    """Return one source's listings by their id in the source."""
    return {group.source_ref: group for group in groups(source)}


def messages(report, outcome: str) -> dict[str, str]:
    """Return position -> message for the records with ``outcome``."""
    return {entry.position: entry.message for entry in report.of(outcome)}


@pytest.fixture
def fixtures() -> Path:
    """Return the folder of the project's own interchange fixtures."""
    return FIXTURES


@pytest.fixture
def empty_app(tmp_path, sqlite_template):
    """Return a second app on its own empty (migrated, taxonomy loaded) database."""
    folder = tmp_path / "other-instance"
    folder.mkdir()
    database = folder / "directory.sqlite3"
    shutil.copyfile(sqlite_template, database)
    application = _make_app(folder, f"sqlite:///{database}")
    yield application
    with application.app_context():
        db.engine.dispose()
