"""Add ``flask --app app directory audit`` and ``... moderator add|list|remove``."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from flask.cli import AppGroup

from directory.extensions import db
from directory.models import Group

from .accounts import add_moderator, check_password, moderators, remove_moderator
from .actors import Actor, ServiceError, describe
from .audit import PRIVATE_FIELDS, field_of, history

#: How much of a long value (a description, say) the history shows.
VALUE_WIDTH = 120
MASK = "(private)"


def register(group: AppGroup) -> None:
    """Add the audit and moderator commands to ``group``."""
    group.add_command(audit_command)
    group.add_command(moderator_group)


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text.replace("\n", " ")
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 3] + "..."


def history_lines(group: Group, records, *, show_private: bool = False) -> list[str]:
    """Describe a listing's history, one line per record and per changed field."""
    lines = [f'Listing {group.id} "{group.name}" ({group.status})']
    for entry in records:
        who = describe(entry.actor_kind, entry.actor_label)
        if entry.actor_kind == "organiser" and not show_private:
            who = "organiser"
        line = f"{entry.at:%Y-%m-%d %H:%M} UTC  {who}  {entry.action}"
        lines.append(line + (f": {_shown(entry.note)}" if entry.note else ""))
        for name, (before, after) in entry.changes.items():
            if field_of(name) in PRIVATE_FIELDS and not show_private:
                before, after = (None if v is None else MASK for v in (before, after))
                lines.append(f"    {name}: {before or '(none)'} -> {after or '(none)'}")
            else:
                lines.append(f"    {name}: {_shown(before)} -> {_shown(after)}")
    if len(lines) == 1:
        lines.append("No recorded changes.")
    return lines


@click.command("audit")
@click.argument("group_id", type=click.IntRange(1, 2**63 - 1))
@click.option("--show-private", is_flag=True,
              help="Show the organiser's private contact instead of masking it.")  # fmt: skip
def audit_command(group_id: int, show_private: bool) -> None:
    """Print a listing's history: when, who, what, and each field's before and after."""
    group = db.session.get(Group, group_id)
    if group is None:
        raise click.ClickException(f"No listing has the id {group_id}.")
    lines = history_lines(group, history(db.session, group_id), show_private=show_private)
    click.echo("\n".join(lines))


@click.group("moderator", cls=AppGroup)
def moderator_group() -> None:
    """Add, list and remove moderator accounts."""


def _read_password() -> str:
    stdin = sys.stdin
    if not stdin.isatty():  # piped in: the first line, so scripts need not echo it
        return stdin.readline().rstrip("\r\n")
    while True:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            check_password(password)
        except ServiceError as error:
            click.echo(str(error), err=True)
            continue
        return password


@moderator_group.command("add")
@click.argument("email")
@click.option("--admin", is_flag=True, help="May moderate every listing and manage accounts.")
@click.option("--organization", "organizations", type=int, multiple=True, metavar="ID",
              help="Limit the moderator to this organisation's listings (repeatable).")  # fmt: skip
def add_command(email: str, admin: bool, organizations: tuple[int, ...]) -> None:
    """Create a moderator account; the password is read from stdin or prompted for twice."""
    password = _read_password()
    try:
        moderator = add_moderator(db.session, email, password, Actor.command("moderator add"),
                                  admin=admin, organization_ids=organizations)  # fmt: skip
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Added {_scope(moderator)} {moderator.email}.")


def _scope(moderator) -> str:
    if moderator.is_admin:
        return "admin"
    if moderator.organizations:
        ids = ", ".join(str(org.id) for org in moderator.organizations)
        return f"moderator (organisations {ids})"
    return "moderator (every listing)"


@moderator_group.command("list")
def list_command() -> None:
    """List moderator accounts with what they may moderate and when they last signed in."""
    accounts = moderators(db.session)
    if not accounts:
        click.echo("No moderators yet: add one with `flask --app app directory moderator add`.")
    for moderator in accounts:
        last = moderator.last_sign_in_at
        seen = f"last signed in {last:%Y-%m-%d %H:%M} UTC" if last else "never signed in"
        state = "" if moderator.is_active else ", inactive"
        click.echo(f"{moderator.email}  {_scope(moderator)}{state}, {seen}")


@moderator_group.command("remove")
@click.argument("email")
def remove_command(email: str) -> None:
    """Remove a moderator account (their past decisions stay in the history)."""
    try:
        moderator = remove_moderator(db.session, email, Actor.command("moderator remove"))
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Removed {moderator.email}.")
