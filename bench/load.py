"""Load-test the site as `make serve` runs it: requests/s, latency percentiles, errors, RSS.

    python -m bench.load [--instance PATH] [--count 2000] [--duration 20] [--connections 16,64]

Serves the instance with gunicorn and the project's config (``directory/gunicorn_conf.py``,
``DIRECTORY_WORKERS`` workers, default one per core) on a free loopback port, then drives it
with Debian's ``wrk`` (``bench/load.lua``) at each number of connections for ``--duration``
seconds, after a short warm-up. The mix, shuffled, per 20 requests: 6 search API calls, 6
search pages, 5 group pages, and 3 feeds: a group's .ics, a search's calendar, and a full
export feed polled with If-None-Match as a feed reader does (304 while unchanged).

Without ``--instance``, or when it holds no listings, the demo directory of ``--count``
listings is generated into it (a temporary folder without ``--instance``) by the CLI, as
``make demo`` would; keep ``--instance`` to reuse a 100,000-listing one between runs.
The database is the instance's SQLite file unless DIRECTORY_DATABASE_URL says otherwise.

Rate limits are raised out of reach for the run (DIRECTORY_RATE_LIMIT and
DIRECTORY_FEED_RATE_LIMIT set to a billion per minute): wrk is one client, and the
limiter's own work, counting every request, stays in the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).parents[1]
LUA = Path(__file__).with_name("load.lua")
FLASK = [sys.executable, "-m", "flask", "--app", "app", "directory"]
UNLIMITED = "1000000000 per minute"
WORDS = ("grief", "depression", "anxiety", "bipolar", "family", "ptsd", "parents", "veterans",
         "recovery", "support", "bipolr", "suicide+loss")  # fmt: skip
FEEDS = ("/api/v1/export/hsds.json", "/api/v1/export/meeting-guide.json",
         "/api/v1/export/groups.csv")  # fmt: skip


def _env(instance: Path, workers: str | None) -> dict[str, str]:
    env = dict(os.environ, DIRECTORY_INSTANCE_PATH=str(instance))
    env.update(DIRECTORY_RATE_LIMIT=UNLIMITED, DIRECTORY_FEED_RATE_LIMIT=UNLIMITED)
    if workers:
        env["DIRECTORY_WORKERS"] = workers
    return env


def _prepare(instance: Path, count: int, env: dict[str, str]) -> None:
    """Migrate the instance and fill it with the demo directory when it is empty."""
    run = {"cwd": ROOT, "env": env, "check": True}
    subprocess.run([*FLASK, "init"], **run, stdout=subprocess.DEVNULL)
    subprocess.run([*FLASK, "demo", "--count", str(count), "--if-empty"], **run)
    subprocess.run([*FLASK, "reindex", "--if-stale"], **run)


def _sample(env: dict[str, str], rng: random.Random) -> tuple[int, list[int], list[str]]:
    """Return how many listings are published, and some of their ids and postal codes."""
    code = (
        "import json; from sqlalchemy import select; from directory import create_app; "
        "from directory.extensions import db; from directory.models import Location; "
        "from directory.search.documents import published_ids; app = create_app(); "
        "ctx = app.app_context(); ctx.push(); "
        "zips = db.session.scalars(select(Location.postal_code).distinct()).all(); "
        "print(json.dumps([published_ids(db.session), [z for z in zips if z]]))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    ids, zips = json.loads(out.strip().splitlines()[-1])
    return len(ids), rng.sample(ids, min(len(ids), 500)), rng.sample(zips, min(len(zips), 100))


def _requests(ids: list[int], zips: list[str], etags: dict[str, str], rng: random.Random):
    """Yield (path, etag) pairs in the documented mix, 20 at a time, 100 times over."""
    for _round in range(100):
        batch = []
        for _ in range(6):
            word, place = rng.choice(WORDS), rng.choice(zips)
            batch.append((rng.choice([f"/api/v1/groups?q={word}&near={place}",
                                      f"/api/v1/groups?near={place}&sort=soonest",
                                      f"/api/v1/groups?q={word}&format=online"]), ""))  # fmt: skip
        for _ in range(6):
            word, place = rng.choice(WORDS), rng.choice(zips)
            batch.append((rng.choice([f"/search?q={word}&near={place}", f"/search?near={place}",
                                      f"/search?q={word}&cost=free&page=2"]), ""))  # fmt: skip
        batch += [(f"/groups/{rng.choice(ids)}", "") for _ in range(5)]
        batch.append((f"/groups/{rng.choice(ids)}.ics", ""))
        batch.append((f"/api/v1/groups.ics?q={rng.choice(WORDS)}&near={rng.choice(zips)}", ""))
        feed = rng.choice(FEEDS)
        batch.append((feed, etags[feed]))
        rng.shuffle(batch)
        yield from batch


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-c", "python:directory.gunicorn_conf",
               "--bind", f"127.0.0.1:{port}", "app:app"]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    for _attempt in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/about", timeout=30):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn stopped:\n{log.read_text()}") from None
            time.sleep(0.1)
    raise SystemExit(f"gunicorn did not answer:\n{log.read_text()}")


def _etag(port: int, path: str) -> str:
    """Return a feed's current ETag, waiting while the site builds it (503, or an older build).

    An older build is served with ``max-age=30`` while the new one is made in the background;
    measuring then would measure that build, so wait for it to finish.
    """
    deadline = time.monotonic() + 1800
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as answer:
                answer.read()
                directives = (answer.headers["Cache-Control"] or "").replace(" ", "").split(",")
                if "max-age=30" not in directives:
                    return answer.headers["ETag"] or ""
        except urllib.error.HTTPError as error:
            if error.code != 503:
                raise
        if time.monotonic() > deadline:
            raise SystemExit(f"{path} was not built within half an hour")
        time.sleep(2)


def _workers_rss_mb(master: int) -> list[tuple[float, float]]:
    """Return (RSS, peak RSS) in MB of each worker of the gunicorn ``master``."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    figures = []
    for pid in children:
        status = dict(
            line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        )
        figures.append(tuple(int(status[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM")))
    return figures


def _wrk(port: int, connections: int, seconds: int, request_file: Path) -> dict:
    threads = min(connections, os.cpu_count() or 1)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", "10s", "-s", str(LUA), f"http://127.0.0.1:{port}"]  # fmt: skip
    env = dict(os.environ, LOAD_REQUESTS=str(request_file))
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("LOAD "))
    return json.loads(line.removeprefix("LOAD "))


def _row(connections: int, figures: dict, rss: list[tuple[float, float]]) -> str:
    rate = figures["requests"] / (figures["duration_us"] / 1e6)
    sockets = sum(figures[k] for k in ("connect", "read", "write", "timeout"))
    ms = {k: figures[f"{k}_us"] / 1000 for k in ("p50", "p95", "p99", "max")}
    worker = max(r for r, _peak in rss)
    peak = max(p for _rss, p in rss)
    return (f"{connections:>5} {rate:>8.1f} {ms['p50']:>8.1f} {ms['p95']:>8.1f} {ms['p99']:>8.1f}"
            f" {ms['max']:>8.1f} {figures['status']:>8} {sockets:>7} {worker:>9.0f}"
            f" {peak:>9.0f}")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    """Serve the instance, drive it with wrk at each concurrency, print one line per run."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--instance", type=Path, help="instance folder (default: a temporary one)")
    parser.add_argument("--count", type=int, default=2000, help="demo listings for an empty one")
    parser.add_argument("--duration", type=int, default=20, help="seconds per run")
    parser.add_argument("--connections", default="16,64", help="comma-separated, one run each")
    parser.add_argument("--workers", help="gunicorn workers (default: DIRECTORY_WORKERS or cores)")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("needs wrk: apt-get install wrk")
    temporary = None if args.instance else tempfile.mkdtemp(prefix="directory-load-")
    instance = (args.instance or Path(temporary)).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    env = _env(instance, args.workers)
    rng = random.Random(8)
    try:
        _prepare(instance, args.count, env)
        total, ids, zips = _sample(env, rng)
        port, log = _free_port(), instance / "load-gunicorn.log"
        server = _serve(env, port, log)
        try:
            for feed in FEEDS:  # start every feed's build at once, then wait for each
                with contextlib.suppress(urllib.error.HTTPError):
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{feed}", timeout=60).close()
            etags = {feed: _etag(port, feed) for feed in FEEDS}
            request_file = instance / "load-requests.tsv"
            request_file.write_text(
                "".join(f"{path}\t{etag}\n" for path, etag in _requests(ids, zips, etags, rng))
            )
            _wrk(port, 16, 5, request_file)  # warm-up: every worker loads index and caches
            workers = len(_workers_rss_mb(server.pid))
            print(f"{total} listings, {workers} gunicorn workers, "
                  f"{os.cpu_count()} cores, {args.duration} s a run, limits raised")  # fmt: skip
            print("conns    req/s  p50 ms   p95 ms   p99 ms   max ms  non-2xx  socket"
                  "  RSS MB/w  peak MB/w")  # fmt: skip
            for connections in (int(c) for c in args.connections.split(",")):
                figures = _wrk(port, connections, args.duration, request_file)
                print(_row(connections, figures, _workers_rss_mb(server.pid)), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=60)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
