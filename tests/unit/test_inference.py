"""Inferring topics and audiences from a listing's words: whole words, negations, crisis lines."""

from __future__ import annotations

import pytest

from directory.inference import (
    FALLBACK_ONLY,
    NOT_INFERRED_FROM,
    SPANISH_NAMES,
    Inferrer,
    _names,
)
from directory.taxonomy import read_taxonomy

TERMS, _LANGUAGES = read_taxonomy()


@pytest.fixture(scope="module")
def inferrer() -> Inferrer:
    """Return an inferrer over the shipped taxonomy."""
    return Inferrer(TERMS)


def _slugs(inferrer: Inferrer, *texts: str) -> dict[str, list[str]]:
    found = inferrer.infer(*texts)
    return {vocabulary: [item.slug for item in items] for vocabulary, items in found.items()}


def _topics(inferrer: Inferrer, *texts: str) -> list[str]:
    return _slugs(inferrer, *texts)["topic"]


def _audiences(inferrer: Inferrer, *texts: str) -> list[str]:
    return _slugs(inferrer, *texts)["audience"]


def test_labels_synonyms_and_multi_word_names_match_in_the_order_named(inferrer):
    text = "Peer-led support for people living with bipolar disorder or depression."
    assert _topics(inferrer, text) == ["bipolar", "depression"]
    assert _topics(inferrer, "After the death of a loved one") == ["grief"]
    assert _topics(inferrer, "Ansiedad y pánico") == ["anxiety"]  # the Spanish label, folded
    assert _audiences(inferrer, "For VETERANS and military families") == ["veterans"]


def test_only_whole_words_match(inferrer):
    assert _topics(inferrer, "Please add your name to the list") == []  # "add" is ADHD's
    assert _topics(inferrer, "Bring a DVD; griefwork and ocdish jokes") == []
    assert _topics(inferrer, "For people with ADD") == []  # never from "add" at all
    assert _topics(inferrer, "Adults with ADHD") == ["adhd"]


def test_the_longest_name_wins_so_a_loss_is_not_grief_by_itself(inferrer):
    assert _topics(inferrer, "For suicide loss survivors") == ["suicide-loss"]
    assert _topics(inferrer, "Pregnancy loss and infertility") == ["pregnancy-loss"]
    assert _topics(inferrer, "Weight loss and hearing loss") == []
    assert _topics(inferrer, "For people with gambling addiction") == ["gambling"]


def test_twelve_step_fellowships_are_substance_use_and_a_negated_one_is_not(inferrer):
    assert _topics(inferrer, "Open speaker meeting of Alcoholics Anonymous.") == ["substance-use"]
    assert _topics(inferrer, "Lincoln Park Step Meeting (AA)") == ["substance-use"]
    assert _topics(inferrer, "Reunión de Narcóticos Anónimos") == ["substance-use"]
    assert _topics(inferrer, "Tools for living well. Not 12-step.") == []


def test_a_plural_of_a_name_matches(inferrer):
    assert _topics(inferrer, "Living with mood and bipolar disorders") == ["bipolar"]
    assert _audiences(inferrer, "A group for a veteran") == ["veterans"]


def test_a_negated_name_tags_nothing(inferrer):
    assert _topics(inferrer, "This group is not for substance use.") == []
    assert _topics(inferrer, "Not for people with substance use or alcohol problems") == []
    assert _audiences(inferrer, "No es para adolescentes") == []
    assert _topics(inferrer, "Un espacio sin alcohol") == []
    assert _topics(inferrer, "It isn't a group for depression") == []
    assert _topics(inferrer, "It isn\u2019t a group for depression") == []  # typographic
    assert _topics(inferrer, "We welcome everyone except people with anxiety") == []
    assert _audiences(inferrer, "Open to non-veterans") == []


def test_a_name_negated_once_is_never_inferred(inferrer):
    text = "Not for alcohol problems. We talk about sobriety and life."
    assert _topics(inferrer, text) == []


def test_a_negation_reaches_a_few_words_and_stops_at_but_or_the_clause(inferrer):
    assert _audiences(inferrer, "Not for teens, but for their parents") == ["parents"]
    assert _topics(inferrer, "Not a therapy group; for people living with depression") == [
        "depression"
    ]
    text = "No one is turned away and all are welcome who live with depression"
    assert _topics(inferrer, text) == ["depression"]
    text = "Not a clinic: the group is open to anyone who is living with anxiety"
    assert _topics(inferrer, text) == ["anxiety"]


def test_phrases_that_look_negative_negate_no_topic(inferrer):
    assert _topics(inferrer, "You are not alone with depression") == ["depression"]
    assert _topics(inferrer, "No cost, no registration, depression support") == ["depression"]
    assert _topics(inferrer, "For people no longer drinking") == ["substance-use"]
    assert _topics(inferrer, "Sin costo, para personas con depresión") == ["depression"]
    assert _topics(inferrer, "A non-judgmental space for eating disorders") == ["eating-disorders"]


def test_crisis_lines_tag_nothing(inferrer):
    text = "For people with anxiety. If you are feeling suicidal, please call or text 988."
    assert _topics(inferrer, text) == ["anxiety"]
    assert _topics(inferrer, "Feeling suicidal? Call 988. A group for anxiety.") == ["anxiety"]
    assert _topics(inferrer, "In an emergency or if you self-harm, call 911") == []
    assert _topics(inferrer, "For suicide attempt survivors") == ["suicidal-thoughts"]


def test_words_with_other_meanings_tag_nothing(inferrer):
    text = "Peer support for recovery, with your family welcome. Men and women welcome."
    assert _slugs(inferrer, text) == {"topic": [], "audience": []}
    assert _topics(inferrer, "Trauma-informed facilitators, for people with OCD") == ["ocd"]
    assert _topics(inferrer, "Hosted by Mental Health America") == []


def test_general_mental_health_only_when_no_other_topic_is_named(inferrer):
    assert _topics(inferrer, "A mental health support group") == ["general-mental-health"]
    assert _topics(inferrer, "A mental health group for depression") == ["depression"]


def test_spanish_words_the_taxonomy_lacks_are_used(inferrer):
    assert _slugs(inferrer, "Grupo para familiares de personas con ansiedad") == {
        "topic": ["anxiety"], "audience": ["family-and-friends"],
    }  # fmt: skip


def test_accessibility_is_never_inferred(inferrer):
    assert set(inferrer.infer("Wheelchair accessible, with a hearing loop")) == {
        "topic", "audience",
    }  # fmt: skip


def test_the_name_and_the_description_are_both_read_and_empty_texts_are_skipped(inferrer):
    found = inferrer.infer("Veterans Circle", None, "", "for veterans living with PTSD")
    assert [item.slug for item in found["topic"]] == ["ptsd"]
    assert [(item.slug, item.evidence) for item in found["audience"]] == [("veterans", "veterans")]


def test_every_name_left_out_and_every_spanish_word_belongs_to_the_taxonomy():
    names = {(term.vocabulary, name) for term in TERMS for name in _every_name(term)}
    for vocabulary, left_out in NOT_INFERRED_FROM.items():
        assert not [name for name in left_out if (vocabulary, name) not in names]
    slugs = {(term.vocabulary, term.slug) for term in TERMS}
    for vocabulary, words in SPANISH_NAMES.items():
        assert not [slug for slug in words.values() if (vocabulary, slug) not in slugs]
    assert {("topic", slug) for slug in FALLBACK_ONLY} <= slugs


def _every_name(term) -> set[str]:
    from directory.folding import fold

    return {fold(name) for name in (term.slug, term.label, term.label_es or "", *term.synonyms)}


def test_names_left_out_are_not_compiled():
    adhd = next(term for term in TERMS if term.slug == "adhd")
    assert "add" not in _names(adhd) and "attention deficit" in _names(adhd)


def test_a_taxonomy_without_a_term_never_infers_it():
    without = Inferrer([term for term in TERMS if term.slug != "anxiety"])
    assert without.infer("Ansiedad y ansiedad social")["topic"] == []


def test_an_audience_a_group_is_about_is_not_its_audience(inferrer):
    text = "For parents and caregivers of a child or teen who has died"
    assert _audiences(inferrer, text) == ["parents", "caregivers"]
    assert _audiences(inferrer, "Spouses of first responders") == ["family-and-friends"]
    assert _audiences(inferrer, "Grupo de apoyo para mujeres") == ["women"]


def test_the_place_in_a_listing_name_is_not_read(inferrer):
    found = inferrer.infer_listing("Grief Circle at Fairview Veterans Memorial Hall", None)
    assert [item.slug for item in found["topic"]] == ["grief"] and found["audience"] == []
    assert _audiences(inferrer, "Meets in the Veterans Memorial Building") == []
