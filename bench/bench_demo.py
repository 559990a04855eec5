"""Time generating the demo directory: 100,000 listings into a fresh SQLite instance."""

from __future__ import annotations

import time

from bench.common import peak_rss_mb, temporary_app

COUNT = 100_000


def main() -> None:
    """Generate COUNT demo listings and print the time it took."""
    from directory.demo import generate_demo
    from directory.extensions import db

    with temporary_app():
        started = time.perf_counter()
        result = generate_demo(db.session, count=COUNT, seed=1)
        db.session.commit()
        elapsed = time.perf_counter() - started
    print(
        f"   generated {result['groups']:,} listings ({result['online']:,} online, "
        f"{result['schedules']:,} schedules, {result['states']} states) in {elapsed:.1f} s; "
        f"peak RSS {peak_rss_mb():.0f} MB"
    )
