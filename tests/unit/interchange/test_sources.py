"""Where an import reads from (files, folders, zips, URLs) and how its format is told."""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
import time
from pathlib import Path
from urllib.error import URLError

import pytest

from directory.extensions import db
from directory.interchange import sources
from directory.interchange.detect import detect
from directory.interchange.pipeline import ImportOptions, default_source, run_import
from directory.interchange.records import InputError
from directory.interchange.sources import Source, decode, load

from .conftest import FIXTURES, by_ref, run


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    """Serve the fixtures folder on a local port, for imports from a URL."""
    handler = functools.partial(_QuietHandler, directory=str(FIXTURES))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("groups.csv", "csv"),
        ("meeting-guide/feed.json", "meeting-guide"),
        ("meeting-guide/single.json", "meeting-guide"),
        ("hsds/services.json", "hsds"),
        ("hsds-3.0-package", "hsds-csv"),
        ("hsds-3.0-package/datapackage.json", "hsds-csv"),
        ("hsds-1.1-package", "hsds-1.1"),
    ],
)
def test_detects_each_format(path, expected):
    assert detect(load(str(FIXTURES / path))) == expected


@pytest.mark.parametrize(
    "data",
    [
        [{"id": "s1", "name": "A", "status": "active"}],
        {"id": "o1", "name": "Org", "services": []},
        {"name": "A", "service_at_locations": []},
    ],
)
def test_detects_hsds_shapes(data):
    source = Source("x.json", {"x.json": json.dumps(data).encode()})
    assert detect(source) == "hsds"


def test_decode_reports_what_it_did():
    assert decode("Café".encode(), "a.csv") == ("Café", None)
    assert decode(b"\xef\xbb\xbfCaf\xc3\xa9", "a.csv") == ("Café", None)
    text, warning = decode(b"Caf\xe9", "a.csv")
    assert text == "Café" and "not UTF-8" in warning
    assert decode(b"\x93quoted\x94", "a.csv")[0] == "\u201cquoted\u201d"  # Windows-1252
    with pytest.raises(InputError, match="binary file"):
        decode(b"\x00\x01\x02", "a.bin")
    with pytest.raises(InputError, match="cannot be read as ascii"):
        decode("Café".encode(), "a.csv", "ascii")


def test_default_source_names_format_and_file():
    assert default_source("/data/chicago-groups.csv", "csv") == "csv:chicago-groups.csv"
    assert default_source("https://aa.example.org/feed.json?x=1", "meeting-guide") == (
        "meeting-guide:aa.example.org/feed.json"
    )
    assert default_source("/data/package/", "hsds-csv") == "hsds-csv:package"


def test_imports_from_a_url(app, server):
    report = run(f"{server}/meeting-guide/feed.json")
    assert report.counts["created"] == 4, report.summary()
    source = f"meeting-guide:{server.removeprefix('http://')}/meeting-guide/feed.json"
    assert report.source == source
    assert "early-risers-online" in by_ref(source)


def test_imports_a_datapackage_from_its_url(app, server):
    report = run(f"{server}/hsds-3.0-package/datapackage.json")
    # The fixture's descriptor lists only services.csv: the services come without places.
    assert report.format == "hsds-csv"
    assert report.counts["rejected"] == 2


def test_a_url_that_fails(app, server):
    report = run(f"{server}/nowhere.json")
    assert report.failure == f"could not download {server}/nowhere.json: HTTP 404 File not found"


def test_a_mocked_opener_stands_in_for_the_network(app):
    def refuse(request, timeout):
        raise URLError("connection refused")

    report = run_import(db.session, "https://feeds.example.org/meetings.json", ImportOptions(),
                        opener=refuse)  # fmt: skip
    assert report.failure == (
        "could not download https://feeds.example.org/meetings.json: connection refused"
    )


def test_other_schemes_are_refused(app):
    assert "only files and http(s) addresses" in run("ftp://example.org/feed.csv").failure


@pytest.fixture
def served(tmp_path):
    """Serve a temporary folder on a local port; return (folder, address)."""
    folder = tmp_path / "site"
    folder.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def _package(folder, *paths: str) -> None:
    resources = [{"name": f"table{n}", "path": path} for n, path in enumerate(paths)]
    (folder / "datapackage.json").write_text(json.dumps({"name": "x", "resources": resources}))


@pytest.mark.parametrize("kind", ["file", "other-site", "other-scheme"])
def test_a_downloaded_datapackage_reads_tables_on_its_own_site_only(app, served, tmp_path, kind):
    folder, address = served
    secret = tmp_path / "services.csv"
    secret.write_text("id,name\nlocal-1,Read From The Local Disk\n")
    path = {
        "file": secret.as_uri(),
        "other-site": "http://localhost:9/services.csv",
        "other-scheme": "ftp://127.0.0.1/services.csv",
    }[kind]
    _package(folder, path)
    report = run(f"{address}/datapackage.json")
    assert report.failure is not None
    assert f"lists the table {path!r}" in report.failure
    assert "can only list tables on its own site" in report.failure
    with pytest.raises(InputError, match="its own site"):
        load(f"{address}/datapackage.json")


def test_a_downloaded_datapackage_reads_tables_beside_it(app, served):
    folder, address = served
    (folder / "tables").mkdir()
    (folder / "tables" / "services.csv").write_text("id,name\ns1,Beside It\n")
    _package(folder, "tables/services.csv", f"{address}/tables/services.csv")
    source = load(f"{address}/datapackage.json")
    assert source.files["services.csv"] == b"id,name\ns1,Beside It\n"


@pytest.mark.parametrize("location", ["", "   ", "/dev/zero", "/dev/null"])
def test_only_regular_files_are_read(location):
    if location.startswith("/dev") and not Path(location).exists():
        pytest.skip(f"{location} is missing here")
    with pytest.raises(InputError, match=r"is not a regular file|no file was given"):
        load(location)


def test_a_named_pipe_is_refused_without_waiting(tmp_path):
    pipe = tmp_path / "feed.csv"
    os.mkfifo(pipe)
    writer = threading.Thread(target=lambda: pipe.open("wb").close(), daemon=True)
    writer.start()  # lets opening the pipe return, as a feeding process would
    with pytest.raises(InputError, match="is not a regular file"):
        load(str(pipe))
    writer.join(5)


def test_no_more_than_the_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_BYTES", 10)
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 100)
    with pytest.raises(InputError, match="is larger than"):
        load(str(path))


class _TrickleHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(1000):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.05)

    def log_message(self, *args):
        pass


def test_a_server_that_trickles_is_given_up_on_at_the_deadline(monkeypatch):
    monkeypatch.setattr(sources, "URL_DEADLINE_SECONDS", 0.3)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _TrickleHandler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        started = time.monotonic()
        with pytest.raises(InputError, match=r"took longer than 0\.3 seconds"):
            load(f"http://127.0.0.1:{httpd.server_address[1]}/feed.json")
        assert time.monotonic() - started < 5
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
