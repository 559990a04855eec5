"""Moderator accounts and a listing's history from the command line."""

from __future__ import annotations

from directory.extensions import db
from directory.models import Moderator
from directory.services import Actor, approve, edit_group
from tests.factories import make_group, make_organization

PASSWORD = "correct horse battery"


def _add(runner, *args, password=PASSWORD):
    return runner.invoke(args=["directory", "moderator", "add", *args], input=password + "\n")


def test_add_list_and_remove_a_moderator_with_the_password_on_stdin(runner):
    org = make_organization()
    db.session.commit()
    added = _add(runner, "Ana@Example.org", "--organization", str(org.id))
    assert added.exit_code == 0, added.output
    assert f"Added moderator (organisations {org.id}) ana@example.org." in added.output
    moderator = db.session.query(Moderator).one()
    assert PASSWORD not in moderator.password_hash
    assert moderator.password_hash.startswith("scrypt:")
    assert moderator.check_password(PASSWORD) and not moderator.check_password("wrong")
    assert _add(runner, "boss@example.org", "--admin").exit_code == 0
    listed = runner.invoke(args=["directory", "moderator", "list"])
    assert "ana@example.org  moderator (organisations" in listed.output
    assert "boss@example.org  admin, never signed in" in listed.output
    removed = runner.invoke(args=["directory", "moderator", "remove", "ANA@example.org"])
    assert removed.exit_code == 0 and "Removed ana@example.org." in removed.output
    listed = runner.invoke(args=["directory", "moderator", "list"])
    assert "ana@example.org" not in listed.output


def test_short_passwords_duplicate_emails_and_unknown_accounts_are_refused(runner):
    short = _add(runner, "ana@example.org", password="too short")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    assert _add(runner, "ana@example.org").exit_code == 0
    again = _add(runner, "ANA@example.org")
    assert again.exit_code == 1 and "already exists" in again.output
    nobody = runner.invoke(args=["directory", "moderator", "remove", "nobody@example.org"])
    assert nobody.exit_code == 1 and "No moderator has the email" in nobody.output
    unknown_org = _add(runner, "bo@example.org", "--organization", "999")
    assert unknown_org.exit_code == 1 and "No organisation has the id 999" in unknown_org.output
    assert db.session.query(Moderator).count() == 1


def test_audit_prints_the_history_with_private_contacts_masked(runner):
    group = make_group(status="pending", organiser_email="olga@example.org")
    db.session.commit()
    edit_group(db.session, group, {"name": "Grief Circle", "organiser_email": "o@example.org"},
               Actor(kind="moderator", label="ana@example.org"))  # fmt: skip
    approve(db.session, group, Actor.command("test"), note="checked by phone")
    db.session.commit()
    result = runner.invoke(args=["directory", "audit", str(group.id)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f'Listing {group.id} "Grief Circle" (published)'
    assert lines[1].endswith("UTC  ana@example.org  edited")
    assert "    name: Tuesday Evening" in lines[2] and lines[2].endswith("-> Grief Circle")
    assert "    organiser_email: (private) -> (private)" in lines
    assert lines[-2].endswith("command:test  approved: checked by phone")
    assert "olga@example.org" not in result.output
    shown = runner.invoke(args=["directory", "audit", str(group.id), "--show-private"])
    assert "organiser_email: olga@example.org -> o@example.org" in shown.output
    missing = runner.invoke(args=["directory", "audit", "999"])
    assert missing.exit_code == 1 and "No listing has the id 999" in missing.output
