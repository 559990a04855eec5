"""Define the ``flask --app app directory ...`` commands."""

from __future__ import annotations

import datetime as dt
import time

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import inspect

from directory import listings
from directory.extensions import db

#: Commands that work on a database that has no tables yet.
NO_SCHEMA_NEEDED = frozenset({"init"})


@click.group(cls=AppGroup, name="directory")
@click.pass_context
@with_appcontext
def directory_cli(ctx: click.Context) -> None:
    """Manage the peer support directory."""
    if ctx.invoked_subcommand not in NO_SCHEMA_NEEDED and not _schema_exists():
        raise click.ClickException(
            "The database has no tables yet: run `flask --app app directory init` first."
        )


def _schema_exists() -> bool:
    return inspect(db.engine).has_table("support_group")


#: Modules that add their own commands to the group through ``register(group)``.
COMMAND_MODULES: tuple[str, ...] = (
    "directory.interchange.commands",
    "directory.search.commands",
    "directory.mail.commands",
    "directory.services.commands",
    "directory.upkeep_commands",
    "directory.inference_commands",
)


def register_command_modules() -> None:
    """Let each feature module add its commands to the ``directory`` group."""
    from importlib import import_module

    for name in COMMAND_MODULES:
        import_module(name).register(directory_cli)


@directory_cli.command("init")
def init_command() -> None:
    """Create or upgrade the database schema and load the taxonomy."""
    from directory.taxonomy import TaxonomyError, load_taxonomy

    upgrade()
    from directory import geo

    geo.load_gazetteer(current_app.config["PLACE_CACHE_PATH"])
    try:
        counts = load_taxonomy(db.session)
    except TaxonomyError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(
        "Database is up to date. Taxonomy: "
        + ", ".join(f"{value} {name}" for name, value in counts.items())
        + "."
    )


@directory_cli.command("demo")
@click.option(
    "--count",
    type=click.IntRange(1, 1_000_000),
    default=None,
    help="How many groups to generate. Default: DIRECTORY_DEMO_COUNT (2000).",
)
@click.option(
    "--seed", default=1, show_default=True, help="Seed; the same seed gives the same data."
)
@click.option("--replace", is_flag=True, help="Remove existing demo listings first.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the directory has listings.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day the demo is as of (YYYY-MM-DD). Default: today, so listings were "
    "confirmed within the last 18 months and show in search.",
)
def demo_command(
    count: int | None, seed: int, replace: bool, if_empty: bool, today: dt.datetime | None
) -> None:
    """Load a fictional demo directory (every record is marked as demo data)."""
    from directory.demo import DemoError, generate_demo, remove_demo

    count = count or current_app.config["DEMO_COUNT"]
    if if_empty and listings.published_count() > 0:
        click.echo("The directory already has listings; no demo data loaded.")
        return
    started = time.perf_counter()
    try:
        if replace:
            removed = remove_demo(db.session)
            click.echo(f"Removed {removed} demo listings.")
        with click.progressbar(length=count, label="Generating demo listings") as bar:
            result = generate_demo(
                db.session, count=count, seed=seed, progress=bar.update,
                today=today.date() if today else dt.date.today(),
            )  # fmt: skip
    except (DemoError, ValueError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    elapsed = time.perf_counter() - started
    click.echo(
        f"Loaded {result['groups']:,} demo groups ({result['online']:,} online) from "
        f"{result['organizations']:,} organisations in {result['states']} states "
        f"in {elapsed:.1f} s."
    )


@directory_cli.command("stats")
def stats_command() -> None:
    """Print listing counts by status, by format and by state."""
    counts = listings.stats()
    for title, key in (
        ("By status", "status"),
        ("Published, by format", "format"),
        ("Published, by state", "state"),
    ):
        click.echo(title)
        rows = counts[key]
        if not rows:
            click.echo("  (none)")
        for name, value in rows:
            click.echo(f"  {name:<16} {value:>8,}")
