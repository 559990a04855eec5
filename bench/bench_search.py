"""Time search over 100,000 demo listings: index build, query latency, sync latency, memory.

Targets on a 2-core machine: build <= 60 s, query p95 <= 30 ms, a change searchable within
50 ms of commit, peak RSS <= 300 MB. Steps:

1. generate the demo directory into a temporary instance, and its place cache (in a child
   process, so this process's memory is that of a server: it builds the index and searches);
2. rebuild the index, timed (two worker processes index in parallel);
3. load the index's arrays (the first search), timed;
4. run a fixed mix of 210 queries once each, timed in-process (parse + engine);
5. commit 20 edits, publications and archivals, timing commit-to-searchable (of listings
   search shows: not those unconfirmed for longer than HIDE_AFTER);
6. for comparison, time plain Whoosh queries (BM25F over all listings, no arrays) on a few
   of the same words.

``BENCH_SEARCH_COUNT`` changes the number of listings (default 100,000).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.common import peak_rss_mb, percentiles, temporary_app

COUNT = int(os.environ.get("BENCH_SEARCH_COUNT", "100000"))
ROOT = Path(__file__).resolve().parent.parent

WORDS = ["grief", "bipolar", "depression", "anxiety", "ptsd", "veterans", "parents",
         "spanish", "family and friends", "eating disorder", "hearing voices", "postpartum",
         "lgbtq", "suicide loss", "addiction", "ocd", "caregivers", "teens", "older adults",
         "trauma", "schizophrenia", "loneliness", "divorce", "gambling",
         "chronic pain"]  # fmt: skip
BROAD = ["support group", "peer support", "group", "support", "meeting", "peer",
         "adults", "welcome"]  # fmt: skip
TYPOS = ["bipolr", "depresion", "anxeity", "grif", "sucide loss", "adiction", "schizofrenia",
         "bereavment", "postpartun", "vetrans", "ptdsd", "lonelyness", "eating disordr",
         "caregivrs", "hoardng"]  # fmt: skip
PLACES = ["60614", "10001", "Seattle, WA", "Austin, TX", "Denver, CO", "94110", "Miami, FL",
          "Boston, MA", "Atlanta, GA", "Phoenix, AZ", "Minneapolis, MN", "02139", "Portland, OR",
          "Nashville, TN", "48201", "Kansas City, MO", "Albuquerque, NM", "Billings, MT",
          "Burlington, VT", "Anchorage, AK"]  # fmt: skip
TOPICS = ["grief", "depression", "bipolar", "anxiety", "ptsd", "substance-use",
          "postpartum", "general-mental-health"]  # fmt: skip
FACETS = [("format", "in_person"), ("cost", "free"), ("day", "tue"), ("time", "evening"),
          ("lang", "es"), ("audience", "family-and-friends"), ("format", "online"),
          ("day", "sat")]  # fmt: skip
ZONES = ["America/Chicago", "America/New_York", "America/Los_Angeles", "America/Denver"]


def query_mix() -> list[tuple[str, dict]]:
    """Return the fixed mix of (kind, arguments): 210 queries."""
    rng = random.Random(7)
    mix: list[tuple[str, dict]] = []
    for i in range(40):
        mix.append(("text", {"q": WORDS[i % len(WORDS)]}))
    for i in range(40):
        args = {"near": PLACES[i % len(PLACES)]}
        if i % 4 == 3:
            args["radius"] = "50"
        mix.append(("place", args))
    for _ in range(40):
        (f1, v1), (f2, v2) = rng.sample(FACETS, 2)
        args = {"q": rng.choice(WORDS), "near": rng.choice(PLACES), "topic": rng.choice(TOPICS)}
        args.setdefault(f1, v1)
        args.setdefault(f2, v2)
        mix.append(("text+place+facets", args))
    for i in range(30):
        args = {"q": BROAD[i % len(BROAD)]}
        if i % 3 == 1:
            args["page"] = "3"
        mix.append(("broad", args))
    for i in range(30):
        mix.append(("misspelt", {"q": TYPOS[i % len(TYPOS)]}))
    for i in range(30):
        args = {"sort": "soonest", "tz": ZONES[i % len(ZONES)]}
        if i % 3 == 0:
            args["near"] = PLACES[i % len(PLACES)]
        if i % 3 == 1:
            args["q"] = WORDS[i % len(WORDS)]
        mix.append(("soonest", args))
    return mix


def _generate(folder: str) -> None:
    """Generate the demo directory in a child process; print its time and memory."""
    script = (
        "import resource, time\n"
        "from directory import create_app\n"
        "from directory.demo import generate_demo\n"
        "from directory.extensions import db\n"
        f"app = create_app({{'INSTANCE_PATH': {folder!r}}})\n"
        "with app.app_context():\n"
        "    started = time.perf_counter()\n"
        f"    generate_demo(db.session, {COUNT}, seed=1)\n"
        "    db.session.commit()\n"
        "    elapsed = time.perf_counter() - started\n"
        "    from directory import geo\n"
        "    geo.load_gazetteer(app.config['PLACE_CACHE_PATH'])  # as `directory init` does\n"
        "    print(f'{elapsed:.1f} '\n"
        "          f'{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}')\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    print(f"   generated {COUNT:,} demo listings in {output[0]} s (child process, "
          f"peak RSS {output[1]} MB)")  # fmt: skip


def _search(args: dict):
    from werkzeug.datastructures import MultiDict

    from directory.search import parse_query, search

    return search(parse_query(MultiDict(args)))


def _timed_mix() -> None:
    kinds: dict[str, list[float]] = {}
    totals: list[float] = []
    for kind, args in query_mix():
        started = time.perf_counter()
        _search(args)
        elapsed = (time.perf_counter() - started) * 1000
        kinds.setdefault(kind, []).append(elapsed)
        totals.append(elapsed)
    print(f"   all queries:         {percentiles(totals)}")
    for kind, samples in kinds.items():
        print(f"     {kind:<19} {percentiles(samples)}")


def _sync_latency() -> None:
    from sqlalchemy import select

    from directory.extensions import db
    from directory.listings import searchable as in_search
    from directory.models import Group

    rng = random.Random(11)
    # Only listings search shows: those not confirmed within HIDE_AFTER are left out.
    ids = list(db.session.scalars(select(Group.id).where(in_search()).order_by(Group.id)))
    commit_ms: list[float] = []
    found_ms: list[float] = []
    for i, gid in enumerate(rng.sample(ids, 20)):
        group = db.session.get(Group, gid)
        word = f"zebrafinch{i}"
        action = i % 3
        if action == 0:
            group.name = f"{group.name} {word}"
        elif action == 1:
            group.status = "pending"  # then publish it again with a new word
            db.session.commit()
            group.description = f"{group.description} {word}"
            group.status = "published"
        else:
            group.status = "archived"
        started = time.perf_counter()
        db.session.commit()  # the index is updated in the commit's after-commit hook
        committed = time.perf_counter()
        result = _search({"q": word} if action != 2 else {"q": group.name})
        searchable = time.perf_counter()
        hit_ids = {hit.id for hit in result.hits}
        if (gid in hit_ids) != (action != 2):
            print(f"   !! change {i} was not reflected in the index")
        commit_ms.append((committed - started) * 1000)
        found_ms.append((searchable - started) * 1000)
    print(f"   commit + index sync:  {percentiles(commit_ms)}")
    print(f"   commit to searchable: {percentiles(found_ms)}")


def _plain_whoosh() -> None:
    """Time Whoosh alone: parse words, score every match with BM25F, count all matches."""
    from whoosh.qparser import MultifieldParser

    from directory.search import get_engine
    from directory.search.schema import TEXT_FIELDS

    engine = get_engine()
    with engine.index.open().searcher() as searcher:
        parser = MultifieldParser(list(TEXT_FIELDS), engine.index.schema)
        samples = []
        for words in [*WORDS[:10], *BROAD[:5]]:
            started = time.perf_counter()
            results = searcher.search(parser.parse(words), limit=20)
            len(results)  # the exact total, as a results page shows
            samples.append((time.perf_counter() - started) * 1000)
    print(f"   plain Whoosh search: {percentiles(samples)} (no place, facets or typos)")


def main() -> None:
    """Print index build time, query latencies, sync latency and peak memory."""
    from directory import geo
    from directory.extensions import db
    from directory.search import get_engine

    with temporary_app() as app:
        _generate(app.config["INSTANCE_PATH"])
        geo.load_gazetteer(app.config["PLACE_CACHE_PATH"])  # as a server does at start
        engine = get_engine()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        count = engine.index.rebuild(db.session)
        built = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        workers = f"{after / 1024:.0f} MB" if after > before else f"<= {before / 1024:.0f} MB"
        print(f"   index build: {count:,} listings in {built:.1f} s "
              f"(this process {peak_rss_mb():.0f} MB; each worker process {workers})")  # fmt: skip
        started = time.perf_counter()
        _search({"q": "grief"})
        print(f"   first search (checks the index, loads its arrays): "
              f"{time.perf_counter() - started:.2f} s")  # fmt: skip
        print(f"   peak RSS after the first search: {peak_rss_mb():.0f} MB")
        _timed_mix()
        _sync_latency()
        print(f"   peak RSS after searches and changes: {peak_rss_mb():.0f} MB")
        _plain_whoosh()
        print(f"   peak RSS of this process: {peak_rss_mb():.0f} MB "
              f"(at {dt.datetime.now():%H:%M}, load average {os.getloadavg()[0]:.1f})")  # fmt: skip
