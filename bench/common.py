"""Shared helpers for benchmarks: a throwaway instance and resource figures."""

from __future__ import annotations

import contextlib
import resource
import statistics
import tempfile
from collections.abc import Iterator


@contextlib.contextmanager
def temporary_app(**overrides) -> Iterator:
    """Yield an app on a fresh, migrated instance in a temporary folder."""
    from flask_migrate import upgrade

    from directory import create_app
    from directory.extensions import db
    from directory.taxonomy import load_taxonomy

    with tempfile.TemporaryDirectory(prefix="directory-bench-") as folder:
        app = create_app({"INSTANCE_PATH": folder, **overrides})
        with app.app_context():
            upgrade()
            load_taxonomy(db.session)
            db.session.commit()
            yield app
            db.session.remove()
            db.engine.dispose()


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples_ms: list[float]) -> str:
    """Format p50, p95 and max of millisecond samples."""
    ordered = sorted(samples_ms)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"p50 {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, "
        f"max {ordered[-1]:.1f} ms over {len(ordered)} runs"
    )
