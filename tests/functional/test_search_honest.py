"""Honest answers on the results page over the real engine (issue 12, items 5, 6, 9 and 10).

The summary tells groups within reach from groups online, says when none meet nearby and
how far the nearest is; words that give nothing to search for are named, "-word" and "not
word" leave groups out, "did you mean" offers only the directory's own words.
"""

from __future__ import annotations

import html
import re

import pytest

from directory.extensions import db
from directory.search import parse_query, search
from tests.factories import make_group, make_location

KENOSHA = {"city": "Kenosha", "region": "WI", "postal_code": "53140",
           "latitude": 42.5847, "longitude": -87.8212}  # fmt: skip


@pytest.fixture
def directory(app):
    make_group(name="Lincoln Park Grief Circle", topics=("grief",),
               description="Peers meet in the hall. Details: https://nami.example.org/room42 "
                           "or www.example.org.")  # fmt: skip
    make_group(name="Lakeview Depression Peers", topics=("depression",),
               location=make_location(name="Lakeview Hall", postal_code="60613",
                                      latitude=41.9479, longitude=-87.6463))  # fmt: skip
    make_group(name="Online Grief Evenings", format="online", topics=("grief",),
               description="We light lanterns for the people we miss.",
               timezone="America/Chicago")  # fmt: skip
    # A strong match far away that can be joined online.
    make_group(name="Grief and Grieving: Kenosha Hybrid Grief Group", format="hybrid",
               topics=("grief",), join_url="https://meet.example.org/mke",
               location=make_location(name="Lake Park Pavilion", **KENOSHA))  # fmt: skip
    make_group(name="Brooklyn Grief Group", topics=("grief",),
               location=make_location(city="Brooklyn", region="NY", postal_code="11201",
                                      latitude=40.6943, longitude=-73.9903,
                                      timezone="America/New_York"))  # fmt: skip
    db.session.commit()


def _names(page: str) -> list[str]:
    found = re.findall(r'<h3><a href="/groups/\d+[^"]*">([^<]+)</a>', page)
    return [html.unescape(name) for name in found]


def _text(page: str) -> str:
    """Return the page's words, tags dropped and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.text[:400]
    return response.text


# --- item 5: in person within reach, online, and the nearest beyond ------------------------


@pytest.mark.usefixtures("directory")
def test_the_summary_counts_groups_within_reach_and_online_apart(client):
    text = _text(_get(client, "/search?q=grief&near=60614"))
    assert "1 group meets within 25 miles of Chicago, IL 60614; 2 more meet online." in text


@pytest.mark.usefixtures("directory")
def test_groups_within_reach_come_before_a_stronger_match_joinable_from_afar(client):
    page = _get(client, "/search?q=grief&near=60614")
    assert _names(page) == [
        "Lincoln Park Grief Circle",  # in person, within reach
        "Grief and Grieving: Kenosha Hybrid Grief Group",  # scores higher, 45 miles away
        "Online Grief Evenings",
    ]
    far = page.split('<li class="hit"')[2]
    assert "Join online from anywhere" in far
    assert re.search(r"<span class=\"distance\">4\d\.\d miles</span>", far)
    assert "data-lat" not in far  # joined online: not on the map


@pytest.mark.usefixtures("directory")
def test_with_none_nearby_it_says_so_first_and_offers_the_nearest_and_the_online_ones(client):
    page = _get(client, "/search?q=grief&near=Milwaukee%2C+WI&radius=5")
    text = _text(page)
    summary = text[text.index("No groups meet") :]
    assert re.match(
        r"No groups meet in person within 5 miles of Milwaukee, WI\. The nearest group that "
        r"meets in person is 3\d\.\d miles away\. 2 groups meet online: they are listed below\. "
        r"See the groups within 50 miles",
        summary,
    ), summary[:300]
    assert _names(page)[0] == "Grief and Grieving: Kenosha Hybrid Grief Group"  # online, afar
    link = re.search(r'<a href="([^"]+)">See the groups within 50 miles</a>', page)
    assert "radius=50" in link.group(1)
    wider = _get(client, html.unescape(link.group(1)))
    assert _names(wider)[0] == "Grief and Grieving: Kenosha Hybrid Grief Group"
    assert "1 group meets within 50 miles of Milwaukee, WI; 1 more meets online." in _text(wider)
    assert '<option value="50" selected>' in wider


@pytest.mark.usefixtures("directory")
def test_the_nearest_beyond_the_distances_offered_gets_the_next_fifty_miles(client):
    text = _text(_get(client, "/search?q=depression&near=Minneapolis%2C+MN&online=no"))
    found = re.search(
        r"No groups meet in person within 25 miles of Minneapolis, MN\. The nearest group "
        r"that meets in person is (\d{3})\.\d miles away\. See the groups within (\d+) miles",
        text,
    )
    assert found, text[:2000]
    assert int(found.group(2)) == (int(found.group(1)) // 50 + 1) * 50
    assert "Include online groups" in text  # in the list of what to try
    assert "Look further away" not in text


@pytest.mark.usefixtures("directory")
def test_the_nearest_past_the_longest_distance_is_said_without_a_link(client):
    text = _text(_get(client, "/search?q=depression&near=Billings%2C+MT"))
    assert re.search(r"The nearest group that meets in person is 1,\d{3}\.\d miles away\.", text)
    assert "See the groups within" not in text


@pytest.mark.usefixtures("directory")
def test_nothing_in_person_anywhere_offers_no_wider_search(client):
    text = _text(_get(client, "/search?q=lanterns&near=53202"))
    assert "No groups meet in person within 25 miles of Milwaukee, WI 53202." in text
    assert "The nearest" not in text and "See the groups within" not in text
    assert "1 group meets online: it is listed below." in text


@pytest.mark.usefixtures("directory")
def test_an_online_filter_only_counts_online_groups(client):
    text = _text(_get(client, "/search?q=grief&near=60614&format=online&format=phone"))
    assert "1 group meets online." in text
    assert "No groups meet in person" not in text


@pytest.mark.usefixtures("directory")
def test_a_state_is_in_not_within_miles_of(client):
    text = _text(_get(client, "/search?q=grief&near=Illinois"))
    assert "1 group meets in Illinois; 2 more meet online." in text


@pytest.mark.usefixtures("directory")
def test_the_home_page_hint_says_what_an_empty_place_does(client):
    home = _text(_get(client, "/"))
    assert "Leave it empty to see groups everywhere, in person and online." in home
    names = _names(_get(client, "/search?q=grief"))
    assert "Brooklyn Grief Group" in names and "Online Grief Evenings" in names


def test_the_engine_counts_nearby_and_online_only(app, directory):
    result = search(parse_query({"q": "grief", "near": "60614"}))
    assert (result.total, result.nearby, result.online_only, result.nearest_miles) == (
        3, 1, 2, None)  # fmt: skip
    far = search(parse_query({"q": "grief", "near": "53202", "radius": "5"}))
    assert far.nearby == 0 and far.nearest_miles is not None and far.nearest_miles > 5
    nowhere = search(parse_query({"q": "grief"}))
    assert nowhere.nearby is None and nowhere.online_only is None


# --- item 6: words it could not use, words left out, did you mean ----------------------------


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("the of ???", "“the”, “of”, “???”"),
        ("💜 🙏", "“💜”, “🙏”"),
        ("AND OR NOT", "“AND”, “OR”, “NOT”"),
        ("- !!", "“-”, “!!”"),
    ],
)
def test_a_search_with_nothing_to_search_for_names_the_words_it_ignored(client, typed, named):
    page = _get(client, "/search?" + f"q={typed}")
    text = _text(page)
    assert f"None of your words could be searched for: {named}." in text
    assert _names(page) == []  # not every group, silently
    assert "See every group instead" in text
    assert "groups." not in text  # no count of everything


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize("typed", ["grief -online", "grief not online", "grief NOT online"])
def test_minus_or_not_leaves_out_groups_that_use_the_word(client, typed):
    page = _get(client, "/search?" + f"q={typed}")
    names = _names(page)
    assert "Online Grief Evenings" not in names
    assert "Lincoln Park Grief Circle" in names
    text = _text(page)
    assert "Leaving out groups whose name or description mentions “online”." in text
    assert 'href="/search?q=grief">Show them too</a>' in page


@pytest.mark.usefixtures("directory")
def test_only_exclusions_list_every_other_group(client):
    names = _names(_get(client, "/search?q=-grief"))
    assert names == ["Lakeview Depression Peers"]


@pytest.mark.usefixtures("directory")
def test_did_you_mean_proposes_the_directorys_own_word(client):
    page = _get(client, "/search?q=grif+-online")
    assert 'Did you mean <a href="/search?q=grief+-online">grief -online</a>?' in page


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize("typed", ["httpx", "room43", "wwww"])
def test_did_you_mean_never_proposes_fragments_of_links_or_code(client, typed):
    page = _get(client, f"/search?q={typed}")
    assert "Did you mean" not in page


@pytest.mark.usefixtures("directory")
def test_some_of_your_words_only_sits_above_groups(client):
    some = _get(client, "/search?q=grief+xylophone")
    assert "so these groups match some of them" in some and _names(some)
    none = _get(client, "/search?q=xylophone+zebra")
    assert "so these groups match some of them" not in none
    assert "No groups match this search" in none
    result = search(parse_query({"q": "xylophone zebra"}))
    assert (result.total, result.relaxed) == (0, False)


# --- items 9 and 10: what the page gives the browser, and how it folds ---------------------


@pytest.mark.usefixtures("directory")
def test_results_say_which_zone_their_times_are_in(client):
    page = _get(client, "/search?q=grief&tz=America/New_York")
    assert 'data-viewer-times data-zone="America/New_York"' in page
    assert re.search(r'<time datetime="[^"]+-0[45]:00">[^<]+ E[SD]T</time>', page)
    home_link = _get(client, "/search?topic=grief")
    assert 'data-viewer-times data-zone=""' in home_link  # each group's own zone


@pytest.mark.usefixtures("directory")
def test_after_a_search_the_form_folds_into_one_line_and_the_filters_behind_a_disclosure(client):
    page = _get(client, "/search?q=grief&near=60614&topic=grief")
    folded = re.search(r'<details class="search-change">\s*<summary>(.*?)</summary>', page, re.S)
    assert _text(folded.group(1)) == "“grief” near Chicago, IL 60614 · 1 filter Change"
    assert re.search(r'<details class="filters-disclosure" open>', page)  # a filter is on
    plain = _get(client, "/search?near=60614")
    assert '<details class="filters-disclosure">' in plain
    assert "Groups near Chicago, IL 60614" in plain


@pytest.mark.usefixtures("directory")
def test_with_nothing_found_the_form_stays_open(client):
    page = _get(client, "/search?q=xylophone+zebra&near=60614")
    assert "search-change" not in page
    assert '<input type="search" id="q" name="q" value="xylophone zebra"' in page


@pytest.mark.usefixtures("directory")
def test_the_map_note_speaks_to_a_person(client):
    page = _text(_get(client, "/search?near=60614"))
    assert "A plain map of where these groups meet, without street names." in page
    assert "server is set up" not in page


@pytest.mark.usefixtures("directory")
def test_the_api_carries_the_counts_nearby_and_online(client):
    body = client.get("/api/v1/groups?q=grief&near=60614").get_json()
    assert (body["total"], body["nearby"], body["online_only"]) == (3, 1, 2)
    anywhere = client.get("/api/v1/groups?q=grief").get_json()
    assert anywhere["nearby"] is None and anywhere["online_only"] is None


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize("typed", ["-grief", "not grief the"])
def test_no_words_to_score_means_no_best_match_order(client, typed):
    page = _get(client, f"/search?q={typed}")
    assert 'value="relevance"' not in page
    assert '<option value="soonest" selected>Meeting soonest</option>' in page
