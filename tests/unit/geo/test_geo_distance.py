"""Distances, bounding boxes and coordinate checks."""

import math

import pytest
from geopy.distance import geodesic

from directory.geo import MILES_PER_KM, bounding_box, distance_miles, validate_coordinates

CHICAGO = (41.8781, -87.6298)
NEW_YORK = (40.7128, -74.0060)


def test_chicago_to_new_york_is_about_711_miles():
    assert distance_miles(*CHICAGO, *NEW_YORK) == pytest.approx(711, abs=5)


def test_distance_is_symmetric_and_zero_to_itself():
    assert distance_miles(*CHICAGO, *CHICAGO) == 0
    there = distance_miles(*CHICAGO, *NEW_YORK)
    assert distance_miles(*NEW_YORK, *CHICAGO) == pytest.approx(there, rel=1e-12)


def test_short_distances_agree_with_the_geodesic_to_a_hundredth_of_a_mile():
    nearby = (41.95, -87.70)  # about 6 miles away
    exact = geodesic(CHICAGO, nearby).miles
    assert distance_miles(*CHICAGO, *nearby) == pytest.approx(exact, abs=0.05)


def test_miles_per_km():
    assert pytest.approx(1.0, abs=1e-9) == MILES_PER_KM * 1.609344


def test_distance_validates_its_points():
    with pytest.raises(ValueError, match=r"^latitude 91 is outside -90\.\.90$"):
        distance_miles(91, 0, 0, 0)


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        (100, 0, "latitude 100 is outside -90..90"),
        (-90.5, 0, "latitude -90.5 is outside -90..90"),
        (0, 181, "longitude 181 is outside -180..180"),
        (0, -200.25, "longitude -200.25 is outside -180..180"),
        (math.nan, 0, "latitude must be a finite number, not nan"),
        (0, math.inf, "longitude must be a finite number, not inf"),
        ("41.9", 0, "latitude must be a number, not str"),
        (None, 0, "latitude must be a number, not NoneType"),
        (True, 0, "latitude must be a number, not bool"),
    ],
)
def test_coordinate_validation_messages(lat, lon, message):
    with pytest.raises(ValueError) as caught:
        validate_coordinates(lat, lon)
    assert str(caught.value) == message


@pytest.mark.parametrize(("lat", "lon"), [(90, 180), (-90, -180), (0, 0), (41, -87)])
def test_valid_coordinates_come_back_as_floats(lat, lon):
    checked = validate_coordinates(lat, lon)
    assert checked == (float(lat), float(lon))
    assert all(type(value) is float for value in checked)


CENTRES = [
    CHICAGO,
    (21.3069, -157.8583),  # Honolulu
    (61.2181, -149.9003),  # Anchorage
    (71.2906, -156.7886),  # Utqiagvik, the northernmost US town
    (0.0, 0.0),
    (-33.87, 151.21),
]


@pytest.mark.parametrize("centre", CENTRES)
@pytest.mark.parametrize("radius", [1, 10, 25, 100, 500])
def test_bounding_box_holds_every_point_within_the_radius(centre, radius):
    min_lat, max_lat, min_lon, max_lon = bounding_box(*centre, radius)
    for bearing in range(0, 360, 10):
        # geodesic (the real, flattened Earth), just inside the radius
        point = geodesic(miles=radius * 0.999).destination(centre, bearing)
        assert min_lat <= point.latitude <= max_lat, bearing
        assert min_lon <= point.longitude <= max_lon, bearing


@pytest.mark.parametrize("centre", CENTRES[:3])
def test_bounding_box_is_not_much_bigger_than_the_circle(centre):
    _, max_lat, _, max_lon = bounding_box(*centre, 25)
    north = geodesic(miles=25 * 1.05).destination(centre, 0)
    east = geodesic(miles=25 * 1.05).destination(centre, 90)
    assert north.latitude > max_lat
    assert east.longitude > max_lon


def test_zero_radius_box_is_the_point():
    assert bounding_box(*CHICAGO, 0) == pytest.approx((41.8781, 41.8781, -87.6298, -87.6298))


def test_box_over_a_pole_spans_every_longitude():
    # 50 miles with the 1% margin is 0.731 degrees of latitude (69.09 miles a degree).
    expected = (89.9 - 50 * 1.01 / 69.09, 90.0, -180.0, 180.0)
    assert bounding_box(89.9, 10, 50) == pytest.approx(expected, abs=1e-3)
    min_lat, max_lat, min_lon, max_lon = bounding_box(-89.99, 0, 5)
    assert (min_lat, min_lon, max_lon) == (-90.0, -180.0, 180.0)
    assert max_lat > -89.99


def test_box_across_the_antimeridian_spans_every_longitude():
    # Adak, AK is at -176.6; 300 miles west crosses 180.
    min_lat, max_lat, min_lon, max_lon = bounding_box(51.88, -176.66, 300)
    assert (min_lon, max_lon) == (-180.0, 180.0)
    assert min_lat < 51.88 < max_lat


def test_box_for_half_the_earth_does_not_crash():
    assert bounding_box(0, 0, 20_000)[2:] == (-180.0, 180.0)


@pytest.mark.parametrize(
    ("radius", "message"),
    [
        (-1, "radius must be zero or more miles, not -1"),
        (math.nan, "radius must be zero or more miles, not nan"),
        ("10", "radius must be a number of miles, not str"),
    ],
)
def test_box_rejects_bad_radius(radius, message):
    with pytest.raises(ValueError) as caught:
        bounding_box(*CHICAGO, radius)
    assert str(caught.value) == message


def test_box_rejects_bad_centre():
    with pytest.raises(ValueError, match="longitude 190 is outside"):
        bounding_box(0, 190, 10)
