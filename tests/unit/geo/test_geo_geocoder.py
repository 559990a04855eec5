"""The offline geocoder, the Nominatim wrapper (with a fake server) and the factory."""

import time

import pytest
from geopy.exc import GeocoderServiceError, GeocoderUnavailable
from geopy.location import Location
from geopy.point import Point

from directory.geo import NominatimGeocoder, OfflineGeocoder, Place, make_geocoder
from directory.geo import geocoder as geocoder_module

WILLIS_TOWER = Location(
    "Willis Tower, 233, South Wacker Drive, Loop, Chicago, Cook County, Illinois, 60606, "
    "United States",
    Point(41.8789, -87.6359),
    {
        "address": {
            "city": "Chicago",
            "state": "Illinois",
            "ISO3166-2-lvl4": "US-IL",
            "postcode": "60606",
            "country_code": "us",
        }
    },
)


class FakeNominatim:
    """Stand in for geopy's Nominatim: answer from a table, or raise what it is given."""

    def __init__(self, answers=None, errors=()):
        self.answers = answers or {}
        self.errors = list(errors)
        self.calls = []

    def geocode(self, query, **options):
        self.calls.append((query, options))
        if self.errors:
            raise self.errors.pop(0)
        return self.answers.get(query)


def nominatim(client, **options):
    options.setdefault("min_delay_seconds", 0)
    options.setdefault("max_retries", 0)
    options.setdefault("error_wait_seconds", 0)
    return NominatimGeocoder("peer-support-directory-tests", client=client, **options)


# --- offline -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "display"),
    [
        ("123 Main St, Chicago, IL 60614", "Chicago, IL 60614"),
        ("123 Main St, Chicago, IL 60614-1234, USA", "Chicago, IL 60614"),
        # a five-digit house number is not mistaken for a ZIP code
        ("12345 Main St, Chicago, IL", "Chicago, IL"),
        ("233 S Wacker Dr, Chicago IL", "Chicago, IL"),
        ("100 Main St, Portland, Maine", "Portland, ME"),
        ("500 Main St, Springfield", "Springfield, IL"),  # the likeliest of many
        ("Illinois", "Illinois"),
    ],
)
def test_offline_geocoder(address, display):
    found = OfflineGeocoder().geocode(address)
    assert isinstance(found, Place)
    assert found.display == display


@pytest.mark.parametrize("address", ["", "   ", "1 Nowhere Rd, Qqqzzz", "🙂"])
def test_offline_geocoder_returns_none_when_it_cannot_place_an_address(address):
    assert OfflineGeocoder().geocode(address) is None


# --- Nominatim, with a fake server ---------------------------------------------------------


def test_nominatim_result_becomes_an_address_place():
    client = FakeNominatim({"233 S Wacker Dr, Chicago, IL": WILLIS_TOWER})
    found = nominatim(client).geocode("233 S Wacker Dr, Chicago, IL")
    assert found == Place(
        kind="address",
        display=WILLIS_TOWER.address,
        latitude=41.8789,
        longitude=-87.6359,
        timezone="America/Chicago",
        city="Chicago",
        region="IL",
        postal_code="60606",
    )
    assert client.calls == [
        (
            "233 S Wacker Dr, Chicago, IL",
            {"exactly_one": True, "addressdetails": True, "country_codes": "us"},
        )
    ]


def test_region_comes_from_the_state_name_without_an_iso_code():
    location = Location("Somewhere", Point(39.78, -89.65), {"address": {"state": "Illinois"}})
    found = nominatim(FakeNominatim({"somewhere": location})).geocode("somewhere")
    assert (found.region, found.city, found.postal_code) == ("IL", None, None)


def test_answers_are_cached_ignoring_case_and_spacing():
    client = FakeNominatim({"233 S Wacker Dr, Chicago, IL": WILLIS_TOWER})
    geocoder = nominatim(client)
    first = geocoder.geocode("233 S Wacker Dr, Chicago, IL")
    assert geocoder.geocode("  233 s wacker dr,   CHICAGO, il ") == first
    assert len(client.calls) == 1


def test_cache_forgets_the_least_recently_used():
    client = FakeNominatim()
    geocoder = nominatim(client, cache_size=2)
    for address in ["Chicago, IL", "Seattle, WA", "Chicago, IL", "Boston, MA", "Chicago, IL"]:
        geocoder.geocode(address)
    assert [query for query, _ in client.calls] == ["Chicago, IL", "Seattle, WA", "Boston, MA"]
    geocoder.geocode("Seattle, WA")  # evicted by Boston
    assert len(client.calls) == 4


def test_zero_cache_size_disables_the_cache():
    client = FakeNominatim()
    geocoder = nominatim(client, cache_size=0)
    geocoder.geocode("Chicago, IL")
    geocoder.geocode("Chicago, IL")
    assert len(client.calls) == 2


def test_no_result_falls_back_to_the_gazetteer_and_is_cached():
    client = FakeNominatim()
    geocoder = nominatim(client)
    found = geocoder.geocode("1 Nowhere St, Chicago, IL 60614")
    assert (found.kind, found.display) == ("zip", "Chicago, IL 60614")
    geocoder.geocode("1 Nowhere St, Chicago, IL 60614")
    assert len(client.calls) == 1


def test_server_failure_falls_back_and_is_not_cached(caplog):
    client = FakeNominatim(
        {"Chicago, IL": WILLIS_TOWER}, errors=[GeocoderUnavailable("down for maintenance")]
    )
    geocoder = nominatim(client)
    found = geocoder.geocode("Chicago, IL")
    assert (found.kind, found.display) == ("city", "Chicago, IL")
    assert "Nominatim failed (GeocoderUnavailable)" in caplog.text
    assert "Chicago" not in caplog.text  # no address in the log
    assert geocoder.geocode("Chicago, IL").kind == "address"  # the server is back
    assert len(client.calls) == 2


def test_service_errors_are_retried():
    client = FakeNominatim({"Chicago, IL": WILLIS_TOWER}, errors=[GeocoderServiceError("503")])
    found = nominatim(client, max_retries=1).geocode("Chicago, IL")
    assert found.kind == "address"
    assert len(client.calls) == 2


def test_answers_with_impossible_coordinates_fall_back():
    broken = Location("Broken", Point(0, 0), {})
    broken._point = (123.0, 0.0, 0.0)  # what a misbehaving server might hand back
    client = FakeNominatim({"Chicago, IL": broken})
    assert nominatim(client).geocode("Chicago, IL").display == "Chicago, IL"


def test_calls_are_spaced_by_the_minimum_delay():
    client = FakeNominatim()
    geocoder = nominatim(client, min_delay_seconds=0.05, error_wait_seconds=0.05)
    started = time.monotonic()
    geocoder.geocode("Chicago, IL")
    geocoder.geocode("Seattle, WA")
    assert time.monotonic() - started >= 0.05


def test_blank_address_never_reaches_the_server():
    client = FakeNominatim()
    assert nominatim(client).geocode("  ") is None
    assert client.calls == []


@pytest.mark.parametrize("user_agent", ["", "   "])
def test_nominatim_needs_a_user_agent(user_agent):
    with pytest.raises(ValueError, match="Nominatim needs a user agent that names your site"):
        NominatimGeocoder(user_agent, client=FakeNominatim())


# --- the factory ---------------------------------------------------------------------------


@pytest.mark.parametrize("config", [{}, {"GEOCODER": "offline"}, {"GEOCODER": " Offline "}])
def test_factory_defaults_to_offline(config):
    assert isinstance(make_geocoder(config), OfflineGeocoder)


def test_factory_builds_nominatim_with_the_configured_agent_and_domain(monkeypatch):
    made = []

    class RecordingNominatim(FakeNominatim):
        def __init__(self, **options):
            super().__init__()
            made.append(options)

    monkeypatch.setattr(geocoder_module, "Nominatim", RecordingNominatim)
    geocoder = make_geocoder(
        {
            "GEOCODER": "nominatim",
            "GEOCODER_USER_AGENT": "peer-support-directory/1.0 (admin@example.org)",
            "GEOCODER_DOMAIN": "nominatim.example.org",
        }
    )
    assert isinstance(geocoder, NominatimGeocoder)
    assert made == [
        {
            "user_agent": "peer-support-directory/1.0 (admin@example.org)",
            "timeout": 10.0,
            "domain": "nominatim.example.org",
        }
    ]


def test_factory_uses_the_public_server_without_a_domain():
    # geopy's Nominatim makes no request when constructed.
    geocoder = make_geocoder({"GEOCODER": "nominatim", "GEOCODER_USER_AGENT": "psd-tests"})
    assert geocoder._lookup.func.__self__.domain == "nominatim.openstreetmap.org"


def test_factory_refuses_nominatim_without_a_user_agent():
    with pytest.raises(ValueError) as caught:
        make_geocoder({"GEOCODER": "nominatim", "GEOCODER_USER_AGENT": ""})
    assert str(caught.value).startswith(
        'GEOCODER is "nominatim" but GEOCODER_USER_AGENT is not set.'
    )


def test_factory_refuses_unknown_geocoders():
    with pytest.raises(ValueError) as caught:
        make_geocoder({"GEOCODER": "google"})
    assert str(caught.value) == 'GEOCODER must be "offline" or "nominatim", not "google".'
