"""The results page over the real search engine and index, on a few fixed groups."""

from __future__ import annotations

import re

import pytest

from directory.extensions import db
from tests.factories import make_group, make_location


@pytest.fixture
def directory(app):
    make_group(name="Lincoln Park Grief Circle", topics=("grief",))
    make_group(name="Lakeview Depression Peers", topics=("depression",),
               location=make_location(name="Lakeview Hall", postal_code="60613",
                                      latitude=41.9479, longitude=-87.6463))  # fmt: skip
    make_group(name="Online Grief Evenings", format="online", topics=("grief",),
               timezone="America/Chicago")  # fmt: skip
    make_group(name="Brooklyn Grief Group", topics=("grief",),
               location=make_location(city="Brooklyn", region="NY", postal_code="11201",
                                      latitude=40.6943, longitude=-73.9903,
                                      timezone="America/New_York"))  # fmt: skip
    make_group(name="Pending Grief Group", topics=("grief",), status="pending")
    db.session.commit()


def _names(page: str) -> list[str]:
    return re.findall(r'<h3><a href="/groups/\d+">([^<]+)</a></h3>', page)


@pytest.mark.usefixtures("directory")
def test_words_and_place_find_nearby_and_online_groups(client):
    page = client.get("/search?q=grief&near=60614").text
    assert set(_names(page)) == {"Lincoln Park Grief Circle", "Online Grief Evenings"}
    assert "1 group meets within 25 miles of Chicago, IL 60614; 1 more meets online." in page


@pytest.mark.usefixtures("directory")
def test_a_facet_from_the_engine_narrows_and_shows_counts(client):
    page = client.get("/search?q=grief&near=60614&format=online").text
    assert _names(page) == ["Online Grief Evenings"]
    assert re.search(r'value="online" id="f-format-online" checked>', page)
    assert re.search(r'In person <span class="count">\(1\)</span>', page)


@pytest.mark.usefixtures("directory")
def test_unknown_facet_value_is_a_400_page_not_an_error(client):
    response = client.get("/search?topic=no-such-topic")
    assert response.status_code == 400
    assert "That topic is not one we list." in response.text
    assert "“topic”" not in response.text


@pytest.mark.usefixtures("directory")
def test_in_person_only_leaves_out_online_groups(client):
    page = client.get("/search?q=grief&near=60614&online=no").text
    assert _names(page) == ["Lincoln Park Grief Circle"]


@pytest.mark.usefixtures("directory")
def test_results_page_never_lists_unpublished_groups(client):
    assert "Pending Grief Group" not in client.get("/search?q=grief").text


@pytest.mark.usefixtures("directory")
def test_a_search_that_finds_nothing_offers_ways_to_widen_it(client):
    response = client.get("/search?q=grief&near=99950&online=no")
    assert response.status_code == 200
    assert "No groups match this search" in response.text
    assert "Include online groups" in response.text
