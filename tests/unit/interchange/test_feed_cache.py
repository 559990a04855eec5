"""The feed cache: one builder at a time across processes, whole files, older builds kept."""

from __future__ import annotations

import subprocess
import sys

import pytest

from directory.interchange.feed_cache import FeedCache, make_key

HOLD_LOCK = """
import fcntl, os, sys
descriptor = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(descriptor, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()
"""


def test_another_process_building_holds_the_lock_until_it_ends(tmp_path):
    cache = FeedCache(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(tmp_path / ".csv.lock")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout.readline() == "locked\n"
        assert cache.try_lock("csv") is None
        other = cache.try_lock("hsds")  # another feed builds meanwhile
        assert other is not None
        other.release()
    finally:
        holder.kill()  # a crashed build: the kernel lets its lock go
        holder.wait()
        holder.stdout.close()
        holder.stdin.close()
    lock = cache.try_lock("csv")
    assert lock is not None
    assert cache.try_lock("csv") is None  # and a second thread of this process waits its turn
    lock.release()


def test_a_failed_build_keeps_the_older_one_and_leaves_nothing_behind(tmp_path):
    cache = FeedCache(tmp_path)
    old = make_key("old")
    cache.store("csv", old, [b"id,name\n", b"1,Calm\n"]).close()

    def broken():
        yield b"id,name\n"
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        cache.store("csv", make_key("new"), broken())
    assert [path.name for path in tmp_path.iterdir()] == [f"csv-{old}"]
    stream, key = cache.open_latest("csv")
    with stream:
        assert (stream.read(), key) == (b"id,name\n1,Calm\n", old)


def test_a_new_build_replaces_the_older_one_which_stays_readable(tmp_path):
    cache = FeedCache(tmp_path)
    cache.store("csv", make_key("old"), [b"old"]).close()
    reader, _key = cache.open_latest("csv")
    new = make_key("new")
    cache.store("csv", new, [b"new"]).close()
    with reader:
        assert reader.read() == b"old"  # someone downloading it finishes
    assert sorted(path.name for path in tmp_path.iterdir()) == [f"csv-{new}"]
    assert cache.open("csv", make_key("old")) is None
