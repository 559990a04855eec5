"""The directory commands: init, demo and stats, with clear errors."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Group, TaxonomyTerm


def test_init_is_idempotent_and_reports_the_taxonomy(runner, app):
    first = runner.invoke(args=["directory", "init"])
    assert first.exit_code == 0, first.output
    assert "Database is up to date" in first.output
    terms = db.session.scalar(select(func.count()).select_from(TaxonomyTerm))
    second = runner.invoke(args=["directory", "init"])
    assert second.exit_code == 0, second.output
    assert "0 created" in second.output
    assert db.session.scalar(select(func.count()).select_from(TaxonomyTerm)) == terms


def test_demo_loads_listings_and_stats_counts_them(runner):
    result = runner.invoke(args=["directory", "demo", "--count", "120", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "Loaded 120 demo groups" in result.output
    assert db.session.scalar(select(func.count()).select_from(Group)) == 120

    stats = runner.invoke(args=["directory", "stats"])
    assert stats.exit_code == 0, stats.output
    assert "published" in stats.output
    assert "     120" in stats.output
    assert "online" in stats.output


def test_the_demo_is_as_of_today_so_it_shows_in_search_whenever_it_is_loaded(runner, app):
    result = runner.invoke(args=["directory", "demo", "--count", "60"])
    assert result.exit_code == 0, result.output
    now = dt.datetime.now(dt.UTC)
    verified = list(db.session.scalars(select(Group.verified_at)))
    assert max(verified) <= now and min(verified) > now - app.config["HIDE_AFTER"]


def test_the_demo_can_be_made_as_of_a_given_day(runner):
    result = runner.invoke(args=["directory", "demo", "--count", "30", "--today", "2026-11-01"])
    assert result.exit_code == 0, result.output
    latest = db.session.scalar(select(func.max(Group.verified_at)))
    assert latest.date() <= dt.date(2026, 11, 1)
    refused = runner.invoke(args=["directory", "demo", "--count", "5", "--today", "soon"])
    assert (
        refused.exit_code == 2 and "YYYY-MM-DD" not in refused.output
    ) or "soon" in refused.output


def test_demo_twice_with_the_same_seed_is_refused_clearly(runner):
    runner.invoke(args=["directory", "demo", "--count", "10"])
    again = runner.invoke(args=["directory", "demo", "--count", "10"])
    assert again.exit_code == 1
    assert "already loaded" in again.output
    assert "--replace" in again.output
    assert db.session.scalar(select(func.count()).select_from(Group)) == 10


def test_demo_replace_swaps_the_demo_listings(runner):
    runner.invoke(args=["directory", "demo", "--count", "10"])
    result = runner.invoke(args=["directory", "demo", "--count", "15", "--replace"])
    assert result.exit_code == 0, result.output
    assert "Removed 10 demo listings" in result.output
    assert db.session.scalar(select(func.count()).select_from(Group)) == 15


def test_demo_if_empty_leaves_an_existing_directory_alone(runner):
    runner.invoke(args=["directory", "demo", "--count", "5"])
    result = runner.invoke(args=["directory", "demo", "--count", "50", "--if-empty"])
    assert result.exit_code == 0
    assert "already has listings" in result.output
    assert db.session.scalar(select(func.count()).select_from(Group)) == 5


def test_demo_refuses_a_count_out_of_range(runner):
    result = runner.invoke(args=["directory", "demo", "--count", "0"])
    assert result.exit_code == 2
    assert "0 is not in the range" in result.output


def test_stats_on_an_empty_directory(runner):
    result = runner.invoke(args=["directory", "stats"])
    assert result.exit_code == 0
    assert "(none)" in result.output


def test_commands_before_init_say_to_run_init(tmp_path):
    from directory import create_app

    fresh = create_app({"INSTANCE_PATH": str(tmp_path / "fresh"), "SECRET_KEY": "x"})
    result = fresh.test_cli_runner().invoke(args=["directory", "stats"])
    assert result.exit_code == 1
    assert "run `flask --app app directory init` first" in result.output
    assert "Traceback" not in result.output
