"""The HSDS feed pages as the HSDS 3.0 API does; the CLI still writes every listing at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from directory.extensions import db
from directory.interchange import feed_cache
from directory.web import feeds
from tests.factories import make_group

URL = "/api/v1/export/hsds.json"
ENVELOPE = {"total_items", "total_pages", "page_number", "size", "page", "per_page",
            "first_page", "last_page", "empty", "contents"}  # fmt: skip


def _seven() -> list[int]:
    groups = [make_group(name=f"Group {number}") for number in range(7)]
    make_group(name="Not Yet Published", status="pending")
    db.session.commit()
    return [group.id for group in groups]


@pytest.fixture
def seven(app):
    """Seven published listings and one pending one (which no page may show), on SQLite."""
    return _seven()


@pytest.fixture
def seven_everywhere(db_app):
    """The same seven on each real database."""
    return _seven()


def _page(client, query: str = "") -> dict:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.data[:300]
    return json.loads(response.data)


def _ids(page: dict) -> list[str]:
    return [service["name"] for service in page["contents"]]


def test_pages_hold_every_published_listing_once_in_order(db_app, client, seven_everywhere):
    pages = [_page(client, f"page={number}&per_page=3") for number in (1, 2, 3)]
    assert all(set(page) == ENVELOPE for page in pages)
    assert [(p["page"], p["page_number"], p["size"], p["per_page"]) for p in pages] == [
        (1, 1, 3, 3), (2, 2, 3, 3), (3, 3, 1, 3)
    ]  # fmt: skip
    assert {(p["total_items"], p["total_pages"]) for p in pages} == {(7, 3)}
    assert [(p["first_page"], p["last_page"], p["empty"]) for p in pages] == [
        (True, False, False), (False, False, False), (False, True, False)
    ]  # fmt: skip
    names = [name for page in pages for name in _ids(page)]
    assert names == [f"Group {number}" for number in range(7)]  # by id, none twice


def test_a_page_past_the_last_is_empty_and_says_so(db_app, client, seven_everywhere):
    page = _page(client, "page=4&per_page=3")
    assert page["contents"] == [] and page["size"] == 0
    assert (page["empty"], page["last_page"], page["total_pages"]) == (True, True, 3)


def test_the_default_page_is_the_first_of_hsds_per_page(app, client, seven, monkeypatch):
    assert _page(client)["per_page"] == feeds.HSDS_PER_PAGE == 100
    monkeypatch.setattr(feeds, "HSDS_PER_PAGE", 2)
    page = _page(client)
    assert (page["page"], page["size"], page["total_pages"]) == (1, 2, 4)


def test_an_empty_directory_is_one_empty_first_page(app, client):
    page = _page(client)
    assert (page["total_items"], page["total_pages"], page["empty"]) == (0, 0, True)
    assert page["first_page"] and page["last_page"]


@pytest.mark.parametrize(
    ("query", "param", "message"),
    [
        ("page=0", "page", "must be between 1 and 1,000,000"),
        ("page=-1", "page", "'-1' is not a whole number; use 1 to 1,000,000"),
        ("page=abc", "page", "'abc' is not a whole number"),
        ("page=1.5", "page", "'1.5' is not a whole number"),
        ("page=1e3", "page", "'1e3' is not a whole number"),
        ("page=%D9%A1", "page", "is not a whole number"),  # an Arabic-Indic one
        ("page=99999999999999999999999999", "page", "must be between 1 and 1,000,000"),
        ("page=1000001", "page", "must be between 1 and 1,000,000"),
        ("page=1&page=2", "page", "give this parameter once"),
        ("per_page=0", "per_page", "must be between 1 and 500"),
        ("per_page=501", "per_page", "must be between 1 and 500"),
        ("per_page=all", "per_page", "'all' is not a whole number; use 1 to 500"),
        ("page=%00", "page", "is not a whole number"),
    ],
)
def test_bad_paging_is_a_clear_400(app, client, seven, query, param, message):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["param"] == param
    assert message in error["message"]


def test_blank_paging_is_the_default(app, client, seven):
    page = _page(client, "page=&per_page=+")
    assert (page["page"], page["per_page"]) == (1, feeds.HSDS_PER_PAGE)


def test_each_page_is_built_once_per_change_and_revalidates(app, client, seven, monkeypatch):
    built = []
    real = feeds.build_feed

    def counting(fmt, ids, base_url, page=None):
        built.append((page.number, page.per_page))
        return real(fmt, ids, base_url, page)

    monkeypatch.setattr(feeds, "build_feed", counting)
    first = client.get(f"{URL}?page=2&per_page=3")
    for host in ("http://localhost", "https://groups.example.org:8443"):
        assert client.get(f"{URL}?page=2&per_page=3", base_url=host).data == first.data
    assert built == [(2, 3)]
    etag = first.headers["ETag"]
    again = client.get(f"{URL}?page=2&per_page=3", headers={"If-None-Match": etag})
    assert again.status_code == 304
    other = client.get(f"{URL}?page=1&per_page=3")
    assert other.headers["ETag"] != etag and built == [(2, 3), (1, 3)]
    make_group(name="Group 0a")  # a new listing shifts every later page
    db.session.commit()
    stale = client.get(f"{URL}?page=2&per_page=3")  # the older build at once, rebuilt behind
    assert stale.data == first.data and stale.headers["Cache-Control"] == "public, max-age=30"
    feed_cache.wait_for_builds()
    fresh = _page(client, "page=3&per_page=3")
    assert fresh["total_items"] == 8 and _ids(fresh) == ["Group 6", "Group 0a"]


def test_pages_kept_are_bounded(app, client, seven, monkeypatch):
    monkeypatch.setattr(feed_cache, "PAGE_FILES", 3)
    for number in range(1, 8):
        assert client.get(f"{URL}?page={number}&per_page=1").status_code == 200
    kept = list((Path(app.instance_path) / "exports").glob(f"{feed_cache.PAGE_PREFIX}*"))
    assert len(kept) == 3


def test_the_cli_still_exports_every_listing_in_one_page(app, runner, seven, monkeypatch):
    monkeypatch.setattr(feeds, "HSDS_PER_PAGE", 2)
    result = runner.invoke(args=["directory", "export", "--format", "hsds"])
    assert result.exit_code == 0, result.output
    page = json.loads(result.stdout)
    assert len(page["contents"]) == page["total_items"] == page["size"] == 7
    assert (page["total_pages"], page["first_page"], page["last_page"]) == (1, True, True)
