"""Time the results page server-side on the demo directory (target: under 20 ms).

Generates the demo directory `make run` loads (2,000 listings), builds the search index, then
requests a fixed mix of results pages through the WSGI app in-process: the time covers query
parsing, the engine, the listings lookups and the template, but no network. Prints the
whole-page figures and, separately, the engine's share.
"""

from __future__ import annotations

import time

from bench.common import percentiles, temporary_app

COUNT = 2_000
ROUNDS = 10
URLS = (
    "/search?near=60614",
    "/search?q=grief&near=60614",
    "/search?q=depression&near=Chicago%2C+IL&topic=depression&format=in_person",
    "/search?q=support&near=10001&radius=50&cost=free&day=tue",
    "/search?q=bipolr",
    "/search?format=online&sort=soonest",
    "/search?q=family&lang=es&tz=America%2FChicago",
    "/search?near=94110&page=2&locale=es",
)


def _build_index() -> None:
    from directory.search import get_engine

    get_engine().check()


def main() -> None:
    """Print results-page render times over the demo directory."""
    from directory.demo import generate_demo
    from directory.extensions import db
    from directory.search.engine import SearchEngine

    with temporary_app() as app:
        started = time.perf_counter()
        generate_demo(db.session, COUNT, seed=1)
        db.session.commit()
        _build_index()
        ready = time.perf_counter() - started
        print(f"   demo directory of {COUNT:,} listings and its index ready in {ready:.1f} s")

        engine_ms: list[float] = []
        real_search = SearchEngine.search

        def timed_search(engine, query, now=None):
            begun = time.perf_counter()
            try:
                return real_search(engine, query, now=now)
            finally:
                engine_ms.append((time.perf_counter() - begun) * 1000)

        SearchEngine.search = timed_search
        app.config["PROPAGATE_EXCEPTIONS"] = True  # report a failing page, do not time it
        client = app.test_client()
        urls = []
        for url in URLS:  # warm caches, searchers and templates
            try:
                status = client.get(url).status_code
            except Exception as error:  # a benchmark reports a failing page and goes on
                print(f"   ! {url} failed: {type(error).__name__}: {error}")
                continue
            if status != 200:
                print(f"   ! {url} answered {status}")
                continue
            urls.append(url)
        engine_ms.clear()
        page_ms: list[float] = []
        for _ in range(ROUNDS):
            for url in urls:
                begun = time.perf_counter()
                response = client.get(url)
                page_ms.append((time.perf_counter() - begun) * 1000)
                assert response.status_code == 200, url
        SearchEngine.search = real_search
        print(f"   results page, whole request: {percentiles(page_ms)}")
        print(f"   of which the search engine:  {percentiles(engine_ms)}")
        rest = sorted(p - e for p, e in zip(page_ms, engine_ms, strict=True))
        print(f"   the page without the engine: {percentiles(rest)}")
