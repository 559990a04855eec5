"""Hostile input: NUL bytes, links that hide their host, and phones that only look like numbers."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest
from sqlalchemy import func, select

from directory.demo import generate_demo
from directory.extensions import db
from directory.interchange import values
from directory.models import Group, Organization
from directory.web.links import safe_url

from .conftest import by_ref, run

HEADER = "id,name,schedule,address,city,state,zip,phone,website\n"
ROW = "g{n},Calm Group {n},Tuesdays 7pm,1150 W Fullerton Ave,Chicago,IL,60614,,\n"


def _no_listings() -> bool:
    return db.session.scalar(select(func.count()).select_from(Group)) == 0


def _rows(count: int) -> str:
    return "".join(ROW.format(n=n) for n in range(1, count + 1))


# --- NUL bytes ---------------------------------------------------------------------------


def test_a_nul_byte_deep_in_a_csv_is_refused_with_its_line_and_column(app, tmp_path):
    # Far past the first 64 KiB, where only a sniff of the start would miss it.
    rows = _rows(2000)
    path = tmp_path / "groups.csv"
    path.write_bytes((HEADER + rows + "g9999,Calm\x00Group,Tuesdays 7pm,,,,60614,,\n").encode())
    report = run(path)
    assert not report.ok
    assert "groups.csv has a NUL byte at line 2002, column 11" in report.failure
    assert _no_listings()


def test_a_nul_byte_in_a_utf16_csv_is_refused(app, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_bytes((HEADER + _rows(2) + "g3,Ca\x00lm,Tuesdays 7pm,,,,60614,,\n").encode("utf-16"))
    report = run(path)
    assert "has a NUL byte at line 4, column 6" in report.failure
    assert _no_listings()


def test_a_nul_byte_in_a_json_feed_is_refused(app, fixtures, tmp_path):
    text = (fixtures / "meeting-guide" / "feed.json").read_text()
    path = tmp_path / "feed.json"
    path.write_bytes(text.replace('"name"', '"na\x00me"', 1).encode())
    report = run(path)
    assert "feed.json has a NUL byte at line" in report.failure
    assert _no_listings()


def test_a_nul_written_as_a_json_escape_is_refused(app, fixtures, tmp_path):
    feed = json.loads((fixtures / "meeting-guide" / "feed.json").read_text())
    feed[0]["name"] = "Calm\u0000Group"
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed, indent=1))
    report = run(path)
    assert "feed.json has a NUL character (written \\u0000) at line 3, column" in report.failure
    assert _no_listings()


def test_a_nul_byte_in_one_datapackage_table_refuses_the_whole_package(app, fixtures, tmp_path):
    folder = tmp_path / "package"
    shutil.copytree(fixtures / "hsds-3.0-package", folder)
    phones = folder / "phones.csv"
    phones.write_bytes(phones.read_bytes().rstrip(b"\n") + b"\x00\n")
    report = run(folder)
    assert not report.ok
    assert "phones.csv has a NUL byte at line" in report.failure
    assert _no_listings()


def test_a_nul_byte_in_a_zip_member_is_refused(app, fixtures, tmp_path):
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as package:
        for table in (fixtures / "hsds-3.0-package").iterdir():
            data = table.read_bytes()
            if table.name == "services.csv":
                data = data.replace(b"\n", b"\n\x00", 1)
            package.writestr(table.name, data)
    report = run(archive)
    assert "services.csv has a NUL byte at line 2, column 1" in report.failure
    assert _no_listings()


# --- links that hide where they go -------------------------------------------------------

HIDDEN_HOSTS = [
    "http://example.org@evil.example/",
    "http://example.org\\@evil.example/",
    "https://user:pass@groups.example.org/",
    "http:\\\\evil.example",
    "https://example.org\\.evil.example/",
]


@pytest.mark.parametrize("address", HIDDEN_HOSTS)
def test_a_website_that_hides_its_host_is_left_out_with_a_plain_reason(app, tmp_path, address):
    path = tmp_path / "links.csv"
    path.write_text(HEADER + f'g1,Calm Group,Tuesdays 7pm,,,,60614,,"{address}"\n')
    report = run(path)
    group = by_ref("csv:links.csv")["g1"]
    assert group.website is None
    [warning] = [w.message for w in report.warnings]
    assert "website" in warning and ("backslash" in warning or "user name or password" in warning)
    assert "pass@" not in warning  # the report never repeats a password


@pytest.mark.parametrize("address", HIDDEN_HOSTS)
def test_a_stored_link_that_hides_its_host_is_never_rendered(address):
    assert safe_url(address) is None


def test_ordinary_links_still_import_and_render(app, tmp_path):
    path = tmp_path / "links.csv"
    path.write_text(HEADER + "g1,Calm Group,Tuesdays 7pm,,,,60614,,example.org/calm?x=1#a\n")
    run(path)
    assert by_ref("csv:links.csv")["g1"].website == "https://example.org/calm?x=1#a"
    assert safe_url("https://zoom.example.org/j/123?pwd=abc") is not None


# --- phones that only look like numbers --------------------------------------------------


@pytest.mark.parametrize(
    "number",
    ["@312 555 0144", "312 555 CALL", "call 312 555 0144", "=1+2", "=HYPERLINK(\"x\")",
     "ext. 12", "x12", "+1 312 555 0144 =2", "312-555-0144 <script>"],
)  # fmt: skip
def test_a_phone_that_only_looks_like_a_number_is_refused(number):
    with pytest.raises(ValueError, match="is not a phone number"):
        values.phone(number, "phone")


def test_a_refused_phone_is_left_out_of_an_import_with_a_warning(app, tmp_path):
    path = tmp_path / "phones.csv"
    path.write_text(HEADER + "g1,Calm Group,Tuesdays 7pm,,,,60614,@312 555 0144,\n")
    report = run(path)
    assert by_ref("csv:phones.csv")["g1"].contact_phone is None
    assert "'@312 555 0144' is not a phone number" in report.warnings[0].message


@pytest.mark.parametrize(
    "number",
    ["(312) 555-0144", "+1 312 555 0144 ext. 12", "312-555-0144 x 12", "312.555.0144",
     "+13125550199,,123456#", "+44 20 7946 0958", "312/555-0144 #3"],
)  # fmt: skip
def test_the_ways_people_write_real_numbers_still_import(number):
    assert values.phone(number, "phone") == number


def test_every_demo_phone_number_and_website_is_accepted(app):
    generate_demo(db.session, 300)
    groups = db.session.scalars(select(Group)).all()
    phones = {g.contact_phone for g in groups} | {g.join_phone for g in groups}
    phones |= {org.phone for org in db.session.scalars(select(Organization))}
    phones.discard(None)
    assert len(phones) > 50  # the fictional 555-01xx numbers of many area codes
    assert all(values.phone(number, "phone") == number for number in phones)
    websites = {g.website for g in groups} | {g.join_url for g in groups}
    websites.discard(None)
    assert websites and all(values.url(site, "website") == site for site in websites)
