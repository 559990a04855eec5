"""Each search parameter's effect on the fixed directory (see fixed_directory.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from directory.search import QueryError
from tests.factories import RECENTLY_VERIFIED
from tests.unit.search.fixed_directory import PUBLISHED, counts, keys, run

# --- words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("ptsd", {"trauma", "phone"}),  # a synonym: neither listing says "PTSD"
        ("trauma", {"trauma", "phone"}),
        ("bereavement", {"grief"}),
        ("addiction", {"recovery"}),
        ("death of a loved one", {"grief"}),  # a synonym of several words
        ("grieving", {"grief"}),
        ("spanish", {"la", "spanish"}),  # a language named in words
        ("tuesday evening", {"trauma", "recovery", "milwaukee", "la"}),
    ],
)
def test_words_match_synonyms_and_stems(ids, words, expected):
    result = run(q=words)
    assert set(keys(result, ids)) == expected
    assert not result.relaxed


@pytest.mark.parametrize(
    ("typed", "expected", "suggestion"),
    [
        ("bipolr", {"bipolar"}, "bipolar"),
        ("anxeity", {"la"}, "anxiety"),
        ("depresion", {"milwaukee", "spanish"}, None),  # the Spanish word, and its topic
        ("bipolr peers", {"bipolar"}, "bipolar peers"),
    ],
)
def test_misspelled_words_still_find_their_groups(ids, typed, expected, suggestion):
    result = run(q=typed)
    assert set(keys(result, ids)) == expected
    assert result.suggestion == suggestion


def test_correct_words_get_no_suggestion(ids):
    assert run(q="bipolar").suggestion is None


def test_all_words_must_match_first(ids):
    result = run(q="depression milwaukee")
    assert keys(result, ids) == ["milwaukee"]
    assert not result.relaxed


def test_any_word_matches_when_all_words_find_nothing(ids):
    result = run(q="grief veterans")
    assert set(keys(result, ids)) == {"grief", "phone"}
    assert result.relaxed


def test_words_that_match_nothing_at_all(ids):
    result = run(q="xylophone")
    assert result.total == 0
    assert result.hits == []


def test_stop_words_alone_find_nothing_and_say_which_words(ids):
    result = run(q="the and of")  # issue 12 item 6: not every group, silently
    assert (result.total, result.ignored) == (0, ("the", "and", "of"))


def test_a_name_match_ranks_above_a_description_match(ids):
    result = run(q="bipolar")
    assert keys(result, ids) == ["bipolar"]
    words = run(q="peer")
    assert keys(words, ids)[0] == "bipolar"  # "Peers" in the name beats "peer" in the text


# --- only published listings -----------------------------------------------------------


def test_pending_rejected_and_archived_listings_never_appear(ids):
    everything = run(per_page=100)
    assert set(keys(everything, ids)) == PUBLISHED
    assert run(q="pending").total == 0
    assert "rejected" not in keys(run(q="rejected trauma circle"), ids)
    assert "archived" not in keys(run(q="archived bipolar"), ids)
    assert counts(everything, "topic")["grief"] == 1  # the pending grief group is not counted


# --- place -----------------------------------------------------------------------------


def test_place_finds_nearby_groups_nearest_first_then_online_ones(ids):
    result = run(near="60614")
    assert keys(result, ids) == [
        "trauma", "spanish", "bipolar", "grief",  # in person within 25 miles, nearest first
        "recovery", "la", "phone",  # joinable from anywhere, soonest first
    ]  # fmt: skip
    assert result.place.display == "Chicago, IL 60614"
    hits = dict(zip(keys(result, ids), result.hits, strict=True))
    assert hits["trauma"].distance_miles == 0.5 and not hits["trauma"].online
    assert hits["recovery"].online and hits["recovery"].distance_miles is None
    assert hits["phone"].online
    # A hybrid group far away is listed because it can be joined online, and says so.
    assert hits["la"].online and hits["la"].distance_miles > 1000
    assert "milwaukee" not in hits


def test_online_no_keeps_only_groups_that_meet_nearby(ids):
    assert keys(run(near="60614", online="no"), ids) == ["trauma", "spanish", "bipolar", "grief"]


def test_online_no_without_a_place_leaves_out_online_and_phone_groups(ids):
    found = set(keys(run(online="no", per_page=100), ids))
    assert found == PUBLISHED - {"recovery", "phone"}


@pytest.mark.parametrize(
    ("args", "nearby"),
    [
        ({"radius": "5"}, ["trauma", "spanish"]),
        ({"radius": "100"}, ["trauma", "spanish", "bipolar", "grief", "milwaukee"]),
        ({"radius": "5", "unit": "km"}, ["trauma", "spanish"]),  # 3.1 miles
        ({"radius": "3", "unit": "km"}, ["trauma"]),  # 1.9 miles
    ],
)
def test_radius_sets_how_far_nearby_reaches(ids, args, nearby):
    result = run(near="60614", online="no", **args)
    assert keys(result, ids) == nearby


def test_coordinates_work_like_a_place(ids):
    result = run(lat="41.9253", lon="-87.6581", radius="1", online="no")
    assert keys(result, ids) == ["trauma"]
    assert result.hits[0].distance_miles == 0.0
    assert result.place.timezone == "America/Chicago"


def test_a_state_means_groups_in_that_state(ids):
    result = run(near="Wisconsin", online="no")
    assert keys(result, ids) == ["milwaukee"]


def test_an_ambiguous_place_returns_its_candidates(ids):
    result = run(near="Springfield")
    assert result.total == 0 and result.hits == []
    problem = result.place_problem
    assert problem.kind == "ambiguous" and problem.words == "Springfield"
    displays = [c.display for c in problem.candidates]
    assert displays[:2] == ["Springfield, IL", "Springfield, MA"]
    assert "several places" in problem.message and problem.suggestions == ()


def test_an_unknown_place_says_so(ids):
    result = run(near="Chicgo, IL")
    assert result.total == 0
    problem = result.place_problem
    assert result.place is None and problem.kind == "unknown" and problem.candidates == ()
    assert "Chicgo" in problem.message
    assert "Chicago, IL" in problem.suggestions


# --- facets ----------------------------------------------------------------------------


def test_a_facet_narrows_and_is_counted_without_its_own_selection(ids):
    result = run(topic="ptsd")
    assert set(keys(result, ids)) == {"trauma", "phone"}
    # Other topics keep their counts, so a person can switch or add one.
    assert counts(result, "topic") == {
        "ptsd": 2, "depression": 2, "grief": 1, "bipolar": 1, "anxiety": 1, "substance-use": 1,
    }  # fmt: skip
    assert [v.value for v in result.facets["topic"] if v.selected] == ["ptsd"]
    # Other facets count only what the selection leaves.
    assert counts(result, "format") == {"in_person": 1, "phone": 1}


def test_values_of_one_facet_are_alternatives_and_facets_combine(ids):
    assert set(keys(run(topic=["ptsd", "grief"]), ids)) == {"trauma", "phone", "grief"}
    both = run(topic=["ptsd", "grief"], format="phone")
    assert keys(both, ids) == ["phone"]
    assert counts(both, "format") == {"in_person": 2, "phone": 1}
    assert counts(both, "topic") == {"ptsd": 1, "grief": 0}  # chosen, so still listed


def test_a_chosen_value_with_no_listings_stays_visible(ids):
    result = run(topic="eating-disorders")
    assert result.total == 0
    chosen = [v for v in result.facets["topic"] if v.value == "eating-disorders"]
    assert chosen[0].count == 0 and chosen[0].selected
    assert chosen[0].label == "Eating disorders"


def test_facet_counts_follow_the_words_and_place(ids):
    result = run(q="depression", near="60614")
    assert counts(result, "topic") == {"depression": 1}  # Milwaukee is out of reach
    assert counts(result, "lang") == {"es": 1}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"day": "tue"}, {"trauma", "recovery", "milwaukee", "la"}),
        ({"day": ["sat", "thu"]}, {"spanish", "bipolar"}),
        ({"time": "morning"}, {"bipolar", "spanish"}),
        ({"day": "tue", "time": "morning"}, set()),
        ({"lang": "es"}, {"la", "spanish"}),
        ({"lang": "Spanish"}, {"la", "spanish"}),  # a name works as well as the code
        ({"cost": "donation"}, {"bipolar"}),
        ({"access": "wheelchair"}, {"bipolar"}),
        ({"audience": "veterans"}, {"phone"}),
        ({"format": "hybrid"}, {"la"}),
        ({"topic": "PTSD"}, {"trauma", "phone"}),  # a label or synonym names the slug
    ],
)
def test_each_facet_filters(ids, args, expected):
    assert set(keys(run(per_page=100, **args), ids)) == expected


def test_facets_are_labelled(ids):
    result = run()
    labels = {facet: {v.value: v.label for v in values} for facet, values in result.facets.items()}
    assert labels["topic"]["ptsd"] == "Trauma and PTSD"
    assert labels["lang"]["es"] == "Spanish"
    assert labels["day"]["tue"] == "Tuesday"
    assert labels["format"]["in_person"] == "In person"
    assert set(labels["org"].values()) == {"NAMI Lakeside (demo)", "Recovery Network (demo)"}


def test_organisation_facet_uses_organisation_numbers(ids):
    result = run()
    nami = next(v.value for v in result.facets["org"] if v.label.startswith("NAMI"))
    assert set(keys(run(org=nami), ids)) == {"trauma", "grief", "bipolar"}
    assert counts(run(org=nami), "org")[nami] == 3


@pytest.mark.parametrize(
    ("args", "param"),
    [
        ({"topic": "no-such-topic"}, "topic"),
        ({"audience": "martians"}, "audience"),
        ({"lang": "klingon"}, "lang"),
        ({"access": "teleporter"}, "access"),
        ({"org": "nami"}, "org"),
    ],
)
def test_unknown_facet_values_name_their_parameter(ids, args, param):
    with pytest.raises(QueryError) as raised:
        run(**args)
    assert raised.value.param == param


def test_an_unknown_topic_suggests_close_ones(ids):
    with pytest.raises(QueryError, match="did you mean bipolar"):
        run(topic="bipolarr")


# --- sorting and pages -----------------------------------------------------------------


def test_soonest_orders_by_the_moment_of_the_next_meeting_across_time_zones(ids):
    result = run(sort="soonest", tz="America/Los_Angeles")
    # 7 pm Eastern, then 7 pm Central (two groups, by number), then 6 pm Pacific.
    assert keys(result, ids)[:4] == ["recovery", "trauma", "milwaukee", "la"]
    times = [hit.next_meeting.isoformat() for hit in result.hits[:4]]
    assert times == [
        "2026-11-24T16:00:00-08:00",
        "2026-11-24T17:00:00-08:00",
        "2026-11-24T17:00:00-08:00",
        "2026-11-24T18:00:00-08:00",
    ]


def test_next_meeting_is_in_the_groups_own_zone_without_a_viewer_zone(ids):
    result = run(q="recovery")
    assert result.hits[0].next_meeting.isoformat() == "2026-11-24T19:00:00-05:00"


def test_next_meeting_moves_on_once_a_meeting_has_started(ids):
    later = dt.datetime(2026, 11, 25, 1, 30, tzinfo=dt.UTC)  # 7:30 pm Tuesday in Chicago
    result = run(now=later, q="lakeview")
    assert result.hits[0].next_meeting.isoformat() == "2026-12-01T19:00:00-06:00"


def test_default_sorts(ids):
    assert run(q="peer").query.effective_sort == "relevance"
    assert run(near="60614").query.effective_sort == "distance"
    assert run().query.effective_sort == "soonest"


def test_sort_distance_with_words(ids):
    result = run(q="depression", near="60614", radius="100", sort="distance", online="no")
    assert keys(result, ids) == ["spanish", "milwaukee"]


def test_sort_soonest_with_a_place_keeps_online_groups_in_time_order(ids):
    result = run(near="60614", sort="soonest")
    assert keys(result, ids)[:2] == ["recovery", "trauma"]


def test_pages(ids):
    first = run(per_page=3)
    second = run(per_page=3, page=2)
    last = run(per_page=3, page=3)
    assert first.total == second.total == len(PUBLISHED)
    seen = keys(first, ids) + keys(second, ids) + keys(last, ids)
    assert len(seen) == len(set(seen)) == len(PUBLISHED)
    beyond = run(per_page=3, page=9)
    assert beyond.hits == [] and beyond.total == len(PUBLISHED)


def test_a_hit_carries_what_a_results_list_shows(ids):
    hit = run(q="lakeview").hits[0]
    assert hit.id == ids["trauma"]
    assert hit.name == "Lakeview Survivors Circle"
    assert hit.organization == "NAMI Lakeside (demo)"
    assert hit.format == "in_person"
    assert hit.topics == ["Trauma and PTSD"] and hit.topic_slugs == ["ptsd"]
    assert (hit.city, hit.region, hit.timezone) == ("Chicago", "IL", "America/Chicago")
    assert hit.schedule_text.startswith("Every Tuesday")
    assert hit.verified_at == RECENTLY_VERIFIED
