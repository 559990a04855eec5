"""Add ``flask --app app directory mail status|retry`` for mail that could not be sent."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from directory.mail.queue import Unsent, Waiting


def register(group: click.Group) -> None:
    """Add the mail commands to the ``directory`` command group."""
    group.add_command(mail_cli)


@click.group("mail")
def mail_cli() -> None:
    """Look after outgoing mail that could not be sent."""


@mail_cli.command("status")
def status_command() -> None:
    """Say how many messages wait to be sent again, and since when."""
    click.echo(_describe(Unsent.of_app().waiting()))


@mail_cli.command("retry")
def retry_command() -> None:
    """Send the waiting messages again; exit 1 if some still wait (safe to run from cron)."""
    outcome = Unsent.of_app().retry()
    if outcome is None:
        click.echo("Another `mail retry` is running; nothing done.")
        return
    sent, waiting = outcome
    if sent:
        click.echo(f"Sent {sent} waiting message{'s' if sent != 1 else ''}.")
    if waiting.count:
        raise click.ClickException(_describe(waiting))
    if not sent:
        click.echo("No mail is waiting to be sent.")


def _describe(waiting: Waiting) -> str:
    if not waiting.count:
        return "No mail is waiting to be sent."
    oldest = waiting.oldest or datetime.now(UTC)
    hours = (datetime.now(UTC) - oldest).total_seconds() / 3600
    noun = "message waits" if waiting.count == 1 else "messages wait"
    text = (
        f"{waiting.count} {noun} to be sent, the oldest since {oldest:%Y-%m-%d %H:%M} UTC "
        f"({hours:.1f} h ago)."
    )
    if waiting.last_error:
        text += f" Last error: {waiting.last_error}"
    return text
