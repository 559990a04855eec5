"""Time zones of points, and checks of zone names."""

import pytest

from directory.geo import resolve, timezone_at, valid_timezone


@pytest.mark.parametrize(
    ("lat", "lon", "zone"),
    [
        (41.8781, -87.6298, "America/Chicago"),
        (21.3069, -157.8583, "Pacific/Honolulu"),
        (51.5074, -0.1278, "Europe/London"),
        (33.4484, -112.0740, "America/Phoenix"),
        (39.7684, -86.1581, "America/Indiana/Indianapolis"),
        (30.0, -60.0, "Etc/GMT+4"),  # the open Atlantic: a nautical zone
        (30.0, -130.0, "Etc/GMT+9"),  # the Pacific off California
        (0.0, 0.0, "Etc/GMT"),
    ],
)
def test_timezone_at(lat, lon, zone):
    assert timezone_at(lat, lon) == zone


@pytest.mark.parametrize("zip_code", ["60614", "96813", "85004", "10001", "98101", "46204"])
def test_zip_time_zones_agree_with_the_map(zip_code):
    found = resolve(zip_code)
    assert timezone_at(found.latitude, found.longitude) == found.timezone


def test_timezone_at_validates_coordinates():
    with pytest.raises(ValueError, match=r"^latitude 95 is outside -90\.\.90$"):
        timezone_at(95, 0)


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("America/Chicago", True),
        ("Pacific/Honolulu", True),
        ("Etc/GMT+5", True),
        ("UTC", True),
        ("Napakiak", False),  # a "time zone" found in the zipcodes data
        ("america/chicago", False),
        ("", False),
        (None, False),
        ("../../etc/passwd", False),
    ],
)
def test_valid_timezone(name, valid):
    assert valid_timezone(name) is valid
