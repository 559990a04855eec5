"""Absolute links on pages and in the API start from DIRECTORY_BASE_URL when it is set.

So a request naming another Host (a poisoned cache, a forged link) cannot make the site hand
out links to somewhere else; without a base URL, links keep the request's own address.
"""

from __future__ import annotations

import json
import re

import pytest
from icalendar import Calendar

from directory.extensions import db
from tests.factories import make_group
from tests.unit.search.fixed_directory import build_directory

BASE = "https://groups.example.org/"
EVIL = {"Host": "evil.example"}


@pytest.fixture
def group(app):
    found = make_group(name="Lincoln Park Depression Peers")
    db.session.commit()
    return found


def _links(client, group, **options) -> dict[str, str]:
    """Return every absolute link the page, its calendar and the API give for ``group``."""
    page = client.get(f"/groups/{group.id}", **options).get_data(as_text=True)
    jsonld = json.loads(re.search(r'ld\+json">(.*?)</script>', page, re.S).group(1))
    calendar = Calendar.from_ical(client.get(f"/groups/{group.id}.ics", **options).data)
    [event] = calendar.walk("VEVENT")
    api = client.get(f"/api/v1/groups/{group.id}", **options).get_json()
    return {
        "jsonld": jsonld["url"],
        "printed": re.search(r'<p class="print-only">([^<]+)</p>', page).group(1),
        "calendar": str(event["URL"]),
        "api": api["url"],
    }


def test_with_a_base_url_every_link_is_on_it_whatever_host_the_request_names(app, client, group):
    app.config["BASE_URL"] = BASE
    links = _links(client, group, headers=EVIL)
    assert links == dict.fromkeys(links, f"{BASE}groups/{group.id}")


def test_search_results_in_the_api_link_to_the_base_url(app, client):
    ids = build_directory()
    app.config["BASE_URL"] = BASE
    body = client.get("/api/v1/groups", query_string={"q": "ptsd"}, headers=EVIL).get_json()
    hit = next(hit for hit in body["results"] if hit["id"] == ids["trauma"])
    assert hit["url"] == f"{BASE}groups/{ids['trauma']}"
    assert hit["api_url"] == f"{BASE}api/v1/groups/{ids['trauma']}"
    assert "evil.example" not in json.dumps(body)


def test_a_base_url_with_a_path_and_a_mount_point_names_the_path_once(app, client, group):
    app.config["BASE_URL"] = "https://example.org/peer-support/"
    links = _links(client, group, environ_overrides={"SCRIPT_NAME": "/directory"}, headers=EVIL)
    assert set(links.values()) == {f"https://example.org/peer-support/groups/{group.id}"}


def test_without_a_base_url_links_keep_the_requests_address(client, group):
    links = _links(client, group, base_url="https://peer.example.net:8443/directory/")
    assert set(links.values()) == {f"https://peer.example.net:8443/directory/groups/{group.id}"}
