"""The JSON API: /api/v1/groups (search) and /api/v1/groups/<id> (one group)."""

from __future__ import annotations

import datetime as dt

import pytest

from directory.extensions import db
from directory.models import Group
from tests.unit.search.fixed_directory import PUBLISHED, build_directory


@pytest.fixture
def ids(app):
    return build_directory()


def get(client, path, **params):
    response = client.get(path, query_string=params)
    assert response.is_json, response.data[:200]
    return response


# --- searching -------------------------------------------------------------------------


def test_search_returns_a_page_of_results_with_facets(client, ids):
    response = get(client, "/api/v1/groups", q="ptsd", near="60614")
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 2
    assert (body["page"], body["per_page"], body["pages"]) == (1, 20, 1)
    assert body["sort"] == "relevance"
    assert body["suggestion"] is None and body["relaxed"] is False
    assert body["place"]["display"] == "Chicago, IL 60614"
    assert body["place"]["radius_miles"] == 25
    first, second = body["results"]
    assert first["name"] == "Lakeview Survivors Circle"
    assert first["distance_miles"] == 0.5 and first["online"] is False
    assert first["topics"] == [{"slug": "ptsd", "label": "Trauma and PTSD"}]
    assert first["organization"] == "NAMI Lakeside (demo)"
    assert first["format"] == "in_person"
    assert (first["city"], first["region"]) == ("Chicago", "IL")
    assert first["schedule_text"].startswith("Every Tuesday")
    assert first["url"].endswith(f"/groups/{ids['trauma']}")
    assert first["api_url"].endswith(f"/api/v1/groups/{ids['trauma']}")
    # An ISO 8601 time with its offset, in the place's time zone.
    assert dt.datetime.fromisoformat(first["next_meeting"]).utcoffset() == dt.timedelta(hours=-6)
    assert second["name"] == "Veterans Phone Circle"
    assert second["online"] is True and "distance_miles" not in second
    topics = {v["value"]: v for v in body["facets"]["topic"]}
    assert topics["ptsd"] == {"value": "ptsd", "label": "Trauma and PTSD", "count": 2,
                              "selected": False}  # fmt: skip
    assert set(body["facets"]) == {
        "topic", "audience", "format", "day", "time", "lang", "cost", "access", "org",
    }  # fmt: skip


def test_search_without_a_place_has_no_distances(client, ids):
    body = get(client, "/api/v1/groups", per_page="100").get_json()
    assert body["total"] == len(PUBLISHED)
    assert body["place"] is None
    assert all("distance_miles" not in hit for hit in body["results"])


def test_kilometres_are_given_too_when_asked_for(client, ids):
    body = get(client, "/api/v1/groups", near="60614", unit="km", radius="5",
               online="no").get_json()  # fmt: skip
    assert [hit["distance_km"] for hit in body["results"]] == [0.8, 3.5]


def test_facets_in_the_query_string(client, ids):
    body = get(client, "/api/v1/groups", topic=["ptsd", "grief"], format="phone").get_json()
    assert [hit["name"] for hit in body["results"]] == ["Veterans Phone Circle"]
    chosen = [v["value"] for v in body["facets"]["topic"] if v["selected"]]
    assert chosen == ["ptsd", "grief"]


def test_a_misspelling_gets_a_suggestion(client, ids):
    body = get(client, "/api/v1/groups", q="bipolr").get_json()
    assert body["suggestion"] == "bipolar"
    assert body["results"][0]["name"] == "Oak Park Bipolar Peers"


def test_words_it_could_not_search_for_are_named_and_find_nothing(client, ids):
    body = get(client, "/api/v1/groups", q="the of ???").get_json()
    assert body["ignored"] == ["the", "of", "???"]
    assert body["total"] == 0 and body["results"] == []
    assert get(client, "/api/v1/groups", q="bipolar").get_json()["ignored"] == []


def test_words_left_out_are_named(client, ids):
    body = get(client, "/api/v1/groups", q="peers -bipolar").get_json()
    assert body["excluded"] == ["bipolar"] and body["total"] > 0
    assert "Oak Park Bipolar Peers" not in [hit["name"] for hit in body["results"]]


def test_soonest_in_the_viewers_time_zone(client, ids):
    body = get(client, "/api/v1/groups", sort="soonest", tz="Asia/Tokyo").get_json()
    offsets = {dt.datetime.fromisoformat(hit["next_meeting"]).utcoffset()
               for hit in body["results"]}  # fmt: skip
    assert offsets == {dt.timedelta(hours=9)}
    starts = [dt.datetime.fromisoformat(hit["next_meeting"]) for hit in body["results"]]
    assert starts == sorted(starts)


# --- bad requests ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"q": "x" * 300}, "q"),
        ({"lat": "north", "lon": "3"}, "lat"),
        ({"lat": "41.9"}, "lon"),
        ({"radius": "-4"}, "radius"),
        ({"unit": "leagues"}, "unit"),
        ({"online": "sometimes"}, "online"),
        ({"sort": "sideways"}, "sort"),
        ({"sort": "distance"}, "sort"),
        ({"tz": "Nowhere/Special"}, "tz"),
        ({"page": "-1"}, "page"),
        ({"per_page": "1000"}, "per_page"),
        ({"format": "telepathy"}, "format"),
        ({"day": "funday"}, "day"),
        ({"time": "teatime"}, "time"),
        ({"cost": "arm-and-leg"}, "cost"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"audience": "robots"}, "audience"),
        ({"lang": "zz"}, "lang"),
        ({"access": "jetpack"}, "access"),
        ({"org": "DROP TABLE"}, "org"),
        ({"topics": "grief"}, "topics"),  # a misspelt parameter is refused by name
    ],
)
def test_each_bad_parameter_is_a_400_naming_it(client, ids, params, param):
    response = get(client, "/api/v1/groups", **params)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["param"] == param
    assert error["message"]


def test_an_ambiguous_place_returns_its_candidates(client, ids):
    response = get(client, "/api/v1/groups", near="Springfield")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["param"] == "near"
    assert "several places" in error["message"]
    assert error["candidates"][0]["display"] == "Springfield, IL"
    assert {"latitude", "longitude", "timezone", "kind"} <= set(error["candidates"][0])


def test_an_unknown_place_has_a_clear_message(client, ids):
    response = get(client, "/api/v1/groups", near="Chicgo, IL")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["param"] == "near"
    assert error["message"].startswith("We couldn't find")
    assert "Chicago, IL" in error["suggestions"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "\x00\uffff"},
        {"q": "%%%%"},
        {"near": "\u202e60614"},
        {"q": "ü" * 199},
        {"lat": "1e308", "lon": "0"},
        {"radius": "1e-320", "near": "60614"},
        {"page": "99999999999999999999"},
        {"near": "0"},
        {"q": "a" * 41},
        {"org": "\u00b2"},
        {"topic": "\u00e9\u00e9\u00e9", "lang": "\u4e2d\u6587"},
    ],
)
def test_odd_input_never_causes_a_server_error(client, ids, params):
    response = client.get("/api/v1/groups", query_string=params)
    assert response.status_code in (200, 400)
    assert response.is_json


# --- one group -------------------------------------------------------------------------


def test_one_group_in_full(client, ids):
    group = db.session.get(Group, ids["bipolar"])
    group.organiser_name = "Private Person"
    group.organiser_email = "private.person@example.org"
    group.organiser_phone = "312-555-0142"
    db.session.commit()
    response = get(client, f"/api/v1/groups/{ids['bipolar']}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "Oak Park Bipolar Peers"
    assert body["description"] == "Living with bipolar disorder, together."
    assert body["cost"] == "donation"
    assert body["topics"] == [{"slug": "bipolar", "label": "Bipolar disorder"}]
    assert body["audiences"][0]["slug"] == "family-and-friends"
    assert body["accessibility"][0]["slug"] == "wheelchair"
    assert body["languages"] == [{"code": "en", "name": "English"}]
    assert body["organization"]["name"] == "NAMI Lakeside (demo)"
    assert body["location"]["city"] == "Oak Park"
    assert body["timezone"] == "America/Chicago"
    assert body["schedules"][0]["rrule"] == "FREQ=WEEKLY;BYDAY=TH"
    assert body["schedules"][0]["text"].startswith("Every Thursday")
    assert len(body["next_meetings"]) == 3
    # Organisers' private contact details are never in the API.
    text = response.get_data(as_text=True)
    for private in ("Private Person", "private.person@example.org", "555-0142", "organiser"):
        assert private not in text


def test_joining_details_shown_only_when_public(client, ids):
    group = db.session.get(Group, ids["recovery"])
    group.join_url = "https://meet.example.org/recovery"
    group.join_instructions = "Passcode: heron-5512"
    group.join_visibility = "on_request"
    db.session.commit()
    response = get(client, f"/api/v1/groups/{ids['recovery']}")
    assert "heron-5512" not in response.get_data(as_text=True)
    body = response.get_json()
    assert body["join"] == {"visibility": "on_request", "url": None, "phone": None,
                            "instructions": None}  # fmt: skip
    assert body["location"] is None and body["online"] is True


@pytest.mark.parametrize("key", ["pending", "rejected", "archived"])
def test_unpublished_groups_are_not_found(client, ids, key):
    response = get(client, f"/api/v1/groups/{ids[key]}")
    assert response.status_code == 404
    assert response.get_json()["error"]["message"]


@pytest.mark.parametrize("number", ["999999", "99999999999999999999"])
def test_a_missing_group_is_not_found(client, ids, number):
    assert get(client, f"/api/v1/groups/{number}").status_code == 404
