"""Imports go through the trail and respect moderators' decisions and corrections."""

from __future__ import annotations

import io

from directory.extensions import db
from directory.services import Actor, archive_group, close, edit_group, history, reject
from tests.unit.interchange.conftest import by_ref, run

HEADER = "id,name,schedule,address,city,state,zip,topics,organiser email\n"
A = "a,Anxiety Circle,Tuesdays 7pm,1150 W Fullerton Ave,Chicago,IL,60614,anxiety,ann@example.org\n"
B = "b,Bipolar Peers,Mondays 6pm,1500 N Damen Ave,Chicago,IL,60622,bipolar,bo@example.org\n"
SOURCE = "csv:feed.csv"


def _feed(tmp_path, *rows):
    path = tmp_path / "feed.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def _moderator() -> Actor:
    return Actor(kind="moderator", label="ana@example.org")


def test_every_import_change_is_recorded_as_the_import(db_app, tmp_path):
    run(_feed(tmp_path, A, B), publish=True)
    listing = by_ref(SOURCE)["a"]
    [created] = history(db.session, listing.id)
    assert (created.action, created.actor_kind, created.actor_label) == (
        "imported", "import", SOURCE
    )  # fmt: skip
    assert created.changes["name"] == [None, "Anxiety Circle"]
    assert created.changes["status"] == [None, "published"]
    run(_feed(tmp_path, A.replace("Tuesdays", "Thursdays"), B), publish=True)
    updated = history(db.session, listing.id)[-1]
    assert updated.action == "updated" and list(updated.changes) == ["schedules"]
    run(_feed(tmp_path, B), publish=True)
    archived = history(db.session, listing.id)[-1]
    assert (archived.action, archived.note) == ("archived", "no longer in the feed")
    run(_feed(tmp_path, A, B), publish=True)
    restored = history(db.session, listing.id)[-1]
    assert restored.action == "restored"
    assert restored.changes["status"] == ["archived", "published"]
    assert by_ref(SOURCE)["a"].status == "published"


def test_a_reimport_keeps_a_moderators_archive_and_rejection(db_app, tmp_path):
    run(_feed(tmp_path, A, B), publish=False)
    listings = by_ref(SOURCE)
    archive_group(db.session, listings["a"], _moderator(), "stopped meeting")
    reject(db.session, listings["b"], _moderator(), "not peer support")
    db.session.commit()
    report = run(_feed(tmp_path, A.replace("Tuesdays", "Fridays"), B), publish=True)
    listings = by_ref(SOURCE)
    assert (listings["a"].status, listings["b"].status) == ("archived", "rejected")
    conflicts = {entry.position: entry.message for entry in report.conflicts}
    assert conflicts["line 2"].startswith("archived by ana@example.org on 20")
    assert conflicts["line 3"].startswith("rejected by ana@example.org")
    assert "Kept as moderators decided:" in report.summary()
    assert "line 2, id a" in report.summary()
    assert listings["a"].schedules[0].weekdays == "FR"  # details stay current, status as decided


def test_a_reimport_keeps_a_group_its_organiser_closed_closed(db_app, tmp_path):
    run(_feed(tmp_path, A, B), publish=True)
    listing = by_ref(SOURCE)["a"]
    close(db.session, listing, Actor.organiser("ann@example.org"), "We stopped meeting")
    db.session.commit()
    report = run(_feed(tmp_path, A, B), publish=True)
    assert by_ref(SOURCE)["a"].status == "closed"
    conflicts = {entry.position: entry.message for entry in report.conflicts}
    assert conflicts["line 2"].startswith("closed by organiser:ann@example.org")
    run(_feed(tmp_path, B), publish=True)  # gone from the feed: it stays closed, not archived
    assert by_ref(SOURCE)["a"].status == "closed"


def test_a_reimport_keeps_a_corrected_field_and_reports_it(db_app, tmp_path):
    run(_feed(tmp_path, A, B), publish=True)
    listing = by_ref(SOURCE)["a"]
    correction = {"name": "Anxiety Peer Circle", "organiser_email": "new@example.org"}
    edit_group(db.session, listing, correction, _moderator())
    db.session.commit()
    changed = A.replace("Tuesdays", "Wednesdays").replace("ann@", "old@")
    report = run(_feed(tmp_path, changed, B), publish=True)
    listing = by_ref(SOURCE)["a"]
    assert listing.name == "Anxiety Peer Circle"
    assert listing.organiser_email == "new@example.org"
    assert listing.schedules[0].weekdays == "WE"  # not corrected: the feed still updates it
    messages = [entry.message for entry in report.conflicts]
    assert messages == [
        "name kept as a moderator corrected it ('Anxiety Peer Circle'); the feed has "
        "'Anxiety Circle'",
        "organiser_email kept as a moderator corrected it; the feed has another value",
    ]
    stream = io.StringIO()
    report.write_csv(stream)
    assert "conflict,line 2,a,Anxiety Circle,name kept" in stream.getvalue()
    assert "old@example.org" not in report.summary() + stream.getvalue()
    assert list(history(db.session, listing.id)[-1].changes) == ["schedules"]


def test_an_unchanged_feed_against_a_correction_is_unchanged_but_still_reported(db_app, tmp_path):
    run(_feed(tmp_path, A), publish=True)
    edit_group(db.session, by_ref(SOURCE)["a"], {"name": "Anxiety Peer Circle"}, _moderator())
    db.session.commit()
    report = run(_feed(tmp_path, A), publish=True)
    assert report.counts["unchanged"] == 1 and len(report.conflicts) == 1


def test_a_dry_run_writes_no_history(db_app, tmp_path):
    run(_feed(tmp_path, A), publish=True, dry_run=True)
    assert by_ref(SOURCE) == {}
    from directory.models import AuditRecord

    assert db.session.query(AuditRecord).count() == 0
