"""Synonyms reach listings' own words; a host's name ranks below a listing's own words.

Issue 12, items 1 and 3. The listings here have no topics or audiences (as a 211's feed
gives them), unless a test says so.
"""

from __future__ import annotations

import pytest

from directory.extensions import db
from directory.search.vocabulary import label_parts
from tests.factories import make_group, make_location, make_organization
from tests.unit.search.fixed_directory import keys, run

UNTAGGED = {"topics": (), "audiences": ()}


@pytest.fixture
def listings(app):
    """Add untagged listings (and one tagged) whose words name a topic or an audience."""
    hall = make_organization(name="Veterans Memorial Hall")
    found = {
        "bereavement": make_group(
            name="Tuesday Circle", description="Bereavement support for adults.", **UNTAGGED
        ),
        "loss": make_group(
            name="After Loss", description="For people rebuilding life after a partner died.",
            **UNTAGGED,
        ),
        "loved-one": make_group(
            name="Evening Sharing", description="After the death of a loved one, come and talk.",
            **UNTAGGED,
        ),
        "tagged": make_group(
            name="Wednesday Sharing", description="A circle for widows and widowers.",
            topics=("grief",),
        ),
        "widows": make_group(
            name="Thursday Sharing", description="A circle for widows and widowers.", **UNTAGGED
        ),
        "loved-ones": make_group(
            name="Family Night", description="For loved ones of people in treatment.", **UNTAGGED
        ),
        "recovery": make_group(
            name="Saturday Morning Meeting", description="Recovery from alcohol and drugs.",
            **UNTAGGED,
        ),
        "aa": make_group(
            name="Downtown Noon Speaker Meeting",
            description="Open speaker meeting of Alcoholics Anonymous.", **UNTAGGED,
        ),
        "worry": make_group(
            name="Calm Club", description="For people who worry all the time.", **UNTAGGED
        ),
        "voices": make_group(
            name="Friday Peer Space", description="Voice hearers welcome.", **UNTAGGED
        ),
        "military": make_group(
            name="Spouses Connect", description="For military families between deployments.",
            **UNTAGGED,
        ),
        "parents": make_group(
            name="Parents Circle", description="For parents and guardians of young children.",
            **UNTAGGED,
        ),
        "duelo": make_group(
            name="Grupo de los martes",
            description="Para personas en duelo por la pérdida de un ser querido.",
            **UNTAGGED,
        ),
        "knitting": make_group(
            name="Knitting Circle", description="A relaxed circle to ease stress.",
            organization=hall, **UNTAGGED,
        ),
        "caregivers": make_group(
            name="Coffee Break", description="For caregivers of people with dementia.",
            **UNTAGGED,
        ),
    }  # fmt: skip
    db.session.commit()
    return {key: group.id for key, group in found.items()}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # A synonym finds listings that use another of its topic's names, or its label.
        ("widowed", {"bereavement", "loss", "loved-one", "tagged", "widows", "duelo"}),
        ("bereavement", {"bereavement", "loss", "loved-one", "tagged", "widows", "duelo"}),
        ("sobriety", {"recovery", "aa"}),
        ("aa meeting", {"recovery", "aa"}),  # "AA" names substance use; "meeting" is common
        ("panic", {"worry"}),
        # Several words naming a topic, in the query or in the listing.
        ("hearing voices", {"voices"}),
        ("death of a loved one", {"bereavement", "loss", "loved-one", "tagged", "widows", "duelo"}),
        # Audiences.
        ("moms", {"parents"}),
        ("veterans", {"military", "knitting"}),
        ("carers", {"caregivers"}),
        # Spanish, both ways.
        ("duelo", {"bereavement", "loss", "loved-one", "tagged", "widows", "duelo"}),
        ("ansiedad", {"worry"}),
        ("veteranos", {"military"}),
        ("recuperación", {"recovery", "aa"}),
    ],
)
def test_a_synonym_finds_untagged_listings_by_their_words(listings, words, expected):
    assert set(keys(run(q=words), listings)) == expected


def test_a_name_of_several_words_needs_every_word(listings):
    # "loved ones" has two of the three words of "death of a loved one", and no other name
    # of grief: a search for a grief word does not find it.
    assert "loved-ones" not in keys(run(q="widowed"), listings)
    assert "loved-ones" in keys(run(q="family"), listings)  # "loved ones" names family


def test_a_tagged_listing_ranks_above_an_untagged_one_with_the_same_words(listings):
    found = keys(run(q="widowed"), listings)
    assert found.index("tagged") < found.index("widows")


def test_the_word_as_typed_ranks_above_its_synonyms(listings):
    found = keys(run(q="bereavement"), listings)
    untagged = [key for key in found if key != "tagged"]
    assert untagged[0] == "bereavement"


def test_a_word_only_in_the_hosts_name_ranks_below_listings_using_it_themselves(app, listings):
    # The veterans' hall's knitting circle is found, but after the military families' group,
    # though "veterans" is in the host's name and only a synonym in the other's description.
    assert keys(run(q="veterans"), listings) == ["military", "knitting"]


def test_with_a_place_a_nearer_host_only_match_still_ranks_below(app, listings):
    hall = make_organization(name="Grief Center of Evanston")
    evanston = make_location(city="Evanston", postal_code="60201", latitude=42.0451,
                             longitude=-87.6877)  # fmt: skip
    near = make_group(name="Art Night", description="Paint and talk.", organization=hall,
                      location=evanston, **UNTAGGED)  # fmt: skip
    db.session.commit()
    listings = {**listings, "art": near.id}
    found = keys(run(q="grief", near="60201", radius="30"), listings)
    assert found[-1] == "art" and len(found) > 1


def test_words_every_support_group_uses_are_not_required_beside_others(listings):
    found = keys(run(q="support group for caregivers"), listings)
    assert found == ["caregivers"]  # it says neither "support" nor "group"


def test_words_every_support_group_uses_alone_are_still_required(listings):
    assert keys(run(q="support"), listings) == ["bereavement"]


@pytest.mark.parametrize(
    ("label", "parts"),
    [
        ("Grief and loss", ["grief", "loss"]),
        ("Ansiedad y pánico", ["ansiedad", "panico"]),
        ("Loneliness and isolation", ["loneliness", "isolation"]),
        ("Memory loss and dementia", []),  # "loss" alone would name grief
        ("Enfermedad y dolor crónicos", []),
        ("Depression", []),
    ],
)
def test_a_label_joining_single_words_answers_to_each(label, parts):
    assert label_parts(label) == parts
