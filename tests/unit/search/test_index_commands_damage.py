"""``reindex --if-stale`` over a damaged index: says what it found and rebuilds, no traceback."""

from __future__ import annotations

import pytest

from directory.extensions import db
from directory.search import get_engine
from tests.unit.search.fixed_directory import PUBLISHED, run


def _largest(folder, suffix):
    return max(folder.glob(f"MAIN_*{suffix}"), key=lambda path: path.stat().st_size)


@pytest.mark.parametrize(
    "damage",
    [
        lambda folder: _largest(folder, ".pst").write_bytes(b""),
        lambda folder: next(folder.glob("_MAIN_*.toc")).write_bytes(b"\x00junk" * 40),
        lambda folder: (folder / "meta.json").write_text("{"),
    ],
    ids=["postings truncated", "table of contents garbled", "meta.json garbled"],
)
def test_reindex_if_stale_rebuilds_a_damaged_index(runner, ids, damage):
    runner.invoke(args=["directory", "reindex"])
    damage(get_engine().index.path)
    result = runner.invoke(args=["directory", "reindex", "--if-stale"])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "The search index is damaged" in result.output
    assert "Search index rebuilt (corrupt)" in result.output
    assert get_engine().index.staleness(db.session) is None
    assert run(per_page=100).total == len(PUBLISHED)


def test_a_full_reindex_over_a_garbled_table_of_contents_rebuilds(runner, ids):
    runner.invoke(args=["directory", "reindex"])
    next(get_engine().index.path.glob("_MAIN_*.toc")).write_bytes(b"junk")
    result = runner.invoke(args=["directory", "reindex"])
    assert result.exit_code == 0, result.output
    assert f"Indexed {len(PUBLISHED)} published listings" in result.output
    assert run(per_page=100).total == len(PUBLISHED)
