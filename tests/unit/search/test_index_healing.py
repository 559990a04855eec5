"""A damaged index heals: found by the periodic check or at start, rebuilt, searched again."""

from __future__ import annotations

import contextlib
import json
import logging
import shutil

import pytest

from directory import create_app
from directory.extensions import db
from directory.models import Group
from directory.search import get_engine
from directory.search import views as views_module
from directory.search.healing import SearchRebuilding
from tests.unit.search.fixed_directory import PUBLISHED, keys, run


def _same_instance(app, **extra):
    """Create a second app on the same database and index, as a restarted process would."""
    keep = ("INSTANCE_PATH", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "INDEX_PATH")
    return create_app({**{key: app.config[key] for key in keep}, "TESTING": True, **extra})


def _segment_file(folder, suffix: str):
    """Return the largest index file whose name ends with ``suffix``."""
    found = sorted(folder.glob(f"MAIN_*{suffix}"), key=lambda path: path.stat().st_size)
    assert found, sorted(path.name for path in folder.iterdir())
    return found[-1]


def _toc(folder):
    (toc,) = folder.glob("_MAIN_*.toc")
    return toc


def _junk(path) -> None:
    """Overwrite a file with junk of the same size (its size alone gives nothing away)."""
    size = path.stat().st_size
    path.write_bytes(bytes((7 * n + 3) % 251 for n in range(size)))


DAMAGE = {
    "the folder deleted": lambda folder: shutil.rmtree(folder),
    "a terms file deleted": lambda folder: _segment_file(folder, ".trm").unlink(),
    "the postings truncated": lambda folder: _segment_file(folder, ".pst").write_bytes(b""),
    "the postings cut in half": lambda folder: _truncate_half(_segment_file(folder, ".pst")),
    "the rows overwritten": lambda folder: _junk(_segment_file(folder, ".row.col")),
    "the stored fields overwritten": lambda folder: _junk(_segment_file(folder, "._stored.col")),
    "the terms overwritten": lambda folder: _junk(_segment_file(folder, ".trm")),
    "meta.json garbled": lambda folder: (folder / "meta.json").write_text("{not json"),
    "meta.json deleted": lambda folder: (folder / "meta.json").unlink(),
    "the table of contents deleted": lambda folder: _toc(folder).unlink(),
    "the table of contents garbled": lambda folder: _junk(_toc(folder)),
}


def _truncate_half(path) -> None:
    with path.open("r+b") as stream:
        stream.truncate(path.stat().st_size // 2)


def _serving(ids):
    """Return the engine after it has answered a search and finished its first check."""
    assert keys(run(q="bereavement"), ids) == ["grief"]
    engine = get_engine()
    assert engine.wait_for_repair(30)
    return engine


def _assert_searches_answer(ids) -> None:
    assert keys(run(q="bereavement"), ids) == ["grief"]
    assert run(per_page=100).total == len(PUBLISHED)
    assert run(q="lakeview").hits[0].name == "Lakeview Survivors Circle"
    assert get_engine().wait_for_repair(30)  # its first check, started by the first search


@pytest.mark.parametrize("damage", DAMAGE)
def test_damage_while_serving_is_found_by_the_periodic_check_and_healed(
    app, ids, damage, monkeypatch
):
    engine = _serving(ids)
    folder = engine.index.path
    DAMAGE[damage](folder)
    assert engine.index.staleness(db.session) in ("missing", "corrupt", "schema")

    monkeypatch.setattr(views_module, "CHECK_EVERY_SECONDS", 0.0)  # a minute has passed
    with contextlib.suppress(SearchRebuilding):
        run(q="bereavement")  # answered from the last good view, or "being rebuilt"
    assert engine.wait_for_repair(30)
    monkeypatch.setattr(views_module, "CHECK_EVERY_SECONDS", 60.0)
    assert engine.index.staleness(db.session) is None
    _assert_searches_answer(ids)  # the same engine: no restart
    # A new process reading the files afresh finds them whole.
    restarted = _same_instance(app)
    with restarted.app_context():
        _assert_searches_answer(ids)


@pytest.mark.parametrize("damage", DAMAGE)
def test_damage_found_at_the_next_start_is_healed_then(app, ids, damage):
    folder = _serving(ids).index.path
    get_engine().close()  # the server stops
    DAMAGE[damage](folder)
    restarted = _same_instance(app, SEARCH_CHECK_AT_START=True)
    with restarted.app_context():
        assert restarted.extensions["search"].index.staleness(db.session) is None
        _assert_searches_answer(ids)


def test_a_search_that_cannot_read_the_index_has_it_rebuilt(app, ids, caplog):
    engine = _serving(ids)
    # Damage the checker cannot see (no record of the files): only reading finds it.
    meta = engine.index.path / "meta.json"
    meta.write_text(json.dumps({k: v for k, v in json.loads(meta.read_text()).items()
                                if k != "files"}))  # fmt: skip
    with engine._lock:
        view = engine._view
    caplog.set_level(logging.INFO)

    def broken(docnum):
        raise EOFError("a truncated stored-fields file")

    view.searcher.stored_fields = broken
    try:
        result = run(q="bereavement")
    except SearchRebuilding:
        result = None  # no other view to answer from: "being rebuilt", not a 500
    assert result is None or keys(result, ids) == ["grief"]
    assert "search index could not be read" in caplog.text
    assert engine.wait_for_repair(30)
    assert "rebuilt (corrupt)" in caplog.text
    _assert_searches_answer(ids)


def test_a_whole_index_is_not_taken_for_damaged_after_updates(app, ids):
    engine = _serving(ids)
    db.session.get(Group, ids["pending"]).status = "published"
    db.session.commit()  # a new segment, recorded in meta.json
    assert engine.index.damage() is None
    assert engine.index.staleness(db.session) is None
