"""Every CSV the directory writes is safe to open in a spreadsheet, and reads back the same."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from directory.extensions import db
from directory.interchange.export import export_listings, load_groups, published_ids
from directory.interchange.public import ExportContext
from directory.interchange.report import ImportReport
from directory.interchange.spreadsheet import FORMULA_STARTS, guard, unguard
from tests.factories import make_group, make_location, make_organization

from .conftest import groups, run

#: Cells a spreadsheet would run, each starting with one of the characters it runs.
FORMULAS = ("=HYPERLINK(\"https://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\tTab first",
            "\rReturn first")  # fmt: skip


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_cell_is_guarded_and_reads_back(text):
    assert text.startswith(FORMULA_STARTS)
    assert guard(text) == "'" + text
    assert unguard(guard(text)) == text


@pytest.mark.parametrize("text", ["-87.6581", "-6", "-1.5e-05"])
def test_a_negative_number_is_data_not_a_formula(text):
    assert guard(text) == text
    assert unguard(text) == text


@pytest.mark.parametrize("text", ["'=already quoted", "''+twice", "'-5", "'plain", "", "Calm"])
def test_every_cell_reads_back_exactly(text):
    assert unguard(guard(text)) == text


def test_none_is_an_empty_cell():
    assert guard(None) == ""


def _evil_listing():
    org = make_organization(name="@Evil Org", website="https://example.org/org")
    group = make_group(
        name="=1+2 Calm Group", description="-2+3 meets weekly", contact_phone="+1 312 555 0142",
        contact_name="@Pat", organization=org,
        location=make_location(name="=Library", city="Chicago", longitude=-87.6581),
    )  # fmt: skip
    db.session.commit()
    return group


def _export(fmt: str) -> bytes:
    return export_listings(fmt, load_groups(db.session, published_ids(db.session)),
                           ExportContext())  # fmt: skip


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _runnable(cells: list[str]) -> list[str]:
    negative = [cell for cell in cells if guard(cell) == cell]
    return [cell for cell in cells if cell.startswith(FORMULA_STARTS) and cell not in negative]


def test_csv_export_guards_formulas_but_not_longitudes(app, tmp_path):
    _evil_listing()
    data = _export("csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["name"] == "'=1+2 Calm Group"
    assert rows[0]["organization"] == "'@Evil Org"
    assert rows[0]["longitude"] == "-87.6581"  # a number stays a number
    assert _runnable(_cells(data.decode("utf-8-sig"))) == []


def test_csv_export_reads_back_the_same_names(app, empty_app, tmp_path):
    _evil_listing()
    make_group(name="'=quoted on purpose")
    db.session.commit()
    path = tmp_path / "groups.csv"
    path.write_bytes(_export("csv"))
    with empty_app.app_context():
        report = run(path, publish=True)
        assert report.ok and report.counts["rejected"] == 0, report.summary()
        names = sorted(group.name for group in groups())
        phones = {group.contact_phone for group in groups()}
        db.session.remove()
    assert names == ["'=quoted on purpose", "=1+2 Calm Group"]
    assert "+1 312 555 0142" in phones


def test_hsds_tables_guard_formulas_and_read_back(app, empty_app, tmp_path):
    _evil_listing()
    data = _export("hsds-csv")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        tables = {name: archive.read(name).decode() for name in archive.namelist()
                  if name.endswith(".csv")}  # fmt: skip
    services = list(csv.DictReader(io.StringIO(tables["services.csv"])))
    assert services[0]["name"] == "'=1+2 Calm Group"
    locations = list(csv.DictReader(io.StringIO(tables["locations.csv"])))
    assert locations[0]["longitude"] == "-87.6581"
    for name, text in tables.items():
        assert _runnable(_cells(text)) == [], name
    path = tmp_path / "hsds.zip"
    path.write_bytes(data)
    with empty_app.app_context():
        report = run(path, publish=True)
        assert report.ok and report.counts["created"] == 1, report.summary()
        (copy,) = groups()
        assert (copy.name, copy.description) == ("=1+2 Calm Group", "-2+3 meets weekly")
        assert copy.organization.name == "@Evil Org"
        db.session.remove()


def test_the_import_report_guards_what_the_file_said():
    report = ImportReport(location="groups.csv")
    report.add("rejected", "line 2", ref="=HYPERLINK(1)", name="+cmd|' /C calc'!A0",
               message="unknown topic '@x'")  # fmt: skip
    report.warn("line 3", "-2+3 looks odd", name="Calm")
    stream = io.StringIO()
    report.write_csv(stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert (rows[0]["id"], rows[0]["name"]) == ("'=HYPERLINK(1)", "'+cmd|' /C calc'!A0")
    assert rows[1]["message"] == "'-2+3 looks odd"
    assert _runnable(_cells(stream.getvalue())) == []
