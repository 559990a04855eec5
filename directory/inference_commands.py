"""Add ``flask --app app directory infer [--dry-run]``: tag older untagged listings.

For listings imported or submitted before inference existed: each pending or published
listing with no topics or no audiences gets those its name and description name, marked
inferred for moderators and audited, through ``services.inference``. Fields a moderator
corrected are left alone.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from directory.extensions import db
from directory.services import Actor, inference


def register(group: AppGroup) -> None:
    """Add the infer command to ``group``."""
    group.add_command(infer_command)


def _said(tags: dict[str, list[str]]) -> str:
    return "; ".join(f"{name}: {', '.join(slugs)}" for name, slugs in tags.items())


@click.command("infer")
@click.option("--dry-run", is_flag=True, help="List the tags that would be inferred; save nothing.")
def infer_command(dry_run: bool) -> None:
    """Infer topics and audiences for listings that have none, from their own words."""
    outcome = inference.infer_untagged(db.session, Actor.command("infer"))
    for group_id, tags in outcome.tagged.items():
        click.echo(f"listing {group_id}: {_said(tags)}")
    looked, tagged = outcome.looked_at, len(outcome.tagged)
    click.echo(f"{tagged:,} of {looked:,} untagged listings given inferred tags.")
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was saved.")
    else:
        db.session.commit()
