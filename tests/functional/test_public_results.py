"""The results page: a plain GET form, filters with counts, removable filters, pages, states.

The engine is replaced by canned results here, so these tests are about the page; the
browser tests search the real index.
"""

from __future__ import annotations

import re

import pytest

from directory.extensions import db
from directory.geo import Place
from directory.search.locating import PlaceProblem
from tests.factories import make_group
from tests.functional.public_helpers import install_engine, make_hit, make_result


@pytest.fixture
def groups(app):
    found = [
        make_group(name="Lincoln Park Depression Peers"),
        make_group(name="Online Grief Circle", format="online", topics=("grief",)),
    ]
    db.session.commit()
    return found


@pytest.fixture
def results(monkeypatch, groups):
    """Answer searches with the two groups, as if there were 45 in all."""
    return install_engine(
        monkeypatch, lambda query: make_result(query, [make_hit(g) for g in groups], total=45)
    )


def _get(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_the_query_string_reaches_the_engine_as_one_query(client, results):
    _get(client, "/search?q=grief&near=60614&radius=10&topic=grief&format=online&sort=soonest")
    [query] = results
    assert query.q == "grief"
    assert query.near == "60614"
    assert query.radius_miles == 10
    assert query.selected("topic") == ("grief",)
    assert query.selected("format") == ("online",)
    assert query.sort == "soonest"


def test_results_list_name_format_place_distance_schedule_and_next_meeting(client, results, groups):
    page = _get(client, "/search?near=60614")
    first = page.split('<li class="hit"', 2)[1]
    assert f'href="/groups/{groups[0].id}">Lincoln Park Depression Peers</a>' in first
    assert '<span class="badge badge-in_person">In person</span>' in first
    assert "Chicago, IL" in first
    assert "1.2 miles" in first
    assert "Every Tuesday, 7:00–8:30 pm Central" in first  # noqa: RUF001
    assert "Next meeting:" in first
    assert "Tuesday, December 1, 7:00 PM CST" in first
    online = page.split('<li class="hit"', 3)[2]
    assert '<span class="badge badge-online">Online</span>' in online
    assert "data-lat" not in online  # nothing to put on a map


def test_next_meeting_shows_in_the_viewers_time_zone(client, results):
    page = _get(client, "/search?near=60614&tz=America/Los_Angeles")
    assert "Tuesday, December 1, 5:00 PM PST" in page


def test_summary_names_the_place_and_radius(client, monkeypatch, groups):
    hits = [make_hit(group) for group in groups]
    counts = {True: {"nearby": 3, "online_only": 42}, False: {"nearby": 45, "online_only": 0}}
    install_engine(
        monkeypatch,
        lambda q: make_result(q, hits, total=45, **(counts[q.online] if q.near else {})),
    )
    page = _get(client, "/search?near=60614&radius=10")
    assert "3 groups meet within 10 miles of Chicago, IL 60614; 42 more meet online." in page
    page = _get(client, "/search?near=60614&online=no")
    assert "45 groups meet within 25 miles of Chicago, IL 60614." in page
    page = _get(client, "/search?q=grief")
    assert "45 groups." in page


def test_search_form_is_a_plain_get_form_that_keeps_the_query(client, results):
    page = _get(client, "/search?q=grief&near=60614&radius=50&online=no&topic=grief")
    form = re.search(r'<form id="search"[^>]*>', page).group(0)
    assert 'method="get"' in form
    assert 'action="/search"' in form
    assert 'value="grief"' in page
    assert 'value="60614"' in page
    assert '<option value="50" selected>' in page
    assert '<option value="no" selected>' in page
    # Filter checkboxes and the sort choice belong to the same form, outside it in the page.
    assert re.search(
        r'<input type="checkbox" form="search" name="topic" value="grief" '
        r'id="f-topic-grief" checked>',
        page,
    )
    assert '<select id="sort" name="sort" form="search">' in page


def test_every_control_has_a_label(client, results):
    page = _get(client, "/search?near=60614&topic=grief")
    ids = re.findall(r'<(?:input|select)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', page)
    assert ids
    for control in ids:
        assert f'<label for="{control}">' in page, control


def test_facets_show_counts_and_keep_choices_visible(client, results):
    page = _get(client, "/search?topic=grief")
    assert "<legend>Topic</legend>" in page
    assert 'Depression <span class="count">(3)</span>' in page
    assert 'Grief and loss <span class="count">(2)</span>' in page
    assert "<legend>How it meets</legend>" in page


def test_active_filters_can_be_removed_one_by_one(client, results):
    page = _get(client, "/search?q=support&topic=grief&topic=depression&format=online&page=2")
    chips = re.findall(r'<a class="chip" href="([^"]+)">.*?</span>(.*?) <span', page)
    assert [label for _, label in chips] == ["Grief and loss", "Depression", "Online"]
    assert chips[0][0] == "/search?q=support&amp;topic=depression&amp;format=online"
    assert chips[2][0] == "/search?q=support&amp;topic=grief&amp;topic=depression"
    assert '<a href="/search?q=support">Remove all filters</a>' in page


def test_sort_choices_depend_on_what_was_asked(client, results):
    page = _get(client, "/search?near=60614")
    assert '<option value="distance" selected>Nearest first</option>' in page
    assert 'value="relevance"' not in page
    page = _get(client, "/search?q=grief")
    assert '<option value="relevance" selected>Best match</option>' in page
    assert 'value="distance"' not in page


def test_pages_link_to_previous_and_next(client, results):
    page = _get(client, "/search?q=grief&page=2")
    assert "Page 2 of 3" in page
    assert '<a href="/search?q=grief" rel="prev">' in page
    assert '<a href="/search?q=grief&amp;page=3" rel="next">' in page
    assert '<ol class="hits" start="21"' in page


def test_spelling_suggestion_links_to_the_corrected_search(client, monkeypatch):
    install_engine(monkeypatch, lambda query: make_result(query, [], suggestion="grief"))
    page = _get(client, "/search?q=greif&near=60614")
    assert 'Did you mean <a href="/search?near=60614&amp;q=grief">grief</a>?' in page


def test_relaxed_search_says_not_every_word_matched(client, monkeypatch, groups):
    install_engine(monkeypatch, lambda q: make_result(q, [make_hit(groups[0])], relaxed=True))
    assert "No group matched all of your words" in _get(client, "/search?q=grief+yoga+mars")


def test_empty_results_suggest_widening_the_search(client, monkeypatch):
    found = {"nearby": 0, "online_only": 0, "nearest_miles": 42.0}
    install_engine(monkeypatch, lambda query: make_result(query, [], **found))
    page = _get(client, "/search?q=grief&near=60614&online=no&topic=grief")
    assert "No groups match this search" in page
    assert (
        'href="/search?q=grief&amp;near=60614&amp;online=no&amp;topic=grief&amp;radius=50"' in page
    )
    assert 'href="/search?q=grief&amp;near=60614&amp;topic=grief&amp;online=yes"' in page
    assert "Remove the filters" in page
    assert 'href="/search?format=online"' in page
    assert "988" in page.split('class="empty"')[1]


def test_ambiguous_place_offers_its_candidates(client, monkeypatch):
    springfields = [
        Place("city", f"Springfield, {state}", 39.8, -89.6, "America/Chicago")
        for state in ("IL", "MO", "MA")
    ]
    install_engine(
        monkeypatch,
        lambda q: make_result(
            q,
            [],
            place=None,
            place_problem=PlaceProblem("ambiguous", "Springfield", "?", tuple(springfields)),
        ),
    )
    page = _get(client, "/search?near=Springfield")
    assert "more than one place called “Springfield”" in page
    assert 'href="/search?near=Springfield%2C+MO"' in page


def test_unknown_place_says_so(client, monkeypatch):
    install_engine(
        monkeypatch,
        lambda q: make_result(
            q, [], place=None, place_problem=PlaceProblem("unknown", "Atlantis", "no")
        ),
    )
    page = _get(client, "/search?near=Atlantis")
    assert "We could not find the place “Atlantis”" in page


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("/search?radius=abc", "Distance must be between 0.1 and 500 miles."),
        ("/search?sort=distance", "To see the nearest groups first, please give a ZIP code"),
        ("/search?format=teleport", "Please choose how the group meets"),
    ],
)
def test_bad_parameters_give_a_400_page_with_the_form(client, results, url, said):
    page = _get(client, url, status=400)
    assert said in page
    assert '<form id="search"' in page
    assert 'href="tel:988"' in page
    assert results == []


def test_map_is_opt_in_and_points_come_from_the_listings(client, results, groups):
    page = _get(client, "/search?near=60614")
    assert "data-map-panel hidden" in page
    assert '<div id="map" class="map" hidden' in page
    assert 'data-lat="41.9253" data-lon="-87.6581"' in page
    assert 'data-center-lat="41.9227"' in page
    assert "A plain map of where these groups meet, without street names." in page
    assert "data-tile-url" not in page
    assert 'src="/static/js/map.js"' in page


def test_map_names_the_tile_server_and_the_policy_allows_only_it(app, monkeypatch, groups):
    install_engine(monkeypatch, lambda q: make_result(q, [make_hit(g) for g in groups]))
    app.config["TILE_URL"] = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
    from directory.web.security import content_security_policy

    app.config["CSP"] = content_security_policy(app.config["TILE_URL"])
    response = app.test_client().get("/search?near=60614")
    page = response.get_data(as_text=True)
    assert 'data-tile-url="https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"' in page
    assert "Showing the map loads its pictures from tile.openstreetmap.org" in page
    assert "© OpenStreetMap contributors" in page
    assert (
        "img-src 'self' data: https://*.tile.openstreetmap.org;"
        in (response.headers["Content-Security-Policy"])
    )


def test_results_page_in_spanish(client, results):
    page = _get(client, "/search?near=60614&topic=grief&locale=es")
    assert '<html lang="es">' in page
    assert "45 grupos se reúnen a menos de 25 millas de Chicago, IL 60614." in page
    assert "Todos los martes, 19:00–20:30, hora central" in page  # noqa: RUF001
    assert "martes 1 de diciembre, 19:00 CST" in page
    assert "Duelo y pérdida" in page
    assert "<legend>Tema</legend>" in page


def test_a_time_zone_the_server_does_not_know_is_ignored_on_the_page(client, results):
    # The page's script fills tz from the browser, which may know zones the server lacks.
    response = client.get("/search?q=grief&tz=Mars/Base")
    assert response.status_code == 200
    assert client.get("/api/v1/groups?q=grief&tz=Mars/Base").status_code == 400
