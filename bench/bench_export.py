"""Time each export and its peak memory on N demo listings, and a feed request after a change.

Each export runs the CLI (``directory export --format F -o FILE``) in a child process of its
own, which reports its peak resident memory before and after, so one format's peak never
hides another's. Then, in another child, a feed is requested once to build it, under other
Host headers (which must not rebuild it), and again right after a listing changes: that
request should be answered from the older build at once (under 1 s) while the new one is
built in the background.

Knobs (environment): BENCH_EXPORT_COUNT (listings, default 20,000), BENCH_EXPORT_FORMATS
(default every format), BENCH_EXPORT_FEEDS (feeds timed after a change, default "csv"), and
BENCH_EXPORT_DB, a SQLite file kept and reused between runs (to compare two commits on the
same data: generating 100,000 listings takes a few minutes).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNT = int(os.environ.get("BENCH_EXPORT_COUNT", "20000"))
FORMATS = os.environ.get("BENCH_EXPORT_FORMATS", "csv,hsds,hsds-csv,meeting-guide,ics")
FEEDS = os.environ.get("BENCH_EXPORT_FEEDS", "csv")
FEED_URLS = {
    "csv": "/api/v1/export/groups.csv",
    "hsds": "/api/v1/export/hsds.json",
    "meeting-guide": "/api/v1/export/meeting-guide.json",
    "ics": "/api/v1/groups.ics",
}

EXPORT_CHILD = """
import json, resource, sys, time
from directory import create_app
database, fmt, output, instance = sys.argv[1:5]
app = create_app({"INSTANCE_PATH": instance, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                  "SEARCH_CHECK_AT_START": False})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
result = app.test_cli_runner().invoke(args=["directory", "export", "--format", fmt, "-o", output])
seconds = time.perf_counter() - started
assert result.exit_code == 0, result.output
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "before_mb": before, "peak_mb": peak}))
"""

FEED_CHILD = """
import json, resource, sys, time
from directory import create_app
from directory.extensions import db
from directory.models import Group
from sqlalchemy import select
database, url, instance = sys.argv[1:4]
app = create_app({"INSTANCE_PATH": instance, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                  "SEARCH_CHECK_AT_START": False})
client = app.test_client()
try:
    from directory.interchange import feed_cache
    wait = feed_cache.wait_for_builds
except ImportError:  # before the feed cache: every build happens inside a request
    wait = lambda timeout=None: None
def timed(**kwargs):
    started = time.perf_counter()
    response = client.get(url, buffered=False, **kwargs)
    size = sum(len(chunk) for chunk in response.response)  # read as a server would, not kept
    response.close()
    assert response.status_code == 200, response.status_code
    return time.perf_counter() - started, response.headers["ETag"], size
figures = {}
figures["first"], first_tag, _ = timed()
wait()
hosts = [timed(base_url=f"http://feeds-{n}.example.org:{8000 + n}")[0] for n in range(5)]
figures["other_hosts_max"] = max(hosts)
with app.app_context():
    group = db.session.scalars(select(Group).order_by(Group.id).limit(1)).one()
    group.name = group.name + " (renamed)"
    db.session.commit()
figures["after_change"], stale_tag, _ = timed()
started = time.perf_counter()
wait(timeout=600)
figures["background_build"] = time.perf_counter() - started
figures["fresh"], fresh_tag, _ = timed()
figures["served_older_build"] = stale_tag == first_tag
figures["renewed"] = fresh_tag != first_tag
figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(figures))
"""


def _database(path: Path) -> None:
    """Generate COUNT demo listings into the SQLite file ``path``, unless it holds them."""
    from flask_migrate import upgrade

    from directory import create_app
    from directory.demo import generate_demo
    from directory.extensions import db
    from directory.listings import published_count

    with tempfile.TemporaryDirectory(prefix="directory-bench-") as folder:
        # No search index check at start: it would rebuild the index beside the export.
        config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SEARCH_CHECK_AT_START": False}
        app = create_app({"INSTANCE_PATH": folder, **config})
        with app.app_context():
            upgrade()
            if published_count() >= COUNT:
                print(f"   reusing {path} ({published_count():,} published listings)")
                return
            started = time.perf_counter()
            generate_demo(db.session, COUNT, seed=1)
            db.session.commit()
            print(f"   generated {COUNT:,} demo listings in {time.perf_counter() - started:.0f} s")
            db.engine.dispose()


def _child(script: str, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Print each export's time and peak memory, and a feed's answer time after a change."""
    kept = os.environ.get("BENCH_EXPORT_DB")
    with tempfile.TemporaryDirectory(prefix="directory-bench-") as folder:
        database = Path(kept) if kept else Path(folder) / "bench.sqlite3"
        _database(database)
        for fmt in FORMATS.split(","):
            output = Path(folder) / f"export-{fmt}"
            instance = tempfile.mkdtemp(dir=folder)
            got = _child(EXPORT_CHILD, str(database), fmt, str(output), instance)
            size = output.stat().st_size / 1e6
            print(
                f"   export {fmt:<13} {COUNT:>7,} listings: {got['seconds']:6.1f} s, "
                f"{size:7.1f} MB written, peak RSS {got['peak_mb']:6.0f} MB "
                f"({got['peak_mb'] - got['before_mb']:+.0f} MB over the loaded app)"
            )
            output.unlink()
        for fmt in FEEDS.split(","):
            instance = tempfile.mkdtemp(dir=folder)
            got = _child(FEED_CHILD, str(database), FEED_URLS[fmt], instance)
            print(
                f"   feed {fmt}: first build {got['first']:.1f} s; other Hosts at most "
                f"{got['other_hosts_max'] * 1000:.0f} ms; right after a change "
                f"{got['after_change'] * 1000:.0f} ms (older build served: "
                f"{got['served_older_build']}); background rebuild {got['background_build']:.1f}"
                f" s; then {got['fresh'] * 1000:.0f} ms (renewed: {got['renewed']}); "
                f"peak RSS {got['peak_mb']:.0f} MB"
            )
