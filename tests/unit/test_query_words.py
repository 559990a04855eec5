"""The words of a search: looked for, left out ("-word", "not word"), or saying nothing."""

from __future__ import annotations

import pytest

from directory.search import parse_query
from directory.search.query_words import MAX_EXCLUDED, read_words
from directory.search.spelling import offerable, prose_words, surface_in


def _left_out(q: str) -> list[str]:
    return [exclusion.shown for exclusion in read_words(q).excluded]


@pytest.mark.parametrize(
    "q",
    ["grief -alcohol", "grief not alcohol", "grief NOT alcohol", "-alcohol grief",
     "grief \u2212alcohol", "grief --alcohol", "not -alcohol grief"],
)  # fmt: skip
def test_minus_or_not_leaves_a_word_out(q):
    words = read_words(q)
    assert words.text == "grief"
    assert _left_out(q) == ["alcohol"]
    assert words.excluded[0].terms == ("alcohol",)
    assert words.ignored == ()


def test_a_hyphen_inside_a_word_is_part_of_it():
    assert read_words("self-harm x-ray").text == "self-harm x-ray"
    assert read_words("-self-harm").excluded[0].terms == ("self", "harm")


def test_spanish_no_is_not_an_operator():
    assert read_words("no cost").text == "no cost"
    assert _left_out("no cost") == []


@pytest.mark.parametrize(
    ("q", "ignored"),
    [
        ("the of ???", ("the", "of", "???")),
        ("💜 🙏", ("💜", "🙏")),
        ("AND OR", ("AND", "OR")),
        ("-", ("-",)),
        ("not", ("not",)),
        ("not the", ("not the",)),
        ("-the", ("-the",)),
    ],
)
def test_words_that_give_nothing_to_search_for_are_set_aside_as_typed(q, ignored):
    words = read_words(q)
    assert (words.text, words.excluded, words.ignored) == ("", (), ignored)
    assert not words.searchable


def test_a_trailing_not_is_set_aside_and_the_rest_searched():
    words = read_words("grief not")
    assert (words.text, words.ignored) == ("grief", ("not",))
    assert words.searchable


def test_the_same_word_left_out_twice_counts_once_and_there_is_a_limit():
    assert _left_out("-grief -groups -grief -group") == ["grief", "groups"]  # by term
    many = " ".join(f"-word{i}x" for i in range(MAX_EXCLUDED + 2))
    words = read_words(many)
    assert len(words.excluded) == MAX_EXCLUDED
    assert len(words.ignored) == 2


def test_a_corrected_search_keeps_the_words_left_out():
    assert read_words("grif not alcohol").with_text("grief") == "grief -alcohol"
    assert read_words("grif").with_text("grief") == "grief"


def test_the_query_object_reads_its_words():
    query = parse_query({"q": "  grief   -alcohol "})
    assert query.q == "grief -alcohol"  # as typed, for the form
    assert query.words.text == "grief"
    assert _left_out(query.q) == ["alcohol"]


@pytest.mark.parametrize(
    ("unit", "miles", "param"),
    [("mi", 42.3, 43), ("mi", 50, 50), ("km", 50, 81), ("mi", 500, 500), ("mi", 501, None)],
)
def test_a_distance_becomes_a_radius_in_the_persons_unit(unit, miles, param):
    assert parse_query({"unit": unit}).radius_param(miles) == param


# --- what "did you mean" may offer ----------------------------------------------------------


@pytest.mark.parametrize("word", ["grief", "bipolar", "duelo", "ptsd"])
def test_words_of_prose_may_be_offered(word):
    assert offerable(word)


@pytest.mark.parametrize("word", ["https", "www", "href", "room42", "x86", "ab", "nbsp", "a_b"])
def test_fragments_of_links_and_code_are_never_offered(word):
    assert not offerable(word)


def test_links_addresses_and_markup_are_not_prose():
    text = "Join at https://meet.example.org/room42, www.zoom.us or ask@nami.org <b>x</b> nami.org"
    assert prose_words(text) == ["join", "at", "or"]
    assert surface_in(text, "http") is None
    assert surface_in("Grieving together, every week", "griev") == "grieving"
