"""The public feeds: each format, caching headers, 304s, and a calendar for any search."""

from __future__ import annotations

import json

import icalendar
import pytest

from directory.extensions import db
from tests.unit.interchange.listings import (
    SECRET_EMAIL,
    SECRET_LINK,
    SECRET_PASSCODE,
    private_listings,
    richer_listings,
)
from tests.unit.interchange.meeting_guide_schema import meeting_guide_errors

FEEDS = {
    "/api/v1/export/hsds.json": "application/json",
    "/api/v1/export/meeting-guide.json": "application/json",
    "/api/v1/export/groups.csv": "text/csv; charset=utf-8",
    "/api/v1/groups.ics": "text/calendar; charset=utf-8",
}


@pytest.fixture
def listings(app):
    return [*richer_listings(), *private_listings()]


@pytest.mark.parametrize("url", list(FEEDS))
def test_each_feed_is_public_cacheable_and_revalidates(client, listings, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.content_type == FEEDS[url]
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Content-Disposition"].startswith("inline; filename=")
    etag = response.headers["ETag"]
    assert len(etag) == 66  # a quoted SHA-256
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag


@pytest.mark.parametrize("url", list(FEEDS))
def test_a_change_gives_a_new_etag(client, listings, url):
    from directory.interchange.feed_cache import wait_for_builds

    etag = client.get(url).headers["ETag"]
    listings[0].name = "Family Support Group (Tuesdays)"
    db.session.commit()
    client.get(url)  # answered from the older build, while the new one is made
    wait_for_builds()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["ETag"] != etag
    assert "Family Support Group (Tuesdays)" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", list(FEEDS))
def test_feeds_show_no_private_details(client, listings, url):
    body = client.get(url).get_data(as_text=True)
    assert SECRET_EMAIL not in body and SECRET_LINK not in body
    assert "Pending Group Not Exported" not in body


def test_join_details_shared_on_request_are_in_no_feed_nor_the_api(client, listings):
    private = next(group for group in listings if group.name == "Private Link Group")
    assert private.join_instructions == SECRET_PASSCODE
    for url in FEEDS:
        body = client.get(url).get_data(as_text=True)
        assert "Private Link Group" in body
        assert "otter-7731" not in body and SECRET_LINK not in body, url
    response = client.get(f"/api/v1/groups/{private.id}")
    assert "otter-7731" not in response.get_data(as_text=True)
    assert response.get_json()["join"] == {"visibility": "on_request", "url": None,
                                           "phone": None, "instructions": None}  # fmt: skip


def test_meeting_guide_feed_is_valid_for_tsml_ui(client, listings):
    feed = client.get("/api/v1/export/meeting-guide.json").get_json()
    assert meeting_guide_errors(feed) == []
    assert {meeting["name"] for meeting in feed} >= {"Family Support Group", "Hybrid Check-in"}


def test_hsds_feed_lists_every_published_listing(client, listings):
    page = json.loads(client.get("/api/v1/export/hsds.json").data)
    assert page["total_items"] == len(listings)


def test_calendar_for_a_search(client, listings):
    from directory.search import get_engine

    get_engine().check()
    response = client.get("/api/v1/groups.ics?audience=lgbtq")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.data)
    assert {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")} == {"Online Peer Circle"}
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    everything = icalendar.Calendar.from_ical(client.get("/api/v1/groups.ics").data)
    assert len(everything.walk("VEVENT")) > len(calendar.walk("VEVENT"))


@pytest.mark.parametrize(
    ("query", "param"),
    [("topic=knitting", "topic"), ("lat=100&lon=0", "lat"), ("format=carrier-pigeon", "format")],
)
def test_calendar_search_with_bad_parameters(client, listings, query, param):
    response = client.get(f"/api/v1/groups.ics?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["param"] == param


@pytest.mark.parametrize(
    ("near", "message"),
    [("zzqx-nowhere", None), ("Springfield", "could mean several places")],
)
def test_calendar_search_near_a_place_not_found_is_refused(client, listings, near, message):
    response = client.get(f"/api/v1/groups.ics?near={near}")
    assert response.status_code == 400, response.data[:200]
    error = response.get_json()["error"]
    assert error["param"] == "near"
    assert error["message"]
    assert message is None or message in error["message"]


def test_feeds_only_answer_get(client, listings):
    assert client.post("/api/v1/export/hsds.json").status_code in (400, 405)


def _refuse_to_build(monkeypatch):
    from directory.web import feeds

    def fail(*args, **kwargs):
        raise AssertionError("the export was built again")

    monkeypatch.setattr(feeds, "build_feed", fail)


@pytest.mark.parametrize("url", [*FEEDS, "/api/v1/groups.ics?audience=lgbtq"])
def test_a_matching_etag_is_answered_before_building(client, listings, monkeypatch, url):
    from directory.search import get_engine

    get_engine().check()
    etag = client.get(url).headers["ETag"]
    _refuse_to_build(monkeypatch)
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize("url", list(FEEDS))
def test_every_listing_exports_are_kept_and_read_again(app, client, listings, monkeypatch, url):
    from pathlib import Path

    first = client.get(url)
    kept = list((Path(app.instance_path) / "exports").glob("[!.]*"))  # not the lock file
    assert len(kept) == 1 and kept[0].read_bytes() == first.data
    _refuse_to_build(monkeypatch)
    again = client.get(url)
    assert again.status_code == 200
    assert (again.data, again.headers["ETag"]) == (first.data, first.headers["ETag"])


def test_a_change_replaces_the_kept_export(app, client, listings):
    from pathlib import Path

    from directory.interchange.feed_cache import wait_for_builds

    client.get("/api/v1/export/groups.csv")
    listings[1].description = "Now on Thursdays too."
    db.session.commit()
    client.get("/api/v1/export/groups.csv")
    wait_for_builds()
    assert "Now on Thursdays too." in client.get("/api/v1/export/groups.csv").text
    kept = list((Path(app.instance_path) / "exports").glob("[!.]*"))
    assert len(kept) == 1 and b"Now on Thursdays too." in kept[0].read_bytes()


def test_the_etag_depends_on_the_search_but_not_the_host(client, listings):
    from directory.search import get_engine

    get_engine().check()
    tags = {
        client.get("/api/v1/groups.ics").headers["ETag"],
        client.get("/api/v1/groups.ics?audience=lgbtq").headers["ETag"],
        client.get("/api/v1/groups.ics?audience=women").headers["ETag"],
    }
    assert len(tags) == 3
    other = client.get("/api/v1/groups.ics", base_url="https://other.example.org")
    assert other.headers["ETag"] == client.get("/api/v1/groups.ics").headers["ETag"]
    same = client.get("/api/v1/groups.ics?audience=lgbtq&_=1").headers["ETag"]
    assert same == client.get("/api/v1/groups.ics?audience=lgbtq").headers["ETag"]


def test_calendar_feed_refuses_parameters_it_does_not_know(client):
    for query, param in (
        ("zzz=1&q=grief", "zzz"),
        ("page=1e2", "page"),
        ("per_page=5", "per_page"),
    ):
        response = client.get(f"/api/v1/groups.ics?{query}")
        assert response.status_code == 400, query
        assert response.get_json()["error"]["param"] == param
    assert client.get("/api/v1/groups.ics?_=123").status_code == 200
