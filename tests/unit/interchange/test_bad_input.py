"""Bad input gives a clear report, writes nothing partial and never crashes the import."""

from __future__ import annotations

import json
import random
import time
import zipfile

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.interchange import sources
from directory.models import Group

from .conftest import by_ref, messages, run

ROW = "g1,Café Conversations,Tuesdays 7pm,1150 W Fullerton Ave,Chicago,IL,60614\n"
HEADER = "id,name,schedule,address,city,state,zip\n"


def _no_listings() -> bool:
    return db.session.scalar(select(func.count()).select_from(Group)) == 0


def test_utf8_with_byte_order_mark(app, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + ROW).encode("utf-8"))
    report = run(path)
    assert report.counts["created"] == 1, report.summary()
    assert by_ref("csv:bom.csv")["g1"].name == "Café Conversations"
    assert report.warnings == []


def test_latin1_is_read_with_a_warning(app, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + ROW).encode("latin-1"))
    report = run(path)
    assert by_ref("csv:latin1.csv")["g1"].name == "Café Conversations"
    assert "is not UTF-8 (first odd byte on line 2); read it as Windows-1252" in (
        report.warnings[0].message
    )


def test_utf16_from_a_spreadsheet_is_read(app, tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes((HEADER + ROW).encode("utf-16"))
    assert run(path).counts["created"] == 1


def test_an_unclosed_quote_refuses_the_file_with_its_line(app, tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text(HEADER + ROW + 'g2,"Unclosed,Tuesdays 7pm,1 Main St,Chicago,IL,60614\n')
    report = run(path)
    assert not report.ok
    assert "quote.csv line 3: not readable as CSV (unexpected end of data)" in report.failure
    assert _no_listings()


def test_a_row_with_too_many_fields_is_rejected(app, tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text(HEADER + "g1,Calm Group,Tuesdays 7pm,1 Main St, Suite 2,Chicago,IL,60614\n")
    report = run(path)
    assert "it has 8 fields but the header has 7" in messages(report, "rejected")["line 2"]


def test_malformed_json_names_line_and_column(app, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"name": "A", "slug": "a",}\n]')
    report = run(path, format="meeting-guide")
    assert not report.ok
    assert "broken.json is not valid JSON: Expecting property name" in report.failure
    assert "line 1, column 28" in report.failure


def test_json_records_of_the_wrong_shape_are_rejected_one_by_one(app, tmp_path):
    path = tmp_path / "odd.json"
    path.write_text(
        json.dumps(
            [
                {
                    "name": "Fine",
                    "slug": "ok",
                    "day": 1,
                    "time": "19:00",
                    "timezone": "America/Chicago",
                    "approximate": "yes",
                    "conference_url": "https://example.org/j",
                },
                "not a meeting",
                {"name": ["a list"], "slug": {"x": 1}},
            ]
        )
    )
    report = run(path, format="meeting-guide")
    assert report.counts["created"] == 1
    rejected = messages(report, "rejected")
    assert rejected["meeting 2"] == "it is str, not a JSON object"
    assert "meeting 3" in rejected


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.csv", b"", "empty.csv is empty"),
        ("header-only.csv", HEADER.encode(), "has no records to import"),
        ("junk.zip", b"PK\x03\x04 not really a zip", "is not a readable zip file"),
        ("empty.json", b"[]", "has no records to import"),
        ("other.json", b'{"hello": "world"}', "is JSON but neither HSDS services nor Meeting"),
    ],
)
def test_files_with_nothing_to_import(app, tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    report = run(path)
    assert not report.ok
    assert reason in report.failure
    assert _no_listings()


def test_a_missing_file(app, tmp_path):
    report = run(tmp_path / "nowhere.csv")
    assert report.failure == f"{tmp_path / 'nowhere.csv'} does not exist"


def test_ten_megabytes_of_junk_are_refused_quickly(app, tmp_path):
    rng = random.Random(5)
    binary = tmp_path / "junk.bin"
    binary.write_bytes(rng.randbytes(10 * 1024 * 1024))
    text = tmp_path / "junk.csv"
    alphabet = b"abc ,;\n\"'{}[]"
    table = bytes(alphabet[i % len(alphabet)] for i in range(256))
    text.write_bytes(rng.randbytes(10 * 1024 * 1024).translate(table))
    started = time.perf_counter()
    reports = [run(binary), run(text), run(binary, format="hsds"), run(text, format="hsds")]
    assert time.perf_counter() - started < 20
    assert "looks like a binary file" in reports[0].failure
    assert "not readable as CSV" in reports[1].failure or "name column" in reports[1].failure
    assert "looks like a binary file" in reports[2].failure
    assert "is not valid JSON" in reports[3].failure
    assert _no_listings()


def test_files_over_the_size_limit_are_refused(app, tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_BYTES", 1000)
    path = tmp_path / "big.csv"
    path.write_text(HEADER + ROW * 20)
    assert "is larger than 0 MB" in run(path).failure
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("services.csv", "x" * 5000)  # small zipped, big unzipped
    assert "is larger than" in run(archive).failure


def test_every_format_reports_bad_records(app, fixtures):
    guide = run(fixtures / "meeting-guide" / "feed.json")
    assert messages(guide, "rejected") == {
        "meeting 5": "time '25:00' is not a time like 19:30",
        "meeting 6": "it has no id",
    }
    assert [(w.position, w.message) for w in guide.warnings] == [
        ("meeting 3", "unknown meeting type code 'ZZZ'; ignored")
    ]
    hsds = run(fixtures / "hsds" / "services.json")
    assert messages(hsds, "rejected") == {
        "service 4": "schedule 1: it repeats every 2 periods but has no dtstart to count from",
        "service 5": "invalid coordinates: latitude 100 is outside -90..90",
    }
    assert messages(hsds, "skipped") == {"service 3": "its status is defunct"}


def test_unknown_format_name_on_the_json_is_not_guessed(app, tmp_path):
    path = tmp_path / "meetings.json"
    path.write_text(json.dumps({"name": "A", "slug": "a"}))
    report = run(path, format="hsds")  # told the wrong format: the records say what is missing
    assert report.counts["rejected"] == 1
