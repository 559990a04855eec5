"""Pages past the end, unknown places and ambiguous place names, over the real index (item 7)."""

from __future__ import annotations

import re

import pytest

from directory import geo
from tests.unit.search.fixed_directory import build_directory

#: The fixed directory has eight searchable groups: four pages of two.
PER_PAGE = 2
PAGES = 4


@pytest.fixture
def ids(app):
    return build_directory()


def _names(page: str) -> list[str]:
    return re.findall(r'<h3><a href="/groups/\d+">([^<]+)</a></h3>', page)


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    return response.text


@pytest.mark.usefixtures("ids")
def test_a_page_past_the_end_says_so_and_links_to_the_last_page(client):
    page = _page(client, f"/search?per_page={PER_PAGE}&page=999")
    assert "There is no page 999 of these results" in page
    assert f"These results fit on {PAGES} pages." in page
    last = f'href="/search?per_page={PER_PAGE}&amp;page={PAGES}">Go to the last page (page {PAGES})'
    assert last in page
    assert 'rel="next"' not in page
    assert "No groups match this search" not in page
    assert "Look further away" not in page

    landed = _page(client, f"/search?per_page={PER_PAGE}&page={PAGES}")
    assert len(_names(landed)) == PER_PAGE
    assert f"Page {PAGES} of {PAGES}" in landed
    assert 'rel="prev"' in landed and 'rel="next"' not in landed


@pytest.mark.usefixtures("ids")
def test_past_the_end_of_a_one_page_search_links_to_its_results(client):
    page = _page(client, "/search?near=60614&topic=grief&page=3")
    assert "There is no page 3 of these results" in page
    assert "These results fit on 1 page." in page
    assert 'href="/search?near=60614&amp;topic=grief">Go to the results</a>' in page
    assert "Look further away" not in page


@pytest.mark.usefixtures("ids")
def test_a_search_with_nothing_to_show_is_still_empty_not_past_the_end(client):
    page = _page(client, "/search?q=zzzzqqq&page=2")
    assert "No groups match this search" in page
    assert "There is no page" not in page


@pytest.mark.usefixtures("ids")
@pytest.mark.parametrize(
    ("near", "nearest"),
    [
        ("Chicagoo, IL", "Chicago, IL"),
        ("Chicagoo", "Chicago, IL"),
        ("60699x", "Chicago, IL 60699"),
        ("6o614", "Chicago, IL 60614"),
        ("606144", "Chicago, IL 60614"),
        ("60698", "Chicago, IL 60697"),  # five digits, but no such ZIP code
    ],
)
def test_an_unknown_place_offers_the_nearest_spellings_and_never_look_further(
    client, near, nearest
):
    page = client.get("/search", query_string={"near": near}).text
    assert f"We could not find the place “{near}”" in page
    choices = re.findall(r'<li><a href="/search\?near=[^"]+">([^<]+)</a></li>', page)
    assert nearest in choices
    assert "Look further away" not in page
    assert "No groups match this search" not in page
    assert " groups." not in page  # no "0 groups." for a place we could not find
    # Each suggestion is a place the search knows.
    assert all(isinstance(geo.resolve(choice), geo.Place) for choice in choices)


@pytest.mark.usefixtures("ids")
def test_following_a_suggestion_searches_there(client):
    page = client.get("/search", query_string={"near": "Chicago, IL 60614"}).text
    assert "within 25 miles of Chicago, IL 60614" in page
    assert _names(page)


@pytest.mark.usefixtures("ids")
def test_an_ambiguous_name_lists_every_candidate_grouped_by_state(client):
    every = geo.resolve("Springfield").candidates
    assert len(every) > 10
    page = client.get("/search", query_string={"near": "Springfield"}).text
    assert "more than one place called “Springfield”" in page
    notice = page.split("more than one place called", 1)[1].split("</div>", 1)[0]
    rows = re.findall(r"<li>([^<:]+):\s*(.*?)</li>", notice, flags=re.S)
    states = [state.strip() for state, _links in rows]
    assert states == sorted(states)
    assert len(states) == len(set(states))
    linked = {
        name: state
        for state, links in rows
        for name in re.findall(r'<a href="/search\?near=[^"]+">([^<]+)</a>', links)
    }
    assert set(linked) == {place.display for place in every}
    for place in every:
        assert linked[place.display] == geo.STATE_NAMES[place.region]
    assert "Look further away" not in page


@pytest.mark.usefixtures("ids")
def test_a_candidate_link_searches_there_and_keeps_the_other_choices(client):
    page = client.get("/search", query_string={"near": "Springfield", "topic": "grief", "page": 3})
    assert 'href="/search?topic=grief&amp;near=Springfield%2C+MO"' in page.text
    chosen = client.get("/search", query_string={"topic": "grief", "near": "Springfield, MO"})
    assert "within 25 miles of Springfield, MO" in chosen.text


def test_a_state_and_its_cities_share_one_group():
    groups = dict(geo.by_state(geo.resolve("Washington").candidates))
    assert {place.kind for place in groups["Washington"]} >= {"state"}
    assert [place.display for place in groups["District of Columbia"]] == ["Washington, DC"]


@pytest.mark.usefixtures("ids")
def test_the_api_keeps_its_shape_and_lists_every_candidate(client):
    response = client.get("/api/v1/groups", query_string={"near": "Springfield"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["param"] == "near"
    assert len(error["candidates"]) == len(geo.resolve("Springfield").candidates) > 10
    assert {"display", "latitude", "longitude", "timezone", "kind"} <= set(error["candidates"][0])

    typo = client.get("/api/v1/groups", query_string={"near": "60699x"}).get_json()["error"]
    assert typo["param"] == "near"
    assert typo["suggestions"][0] == "Chicago, IL 60699"
