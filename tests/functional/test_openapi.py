"""The API's OpenAPI 3.1 document: complete, generated from the code, and true of real answers."""

from __future__ import annotations

import logging
import re

import pytest
import schemathesis
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from directory.listings import MAX_ID
from directory.search.query import (
    DAYS,
    DEFAULT_PER_PAGE,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_RADIUS_MILES,
    MAX_TEXT,
    SORTS,
    TIMES,
    UNITS,
)
from directory.web import feeds
from directory.web.api import IGNORED_PARAMS, KNOWN_PARAMS, SEARCH_PARAMS
from directory.web.api_answers import (
    ErrorAnswer,
    GroupListing,
    HsdsPage,
    MeetingGuideFeed,
    SearchPage,
)
from directory.web.api_docs import limits, prose, type_words
from directory.web.api_schema import GroupSearch, SearchWords
from tests.unit.search.fixed_directory import build_directory

SEARCH, GROUP = "/api/v1/groups", "/api/v1/groups/{group_id}"
HSDS, MEETING_GUIDE = "/api/v1/export/hsds.json", "/api/v1/export/meeting-guide.json"
CALENDAR = "/api/v1/groups.ics"
#: Routes under /api/v1 that are not operations of the API: the document itself.
NOT_OPERATIONS = {"api_docs.openapi_document"}


@pytest.fixture
def ids(app):
    return build_directory()


@pytest.fixture
def doc(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def parameters(doc, path=SEARCH) -> dict[str, dict]:
    return {p["name"]: p for p in doc["paths"][path]["get"]["parameters"]}


def conforms(doc, path: str, response, model=None) -> dict:
    """Check an answer against what the document says of its status code; return its body."""
    responses = doc["paths"][path]["get"]["responses"]
    status = str(response.status_code)
    assert status in responses, f"{status} is not documented for {path}"
    assert response.is_json
    ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
    resource = Resource.from_contents(doc, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:openapi", resource)
    validator = Draft202012Validator(
        {"$ref": f"urn:openapi{ref}"}, registry=registry, format_checker=FormatChecker()
    )
    body = response.get_json()
    errors = sorted(validator.iter_errors(body), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    if model is not None:  # and the pydantic model the document came from (dates parsed)
        model.model_validate(body)
    return body


# --- the document ------------------------------------------------------------------------


def test_the_document_is_valid_openapi_3_1(client, doc):
    assert doc["openapi"].startswith("3.1.")
    schemathesis.openapi.from_dict(doc).validate()  # the OpenAPI 3.1 meta-schema
    for schema in doc["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    response = client.get("/api/v1/openapi.json")
    assert "organiser_" not in response.get_data(as_text=True)  # no private field is named
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "public" in response.headers["Cache-Control"]


def test_every_route_under_api_v1_is_in_the_document(app, doc):
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint in NOT_OPERATIONS:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in doc["paths"].get(path, {}), f"{method} {path}"
            found.add((path, method.lower()))
    documented = {(path, method) for path, item in doc["paths"].items() for method in item}
    assert documented == found  # and nothing documented that is not served


def test_no_third_party_documentation_pages_are_served(app, client):
    assert not [rule.rule for rule in app.url_map.iter_rules() if "apidoc" in rule.rule]
    for ui in ("swagger", "redoc", "scalar"):
        assert client.get(f"/apidoc/{ui}/").status_code == 404


def test_the_query_models_take_exactly_the_parameters_the_api_knows():
    def names(model):
        return {field.alias or name for name, field in model.model_fields.items()}

    assert names(GroupSearch) == KNOWN_PARAMS | IGNORED_PARAMS
    assert names(SearchWords) == SEARCH_PARAMS | IGNORED_PARAMS  # the calendar: no paging


def test_limits_are_the_searchs_own(doc):
    params = parameters(doc)
    schema = {name: p["schema"] for name, p in params.items()}
    assert (schema["page"]["minimum"], schema["page"]["maximum"]) == (1, MAX_PAGE)
    assert schema["per_page"]["maximum"] == MAX_PER_PAGE
    assert schema["per_page"]["default"] == DEFAULT_PER_PAGE
    assert schema["q"]["maxLength"] == schema["near"]["maxLength"] == MAX_TEXT
    assert tuple(schema["sort"]["enum"]) == SORTS
    assert tuple(schema["unit"]["enum"]) == UNITS
    assert tuple(schema["day"]["items"]["enum"]) == DAYS
    assert tuple(schema["time"]["items"]["enum"]) == TIMES
    assert schema["radius"]["maximum"] == pytest.approx(MAX_RADIUS_MILES * 1.609344)
    assert (schema["lat"]["minimum"], schema["lat"]["maximum"]) == (-90, 90)
    hsds = {name: p["schema"] for name, p in parameters(doc, HSDS).items()}
    assert (hsds["page"]["maximum"], hsds["per_page"]["maximum"]) == (
        feeds.HSDS_MAX_PAGE,
        feeds.HSDS_MAX_PER_PAGE,
    )
    assert hsds["per_page"]["default"] == feeds.HSDS_PER_PAGE
    group_id = parameters(doc, GROUP)["group_id"]
    assert group_id["schema"] == {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def test_every_parameter_and_operation_is_described(doc):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            assert operation["summary"] and operation["operationId"], (method, path)
            for param in operation.get("parameters", []):
                assert param["description"], (path, param["name"])
            for status, answer in operation["responses"].items():
                assert answer["description"], (path, status)
    facets = {"topic", "audience", "format", "day", "time", "lang", "cost", "access", "org"}
    for name in facets:
        facet = parameters(doc)[name]
        assert facet["schema"]["type"] == "array" and facet.get("explode", True), name


# --- real answers, checked against the document -------------------------------------------

#: A value the search accepts for each documented parameter (lat and lon go together).
ACCEPTED = {
    "q": {"q": "grief"},
    "near": {"near": "60614"},
    "lat": {"lat": "41.92", "lon": "-87.65"},
    "lon": {"lon": "-87.65", "lat": "41.92"},
    "radius": {"radius": "10", "near": "60614"},
    "unit": {"unit": "km", "near": "60614"},
    "online": {"online": "no", "near": "60614"},
    "sort": {"sort": "distance", "near": "60614"},
    "tz": {"tz": "Asia/Tokyo"},
    "page": {"page": "2", "per_page": "3"},
    "per_page": {"per_page": "3"},
    "topic": {"topic": ["ptsd", "grief"]},
    "audience": {"audience": "veterans"},
    "format": {"format": "phone,online"},
    "day": {"day": ["tue", "thu"]},
    "time": {"time": "evening"},
    "lang": {"lang": "es"},
    "cost": {"cost": "donation"},
    "access": {"access": "wheelchair"},
    "org": {"org": "1"},
    "_": {"_": "1733068800"},
}


def test_each_documented_parameter_is_accepted(client, ids, doc):
    assert set(parameters(doc)) == set(ACCEPTED)
    for name, query in ACCEPTED.items():
        response = client.get(SEARCH, query_string=query)
        assert response.status_code == 200, (name, response.get_json())
        conforms(doc, SEARCH, response, SearchPage)


@pytest.mark.parametrize(
    "query",
    [
        {"q": "ptsd", "near": "60614"},  # place with radius, distances
        {"near": "60614", "unit": "km", "radius": "5", "online": "no"},  # distance_km
        {"near": "IL"},  # a state: no radius
        {"topic": "ptsd,grief", "format": "phone"},  # selected facets
        {"per_page": "2", "page": "2", "sort": "soonest", "tz": "Asia/Tokyo"},
        {"q": "bipolr"},  # a suggestion
        {"page": str(MAX_PAGE)},  # past the end: an empty page
    ],
)
def test_search_answers_match_the_document(client, ids, doc, query):
    body = conforms(doc, SEARCH, client.get(SEARCH, query_string=query), SearchPage)
    assert body["page"] == int(query.get("page", 1))


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ({"page": "two"}, "page"),  # refused by the model
        ({"radius": "4000"}, "radius"),
        ({"topics": "grief"}, "topics"),
        ({"sort": "distance"}, "sort"),  # refused by parse_query
        ({"topic": "no-such-topic"}, "topic"),
        ({"lat": "41.9"}, "lon"),
    ],
)
def test_refusals_match_the_document(client, ids, doc, query, param):
    response = client.get(SEARCH, query_string=query)
    assert response.status_code == 400
    assert conforms(doc, SEARCH, response, ErrorAnswer)["error"]["param"] == param


def test_place_errors_match_the_document(client, ids, doc):
    ambiguous = conforms(doc, SEARCH, client.get(SEARCH, query_string={"near": "Springfield"}))
    assert len(ambiguous["error"]["candidates"]) > 1
    unknown = conforms(doc, SEARCH, client.get(SEARCH, query_string={"near": "Chicgo, IL"}))
    assert "Chicago, IL" in unknown["error"]["suggestions"]


def test_group_answers_match_the_document(client, ids, doc):
    for key in ("bipolar", "recovery", "phone", "milwaukee"):
        response = client.get(f"/api/v1/groups/{ids[key]}")
        assert response.status_code == 200
        body = conforms(doc, GROUP, response, GroupListing)
        assert body["id"] == ids[key]
    missing = client.get(f"/api/v1/groups/{ids['pending']}")
    assert missing.status_code == 404
    conforms(doc, GROUP, missing, ErrorAnswer)


def test_feed_answers_match_the_document(client, ids, doc):
    page = conforms(doc, HSDS, client.get(HSDS, query_string={"per_page": "3"}), HsdsPage)
    assert page["size"] == 3 and len(page["contents"]) == 3
    refused = client.get(HSDS, query_string={"page": "0"})
    assert conforms(doc, HSDS, refused, ErrorAnswer)["error"]["param"] == "page"
    assert conforms(doc, MEETING_GUIDE, client.get(MEETING_GUIDE), MeetingGuideFeed)
    calendar = client.get(CALENDAR, query_string={"page": "2"})  # no paging in a calendar
    assert calendar.status_code == 400
    assert conforms(doc, CALENDAR, calendar, ErrorAnswer)["error"] == {
        "param": "page",
        "message": "unknown parameter",
    }


def test_too_many_requests_match_the_document(configured_app):
    app = configured_app(RATELIMIT_ENABLED=True, RATE_LIMIT="2 per minute")
    client = app.test_client()
    doc = client.get("/api/v1/openapi.json").get_json()
    client.get(SEARCH)
    refused = client.get(SEARCH)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    conforms(doc, SEARCH, refused, ErrorAnswer)


def test_a_refused_parameter_is_said_plainly_and_never_logged(client, ids, caplog):
    caplog.set_level(logging.DEBUG)
    cases = {
        "page": ({"page": "two", "near": "Secret Street 60614"}, "'two' is not a whole number"),
        "lat": ({"lat": "north", "lon": "1"}, "'north' is not a number"),
        "per_page": ({"per_page": "0"}, f"must be between 1 and {MAX_PER_PAGE}"),
        "q": ({"q": "x" * (MAX_TEXT + 1)}, f"keep it under {MAX_TEXT} characters"),
        "unit": ({"unit": "leagues"}, "use one of mi, km"),
        "online": ({"online": "t"}, "use yes or no"),
        "day": ({"day": "mon,funday"}, "'funday' is not one of " + ", ".join(DAYS)),
        "tz": ({"tz": ["UTC", "Asia/Tokyo"]}, "give this parameter once"),
        "zip": ({"zip": "60614"}, "unknown parameter"),
    }
    for param, (query, message) in cases.items():
        response = client.get(SEARCH, query_string=query)
        assert response.status_code == 400
        assert response.get_json() == {"error": {"param": param, "message": message}}
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "Secret Street" not in logged and "funday" not in logged


def test_blank_and_cased_values_read_as_the_search_reads_them(client, ids):
    plain = client.get(SEARCH, query_string={"near": "60614", "unit": "km"}).get_json()
    odd = client.get(
        SEARCH,
        query_string={"near": " 60614 ", "unit": "KM", "page": "", "online": "", "q": "  "},
    ).get_json()
    assert odd == plain


# --- the readable reference -------------------------------------------------------------


def test_the_reference_page_shows_the_whole_document(client, doc):
    response = client.get("/api")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for item in doc["paths"].values():
        for operation in item.values():
            assert f'id="{operation["operationId"]}"' in html
            for param in operation.get("parameters", []):
                assert f"<code>{param['name']}</code>" in html
    for name in doc["components"]["schemas"]:
        assert f'id="schema-{name}"' in html
    assert "from 1 to 1000" in html and "one of: relevance, distance, soonest" in html
    assert 'href="/api/v1/openapi.json"' in html
    assert not re.search(r"<script(?![^>]*src=\"/static/)", html)  # no inline or foreign script
    assert "988" in html


def test_the_about_page_links_to_the_reference(client):
    html = client.get("/about").get_data(as_text=True)
    assert 'href="/api"' in html


def test_the_reference_writes_code_types_and_limits_plainly():
    assert str(prose("``page`` and `near` <b>")) == (
        "<code>page</code> and <code>near</code> &lt;b&gt;"
    )
    place = {"anyOf": [{"$ref": "#/components/schemas/Place"}, {"type": "null"}]}
    assert [(w.text, w.schema) for w in type_words(place)] == [
        ("Place", "Place"),
        (" or ", None),
        ("null", None),
    ]
    listed = type_words({"type": "array", "items": {"type": "string", "enum": ["a"]}})
    assert "".join(w.text for w in listed) == "list of string"
    assert limits({"type": "integer", "minimum": 1, "maximum": 5, "default": True}) == (
        "from 1 to 5",
        "default: true",
    )
