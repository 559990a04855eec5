"""Private and self-contained: no searches in logs, nothing from elsewhere, no inline code."""

from __future__ import annotations

import logging
import re
import threading
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from directory.extensions import db
from directory.web.security import PrivateAccessLog, content_security_policy, tile_origin
from tests.factories import make_group
from tests.functional.public_helpers import empty_search  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


def test_access_log_keeps_neither_the_search_nor_the_address(app, caplog):
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    url = f"http://127.0.0.1:{server.port}/about?q=bipolar+support&near=60614&lat=41.92"
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        urllib.request.urlopen(url).read()
        thread.join(timeout=10)
    server.server_close()
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any("GET /about HTTP/1.1" in line for line in lines), lines
    for line in lines:
        assert "bipolar" not in line
        assert "60614" not in line
        assert "41.92" not in line
        assert "127.0.0.1" not in line


def test_log_filter_cleans_bad_request_lines_too():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        "%s - - [date] code 400, message Bad request syntax (%r)",
        ("10.1.2.3", "GET /search?q=grief HTTP/1.1 extra"),
        None,
    )
    assert PrivateAccessLog().filter(record)
    message = record.getMessage()
    assert "grief" not in message
    assert "10.1.2.3" not in message
    assert "GET /search" in message


def test_log_filter_takes_signed_links_tokens_out():
    for path in ("/moderate/reset/SeCrEt.x-y_z", "/submit/answer/SeCrEt.x-y_z?x=1"):
        record = logging.LogRecord(
            "werkzeug", logging.INFO, __file__, 1, '%s - - [date] "%s" 200 -',
            ("10.1.2.3", f"GET {path} HTTP/1.1"), None,
        )  # fmt: skip
        assert PrivateAccessLog().filter(record)
        message = record.getMessage()
        assert "SeCrEt" not in message and path.split("SeCrEt")[0] in message


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_or_style(template):
    text = template.read_text()
    assert not re.search(r"\sstyle\s*=", text), "use a class in site.css"
    assert "<style" not in text
    assert not re.search(r"\son[a-z]+\s*=", text), "no inline event handlers"
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert 'src="' in tag or 'type="application/ld+json"' in tag, tag
    assert "javascript:" not in text


@pytest.mark.usefixtures("empty_search")
def test_pages_load_nothing_from_another_host(client):
    group = make_group()
    db.session.commit()
    pages = ("/", "/search?q=grief", "/embed?q=grief", f"/groups/{group.id}", "/about", "/privacy")
    for url in (*pages, "/nope"):
        page = client.get(url).text
        for tag in re.findall(r"<(?:script|img|link|iframe|source|video|audio)\b[^>]*>", page):
            address = re.search(r'\b(?:src|href)="([^"]*)"', tag)
            if address:
                assert address.group(1).startswith("/"), (url, tag)


def test_tile_origin_becomes_the_only_extra_image_source():
    assert tile_origin(None) is None
    assert tile_origin("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://*.tile.openstreetmap.org"
    )
    assert tile_origin("https://tiles.example.org/{z}/{x}/{y}.png") == "https://tiles.example.org"
    assert tile_origin("ftp://tiles.example.org/x") is None
    policy = content_security_policy("http://127.0.0.1:8099/{z}/{x}/{y}.png")
    assert "img-src 'self' data: http://127.0.0.1:8099;" in policy
    assert "connect-src 'self';" in policy
