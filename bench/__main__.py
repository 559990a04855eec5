"""Run every ``bench/bench_*.py`` module's ``main()`` in turn: ``make bench``.

Run one with ``python -m bench NAME`` (e.g. ``python -m bench demo``).
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import time

import bench


def main(argv: list[str]) -> int:
    """Run the named benchmarks, or all of them, printing their figures."""
    names = sorted(
        info.name.removeprefix("bench_")
        for info in pkgutil.iter_modules(bench.__path__)
        if info.name.startswith("bench_")
    )
    chosen = argv or names
    unknown = [n for n in chosen if n not in names]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(names)}")
        return 2
    if len(chosen) > 1:
        # One process per benchmark, so each one's peak memory is its own.
        runs = [subprocess.run([sys.executable, "-m", "bench", name]) for name in chosen]
        failed = [run for run in runs if run.returncode]
        return 1 if failed else 0
    name = chosen[0]
    print(f"== {name}", flush=True)
    started = time.perf_counter()
    importlib.import_module(f"bench.bench_{name}").main()
    print(f"   ({time.perf_counter() - started:.1f} s)\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
