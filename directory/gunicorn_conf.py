"""Serve the site under gunicorn: ``gunicorn -c python:directory.gunicorn_conf app:app``.

``make serve`` runs exactly that, with ``--bind $(HOST):$(PORT)``. Gunicorn reads the names
below as its settings; the command line overrides any of them.
"""

from __future__ import annotations

import os

from gunicorn import glogging

from directory.web.security import without_secrets

ENV_PREFIX = "DIRECTORY_"


def _workers() -> int:
    """Return DIRECTORY_WORKERS, or one worker per CPU core."""
    # The cores this process may use, which a container or taskset can make fewer than all.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    value = os.environ.get(ENV_PREFIX + "WORKERS") or str(cores or 1)
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{ENV_PREFIX}WORKERS must be 1, 2, 3..., not {value!r}")
    return int(value)


def _storage_url() -> str:
    return os.environ.get(ENV_PREFIX + "RATELIMIT_STORAGE_URL") or "memory://"


# Loopback unless told otherwise: gunicorn's own default would be 0.0.0.0 when $PORT is set.
bind = ["127.0.0.1:8000"]
workers = _workers()
# Threads: a feed streaming to a slow client, or a request waiting on the database, leaves
# the worker's other threads serving; and a sync worker busy for `timeout` seconds (a long
# download) would be killed mid-answer. The search engine and sessions are thread-safe.
worker_class = "gthread"
threads = 4
timeout = 30
graceful_timeout = 30  # SIGHUP or SIGTERM: finish the requests in flight, then restart or stop
keepalive = 5
proc_name = "peer-support-directory"

# The path without its query (a search's words and place) and no client address, user agent
# or referrer: the same promise the development server's log keeps (security.PrivateAccessLog).
accesslog = "-"
errorlog = "-"
access_log_format = '- - - %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


class PrivateLogger(glogging.Logger):
    """Gunicorn's logger, with a signed link's token taken out of the logged path."""

    def atoms(self, resp, req, environ, request_time):
        """Return the access-log atoms, the path (U) without a token."""
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = without_secrets(atoms["U"])
        return atoms


logger_class = PrivateLogger

# Forwarded headers are believed in one place only: werkzeug's ProxyFix, which the app adds
# for DIRECTORY_PROXY_HOPS proxies. Gunicorn must not trust them on its own besides.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}

# No control socket (gunicorn 25.1+): two sites on one machine would fight over its path.
control_socket_disable = True


def on_starting(server) -> None:
    """Warn once, at start, when several workers would each keep their own rate-limit counts."""
    if server.cfg.workers > 1 and _storage_url().startswith("memory://"):
        server.log.warning(
            "%d workers keep separate in-memory rate-limit counters, so a client may make "
            "%d times %sRATE_LIMIT. Set %sRATELIMIT_STORAGE_URL=redis://host:6379 to share "
            "them.",
            server.cfg.workers,
            server.cfg.workers,
            ENV_PREFIX,
            ENV_PREFIX,
        )
