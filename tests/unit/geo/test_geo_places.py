"""What people type into the place box, and what it resolves to."""

import random
import time

import pytest

from directory.geo import Ambiguous, NotFound, Place, distance_miles, resolve


def place(text: str) -> Place:
    found = resolve(text)
    assert isinstance(found, Place), found
    return found


def ambiguous(text: str) -> Ambiguous:
    found = resolve(text)
    assert isinstance(found, Ambiguous), found
    return found


def not_found(text: str) -> NotFound:
    found = resolve(text)
    assert isinstance(found, NotFound), found
    return found


# --- ZIP codes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["60614", "60614-1234", " 60614 ", "60614 1234", "Chicago, IL 60614", "IL 60614"]
)
def test_zip_forms_resolve_to_the_zip_centre(text):
    found = place(text)
    assert found.kind == "zip"
    assert found.display == "Chicago, IL 60614"
    assert (found.city, found.region, found.postal_code) == ("Chicago", "IL", "60614")
    assert found.timezone == "America/Chicago"
    assert found.coordinates == pytest.approx((41.9229, -87.6483), abs=0.01)
    assert found.radius_hint_miles is None


@pytest.mark.parametrize(
    ("zip_code", "display", "timezone"),
    [
        ("96813", "Honolulu, HI 96813", "Pacific/Honolulu"),
        ("85004", "Phoenix, AZ 85004", "America/Phoenix"),
        ("99501", "Anchorage, AK 99501", "America/Anchorage"),
        ("46204", "Indianapolis, IN 46204", "America/Indiana/Indianapolis"),
        ("98101", "Seattle, WA 98101", "America/Los_Angeles"),
        ("10001", "New York, NY 10001", "America/New_York"),
        ("00901", "San Juan, PR 00901", "America/Puerto_Rico"),
        ("20500", "Washington, DC 20500", "America/New_York"),
    ],
)
def test_zip_codes_carry_their_time_zone(zip_code, display, timezone):
    found = place(zip_code)
    assert (found.display, found.timezone) == (display, timezone)


def test_zip_with_a_bogus_time_zone_in_the_data_gets_its_states_zone():
    # zipcodes gives 99634 (Napakiak, AK) the time zone "Napakiak", which is not a zone.
    assert place("99634").timezone == "America/Anchorage"


def test_a_zip_followed_by_the_country_still_resolves():
    assert place("123 Main St, Chicago, IL 60614, USA").display == "Chicago, IL 60614"


def test_unknown_zip_is_not_found_with_a_plain_message():
    found = not_found("00000")
    assert found.message == (
        "We couldn't find the ZIP code 00000. Check the number, or enter a city and state."
    )
    assert found.suggestions == []


def test_zip_without_coordinates_says_so_and_offers_its_town():
    # 77352 (Livingston, TX) is a real ZIP whose coordinates are 0, 0 in the data.
    found = not_found("77352")
    assert "77352 (Livingston, TX)" in found.message
    assert "no map location" in found.message
    assert found.suggestions == ["Livingston, TX"]


def test_military_zip_has_no_map_location():
    found = not_found("09001")
    assert "09001 (Apo, AE)" in found.message
    assert found.suggestions == []


def test_zip_without_coordinates_falls_back_to_the_city_named_with_it():
    assert place("Livingston, TX 77352").display == "Livingston, TX"


@pytest.mark.parametrize("text", ["6061", "606141", "123", "60614-12", "1.5"])
def test_wrong_length_numbers_explain_zip_codes(text):
    assert not_found(text).message == "A ZIP code has five digits, like 60614."


# --- cities ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Chicago, IL",
        "chicago il",
        "Chicago Illinois",
        "CHICAGO, illinois",
        "Chicago, IL, USA",
        "Chicago IL US",
        "  Chicago ,  IL  ",
        "Chicago",
    ],
)
def test_chicago_in_any_spelling(text):
    found = place(text)
    assert found.kind == "city"
    assert found.display == "Chicago, IL"
    assert (found.city, found.region, found.postal_code) == ("Chicago", "IL", None)
    assert found.timezone == "America/Chicago"
    # The mean of Chicago's ZIP codes is within a few miles of the Loop.
    assert distance_miles(*found.coordinates, 41.8781, -87.6298) < 5


@pytest.mark.parametrize(
    "text",
    ["Saint Louis, MO", "St. Louis MO", "St Louis, Missouri", "st louis mo", "Saint Louis MO"],
)
def test_saint_louis_spellings_are_the_same_place(text):
    assert place(text) == place("Saint Louis, MO")
    assert place(text).display == "Saint Louis, MO"
    assert place(text).timezone == "America/Chicago"


@pytest.mark.parametrize("text", ["Ft Worth TX", "Fort Worth, TX", "Ft. Worth, Texas"])
def test_fort_worth_spellings(text):
    assert place(text).display == "Fort Worth, TX"


@pytest.mark.parametrize(
    ("text", "display"),
    [
        ("Washington, DC", "Washington, DC"),
        ("Washington DC", "Washington, DC"),
        ("Washington D.C.", "Washington, DC"),
        ("Washington, District of Columbia", "Washington, DC"),
        ("Mt Vernon WA", "Mount Vernon, WA"),
        ("Ste. Genevieve MO", "Sainte Genevieve, MO"),
        ("N Little Rock AR", "North Little Rock, AR"),
        ("Lacrosse WI", "La Crosse, WI"),
        ("Mc Kinney, TX", "McKinney, TX"),
        ("McKinney TX", "McKinney, TX"),
        ("Winston-Salem, NC", "Winston Salem, NC"),
        ("Charleston West Virginia", "Charleston, WV"),
        ("New York, NY", "New York, NY"),
        ("New York New York", "New York, NY"),
        ("Mayagüez, PR", "Mayaguez, PR"),
        ("Helena MT", "Helena, MT"),
        ("Kansas City, Kansas", "Kansas City, KS"),
        ("Seattle", "Seattle, WA"),
        ("Honolulu", "Honolulu, HI"),
        # An alternative name that only the USPS "acceptable cities" list knows.
        ("Hollywood, CA", "Hollywood, CA"),
    ],
)
def test_city_spellings(text, display):
    assert place(text).display == display


def test_city_timezones_follow_their_zip_codes():
    assert place("Phoenix, AZ").timezone == "America/Phoenix"
    assert place("Honolulu, HI").timezone == "Pacific/Honolulu"
    assert place("Adak, AK").timezone == "America/Adak"


def test_springfield_is_ambiguous_with_the_biggest_first():
    found = ambiguous("Springfield")
    regions = [candidate.region for candidate in found.candidates]
    # Ranked by how many ZIP codes each has: IL 38, MA 21, MO 16, VA 9, OH 6.
    assert regions[:5] == ["IL", "MA", "MO", "VA", "OH"]
    assert all(c.kind == "city" and c.city == "Springfield" for c in found.candidates)
    # Every Springfield, one in each of 25 states, not only the ten biggest.
    assert len(found.candidates) == len(set(regions)) == 25
    assert found.query == "Springfield"


def test_portland_oregon_before_portland_maine():
    displays = [c.display for c in ambiguous("Portland").candidates]
    assert displays[:2] == ["Portland, OR", "Portland, ME"]


def test_mount_vernon_abbreviated_alone_is_ambiguous():
    displays = [c.display for c in ambiguous("Mt. Vernon").candidates]
    assert displays[0] == "Mount Vernon, NY"
    assert "Mount Vernon, WA" in displays


def test_kansas_city_is_in_two_states():
    displays = [c.display for c in ambiguous("Kansas City").candidates]
    assert displays == ["Kansas City, MO", "Kansas City, KS"]


def test_a_state_in_the_comma_part_picks_one_springfield():
    assert place("Springfield, MO").region == "MO"
    assert place("Springfield, Massachusetts").region == "MA"


# --- states ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Illinois", "IL", "il", "ILLINOIS", ", IL"])
def test_states_by_name_or_code(text):
    found = place(text)
    assert found.kind == "state"
    assert (found.display, found.region, found.city) == ("Illinois", "IL", None)
    assert found.timezone == "America/Chicago"


def test_state_radius_reaches_its_farthest_corners():
    illinois = place("Illinois")
    # Cairo (far south), Galena (north-west) and Chicago's lakefront.
    for corner in ("62914", "61036", "60640"):
        assert distance_miles(*illinois.coordinates, *place(corner).coordinates) <= (
            illinois.radius_hint_miles
        )
    assert 200 <= illinois.radius_hint_miles <= 300


@pytest.mark.parametrize(
    ("text", "display", "timezone"),
    [
        ("District of Columbia", "District of Columbia", "America/New_York"),
        ("DC", "District of Columbia", "America/New_York"),
        ("Puerto Rico", "Puerto Rico", "America/Puerto_Rico"),
        ("Hawaii", "Hawaii", "Pacific/Honolulu"),
        ("MT", "Montana", "America/Denver"),
        ("Texas", "Texas", "America/Chicago"),
    ],
)
def test_more_states(text, display, timezone):
    found = place(text)
    assert (found.kind, found.display, found.timezone) == ("state", display, timezone)


def test_alaska_radius_is_huge_and_rhode_islands_small():
    assert place("AK").radius_hint_miles > 1000
    assert place("RI").radius_hint_miles <= 50


def test_new_york_is_the_city_first_then_the_state():
    found = ambiguous("New York")
    assert [(c.kind, c.display) for c in found.candidates] == [
        ("city", "New York, NY"),
        ("state", "New York"),
    ]


def test_washington_is_the_state_first_then_dc():
    found = ambiguous("Washington")
    assert [(c.kind, c.display) for c in found.candidates[:2]] == [
        ("state", "Washington"),
        ("city", "Washington, DC"),
    ]


def test_territory_without_coordinates_is_not_found():
    found = not_found("Pohnpei, FM")
    assert found.message == "We have no map locations in Federated States of Micronesia."


# --- not found and suggestions -----------------------------------------------------------


def test_misspelt_city_with_state_suggests_the_right_one():
    found = not_found("Chicgo, IL")
    assert found.message == 'We couldn\'t find "Chicgo" in Illinois.'
    assert found.suggestions == ["Chicago, IL"]


def test_misspelt_city_without_state_suggests_across_states():
    found = not_found("Chicgo")
    assert found.suggestions[0] == "Chicago, IL"
    assert 'called "Chicgo"' in found.message


def test_city_in_the_wrong_state_suggests_where_it_is():
    found = not_found("Chicago, MO")
    assert found.message == 'We couldn\'t find "Chicago" in Missouri.'
    assert "Chicago, IL" in found.suggestions


def test_misspelt_state_suggests_the_city_in_the_right_state():
    found = not_found("Springfield, Ilinois")
    assert found.message == 'We don\'t know a state called "Ilinois".'
    assert found.suggestions == ["Springfield, IL"]


def test_misspelt_state_alone_suggests_the_state():
    assert not_found("Illinios").suggestions[0] == "Illinois"


def test_gibberish_gets_the_example_and_no_suggestions():
    found = not_found("qqqzzzxxx")
    assert found.suggestions == []
    assert found.message == (
        'We couldn\'t find a place called "qqqzzzxxx". Enter a ZIP code like 60614, '
        'or a city and state like "Chicago, IL".'
    )


def test_empty_input_asks_for_a_place():
    found = not_found("   ")
    assert found.query == ""
    assert found.message.startswith("Enter a ZIP code like 60614")


def test_overlong_input_is_refused_and_echo_trimmed():
    found = not_found("x" * 10_000)
    assert found.message.startswith("That is too long for a place.")
    assert len(found.query) == 100


FULL_WIDTH_CHICAGO = "\uff43\uff48\uff49\uff43\uff41\uff47\uff4f"
FULL_WIDTH_ZIP = "\uff16\uff10\uff16\uff11\uff14"

NASTY = [
    "",
    " ",
    "\t\n\r",
    "\x00",
    "🙂",
    "🙂🙂🙂 IL",
    "x" * 10_000,
    "Springfield" * 9,
    "a" * 100,
    "a" * 101,
    "'; DROP TABLE groups; --",
    "<script>alert(1)</script>",
    "Robert'); DELETE FROM location;--",
    "%s%s%s%n",
    "{0}{1}",
    "NaN",
    "-1",
    "1e309",
    "99999",
    "00000-0000",
    "١٢٣٤٥",  # Arabic-Indic digits are not a ZIP code
    ",,,,",
    ", , ,",
    "Chicago,,,",
    "IL, Chicago",
    "USA",
    ", USA",
    "United States of America",
    "\ud800",  # a lone surrogate
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͖o̵",
    "St",
    "Mt",
    "N",
    "Saint",
    "Fort Fort Fort Fort Fort Fort",
    "60614 60614 60614",
    "Chicago, IL 00000",
    "\u202eLI ,ogacihC",
    FULL_WIDTH_CHICAGO,
]


@pytest.mark.parametrize("text", NASTY)
def test_nasty_input_never_raises(text):
    found = resolve(text)
    assert isinstance(found, Place | Ambiguous | NotFound)
    if isinstance(found, NotFound):
        assert found.message
        assert len(found.query) <= 100


def test_non_string_input_is_not_found():
    found = resolve(None)  # type: ignore[arg-type]
    assert isinstance(found, NotFound)


def test_random_junk_never_raises():
    rng = random.Random(20240601)
    alphabet = "abcdefghijklmnopqrstuvwxyz ABC,.-'0123456789éüñ漢字🙂\t\n\u200b"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert isinstance(resolve(text), Place | Ambiguous | NotFound), text


def test_full_width_text_from_phone_keyboards_is_understood():
    assert place(FULL_WIDTH_CHICAGO).display == "Chicago, IL"
    assert place(FULL_WIDTH_ZIP).display == "Chicago, IL 60614"


def test_resolving_is_fast_once_warm():
    queries = ["60614", "Chicago, IL", "st louis mo", "Springfield", "Illinois", "Mt. Vernon"]
    for query in queries:
        resolve(query)
    rounds = 200
    started = time.perf_counter()
    for _ in range(rounds):
        for query in queries:
            resolve(query)
    per_call = (time.perf_counter() - started) / (rounds * len(queries))
    assert per_call < 0.001, f"{per_call * 1e6:.0f} microseconds per resolve"
