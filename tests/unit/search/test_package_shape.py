"""The search package's shape: one vocabulary of labels, one way in for ids, one place problem.

Also that only ``directory.search.whoosh_internals`` reads Whoosh's private names, found by
scanning the package's sources (and Whoosh's) with ``ast``.
"""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

import pytest
import whoosh
from flask_babel import force_locale, gettext
from werkzeug.datastructures import MultiDict

import directory.search
from directory.search import QueryError, get_engine, ids_for, labels, parse_query
from directory.search.locating import PlaceProblem
from directory.web import words
from tests.unit.search.fixed_directory import NOW, run

PACKAGE = Path(directory.search.__file__).parent
INTERNALS = "whoosh_internals.py"


def _private_names_defined(root: Path) -> set[str]:
    """Return the private names the modules under ``root`` define (functions, attributes)."""
    names: set[str] = set()
    for path in root.rglob("*.py"):
        with warnings.catch_warnings():  # Whoosh's own sources have invalid escapes
            warnings.simplefilter("ignore")
            tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return {name for name in names if name.startswith("_") and not name.endswith("__")}


def _uses_of(names: set[str], path: Path) -> list[str]:
    """Return where ``path`` reads one of ``names`` off an object other than self or cls."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in names:
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                found.append(f"{path.name}:{node.lineno} .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            found += [f"{path.name}:{node.lineno} {a.name}" for a in node.names if a.name in names]
    return found


def test_only_the_internals_module_reads_whoosh_private_names():
    ours = _private_names_defined(PACKAGE)
    theirs = _private_names_defined(Path(whoosh.__file__).parent) - ours
    assert {"_latest_generation", "_dbfile", "_read_data"} <= theirs  # the scan sees them
    outside = [p for p in sorted(PACKAGE.glob("*.py")) if p.name != INTERNALS]
    assert [use for path in outside for use in _uses_of(theirs, path)] == []
    assert _uses_of(theirs, PACKAGE / INTERNALS)  # and the internals module does


def test_every_module_says_its_one_job_and_stays_readable():
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), path.name
        assert len(path.read_text().splitlines()) < 350, path.name
    mapped = ast.get_docstring(ast.parse((PACKAGE / "__init__.py").read_text()))
    for path in sorted(PACKAGE.glob("*.py")):
        assert path.stem == "__init__" or f"``{path.stem}``" in mapped, path.name


@pytest.mark.parametrize("locale", ["en", "es"])
def test_the_page_labels_closed_facets_as_the_engine_does(app, locale):
    with app.test_request_context(), force_locale(locale):
        for facet, values in labels.CLOSED.items():
            for value, msgid in values.items():
                assert words.facet_label(facet, value) == gettext(msgid)
        assert str(words.FORMAT_LABELS["hybrid"]) == gettext("In person and online")


def test_the_api_and_the_page_say_the_same_for_hybrid(app, ids):
    client = app.test_client()
    answer = client.get("/api/v1/groups").get_json()
    said = {item["value"]: item["label"] for item in answer["facets"]["format"]}
    assert said["hybrid"] == "In person and online"
    with app.test_request_context(), force_locale("en"):
        assert said == {value: words.facet_label("format", value) for value in said}
    page = client.get("/search?format=hybrid").get_data(as_text=True)
    assert "In person and online" in page and ">Hybrid" not in page
    engine_labels = get_engine().vocabulary().labels
    assert engine_labels["format"] == labels.FORMAT and engine_labels["cost"] == labels.COST


@pytest.mark.parametrize(
    "args",
    [{}, {"q": "support"}, {"q": "group", "near": "60614"}, {"near": "Wisconsin"},
     {"sort": "soonest", "format": "online,phone"}, {"q": "nothing-matches-this"}],
)  # fmt: skip
def test_ids_for_gives_the_ids_the_pages_show_in_order(ids, args):
    shown, page = [], 1
    while True:
        result = run(**args, per_page="2", page=str(page))
        shown += [hit.id for hit in result.hits]
        if not result.hits:
            break
        page += 1
    query = parse_query(MultiDict(args))
    assert get_engine().ids_for(query, now=NOW) == shown
    assert get_engine().ids_for(query, 3, now=NOW) == shown[:3]
    assert get_engine().ids_for(query, 0, now=NOW) == []
    assert len(shown) == run(**args).total


def test_ids_for_refuses_a_place_that_names_no_one_place(ids):
    with pytest.raises(QueryError) as raised:
        ids_for(parse_query({"near": "Springfield"}))
    assert raised.value.param == "near" and "several places" in raised.value.message
    with pytest.raises(QueryError) as raised:
        ids_for(parse_query({"near": "Chicgo, IL"}))
    assert raised.value.param == "near" and "Chicgo" in raised.value.message


def test_a_place_problem_is_one_value_the_api_renders(app, ids):
    problem = run(near="Springfield").place_problem
    assert isinstance(problem, PlaceProblem) and problem.ambiguous
    client = app.test_client()
    body = client.get("/api/v1/groups?near=Springfield").get_json()
    assert body["error"]["message"] == problem.message
    assert [c["display"] for c in body["error"]["candidates"]] == [
        c.display for c in problem.candidates
    ]
    unknown = run(near="Chicgo, IL").place_problem
    assert unknown.kind == "unknown" and not unknown.ambiguous
    body = client.get("/api/v1/groups?near=Chicgo%2C+IL").get_json()
    assert body["error"]["suggestions"] == list(unknown.suggestions)
    assert run(near="60614").place_problem is None


def test_every_scoring_knob_lives_in_ranking():
    from directory.search import builder, engine, hits, ranking, vocabulary

    knobs = ("FIELD_BOOSTS", "CONCEPT_BOOST", "CONCEPT_TEXT_BOOST", "FUZZY_WEIGHTS",
             "BM25_K1", "BM25_B", "PROXIMITY_BOOST", "TIER")  # fmt: skip
    assert all(hasattr(ranking, knob) for knob in knobs)
    for module in (builder, engine, hits, vocabulary):
        source = Path(module.__file__).read_text()
        defined = [knob for knob in knobs if re.search(rf"^{knob}\s*[:=]", source, re.M)]
        assert defined == [], f"{module.__name__} defines {defined}"
