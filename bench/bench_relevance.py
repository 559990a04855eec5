"""Print nDCG@10 and recall@10 of the judged queries over the judged directory, by kind.

The directory (170 untagged listings from a 211's HSDS export and a hospital's CSV) is
imported into a temporary instance through the real importers, indexed, and searched with
each judged query (see ``bench.relevance``): once as imported, once with the tags the import
inferred taken away (what the listings' own words find). ``-v`` (``BENCH_RELEVANCE_VERBOSE=1``) also
prints each query's figures and what it returned.
"""

from __future__ import annotations

import os

from bench.common import temporary_app
from bench.relevance import (
    gid_keys,
    leave_untagged,
    load_directory,
    load_judgments,
    run_queries,
    summary,
)


def _print(title: str, scored) -> None:
    print(f"   {title}")
    for kind, (ndcg, recall, count) in summary(scored).items():
        print(f"     {kind:<10} nDCG@10 {ndcg:.3f}   recall@10 {recall:.3f}   "
              f"({count} queries)")  # fmt: skip
    if os.environ.get("BENCH_RELEVANCE_VERBOSE"):
        for item in sorted(scored, key=lambda s: s.ndcg):
            print(f"   {item.ndcg:.2f} {item.recall:.2f} {item.query.kind:<9} "
                  f"{item.query.label}: {' '.join(item.ranked)}")  # fmt: skip


def main() -> None:
    """Import the judged directory, run the judged queries, print the figures."""
    from directory.extensions import db
    from directory.search import get_engine

    with temporary_app() as _app:
        problems = load_directory(db.session)
        for name, problem in problems.items():
            print(f"   !! {name}: {problem}")
        engine = get_engine()
        engine.check()
        judged = load_judgments()
        keys = gid_keys(db.session)
        print(f"   {len(judged)} judged queries over {len(keys)} untagged imported listings")
        imported = run_queries(engine, keys, judged)
        _print("as imported (with any tags the import inferred):", imported)
        removed = leave_untagged(db.session, engine)
        _print(f"untagged (the {removed} inferred tags taken away):",
               run_queries(engine, keys, judged))  # fmt: skip
