"""Measure search relevance on the judged directory: nDCG@10 and recall@10 by query kind.

The judged directory is two files in the formats we import, with no topic tags:
``tests/fixtures/judged/hsds-211-services.json`` (a 211's HSDS 3.0 export: Chicago, Austin,
online) and ``hospital-groups.csv`` (a hospital's spreadsheet: Portland, online). They are
loaded through the real importers, so whatever an import adds (inferred topics, say) takes
part; ``leave_untagged`` then takes the inferred tags away again, to measure what the
listings' own words find. ``judgments.toml`` holds the queries, each with the listings
judged relevant (grade 2: what was asked for; 1: partly), judged by reading the records
before any tuning.

- nDCG@10: the discounted gain ``(2**grade - 1) / log2(rank + 1)`` of the first ten hits,
  over that of the best possible ten;
- recall@10: the relevant listings (any grade) among the first ten, over as many as there
  could be (the number relevant, at most ten), so that 1.0 is always reachable.

The benchmark (``python -m bench relevance``) prints them; a functional test holds a floor.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ROOT / "tests" / "fixtures" / "judged"
SOURCES = ("hsds-211-services.json", "hospital-groups.csv")
JUDGMENTS = JUDGED / "judgments.toml"
CUTOFF = 10


@dataclass(frozen=True)
class Judged:
    """One judged query: its words, its place, its kind and the relevant listings' grades."""

    q: str
    kind: str
    relevant: Mapping[str, int]
    near: str = ""

    @property
    def label(self) -> str:
        """Return the query as a person would read it."""
        return f"{self.q!r} near {self.near}" if self.near else repr(self.q)


@dataclass
class Scored:
    """One query's figures and the listings it returned."""

    query: Judged
    ndcg: float
    recall: float
    ranked: list[str] = field(default_factory=list)


def load_judgments(path: Path = JUDGMENTS) -> list[Judged]:
    """Read the judged queries."""
    with path.open("rb") as handle:
        rows = tomllib.load(handle)["query"]
    return [
        Judged(row["q"], row["kind"], dict(row["relevant"]), row.get("near", "")) for row in rows
    ]


def dcg(grades: Iterable[int]) -> float:
    """Return the discounted cumulative gain of grades in rank order."""
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def ndcg(ranked: list[str], relevant: Mapping[str, int], k: int = CUTOFF) -> float:
    """Return nDCG@k of ``ranked`` keys against the graded ``relevant`` ones."""
    ideal = dcg(sorted(relevant.values(), reverse=True)[:k])
    if ideal == 0:
        return 1.0 if not ranked else 0.0
    return dcg(relevant.get(key, 0) for key in ranked[:k]) / ideal


def recall(ranked: list[str], relevant: Mapping[str, int], k: int = CUTOFF) -> float:
    """Return the share of the relevant keys found in the first ``k``, out of at most ``k``."""
    wanted = {key for key, grade in relevant.items() if grade > 0}
    if not wanted:
        return 1.0
    return len(wanted.intersection(ranked[:k])) / min(len(wanted), k)


def load_directory(session) -> dict[str, str]:
    """Import the judged files (published) into ``session``'s database; return problems.

    Returns each file's failure or rejected records, so a caller can say why a listing is
    missing; an empty dict means every record was imported.
    """
    from directory.interchange.pipeline import ImportOptions, run_import

    problems = {}
    for name in SOURCES:
        report = run_import(session, str(JUDGED / name), ImportOptions(publish=True))
        rejected = [f"{e.ref}: {e.message}" for e in report.of("rejected")]
        if not report.ok or rejected:
            problems[name] = "; ".join([*([report.failure] if report.failure else []), *rejected])
    return problems


def leave_untagged(session, engine) -> int:
    """Remove every inferred topic and audience and rebuild the index; return how many.

    What is left is the directory as the files give it, with no tags at all: what the
    search finds then, it finds by the listings' own words.
    """
    from sqlalchemy import delete

    from directory.models import group_audience, group_topic

    removed = 0
    for table in (group_topic, group_audience):
        if "inferred" in table.c:
            removed += session.execute(delete(table).where(table.c.inferred)).rowcount
    session.commit()
    engine.index.rebuild(session)
    engine.refresh()
    return removed


def gid_keys(session) -> dict[int, str]:
    """Return each listing's id -> its id in the judged files."""
    from sqlalchemy import select

    from directory.models import Group

    rows = session.execute(select(Group.id, Group.source_ref)).all()
    return dict(rows)  # a list of rows: a Result itself has keys() and reads as a mapping


def run_queries(engine, keys: Mapping[int, str], judged: list[Judged]) -> list[Scored]:
    """Search each judged query with ``engine`` and score its first ten hits."""
    from werkzeug.datastructures import MultiDict

    from directory.search import parse_query

    scored = []
    for query in judged:
        args = {"q": query.q, "per_page": str(CUTOFF)}
        if query.near:
            args["near"] = query.near
        result = engine.search(parse_query(MultiDict(args)))
        ranked = [keys.get(hit.id, f"#{hit.id}") for hit in result.hits]
        scored.append(
            Scored(query, ndcg(ranked, query.relevant), recall(ranked, query.relevant), ranked)
        )
    return scored


def summary(scored: list[Scored]) -> dict[str, tuple[float, float, int]]:
    """Return mean (nDCG@10, recall@10, count) overall ("all") and per query kind."""
    groups: dict[str, list[Scored]] = {"all": scored}
    for item in scored:
        groups.setdefault(item.query.kind, []).append(item)
    return {
        kind: (
            sum(s.ndcg for s in items) / len(items),
            sum(s.recall for s in items) / len(items),
            len(items),
        )
        for kind, items in groups.items()
    }
