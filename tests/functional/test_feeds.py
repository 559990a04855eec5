"""The public feeds: each format, caching headers, 304s, and a calendar for any search."""

from __future__ import annotations

import json

import icalendar
import pytest

from directory.extensions import db
from tests.unit.interchange.listings import (
    SECRET_EMAIL,
    SECRET_LINK,
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
    etag = client.get(url).headers["ETag"]
    listings[0].name = "Family Support Group (Tuesdays)"
    db.session.commit()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["ETag"] != etag
    assert "Family Support Group (Tuesdays)" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", list(FEEDS))
def test_feeds_show_no_private_details(client, listings, url):
    body = client.get(url).get_data(as_text=True)
    assert SECRET_EMAIL not in body and SECRET_LINK not in body
    assert "Pending Group Not Exported" not in body


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


def test_feeds_only_answer_get(client, listings):
    assert client.post("/api/v1/export/hsds.json").status_code in (400, 405)
