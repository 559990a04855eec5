"""Every import: upsert by source id, archive what left the feed, all or nothing on failure."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.interchange import upsert
from directory.models import DuplicateFlag, Group, Location, Organization, Schedule
from tests.factories import make_group, make_location

from .conftest import by_ref, groups, messages, run

HEADER = "id,name,schedule,address,city,state,zip,topics\n"
ROWS = {
    "a": "a,Anxiety Circle,Tuesdays 7pm,1150 W Fullerton Ave,Chicago,IL,60614,anxiety\n",
    "b": "b,Bipolar Peers,Mondays 6pm,1500 N Damen Ave,Chicago,IL,60622,bipolar\n",
    "c": "c,Caregivers Talk,1st Saturday 10am-noon,2600 N Milwaukee Ave,Chicago,IL,60647,"
    "caregiving\n",
}


def _write(tmp_path, *rows: str, name: str = "feed.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_reimporting_the_same_feed_changes_nothing(db_app, tmp_path):
    path = _write(tmp_path, *ROWS.values())
    first = run(path, publish=True)
    stamps = {g.source_ref: g.updated_at for g in groups()}
    second = run(path, publish=True)
    assert first.counts["created"] == 3
    assert second.counts == {"created": 0, "updated": 0, "unchanged": 3, "archived": 0,
                             "rejected": 0, "skipped": 0}  # fmt: skip
    assert {g.source_ref: g.updated_at for g in groups()} == stamps
    assert (_count(Group), _count(Location), _count(Schedule), _count(Organization)) == (3, 3, 3, 0)


def test_an_updated_feed_updates_in_place(db_app, tmp_path):
    run(_write(tmp_path, *ROWS.values()), publish=True)
    before = {g.source_ref: g.id for g in groups()}
    changed = ROWS["a"].replace("Tuesdays 7pm", "Wednesdays 7:30pm").replace("anxiety", "ocd")
    report = run(_write(tmp_path, changed, ROWS["b"], ROWS["c"]), publish=True)
    assert report.counts["updated"] == 1 and report.counts["unchanged"] == 2
    after = by_ref("csv:feed.csv")
    assert {ref: g.id for ref, g in after.items()} == before
    assert after["a"].schedules[0].weekdays == "WE"
    assert [t.slug for t in after["a"].topics] == ["ocd"]
    assert _count(Schedule) == 3


def test_listings_missing_from_the_feed_are_archived_unless_kept(db_app, tmp_path):
    run(_write(tmp_path, *ROWS.values()), publish=True)
    kept = run(_write(tmp_path, ROWS["a"], ROWS["b"]), keep_missing=True)
    assert kept.counts["archived"] == 0
    assert by_ref("csv:feed.csv")["c"].status == "published"
    report = run(_write(tmp_path, ROWS["a"], ROWS["b"]))
    assert report.counts["archived"] == 1
    assert report.of("archived")[0].ref == "c"
    assert by_ref("csv:feed.csv")["c"].status == "archived"
    back = run(_write(tmp_path, *ROWS.values()), publish=True)
    assert back.counts["updated"] == 1
    assert by_ref("csv:feed.csv")["c"].status == "published"


def test_a_rejected_record_is_not_archived(db_app, tmp_path):
    run(_write(tmp_path, *ROWS.values()), publish=True)
    broken = ROWS["c"].replace("1st Saturday 10am-noon", "Saturday 99pm")
    report = run(_write(tmp_path, ROWS["a"], ROWS["b"], broken))
    assert report.counts["rejected"] == 1 and report.counts["archived"] == 0
    assert by_ref("csv:feed.csv")["c"].status == "published"


def test_feed_never_clears_verification_or_private_contacts(db_app, tmp_path):
    run(_write(tmp_path, ROWS["a"]), publish=True)
    group = by_ref("csv:feed.csv")["a"]
    group.verified_at = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    group.organiser_email = "organiser@example.org"
    group.cost = "donation"  # a column this feed does not have
    db.session.commit()
    report = run(_write(tmp_path, ROWS["a"]))
    assert report.counts["unchanged"] == 1
    group = by_ref("csv:feed.csv")["a"]
    assert group.verified_at == dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    assert (group.organiser_email, group.cost) == ("organiser@example.org", "donation")


def test_dry_run_reports_without_saving(db_app, tmp_path):
    report = run(_write(tmp_path, *ROWS.values()), dry_run=True)
    assert report.counts["created"] == 3
    assert report.dry_run and "Dry run: nothing was saved." in report.summary()
    assert _count(Group) == 0


def test_strict_imports_nothing_when_a_record_is_rejected(db_app, tmp_path):
    broken = ROWS["c"].replace("caregiving", "knitting")
    report = run(_write(tmp_path, ROWS["a"], ROWS["b"], broken), strict=True)
    assert not report.ok
    assert "--strict" in report.failure
    assert _count(Group) == 0


def test_a_failure_while_saving_leaves_the_database_as_it_was(db_app, tmp_path, monkeypatch):
    run(_write(tmp_path, ROWS["a"]), publish=True)
    before = [(g.source_ref, g.name, g.status) for g in groups()]
    real_apply, calls = upsert.apply, []

    def failing_apply(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_apply(*args, **kwargs)

    monkeypatch.setattr(upsert, "apply", failing_apply)
    renamed = ROWS["a"].replace("Anxiety Circle", "Anxiety Circle (renamed)")
    report = run(_write(tmp_path, renamed, ROWS["b"], ROWS["c"]), publish=True)
    assert len(calls) == 3  # two listings were written before the failure
    assert not report.ok
    assert "saving failed, so nothing was changed (RuntimeError: disk full)" in report.failure
    assert report.counts["created"] == report.counts["updated"] == 0
    db.session.expire_all()
    assert [(g.source_ref, g.name, g.status) for g in groups()] == before
    assert (_count(Location), _count(Schedule)) == (1, 1)


def test_possible_duplicates_are_flagged_for_moderators(db_app, tmp_path):
    place = make_location(address_1="1150 W Fullerton Ave", postal_code="60614")
    existing = make_group(name="Anxiety Circle", location=place, source="manual")
    make_group(name="Bipolar Peers", topics=("bipolar",))  # same name, but Tuesdays 7pm
    db.session.commit()
    report = run(_write(tmp_path, *ROWS.values()), publish=True)
    assert report.counts["created"] == 3
    assert [(e.ref, e.message) for e in report.flagged] == [
        ("a", f'possible duplicate of listing {existing.id} "Anxiety Circle"')
    ]
    flagged = by_ref("csv:feed.csv")["a"]
    assert flagged.status == "pending"  # never published next to its twin
    flags = db.session.scalars(select(DuplicateFlag)).all()
    assert [(f.group_id, f.duplicate_of_id) for f in flags] == [(flagged.id, existing.id)]
    assert flags[0].reason == "same name, place and meeting time; found importing csv:feed.csv"
    assert by_ref("csv:feed.csv")["b"].status == "published"
    db.session.delete(existing)
    db.session.commit()
    assert db.session.scalars(select(DuplicateFlag)).all() == []  # the flag goes with it


def test_the_same_id_twice_is_rejected_at_its_second_line(db_app, tmp_path):
    report = run(_write(tmp_path, ROWS["a"], ROWS["a"].replace("Anxiety", "Other")))
    assert messages(report, "rejected") == {"line 3": "id a is used twice (first at line 2)"}


@pytest.mark.parametrize("flag", [True, False])
def test_summary_and_csv_report(db_app, tmp_path, flag):
    import csv
    import io

    broken = ROWS["c"].replace("caregiving", "knitting")
    report = run(_write(tmp_path, ROWS["a"], broken), dry_run=flag)
    text = report.summary()
    assert "1 created" in text and "1 rejected" in text
    assert "line 3, id c, \"Caregivers Talk\": unknown topic 'knitting'" in text
    stream = io.StringIO()
    report.write_csv(stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert [(r["outcome"], r["position"], r["id"]) for r in rows] == [
        ("created", "line 2", "a"),
        ("rejected", "line 3", "c"),
    ]
    assert rows[1]["message"].startswith("unknown topic 'knitting'; did you mean")


def test_a_record_that_breaks_the_checks_is_rejected_alone(db_app, tmp_path, monkeypatch):
    from directory.interchange.validate import Preparer

    real_prepare = Preparer.prepare

    def prepare(self, record):
        if record.ref == "b":
            raise TypeError("unexpected value")
        return real_prepare(self, record)

    monkeypatch.setattr(Preparer, "prepare", prepare)
    report = run(_write(tmp_path, *ROWS.values()))
    assert report.counts["created"] == 2
    assert messages(report, "rejected") == {
        "line 3": "it could not be checked (TypeError: unexpected value)"
    }


def test_a_reader_that_breaks_fails_the_import_cleanly(db_app, tmp_path, monkeypatch):
    from directory.interchange import csv_format

    def broken(source, options):
        raise KeyError("surprise")

    monkeypatch.setattr(csv_format, "read", broken)
    report = run(_write(tmp_path, *ROWS.values()))
    assert report.failure.endswith("could not be read (KeyError: 'surprise')")
    assert _count(Group) == 0


# --- geocoding street addresses ---------------------------------------------------------


class _StubGeocoder:
    """Stands in for an online geocoder (never the network): one fixed point, or an error."""

    def __init__(self, fail: bool = False) -> None:
        self.asked: list[str] = []
        self.fail = fail

    def geocode(self, address: str):
        from directory.geo import Place

        self.asked.append(address)
        if self.fail:
            raise RuntimeError(f"server down for {address}")
        return Place(kind="address", display=address, latitude=41.925376,
                     longitude=-87.652921, timezone="America/Chicago")  # fmt: skip


def _centre(zip_code: str) -> tuple[float, float]:
    from directory import geo

    found = geo.resolve(zip_code)
    return round(found.latitude, 6), round(found.longitude, 6)


def test_by_default_a_street_address_is_placed_at_its_zip_code(db_app, tmp_path, monkeypatch):
    from directory.geo import OfflineGeocoder

    assert db_app.config["GEOCODER"] == "offline"
    monkeypatch.setattr(OfflineGeocoder, "geocode", lambda *a: pytest.fail("not the gazetteer"))
    run(_write(tmp_path, ROWS["a"]), publish=True)
    place = by_ref("csv:feed.csv")["a"].location
    assert (place.latitude, place.longitude) == _centre("60614")


def test_a_configured_geocoder_places_street_addresses(db_app, tmp_path, monkeypatch, caplog):
    from directory.interchange import pipeline

    stub = _StubGeocoder()
    monkeypatch.setattr(pipeline, "make_geocoder", lambda config: stub)
    caplog.set_level("DEBUG")
    no_street = "d,Zip Only,Fridays 5pm,,Chicago,IL,60622,anxiety\n"
    report = run(_write(tmp_path, ROWS["a"], no_street), publish=True)
    assert report.counts["created"] == 2
    assert stub.asked == ["1150 W Fullerton Ave, Chicago, IL, 60614"]
    found = by_ref("csv:feed.csv")
    street, zip_only = found["a"].location, found["d"].location
    assert (street.latitude, street.longitude) == (41.925376, -87.652921)
    assert (zip_only.latitude, zip_only.longitude) == _centre("60622")
    assert "Fullerton" not in caplog.text


def test_a_failing_geocoder_falls_back_to_the_zip_code_quietly(db_app, tmp_path, monkeypatch,
                                                               caplog):  # fmt: skip
    from directory.interchange import pipeline

    monkeypatch.setattr(pipeline, "make_geocoder", lambda config: _StubGeocoder(fail=True))
    caplog.set_level("DEBUG")
    report = run(_write(tmp_path, ROWS["a"]), publish=True)
    assert report.counts["created"] == 1
    place = by_ref("csv:feed.csv")["a"].location
    assert (place.latitude, place.longitude) == _centre("60614")
    assert "Fullerton" not in caplog.text and "Fullerton" not in str(report.entries)


def test_a_misconfigured_geocoder_fails_the_import(db_app, tmp_path, monkeypatch):
    monkeypatch.setitem(db_app.config, "GEOCODER", "nominatim")
    monkeypatch.setitem(db_app.config, "GEOCODER_USER_AGENT", "")
    report = run(_write(tmp_path, ROWS["a"]), publish=True)
    assert "GEOCODER_USER_AGENT is not set" in report.failure
    assert groups() == []
