"""`make serve`'s gunicorn: private access log, no version header, limits shared by workers."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
REDIS_URL = "redis://127.0.0.1:6379"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn master started from the project's config, on a free loopback port."""

    def __init__(self, instance: Path, log: Path, **env: str):
        self.port = _free_port()
        self.log = log
        clean = {k: v for k, v in os.environ.items() if not k.startswith("DIRECTORY_")}
        clean.update({"DIRECTORY_INSTANCE_PATH": str(instance), **env})
        command = [
            sys.executable, "-m", "gunicorn", "-c", "python:directory.gunicorn_conf",
            "--bind", f"127.0.0.1:{self.port}", "app:app",
        ]  # fmt: skip
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=clean, stdout=out, stderr=subprocess.STDOUT
            )
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        for _attempt in range(300):
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{self.log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start:\n{self.log.read_text()}")

    def get(self, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
        """Send one GET on a fresh connection, as a new visitor would."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response

    def access_lines(self, needle: str) -> list[str]:
        """Return the log's access lines for ``needle``, waiting briefly for them to be written."""
        for _attempt in range(50):
            lines = [line for line in self.log.read_text().splitlines() if needle in line]
            if lines:
                return lines
            time.sleep(0.1)
        return []

    def stop(self) -> None:
        """Stop gunicorn gracefully and wait for it."""
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def instance(tmp_path, sqlite_template):
    """Return an instance folder holding a migrated, empty directory."""
    folder = tmp_path / "instance"
    folder.mkdir()
    shutil.copyfile(sqlite_template, folder / "directory.sqlite3")
    return folder


@pytest.fixture
def servers():
    """Collect started servers and stop them all at the end."""
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


def test_gunicorn_logs_no_search_words_nor_addresses_and_no_version(instance, servers, tmp_path):
    server = Server(instance, tmp_path / "serve.log", DIRECTORY_WORKERS="2")
    servers.append(server)
    response = server.get("/about?q=bipolar+grief&near=60614")
    assert response.status == 200
    server_header = response.getheader("Server") or ""
    assert not any(ch.isdigit() for ch in server_header), server_header
    lines = server.access_lines('"GET /about')
    assert lines, server.log.read_text()
    for line in lines:
        assert "grief" not in line and "60614" not in line and "?" not in line
        assert "127.0.0.1" not in line
    # A signed link's token is a key: the log names the page, not the token.
    server.get("/submit/answer/SeCrEtToKeN.abc")
    server.get("/moderate/reset/SeCrEtToKeN.def")
    lines = server.access_lines('"GET /submit/answer/') + server.access_lines(
        '"GET /moderate/reset/'
    )
    assert len(lines) == 2, server.log.read_text()
    assert not any("SeCrEtToKeN" in line for line in lines), lines
    # Without DIRECTORY_PROXY_HOPS nobody's forwarded scheme is believed, not even loopback's.
    forged = server.get("/about", headers={"X-Forwarded-Proto": "https"})
    assert forged.getheader("Strict-Transport-Security") is None
    # Two workers counting in memory each: said plainly, once, at start.
    log = server.log.read_text()
    assert log.count("DIRECTORY_RATELIMIT_STORAGE_URL") == 1


def _redis():
    """Return a client of the local Redis; skip without one (fail under .ci/run instead)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        reason = f"this test needs a Redis server at {REDIS_URL}"
        if os.environ.get("DIRECTORY_REQUIRE_REDIS"):
            pytest.fail(reason)
        pytest.skip(reason)
    return client


def test_workers_share_one_count_in_redis(instance, servers, tmp_path):
    redis = _redis()
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings = {
        "DIRECTORY_RATELIMIT_STORAGE_URL": REDIS_URL, "DIRECTORY_RATELIMIT_KEY_PREFIX": prefix,
        "DIRECTORY_RATE_LIMIT": "5 per minute", "DIRECTORY_WORKERS": "1",
    }  # fmt: skip
    try:
        # Two separate processes, so every other request is surely served by the other one.
        one = Server(instance, tmp_path / "one.log", **settings)
        servers.append(one)
        two = Server(instance, tmp_path / "two.log", **settings)
        servers.append(two)
        codes = [(one.get("/about") if turn % 2 == 0 else two.get("/")).status for turn in range(8)]
        assert ["refused" if code == 429 else "ok" for code in codes] == ["ok"] * 5 + [
            "refused"
        ] * 3
        assert "DIRECTORY_RATELIMIT_STORAGE_URL" not in one.log.read_text()
    finally:
        for key in redis.scan_iter(match=f"*{prefix}*"):
            redis.delete(key)
        redis.close()
