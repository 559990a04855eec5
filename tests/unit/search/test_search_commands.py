"""``flask directory reindex``: a full rebuild, or only what is stale."""

from __future__ import annotations

from directory.extensions import db
from directory.models import Group
from directory.search import get_engine
from tests.unit.search.fixed_directory import PUBLISHED


def test_reindex_rebuilds_with_a_progress_bar(runner, ids):
    result = runner.invoke(args=["directory", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexing listings" in result.output
    assert f"Indexed {len(PUBLISHED)} published listings" in result.output
    assert get_engine().index.staleness(db.session) is None


def test_reindex_if_stale_does_nothing_when_current(runner, ids):
    runner.invoke(args=["directory", "reindex"])
    result = runner.invoke(args=["directory", "reindex", "--if-stale"])
    assert result.exit_code == 0
    assert "The search index is up to date." in result.output


def test_reindex_if_stale_builds_a_missing_index(runner, ids):
    result = runner.invoke(args=["directory", "reindex", "--if-stale"])
    assert result.exit_code == 0, result.output
    assert "The search index is missing." in result.output
    assert "Search index rebuilt (missing)" in result.output


def test_reindex_if_stale_repairs_missed_changes(app, runner, ids):
    runner.invoke(args=["directory", "reindex"])
    app.config["SEARCH_SYNC"] = False
    db.session.get(Group, ids["pending"]).status = "published"
    db.session.commit()
    result = runner.invoke(args=["directory", "reindex", "--if-stale"])
    assert "The search index is out of date." in result.output
    assert "Search index repaired (changed)" in result.output


def test_reindex_reports_a_locked_index(runner, ids, monkeypatch):
    from directory.search import index as index_module

    runner.invoke(args=["directory", "reindex"])
    monkeypatch.setattr(index_module, "REBUILD_LOCK_TIMEOUT", 0.05)
    with get_engine().index.locked():
        result = runner.invoke(args=["directory", "reindex"])
    assert result.exit_code == 1
    assert "another process is writing to it" in result.output
