"""Imports and submissions that arrive untagged get inferred topics and audiences (both databases).

Fixtures in tests/fixtures/inference: HSDS 3.0 JSON (services.json), an HSDS 3.0 CSV package
and our CSV format (with empty tag cells, and with no tag columns at all).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from directory.extensions import db
from directory.interchange.pipeline import ImportOptions, run_import
from directory.models import AuditAction, AuditRecord, Group
from directory.services import Actor, edit_group, inference, submit_group
from directory.services.editing import apply_changes
from directory.taxonomy import load_taxonomy
from tests.conftest import _make_app
from tests.factories import make_group
from tests.functional.moderate_helpers import add_moderator, form_values, submit
from tests.unit.test_migration_audit import empty_database  # noqa: F401 (a fixture)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inference"


def _import(path: Path | str, **options):
    report = run_import(db.session, str(path), ImportOptions(publish=True, **options))
    assert report.ok, report.summary()
    return report


def _group(ref: str) -> Group:
    group = db.session.scalars(select(Group).where(Group.source_ref == ref)).one()
    db.session.refresh(group)
    return group


def _tags(group: Group) -> dict[str, list[str]]:
    return {name: sorted(term.slug for term in getattr(group, name)) for name in inference.TABLES}


def _inferred(group: Group) -> dict[str, list[str]]:
    return inference.inferred_of(db.session, group)


def test_hsds_json_untagged_services_get_inferred_tags_and_tagged_ones_keep_theirs(db_app):
    report = _import(FIXTURES / "services.json")
    grief = _group("inf-json-1")
    assert _tags(grief) == {"topics": ["grief"], "audiences": []}
    assert _inferred(grief) == {"topics": ["grief"], "audiences": []}
    mood = _group("inf-json-2")
    # "not for substance use" tags no substance use; the 988 line tags no suicidal thoughts.
    assert _tags(mood) == {"topics": ["depression"], "audiences": []}
    veterans = _group("inf-json-3")
    # Its own topic stays alone ("Anxiety" in its name adds nothing); its audience is inferred.
    assert _tags(veterans) == {"topics": ["ptsd"], "audiences": ["veterans"]}
    assert _inferred(veterans) == {"topics": [], "audiences": ["veterans"]}
    assert _tags(_group("inf-json-4")) == {"topics": [], "audiences": []}
    lines = report.summary().splitlines()
    heading = lines.index("Tags inferred from the words (moderators can correct them):")
    assert lines[heading + 1] == '  service 1, id inf-json-1, "Lakeside Bereavement Circle": ' \
        'topics: grief ("bereavement")'  # fmt: skip
    assert any("inf-json-3" in line and "audiences: veterans" in line for line in lines)
    assert not any("inf-json-4" in line for line in lines[heading:])


def test_hsds_csv_package_untagged_services_get_inferred_tags(db_app, tmp_path):
    _import(FIXTURES / "hsds-3.0-package")
    anxiety = _group("svc-1")
    # "No cost, no registration" negates nothing.
    assert _tags(anxiety) == {"topics": ["anxiety"], "audiences": []}
    parents = _group("svc-2")
    assert _tags(parents) == {"topics": ["adhd"], "audiences": ["parents"]}  # not teens
    assert _inferred(parents) == {"topics": ["adhd"], "audiences": ["parents"]}


def test_our_csv_with_empty_tag_cells_and_without_tag_columns(db_app, tmp_path):
    report = _import(FIXTURES / "groups.csv")
    spanish = _group("csv-1")
    assert _tags(spanish) == {"topics": ["grief"], "audiences": ["family-and-friends"]}
    family = _group("csv-2")
    assert _tags(family) == {"topics": ["substance-use"], "audiences": ["family-and-friends"]}
    bipolar = _group("csv-3")
    # Its own topic (Depression) is never added to or replaced; its audience stays empty.
    assert _tags(bipolar) == {"topics": ["depression"], "audiences": []}
    assert _inferred(bipolar) == {"topics": [], "audiences": []}
    rows = list(csv.DictReader(io.StringIO(_csv(report))))
    inferred = [row for row in rows if row["outcome"] == "inferred"]
    assert [row["id"] for row in inferred] == ["csv-1", "csv-2"]
    assert inferred[1]["message"] == 'topics: substance-use ("alcohol"); audiences: ' \
        'family-and-friends ("family members")'  # fmt: skip

    # The same listings from a file without tag columns, under another source.
    _import(FIXTURES / "groups-without-tags.csv", source="bare")
    bare = db.session.scalars(select(Group).where(Group.source == "bare")).all()
    assert {group.source_ref: _tags(group)["topics"] for group in bare} == {
        "csv-1": ["grief"], "csv-2": ["substance-use"], "csv-3": ["bipolar"],
    }  # fmt: skip


def _csv(report) -> str:
    stream = io.StringIO()
    report.write_csv(stream)
    return stream.getvalue()


def test_a_reimport_refreshes_inferred_tags_only_while_the_listing_has_no_own(db_app, tmp_path):
    path = tmp_path / "groups.csv"
    shutil.copyfile(FIXTURES / "groups-without-tags.csv", path)
    _import(path)
    again = _import(path)
    assert again.counts["unchanged"] == 3 and not again.inferred
    text = path.read_text(encoding="utf-8")
    renamed = text.replace("Bipolar Peer", "Peer").replace("bipolar disorder", "psychosis")
    path.write_text(renamed, encoding="utf-8")
    changed = _import(path)
    assert changed.counts["updated"] == 1
    group = _group("csv-3")
    assert _tags(group)["topics"] == ["psychosis"]
    assert _inferred(group)["topics"] == ["psychosis"]
    history = db.session.scalars(
        select(AuditRecord).where(AuditRecord.group_id == group.id).order_by(AuditRecord.id)
    ).all()
    assert history[-1].changes["inferred_topics"] == [["bipolar"], ["psychosis"]]

    # Once the listing has an own topic (its organiser added one), the feed's words never
    # change its topics again.
    apply_changes(db.session, group, {"topics": ["psychosis", "hearing-voices"]})
    db.session.commit()
    assert _inferred(group)["topics"] == []  # the organiser chose the whole list
    path.write_text(text.replace("bipolar disorder", "anxiety"), encoding="utf-8")
    _import(path)
    assert _tags(_group("csv-3"))["topics"] == ["hearing-voices", "psychosis"]


def test_a_feed_that_starts_tagging_makes_the_tags_its_own(db_app, tmp_path):
    path = tmp_path / "groups.csv"
    shutil.copyfile(FIXTURES / "groups-without-tags.csv", path)
    _import(path)
    assert _inferred(_group("csv-3"))["topics"] == ["bipolar"]
    rows = path.read_text(encoding="utf-8").splitlines()
    rows[0] += ",Topics"
    rows[1:] = [row + ",Bipolar disorder" for row in rows[1:]]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = _import(path)
    assert report.counts["updated"] == 3  # csv-3 only lost its inferred flag
    group = _group("csv-3")
    assert _tags(group)["topics"] == ["bipolar"] and _inferred(group)["topics"] == []
    assert _tags(_group("csv-1"))["topics"] == ["bipolar"]


def test_a_dry_run_lists_inferred_tags_and_saves_nothing(db_app):
    report = _import(FIXTURES / "services.json", dry_run=True)
    assert [entry.ref for entry in report.of_inferred] == ["inf-json-1", "inf-json-2", "inf-json-3"]
    assert db.session.scalars(select(Group)).all() == []


def test_a_submission_without_topics_gets_inferred_ones_and_a_chosen_field_is_kept(db_app):
    fields = {
        "name": "Tuesday Grief Circle",
        "description": "For anyone grieving the death of a loved one; teens welcome.",
        "format": "online", "timezone": "America/Chicago", "join_url": "https://example.org/j",
        "organiser_email": "organiser@example.org", "topics": [], "audiences": ["peers"],
        "schedules": [{"kind": "weekly", "weekdays": "TU", "start_time": _time(19)}],
    }  # fmt: skip
    submission = submit_group(db.session, fields)
    db.session.commit()
    group = submission.group
    db.session.refresh(group)
    assert _tags(group) == {"topics": ["grief"], "audiences": ["peers"]}
    assert _inferred(group) == {"topics": ["grief"], "audiences": []}
    query = select(AuditRecord).where(AuditRecord.group_id == group.id)
    submitted = db.session.scalars(query).one()
    assert submitted.changes["inferred_topics"] == [None, ["grief"]]


def _time(hour: int) -> dt.time:
    return dt.time(hour, 0)


@pytest.fixture
def moderator_actor(db_app) -> Actor:
    """Return a moderator's actor, on each database."""
    return Actor.for_moderator(add_moderator())


def test_a_moderator_confirms_removes_or_changes_inferred_tags(db_app, moderator_actor):
    _import(FIXTURES / "hsds-3.0-package")
    parents = _group("svc-2")
    confirmed = edit_group(db.session, parents, {}, moderator_actor, confirm_inferred=True)
    db.session.commit()
    assert confirmed == {"inferred_audiences": [["parents"], None],
                         "inferred_topics": [["adhd"], None]}  # fmt: skip
    assert _inferred(parents) == {"topics": [], "audiences": []}
    assert _tags(parents) == {"topics": ["adhd"], "audiences": ["parents"]}
    assert "topics" not in (parents.corrected_fields or [])  # confirming is not correcting

    anxiety = _group("svc-1")
    changed = edit_group(db.session, anxiety, {"topics": ["depression"]}, moderator_actor)
    db.session.commit()
    assert changed["topics"] == [["anxiety"], ["depression"]]
    assert changed["inferred_topics"] == [["anxiety"], None]
    assert _tags(anxiety)["topics"] == ["depression"] and "topics" in anxiety.corrected_fields
    record = db.session.scalars(
        select(AuditRecord)
        .where(AuditRecord.group_id == anxiety.id, AuditRecord.action == AuditAction.EDITED)
    ).one()  # fmt: skip
    assert record.changes["inferred_topics"] == [["anxiety"], None]
    # A re-import keeps the moderator's list, inferring nothing over it.
    _import(FIXTURES / "hsds-3.0-package")
    assert _tags(_group("svc-1"))["topics"] == ["depression"]


def test_the_infer_command_tags_older_untagged_listings(db_app):
    untagged = make_group(
        topics=(), name="Sunday Hoarding Support",
        description="For people living with hoarding disorder and their relatives.",
    )  # fmt: skip
    tagged = make_group(topics=("grief",), audiences=("peers",), name="Bipolar Friends")
    corrected = make_group(topics=(), name="Depression Talk", corrected_fields=["topics"])
    db.session.commit()
    runner = db_app.test_cli_runner()
    dry = runner.invoke(args=["directory", "infer", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"listing {untagged.id}: topics: hoarding; audiences: family-and-friends" in dry.output
    assert "Dry run: nothing was saved." in dry.output
    db.session.expire_all()
    assert _tags(untagged)["topics"] == []
    real = runner.invoke(args=["directory", "infer"])
    assert real.exit_code == 0, real.output
    db.session.expire_all()
    assert _inferred(untagged) == {"topics": ["hoarding"], "audiences": ["family-and-friends"]}
    assert _tags(tagged) == {"topics": ["grief"], "audiences": ["peers"]}
    assert _tags(corrected)["topics"] == []
    assert db.session.scalars(
        select(AuditRecord.action).where(AuditRecord.group_id == untagged.id)
    ).all() == [AuditAction.INFERRED.value]


def test_inferred_tags_are_searchable_and_faceted(db_app, client):
    _import(FIXTURES / "services.json")
    answer = client.get("/api/v1/groups?topic=grief").get_json()
    assert [hit["name"] for hit in answer["results"]] == ["Lakeside Bereavement Circle"]


def _edit_page(client, group_id: int):
    response = client.get(f"/moderate/items/{group_id}/edit")
    assert response.status_code == 200
    return response.text, form_values(response.text, f"/moderate/items/{group_id}/edit")


def test_the_correction_page_marks_inferred_tags_and_a_moderator_confirms_them(client, moderator):
    submission = submit("Tuesday Circle", description="For parents of teens with ADHD.",
                        topics=[], audiences=[])  # fmt: skip
    group_id = submission.group_id
    assert "<dd>ADHD (inferred)</dd>" in client.get(f"/moderate/items/{group_id}").text
    page, data = _edit_page(client, group_id)
    assert "ADHD (inferred)" in page and "Parents of children with mental health needs " \
        "(inferred)" in page  # fmt: skip
    assert "Tags inferred from the listing's words" in page
    assert "Depression (inferred)" not in page
    data["confirm_inferred"] = "y"
    data["save"] = "y"
    response = client.post(f"/moderate/items/{group_id}/edit", data=data)
    assert response.status_code == 302, response.text
    page = client.get(response.headers["Location"]).text
    assert "Topics inferred from its words: adhd → (none)" in page
    db.session.expire_all()
    group = db.session.get(Group, group_id)
    assert _inferred(group) == {"topics": [], "audiences": []}
    assert _tags(group) == {"topics": ["adhd"], "audiences": ["parents"]}
    page, _data = _edit_page(client, group_id)
    assert "(inferred)" not in page and "Tags inferred from the listing" not in page
    assert "<dd>ADHD</dd>" in client.get(f"/moderate/items/{group_id}").text


def test_a_moderator_removes_an_inferred_tag_by_unticking_it(client, moderator):
    submission = submit("Tuesday Circle", description="For parents of teens with ADHD.",
                        topics=[], audiences=[])  # fmt: skip
    group_id = submission.group_id
    _page, data = _edit_page(client, group_id)
    data.setlist("topics", [])  # audiences stay ticked, and stay inferred
    data["save"] = "y"
    assert client.post(f"/moderate/items/{group_id}/edit", data=data).status_code == 302
    db.session.expire_all()
    group = db.session.get(Group, group_id)
    assert _tags(group) == {"topics": [], "audiences": ["parents"]}
    assert _inferred(group) == {"topics": [], "audiences": ["parents"]}
    assert "topics" in group.corrected_fields


BEFORE_INFERENCE = "46774cfdf7b2"


def test_the_migration_marks_stored_links_given_and_downgrades(empty_database, tmp_path):  # noqa: F811
    app = _make_app(tmp_path, empty_database)
    with app.app_context():
        upgrade(revision=BEFORE_INFERENCE)
        load_taxonomy(db.session)
        db.session.execute(text(
            "INSERT INTO support_group (name, description, format, cost, facilitation, "
            "registration_required, join_visibility, status, timezone, is_demo, created_at, "
            "updated_at) VALUES ('Grief Circle', '', 'online', 'free', 'peer', false, 'public', "
            "'published', 'UTC', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))  # fmt: skip
        db.session.execute(text(
            "INSERT INTO group_topic (group_id, term_id) SELECT g.id, t.id FROM support_group g, "
            "taxonomy_term t WHERE t.slug = 'grief'"
        ))  # fmt: skip
        db.session.commit()
        upgrade()
        assert db.session.execute(text("SELECT inferred FROM group_topic")).scalar() in (0, False)
        with db.engine.connect() as connection:
            drift = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert drift == []  # what `flask db check` checks
        db.session.remove()  # else PostgreSQL's downgrade waits on this session's locks
        downgrade(revision=BEFORE_INFERENCE)
        columns = {c["name"] for c in inspect(db.engine).get_columns("group_topic")}
        assert columns == {"group_id", "term_id"}
        db.engine.dispose()
