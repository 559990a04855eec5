"""Parsing request arguments into a SearchQuery: defaults, and every bad parameter named."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from directory.search.query import (
    DEFAULT_PER_PAGE,
    DEFAULT_RADIUS_MILES,
    QueryError,
    parse_query,
)


def parse(**args):
    return parse_query(MultiDict(args))


def test_defaults():
    query = parse()
    assert (query.q, query.near, query.lat, query.online, query.page) == ("", None, None, True, 1)
    assert query.radius_miles == DEFAULT_RADIUS_MILES
    assert query.per_page == DEFAULT_PER_PAGE
    assert query.effective_sort == "soonest"


def test_values_are_tidied():
    query = parse(q="  grief   group ", topic=["grief, ptsd", "GRIEF"], online="No", sort="Soonest")
    assert query.q == "grief group"
    assert query.selected("topic") == ("grief", "ptsd")
    assert query.online is False
    assert query.sort == "soonest"


def test_kilometres_become_miles():
    assert parse(near="60614", radius="16.09344", unit="km").radius_miles == pytest.approx(10)


@pytest.mark.parametrize(
    ("args", "param"),
    [
        ({"q": "x" * 201}, "q"),
        ({"q": ["grief", "loss"]}, "q"),
        ({"near": "x" * 201}, "near"),
        ({"lat": "north", "lon": "1"}, "lat"),
        ({"lat": "91", "lon": "1"}, "lat"),
        ({"lat": "nan", "lon": "1"}, "lat"),
        ({"lat": "41.9"}, "lon"),
        ({"lon": "-87.6"}, "lat"),
        ({"lat": "41.9", "lon": "-187"}, "lon"),
        ({"radius": "far"}, "radius"),
        ({"radius": "0"}, "radius"),
        ({"radius": "501"}, "radius"),
        ({"radius": "805", "unit": "km"}, "radius"),
        ({"radius": "inf"}, "radius"),
        ({"unit": "furlongs"}, "unit"),
        ({"format": "carrier-pigeon"}, "format"),
        ({"day": "someday"}, "day"),
        ({"time": "midnight"}, "time"),
        ({"cost": "priceless"}, "cost"),
        ({"topic": "x" * 81}, "topic"),
        ({"online": "maybe"}, "online"),
        ({"sort": "random"}, "sort"),
        ({"sort": "distance"}, "sort"),  # without a place
        ({"tz": "Mars/Olympus_Mons"}, "tz"),
        ({"page": "0"}, "page"),
        ({"page": "1001"}, "page"),
        ({"page": "two"}, "page"),
        ({"per_page": "101"}, "per_page"),
        ({"per_page": "1.5"}, "per_page"),
    ],
)
def test_each_bad_parameter_is_named(args, param):
    with pytest.raises(QueryError) as raised:
        parse(**args)
    assert raised.value.param == param
    assert raised.value.message
