"""The taxonomy files validate, load idempotently, and names resolve to terms."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Language, TaxonomyTerm
from directory.taxonomy import (
    DEFAULT_DATA_DIR,
    TaxonomyError,
    load_taxonomy,
    read_languages,
    read_taxonomy,
    read_vocabulary,
    resolve_languages,
    resolve_terms,
    synonym_map,
)
from tests.factories import make_group

HEADER = "slug,label,label_es,synonyms,description\n"
REQUIRED_LANGUAGES = {
    "en", "es", "zh", "vi", "tl", "ar", "ko", "ru", "fr", "ht",
    "pt", "pl", "de", "it", "hi", "ur", "fa", "ja", "so", "am",
}  # fmt: skip


# --- the shipped files ---------------------------------------------------------------------


def test_shipped_files_validate_and_cover_the_design():
    terms, languages = read_taxonomy()
    by_vocabulary = {}
    for term in terms:
        by_vocabulary.setdefault(term.vocabulary, {})[term.slug] = term
    assert len(by_vocabulary["topic"]) >= 28
    assert len(by_vocabulary["audience"]) >= 15
    assert len(by_vocabulary["accessibility"]) >= 10
    for slug in ("depression", "grief", "bipolar", "psychosis", "ptsd", "substance-use",
                 "postpartum", "eating-disorders", "suicide-loss"):  # fmt: skip
        assert slug in by_vocabulary["topic"]
    for slug in ("peers", "family-and-friends", "parents", "teens", "veterans", "lgbtq"):
        assert slug in by_vocabulary["audience"]
    assert by_vocabulary["topic"]["grief"].label == "Grief and loss"
    assert "trauma" in by_vocabulary["topic"]["ptsd"].synonyms
    assert "addiction" in by_vocabulary["topic"]["substance-use"].synonyms
    assert {language.code for language in languages} >= REQUIRED_LANGUAGES


def test_every_term_has_a_spanish_label_and_lowercase_synonyms():
    terms, _ = read_taxonomy()
    for term in terms:
        assert term.label_es, f"{term.vocabulary}:{term.slug} has no Spanish label"
        assert all(s == s.lower() and s.strip() == s for s in term.synonyms)


# --- validation: each bad row names the file, the line and the reason ------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "grief,Grief,Duelo,,\nanxiety,Anxiety,Ansiedad,,\ngrief,Grief again,Duelo,,\n",
            "line 4: duplicate slug 'grief' (first on line 2)",
        ),
        ("Grief_Loss,Grief,Duelo,,\n", "line 2: invalid slug 'Grief_Loss'"),
        ("grief--loss,Grief,Duelo,,\n", "line 2: invalid slug 'grief--loss'"),
        ("grief,,Duelo,,\n", "line 2: empty label for 'grief'"),
        ("grief,  ,Duelo,,\n", "line 2: empty label for 'grief'"),
        (
            "grief,Grief,Duelo,loss|bereavement,\nsuicide-loss,Suicide loss,Suicidio,Loss,\n",
            "line 3: synonym 'loss' is already used by 'grief' on line 2",
        ),
        (
            "grief,Grief,Duelo,,\nloss,Loss,Pérdida,grief,\n",
            "line 3: synonym 'grief' is already used by 'grief' on line 2",
        ),
        (
            "grief,Grief,Duelo,,\nmourning,GRIEF,Luto,,\n",
            "line 3: label 'grief' is already used by 'grief' on line 2",
        ),
        ("grief,Grief,Duelo,loss,extra,field\n", "line 2: 6 fields, expected 5"),
        ("grief,Grief\n", "line 2: 2 fields, expected 5"),
    ],
)
def test_bad_vocabulary_rows_are_reported_with_file_and_line(tmp_path, body, message):
    path = tmp_path / "topics.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(TaxonomyError) as caught:
        read_vocabulary(path, "topic")
    assert str(caught.value).startswith(f"{path} {message}")


def test_missing_and_unknown_columns_are_reported_on_line_1(tmp_path):
    path = tmp_path / "audiences.csv"
    path.write_text("slug,label,synonyms\npeers,Peers,\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"audiences\.csv line 1: missing column\(s\) label_es"):
        read_vocabulary(path, "audience")
    path.write_text(HEADER.strip() + ",notes\npeers,Peers,Pares,,,x\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"line 1: unknown column\(s\) 'notes'"):
        read_vocabulary(path, "audience")


def test_empty_file_and_invalid_utf8_are_reported(tmp_path):
    path = tmp_path / "topics.csv"
    path.write_bytes(b"")
    with pytest.raises(TaxonomyError, match="line 1: the file is empty"):
        read_vocabulary(path, "topic")
    path.write_bytes(HEADER.encode() + b"grief,Grief,Duelo,,\nloss,P\xe9rdida,x,,\n")
    with pytest.raises(TaxonomyError, match=r"topics\.csv line 3: not valid UTF-8 text"):
        read_vocabulary(path, "topic")
    with pytest.raises(TaxonomyError, match="cannot read the file"):
        read_vocabulary(tmp_path / "missing.csv", "topic")


def test_a_byte_order_mark_blank_lines_and_quoted_commas_are_accepted(tmp_path):
    path = tmp_path / "audiences.csv"
    body = HEADER + '\nbipoc,"Black, Indigenous and people of color",Personas,POC | Black ,\n\n'
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    [record] = read_vocabulary(path, "audience")
    assert record.label == "Black, Indigenous and people of color"
    assert record.synonyms == ("poc", "black")
    assert record.line == 3


def test_unknown_vocabulary_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown vocabulary 'topics'"):
        read_vocabulary(tmp_path / "x.csv", "topics")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("en,English,English\nENG,English 2,\n", "line 3: invalid ISO 639-1 code 'ENG'"),
        ("hmn,Hmong,Hmoob\n", "line 2: invalid ISO 639-1 code 'hmn'"),
        ("en,English,\nes,Spanish,\nen,Inglés,\n", "line 4: duplicate code 'en' (first on line 2)"),
        ("en,,English\n", "line 2: empty name for 'en'"),
        ("en,English,\nes,english,\n", "line 3: duplicate name 'english' (first on line 2)"),
    ],
)
def test_bad_language_rows_are_reported_with_file_and_line(tmp_path, body, message):
    path = tmp_path / "languages.csv"
    path.write_text("code,name,native_name\n" + body, encoding="utf-8")
    with pytest.raises(TaxonomyError) as caught:
        read_languages(path)
    assert str(caught.value).startswith(f"{path} {message}")


# --- loading -------------------------------------------------------------------------------


def _term_count() -> int:
    return db.session.scalar(select(func.count()).select_from(TaxonomyTerm))


def test_loading_twice_creates_and_changes_nothing(db_app):
    terms, languages = read_taxonomy()
    assert _term_count() == len(terms)  # the fixture loaded it once already
    counts = load_taxonomy(db.session)
    assert counts == {
        "created": 0,
        "updated": 0,
        "unchanged": len(terms) + len(languages),
        "removed": 0,
        "kept": 0,
    }


def test_loading_into_an_empty_database_creates_everything(app):
    db.session.execute(TaxonomyTerm.__table__.delete())
    db.session.execute(Language.__table__.delete())
    terms, languages = read_taxonomy()
    counts = load_taxonomy(db.session)
    assert counts["created"] == len(terms) + len(languages)
    grief = db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.slug == "grief"))
    assert grief.vocabulary == "topic"
    assert "bereavement" in grief.synonym_list
    assert db.session.get(Language, "es").native_name == "Español"


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "taxonomy"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_loading_updates_labels_and_removes_only_unused_terms(db_app, data_copy):
    with db.session.no_autoflush:
        make_group(topics=("hoarding",))
    db.session.flush()
    _edit(data_copy / "topics.csv", "grief,Grief and loss,", "grief,Grief and bereavement,")
    lines = (data_copy / "topics.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(("hoarding,", "gambling,"))]
    (data_copy / "topics.csv").write_text("".join(kept), encoding="utf-8")

    counts = load_taxonomy(db.session, data_copy)

    assert (counts["updated"], counts["removed"], counts["kept"]) == (1, 1, 1)
    slugs = set(db.session.scalars(select(TaxonomyTerm.slug)))
    assert "hoarding" in slugs  # still used by a group
    assert "gambling" not in slugs
    label = db.session.scalar(select(TaxonomyTerm.label).where(TaxonomyTerm.slug == "grief"))
    assert label == "Grief and bereavement"


def test_loading_is_all_or_nothing(app, data_copy):
    _edit(data_copy / "topics.csv", "grief,Grief and loss,", "grief,Grief and bereavement,")
    _edit(data_copy / "languages.csv", "es,Spanish", "ES,Spanish")
    with pytest.raises(TaxonomyError, match=r"languages\.csv line 3: invalid ISO 639-1 code"):
        load_taxonomy(db.session, data_copy)
    label = db.session.scalar(select(TaxonomyTerm.label).where(TaxonomyTerm.slug == "grief"))
    assert label == "Grief and loss"


# --- resolving names -----------------------------------------------------------------------


def test_resolve_terms_by_slug_label_spanish_label_and_synonym(db_app):
    found = resolve_terms(
        db.session,
        "topic",
        ["grief", "Bipolar Disorder", "  Bereavement ", "Depresión", "PTSD", "substance_use"],
    )
    assert [term.slug for term in found] == ["grief", "bipolar", "depression", "ptsd",
                                              "substance-use"]  # fmt: skip
    [addiction] = resolve_terms(db.session, "topic", "Addiction")
    assert addiction.slug == "substance-use"
    assert [t.slug for t in resolve_terms(db.session, "audience", ["LGBTQ+", "queer"])] == ["lgbtq"]
    assert resolve_terms(db.session, "accessibility", ["", "  "]) == []


def test_resolve_terms_suggests_close_names_for_unknown_values(app):
    with pytest.raises(TaxonomyError) as caught:
        resolve_terms(db.session, "topic", ["grief", "greif"])
    assert str(caught.value) == "unknown topic 'greif'; did you mean 'grief'?"
    with pytest.raises(TaxonomyError) as caught:
        resolve_terms(db.session, "accessibility", "xyzzy")
    assert str(caught.value) == "unknown accessibility feature 'xyzzy'"
    with pytest.raises(TaxonomyError, match="unknown audience 'veteranz'; did you mean 'veteran"):
        resolve_terms(db.session, "audience", ["veteranz"])


def test_resolve_terms_stays_within_its_vocabulary(app):
    with pytest.raises(TaxonomyError, match="unknown topic 'teens'"):
        resolve_terms(db.session, "topic", ["teens"])
    with pytest.raises(ValueError, match="unknown vocabulary"):
        resolve_terms(db.session, "condition", ["grief"])


def test_resolve_languages_by_code_and_names(app):
    found = resolve_languages(db.session, ["es", "Spanish", "ESPAÑOL", "Tiếng Việt", "ko"])
    assert [language.code for language in found] == ["es", "vi", "ko"]
    with pytest.raises(TaxonomyError, match="unknown language 'Spansh'; did you mean 'spanish'"):
        resolve_languages(db.session, ["Spansh"])


def test_synonym_map_expands_every_name_of_a_term(app):
    expansions = synonym_map(db.session)
    assert "trauma" in expansions["ptsd"]
    assert "ptsd" in expansions["trauma"]
    assert "substance use" in expansions["addiction"]
    assert "addiction" in expansions["substance-use"]
    assert "bereavement" in expansions["grief and loss"]
    assert "grief" in expansions["duelo y perdida"]  # names are folded, accents too
    terms, _ = read_taxonomy()
    assert synonym_map(terms) == expansions
