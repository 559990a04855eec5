"""The gazetteer built from the zipcodes package, and its cache file."""

import pickle

import pytest

from directory.geo import STATE_NAMES, Gazetteer, default_gazetteer, load_gazetteer, resolve
from directory.geo import gazetteer as gazetteer_module
from directory.geo.timezones import valid_timezone


@pytest.fixture(scope="module")
def built() -> Gazetteer:
    return default_gazetteer()


@pytest.fixture
def count_builds(monkeypatch, built):
    """Make Gazetteer.build return the already built one, counting the calls."""
    calls = []

    def fake_build(cls):
        calls.append(cls)
        return built

    monkeypatch.setattr(Gazetteer, "build", classmethod(fake_build))
    return calls


def test_every_located_zip_has_a_valid_time_zone_and_real_coordinates(built):
    assert len(built.zips) > 40_000
    for code, row in built.zips.items():
        place = built.zip(code)
        assert place.coordinates != (0.0, 0.0), code
        assert -90 <= place.latitude <= 90 and -180 <= place.longitude <= 180, code
        assert valid_timezone(place.timezone), (code, row)


def test_zips_without_coordinates_are_kept_apart(built):
    assert built.unlocated_zips["09001"] == "Apo, AE"
    assert built.unlocated_zips["77352"] == "Livingston, TX"
    assert "09001" not in built.zips
    assert 800 < len(built.unlocated_zips) < 1000


def test_every_city_has_a_time_zone(built):
    for places in built.cities.values():
        for row in places:
            assert valid_timezone(row[4]), row


def test_cities_are_ranked_most_zip_codes_first(built):
    assert [row[6] for row in built.cities["portland"][:2]] == ["OR", "ME"]


def test_states_cover_the_fifty_dc_and_the_territories_with_coordinates(built):
    fifty_and_dc = set(STATE_NAMES) - {"PR", "VI", "GU", "AS", "MP", "FM", "MH", "PW"}
    assert len(fifty_and_dc) == 51
    assert fifty_and_dc <= set(built.states)
    assert {"PR", "VI", "GU", "AS", "MP"} <= set(built.states)
    assert "FM" not in built.states  # every Micronesian ZIP has 0, 0
    assert not {"AA", "AE", "AP"} & set(built.states)  # military mail "states"


def test_cities_named_in_one_state(built):
    [springfield] = built.cities_named("springfield", "MO")
    assert springfield.display == "Springfield, MO"
    assert built.cities_named("springfield", "AK") == []
    assert built.cities_named("nowhereville") == []


def test_lookups_return_fresh_lists(built):
    first = built.cities_named("springfield")
    first.clear()
    assert built.cities_named("springfield")


def test_cache_is_written_and_read_back(tmp_path, built, count_builds):
    path = tmp_path / "instance" / "gazetteer.pickle"
    assert Gazetteer.load(path) is built  # no file yet: built, then saved
    assert path.exists()
    assert len(count_builds) == 1
    loaded = Gazetteer.load(path)
    assert len(count_builds) == 1  # read from the file this time
    assert loaded == built
    assert loaded is not built
    assert resolve("Chicago, IL", loaded) == resolve("Chicago, IL", built)


def test_corrupt_cache_is_rebuilt(tmp_path, count_builds, caplog):
    path = tmp_path / "gazetteer.pickle"
    path.write_bytes(b"not a pickle")
    assert isinstance(Gazetteer.load(path), Gazetteer)
    assert len(count_builds) == 1
    assert "Ignoring unreadable gazetteer cache" in caplog.text
    Gazetteer.load(path)
    assert len(count_builds) == 1  # the rebuilt file was good


def test_cache_from_another_zipcodes_version_is_rebuilt(tmp_path, count_builds):
    path = tmp_path / "gazetteer.pickle"
    path.write_bytes(pickle.dumps(((gazetteer_module.CACHE_FORMAT, "0.0.0"), {})))
    assert isinstance(Gazetteer.load(path), Gazetteer)
    assert len(count_builds) == 1


def test_unwritable_cache_is_not_fatal(tmp_path, built, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert built.save(blocker / "gazetteer.pickle") is False
    assert "Could not write gazetteer cache" in caplog.text
    assert list(tmp_path.iterdir()) == [blocker]


def test_load_gazetteer_sets_the_default(tmp_path, monkeypatch, count_builds):
    monkeypatch.setattr(gazetteer_module, "_default", None)
    path = tmp_path / "gazetteer.pickle"
    chosen = load_gazetteer(path)
    assert default_gazetteer() is chosen
    assert path.exists()
