"""Add ``flask --app app directory reindex``: rebuild the search index from the database."""

from __future__ import annotations

import time

import click
from flask import current_app

from directory.extensions import db


def register(group: click.Group) -> None:
    """Add the search commands to the ``directory`` command group."""
    group.add_command(reindex_command)


@click.command("reindex")
@click.option(
    "--if-stale",
    is_flag=True,
    help="Only rebuild (or repair) when the index is missing, damaged or out of date.",
)
def reindex_command(if_stale: bool) -> None:
    """Rebuild the search index from the published listings in the database."""
    from directory.search.documents import published_ids
    from directory.search.index import LockError

    engine = current_app.extensions["search"]
    index = engine.index
    started = time.perf_counter()
    try:
        if if_stale:
            reason = index.staleness(db.session)
            if reason is None:
                click.echo("The search index is up to date.")
                return
            click.echo(f"The search index is {_REASONS.get(reason, reason)}.")
            with click.progressbar(
                length=len(published_ids(db.session)), label="Indexing listings"
            ) as bar:
                done = index.ensure_current(db.session, progress=bar.update)
            click.echo(f"Search index {done} in {time.perf_counter() - started:.1f} s.")
            return
        with click.progressbar(
            length=len(published_ids(db.session)), label="Indexing listings"
        ) as bar:
            count = index.rebuild(db.session, progress=bar.update)
    except LockError as error:
        raise click.ClickException(
            f"{error}: another process is writing to it. Try again when it has finished."
        ) from error
    click.echo(
        f"Indexed {count:,} published listings in {time.perf_counter() - started:.1f} s "
        f"({current_app.config['INDEX_PATH']})."
    )


_REASONS = {
    "missing": "missing",
    "corrupt": "damaged (a file is missing, cut short or changed)",
    "schema": "from an older version",
    "taxonomy": "built with an older taxonomy",
    "marked": "missing some changes",
    "changed": "out of date",
}
