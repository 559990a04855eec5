"""A ``kill -9`` of a parallel rebuild leaves no worker behind, and the next write gets the lock."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from sqlalchemy import insert

from directory.extensions import db
from directory.models import Group, Organization
from directory.search.index import SearchIndex

ROOT = Path(__file__).resolve().parents[3]

REBUILD = textwrap.dedent(
    """
    import sys, time
    from directory import create_app
    from directory.extensions import db

    uri, index_path, instance = sys.argv[1:4]
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "INDEX_PATH": index_path,
                      "INSTANCE_PATH": instance, "SECRET_KEY": "x", "TESTING": True})
    calls = []

    def progress(count):
        calls.append(count)
        if len(calls) == 5:  # 2,500 listings handed out: both workers are running
            print("indexing", flush=True)
            time.sleep(120)  # killed here, mid-rebuild, holding the write lock

    with app.app_context():
        app.extensions["search"].index.rebuild(db.session, progress=progress, parallel=True)
    """
)

ORPHAN = textwrap.dedent(
    """
    import os, sys, time
    from whoosh.filedb.filestore import FileStorage

    lock = FileStorage(sys.argv[1]).lock("MAIN_WRITELOCK")
    assert lock.acquire()
    child = os.fork()
    if child == 0:  # a forked worker of an older version: it keeps the lock's descriptor
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)  # but not the test's pipes
        os.dup2(quiet, 2)
        time.sleep(120)
        os._exit(0)
    print(child, flush=True)
    os._exit(0)  # the writer dies; its orphan holds the lock
    """
)


def _insert_groups(count: int) -> None:
    moment = dt.datetime.now(dt.UTC)
    organization = Organization(name="Imported")
    db.session.add(organization)
    db.session.flush()
    shared = {
        "description": "A peer group.", "format": "online", "cost": "free",
        "facilitation": "peer", "join_visibility": "public", "timezone": "UTC",
        "status": "published", "organization_id": organization.id,
        "registration_required": False, "is_demo": False, "created_at": moment,
        "updated_at": moment,
    }  # fmt: skip
    db.session.execute(insert(Group), [{**shared, "name": f"Group {n}"} for n in range(count)])
    db.session.commit()


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(child) for child in (task / "children").read_text().split())
    return found


def _running(pid: int) -> bool:
    """Say whether a process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _wait_gone(pids: set[int], patience: float = 10.0) -> set[int]:
    deadline = time.monotonic() + patience
    while (left := {pid for pid in pids if _running(pid)}) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def test_a_killed_parallel_rebuild_leaves_no_workers_and_frees_the_lock(app, tmp_path):
    _insert_groups(3000)
    index_path = tmp_path / "index"
    process = subprocess.Popen(
        [sys.executable, "-c", REBUILD, app.config["SQLALCHEMY_DATABASE_URI"], str(index_path),
         str(tmp_path)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout.readline().strip() == "indexing"
        workers = _children(process.pid)
        assert len(workers) >= 2  # Whoosh's worker processes (and multiprocessing's helpers)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        survivors = _wait_gone(workers)
        for pid in survivors:  # do not leave them behind for the rest of the suite
            os.kill(pid, signal.SIGKILL)
        assert survivors == set()
    finally:
        process.kill()
        process.stdout.close()
        process.wait()
    index = SearchIndex(index_path)
    with index.locked(timeout=10):  # the next writer gets the lock
        pass
    assert index.rebuild(db.session) == 3000


def test_a_lock_held_by_orphans_of_a_dead_writer_is_taken_over(app, tmp_path):
    index_path = tmp_path / "index"
    index_path.mkdir()
    script = [sys.executable, "-c", ORPHAN, str(index_path)]
    output = subprocess.run(script, cwd=ROOT, capture_output=True, text=True, check=True)
    orphan = int(output.stdout)
    try:
        assert _running(orphan)
        index = SearchIndex(index_path)
        with index.locked(timeout=10):
            pass
        assert _wait_gone({orphan}) == set()
    finally:
        if _running(orphan):
            os.kill(orphan, signal.SIGKILL)
