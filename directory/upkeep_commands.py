"""Add ``flask --app app directory remind [--dry-run]``: ask organisers to confirm listings.

Safe to run every hour from cron. Each reminder is recorded and committed before its mail is
sent: a run stopped between the two costs that organiser one reminder (the next comes after
``DIRECTORY_REMIND_EVERY``), where sending first could, with a database that refuses the
record, send the same reminder every hour. The mail itself is never lost once sent: a
delivery that fails waits in ``<outbox>/unsent/`` for ``directory mail retry``.
"""

from __future__ import annotations

from dataclasses import dataclass

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError

from directory.extensions import db
from directory.models import utcnow
from directory.services import reminders

#: What the private address shows as on the operator's screen, as in ``directory audit``.
MASK = "(private)"


def register(group: AppGroup) -> None:
    """Add the remind command to ``group``."""
    group.add_command(remind_command)


@dataclass
class Tally:
    """How a run went: reminders sent, kept for retry, lost, and listings skipped."""

    sent: int = 0
    kept: int = 0
    failed: int = 0
    skipped: int = 0

    def summary(self) -> str:
        """Describe the run in one line."""
        total = self.sent + self.kept + self.failed
        if not total and not self.skipped:
            return "No listing is due a reminder."
        text = f"Sent {_count(total, 'reminder')}."
        if self.kept:
            verb = "waits" if self.kept == 1 else "wait"
            text += f" Of these, {self.kept:,} {verb} in unsent/ for `directory mail retry`."
        if self.failed:
            text += f" {self.failed} could not be sent or kept (see the log)."
        if self.skipped:
            text += (
                f" Skipped {_count(self.skipped, 'listing')} that another run or the "
                "organiser got to first, or a busy database (the next run tries again)."
            )
        return text


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _line(group, now) -> str:
    days = reminders.days_unconfirmed(group, now)
    return f'Listing {group.id} "{group.name}": not confirmed for {days:,} days, to {MASK}'


@click.command("remind")
@click.option("--dry-run", is_flag=True,
              help="List the reminders that are due; send and record nothing.")  # fmt: skip
def remind_command(dry_run: bool) -> None:
    """Email each organiser whose listing is due a reminder to confirm it (safe to run hourly)."""
    app = current_app._get_current_object()
    base = app.config.get("BASE_URL")
    if not base and not dry_run:
        raise click.ClickException(
            "Set DIRECTORY_BASE_URL (e.g. https://groups.example.org/): the reminders' links "
            "must point at the public site."
        )
    now = utcnow()
    policy = (app.config["REVIEW_AFTER"], app.config["REMIND_EVERY"])
    if dry_run:
        found = 0
        for batch in reminders.due_in_batches(db.session, now, *policy):
            for group in batch:
                click.echo(_line(group, now))
            found += len(batch)
            db.session.rollback()  # read only: let go of the batch
        click.echo(f"Would send {_count(found, 'reminder')} (dry run: nothing sent or recorded).")
        return
    with app.test_request_context("/", base_url=base):
        tally = _remind_all(now, *policy)
    click.echo(tally.summary())
    if tally.failed:
        raise click.exceptions.Exit(1)


def _remind_all(now, review_after, every) -> Tally:
    from directory.mail import upkeep as letters

    tally = Tally()
    for batch in reminders.due_in_batches(db.session, now, review_after, every):
        for group in batch:
            try:
                reminders.record_reminder(db.session, group, now, review_after, every)
                db.session.commit()
            except (reminders.NotDue, OperationalError):
                db.session.rollback()
                tally.skipped += 1
                continue
            delivery = letters.reminder(group)
            if delivery is None or delivery.status == "failed":
                tally.failed += 1
            elif delivery.status == "kept":
                tally.kept += 1
            else:
                tally.sent += 1
    return tally
