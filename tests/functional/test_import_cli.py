"""The import and export commands: reports, exit codes, files and standard output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Group
from tests.unit.interchange.listings import SECRET_EMAIL, richer_listings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interchange"


def _count(status: str | None = None) -> int:
    query = select(func.count()).select_from(Group)
    if status:
        query = query.where(Group.status == status)
    return db.session.scalar(query)


def test_import_prints_a_report_and_writes_it_as_csv(runner, tmp_path):
    report_path = tmp_path / "report.csv"
    result = runner.invoke(args=["directory", "import", str(FIXTURES / "groups.csv"),
                                 "--publish", "--report", str(report_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "4 created, 0 updated, 0 unchanged, 0 archived, 5 rejected, 0 skipped" in result.output
    assert 'line 9, id nami-chi-7, "Far North Group": invalid coordinates' in result.output
    assert f"Report written to {report_path}" in result.output
    rows = list(csv.DictReader(io.StringIO(report_path.read_text(encoding="utf-8"))))
    assert [row["outcome"] for row in rows].count("rejected") == 5
    assert rows[0] == {"outcome": "created", "position": "line 2", "id": "nami-chi-1",
                       "name": "Family Support Group", "message": ""}  # fmt: skip
    assert _count("published") == 4


def test_import_dry_run_and_review(runner):
    dry = runner.invoke(args=["directory", "import", str(FIXTURES / "meeting-guide" / "feed.json"),
                              "--dry-run"])  # fmt: skip
    assert dry.exit_code == 0 and "Dry run: nothing was saved." in dry.output
    assert _count() == 0
    real = runner.invoke(args=["directory", "import", str(FIXTURES / "meeting-guide" / "feed.json"),
                               "--source", "intergroup"])  # fmt: skip
    assert real.exit_code == 0
    assert 'as meeting-guide (source "intergroup")' in real.output
    assert _count("pending") == 4


def test_import_of_an_unreadable_file_fails_with_exit_code_1(runner, tmp_path):
    path = tmp_path / "junk.bin"
    path.write_bytes(b"\x00\x01" * 100)
    result = runner.invoke(args=["directory", "import", str(path)])
    assert result.exit_code == 1
    assert "Nothing was imported:" in result.output and "looks like a binary file" in result.output


def test_import_options_are_checked(runner):
    bad_zone = runner.invoke(args=["directory", "import", "x.csv", "--timezone", "Mars/Olympus"])
    assert bad_zone.exit_code == 2
    assert "'Mars/Olympus' is not an IANA time zone" in bad_zone.output
    bad_format = runner.invoke(args=["directory", "import", "x.csv", "--format", "xml"])
    assert bad_format.exit_code == 2


def test_an_import_that_rejects_every_record_exits_1_with_its_report(runner, tmp_path):
    path = tmp_path / "nowhere.csv"
    path.write_text("name,description\nNo Place Group,Meets somewhere\nAnother,Also\n",
                    encoding="utf-8")  # fmt: skip
    for extra in ([], ["--dry-run"]):
        result = runner.invoke(args=["directory", "import", str(path), *extra])
        assert result.exit_code == 1, result.output
        assert "0 created, 0 updated, 0 unchanged, 0 archived, 2 rejected" in result.output
        assert "Every record was rejected: nothing was imported." in result.output
        assert '"No Place Group": it has no address' in result.output
    assert _count() == 0


def test_an_hsds_1_1_package_given_as_hsds_csv_imports_as_1_1(runner):
    result = runner.invoke(args=["directory", "import", str(FIXTURES / "hsds-1.1-package"),
                                 "--format", "hsds-csv"])  # fmt: skip
    assert result.exit_code == 0, result.output  # one record rejected, one created
    assert 'as hsds-1.1 (source "hsds-1.1:hsds-1.1-package")' in result.output
    assert "read as HSDS 1.1" in result.output
    assert _count("pending") == 1


def test_import_with_a_default_timezone_and_topic(runner):
    result = runner.invoke(args=["directory", "import", str(FIXTURES / "hsds-1.1-package"),
                                 "--timezone", "America/Chicago", "--topic", "grief"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output
    topics = {term.slug for group in db.session.scalars(select(Group)) for term in group.topics}
    assert topics == {"grief"}


def test_export_to_standard_output(runner, app):
    richer_listings()
    result = runner.invoke(args=["directory", "export", "--format", "meeting-guide"])
    assert result.exit_code == 0, result.output
    feed = json.loads(result.stdout)
    assert {meeting["name"] for meeting in feed} >= {"Family Support Group", "Online Peer Circle"}


def test_export_to_a_file_and_a_folder(runner, app, tmp_path):
    richer_listings()
    target = tmp_path / "groups.csv"
    result = runner.invoke(args=["directory", "export", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"Exported 4 listings as csv to {target}" in result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 4
    assert SECRET_EMAIL not in target.read_text(encoding="utf-8-sig")
    folder = tmp_path / "package/"
    result = runner.invoke(args=["directory", "export", "--format", "hsds-csv", "-o",
                                 f"{folder}/"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (folder / "datapackage.json").exists() and (folder / "services.csv").exists()


def test_export_of_a_search(runner, app):
    richer_listings()
    from directory.search import get_engine

    get_engine().check()
    result = runner.invoke(args=["directory", "export", "--format", "csv", "--query",
                                 "audience=lgbtq"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert [row["name"] for row in rows] == ["Online Peer Circle"]
    bad = runner.invoke(args=["directory", "export", "--format", "csv", "--query", "topic=x"])
    assert bad.exit_code == 2
    assert "unknown topic 'x'" in bad.output


def test_export_of_a_search_near_a_place_not_found_fails(runner, app, tmp_path):
    richer_listings()
    target = tmp_path / "out.csv"
    result = runner.invoke(args=["directory", "export", "--format", "csv", "-o", str(target),
                                 "--query", "near=zzqx-nowhere"])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "near" in result.output
    assert "Exported" not in result.output
    assert not target.exists()


def test_export_of_a_search_with_a_bad_page_fails(runner, app):
    result = runner.invoke(args=["directory", "export", "--format", "csv", "--query",
                                 "page=abc"])  # fmt: skip
    assert result.exit_code == 2
    assert "page: 'abc' is not a number" in result.output


def test_export_to_a_path_that_cannot_be_written_fails_plainly(runner, app, tmp_path):
    richer_listings()
    for target in (tmp_path / "missing" / "x.csv", tmp_path):
        result = runner.invoke(args=["directory", "export", "--format", "csv", "-o",
                                     str(target)])  # fmt: skip
        assert result.exit_code == 1, result.output
        assert f"Error: cannot write {target}" in result.output
        assert "Traceback" not in result.output and result.exception.__class__ is SystemExit


def test_export_to_a_full_device_fails_plainly(runner, app):
    if not Path("/dev/full").exists():
        return
    result = runner.invoke(args=["directory", "export", "--format", "csv", "-o", "/dev/full"])
    assert result.exit_code == 1
    assert "Error: cannot write /dev/full: No space left on device" in result.output


def test_a_failed_export_keeps_the_previous_file(runner, app, tmp_path, monkeypatch):
    from directory.interchange import commands

    richer_listings()
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "groups.csv"
    target.write_text("the old export")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(commands.os, "replace", broken)
    result = runner.invoke(args=["directory", "export", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert target.read_text() == "the old export"
    assert [path.name for path in target.parent.iterdir()] == ["groups.csv"]


def test_export_replaces_the_previous_file(runner, app, tmp_path):
    richer_listings()
    target = tmp_path / "groups.csv"
    target.write_text("the old export")
    target.chmod(0o640)
    result = runner.invoke(args=["directory", "export", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Online Peer Circle" in target.read_text(encoding="utf-8-sig")
    assert target.stat().st_mode & 0o777 == 0o640


def test_import_with_a_report_path_that_cannot_be_written_imports_nothing(runner, tmp_path):
    before = _count()
    result = runner.invoke(args=["directory", "import", str(FIXTURES / "groups.csv"),
                                 "--report", str(tmp_path / "missing" / "rep.csv")])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "--report" in result.output
    assert _count() == before


def test_import_with_an_unknown_topic_fails(runner):
    before = _count()
    result = runner.invoke(args=["directory", "import", str(FIXTURES / "groups.csv"),
                                 "--topic", "nonsense"])  # fmt: skip
    assert result.exit_code == 1
    assert "--topic: " in result.output and "nonsense" in result.output
    assert _count() == before
