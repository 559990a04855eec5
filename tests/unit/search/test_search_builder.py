"""The pure parts: analysing words, correcting spelling and planning clauses."""

from __future__ import annotations

import pytest

from directory.folding import fold
from directory.search import builder, ranking
from directory.search.builder import build_plan, corrections, edit_distance
from directory.search.text import ListingAnalyzer, terms
from directory.search.vocabulary import name_key


def test_terms_fold_accents_drop_stop_words_and_stem():
    assert fold("Depresión") == "depresion"
    assert terms("The Grieving Parents' Groups") == ["griev", "parent", "group"]
    assert terms("Grupo de apoyo en español") == ["grupo", "apoyo", "espanol"]


def test_the_index_analyzer_gives_the_same_terms():
    assert [t.text for t in ListingAnalyzer()("Bipolar Support Groups")] == terms(
        "Bipolar Support Groups"
    )


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("bipolr", "bipolar", 1),
        ("anxeiti", "anxieti", 1),  # letters swapped count once
        ("grif", "grief", 1),
        ("suport", "support", 1),
        ("depress", "depress", 0),
        ("abcdef", "uvwxyz", 3),  # capped at limit + 1
    ],
)
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b) == distance


def test_corrections_prefer_the_closest_then_the_commonest():
    frequency = {"bipolar": 40, "bipoc": 90, "polar": 1}.get
    assert corrections("bipolr", ["bipolar", "bipoc", "polar"], lambda t: frequency(t, 0)) == [
        ("bipolar", 1)
    ]
    assert corrections("abc", ["abd"], lambda t: 5) == []  # too short to correct


CONCEPTS = {
    name_key("PTSD"): {("topic", "ptsd")},
    name_key("death of a loved one"): {("topic", "grief")},
    name_key("bereavement"): {("topic", "grief")},
}
DF = {"group": 50, "support": 60, "bipolar": 20, "veteran": 5}


def plan(q: str):
    neighbours = {"bipolr": {"bipolar"}, "grop": {"group"}}
    return build_plan(
        q,
        lambda term: DF.get(term, 0),
        lambda term: neighbours.get(term, set()),
        CONCEPTS,
        lambda term: {"bipolar": "bipolar", "group": "group"}.get(term),
    )


def test_each_word_is_a_clause():
    result = plan("support group")
    assert [[w.term for w in clause.words] for clause in result.clauses] == [["support"], ["group"]]
    assert result.suggestion is None


def test_a_name_of_several_words_is_one_clause_with_its_facet_value():
    result = plan("death of a loved one group")
    first = result.clauses[0]
    assert [w.surface for w in first.words] == ["death", "loved", "one"]
    assert first.concepts == {("topic", "grief")}
    assert [w.term for w in result.clauses[1].words] == ["group"]


def test_an_unknown_word_matches_its_correction_too_and_is_suggested():
    result = plan("the bipolr grop")
    bipolar = result.clauses[0].words[0]
    assert bipolar.variants == (("bipolr", 1.0), ("bipolar", ranking.FUZZY_WEIGHTS[1]))
    assert result.suggestion == "the bipolar group"


def test_known_words_are_never_corrected():
    result = plan("veterans")
    assert result.clauses[0].words[0].variants == (("veteran", 1.0),)


def test_only_stop_words_plan_nothing():
    assert plan("the of and").empty


def test_long_queries_are_cut_short():
    assert len(plan(" ".join(["support"] * 50)).clauses) == builder.MAX_WORDS
