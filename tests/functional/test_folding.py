"""One way of folding names: "Espanol", "español" and " ESPAÑOL " mean Spanish everywhere."""

from __future__ import annotations

import pytest

from directory.extensions import db
from directory.folding import fold, words
from directory.taxonomy import resolve_languages, resolve_terms
from tests.unit.interchange.conftest import by_ref, run
from tests.unit.search.fixed_directory import build_directory

SPELLINGS = ("Espanol", "español", " ESPAÑOL ")


@pytest.fixture
def ids(app):
    return build_directory()


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        (" ESPAÑOL ", "espanol"),
        ("Duelo  y\tPérdida", "duelo y perdida"),
        ("Straße", "strasse"),
        ("Søren Łódź", "soren lodz"),
        ("LGBTQ+ youth_group", "lgbtq youth group"),
        ("St. Louis,MO", "st louis mo"),
        ("\uff16\uff10\uff16\uff11\uff14", "60614"),  # full-width digits
        ("中文", "中文"),  # other scripts are kept, not dropped
        ("हिन्दी", "हिन्दी"),  # with the marks their words are written with
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_words_are_the_folded_words():
    assert words("Grupo de apoyo: DEPRESIÓN!") == ["grupo", "de", "apoyo", "depresion"]


def test_the_taxonomy_resolves_every_spelling_alike(app):
    spanish = resolve_languages(db.session, ["es"])
    for spelling in SPELLINGS:
        assert resolve_languages(db.session, [spelling]) == spanish
    assert resolve_terms(db.session, "topic", ["DUELO Y PERDIDA"]) == resolve_terms(
        db.session, "topic", ["Duelo y pérdida"]
    )


def _listed(response) -> set[str]:
    return {hit["name"] for hit in response.get_json()["results"]}


def test_the_api_filters_by_every_spelling_alike(client, ids):
    wanted = _listed(client.get("/api/v1/groups", query_string={"lang": "es"}))
    assert "Grupo de apoyo: depresión" in wanted
    for spelling in SPELLINGS:
        response = client.get("/api/v1/groups", query_string={"lang": spelling})
        assert response.status_code == 200, response.get_json()
        assert _listed(response) == wanted


def test_the_search_facet_filters_by_every_spelling_alike(client, ids):
    for spelling in SPELLINGS:
        page = client.get("/search", query_string={"lang": spelling}).get_data(as_text=True)
        assert "Grupo de apoyo: depresión" in page
        assert "Lakeview Survivors Circle" not in page  # English only


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_an_import_reads_every_spelling_alike(app, tmp_path, spelling):
    path = tmp_path / "spanish.csv"
    path.write_text(
        "id,name,day,start time,address,city,state,zip,language\n"
        f'g1,Grupo de los martes,Tuesday,7 pm,1 Main St,Chicago,IL,60614,"{spelling}"\n',
        encoding="utf-8",
    )
    report = run(path, publish=True)
    assert report.counts["created"] == 1, report.summary()
    assert not [w for w in report.warnings if "language" in w.message]
    group = by_ref("csv:spanish.csv")["g1"]
    assert [language.code for language in group.languages] == ["es"]
