"""Time one listing's page and its API answer server-side, on a demo directory.

Generates 300 demo listings, then requests a fixed mix of group pages (English and Spanish)
and API answers through the WSGI app in-process: the time covers loading the listing,
presenting it and rendering the template or the JSON, but no network.
"""

from __future__ import annotations

import time

from bench.common import percentiles, temporary_app

COUNT = 300
ROUNDS = 20
#: How many different listings each round visits.
LISTINGS = 10
PAGES = (
    ("group page, English", "/groups/{}"),
    ("group page, Spanish", "/groups/{}?locale=es"),
    ("API group", "/api/v1/groups/{}"),
)


def _warm(client, urls: list[str]) -> None:
    for url in urls:  # templates, translations and caches; a failing page stops the bench
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


def _time(client, urls: list[str]) -> list[float]:
    samples = []
    for _ in range(ROUNDS):
        for url in urls:
            begun = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - begun) * 1000)
    return samples


def main() -> None:
    """Print group page and API group times over the demo directory."""
    from sqlalchemy import select

    from directory.demo import generate_demo
    from directory.extensions import db
    from directory.models import Group, Status

    with temporary_app(RATELIMIT_ENABLED=False) as app:
        generate_demo(db.session, COUNT, seed=1)
        db.session.commit()
        ids = db.session.scalars(
            select(Group.id).where(Group.status == Status.PUBLISHED).order_by(Group.id)
        ).all()[:: max(1, COUNT // LISTINGS)][:LISTINGS]
        app.config["PROPAGATE_EXCEPTIONS"] = True
        client = app.test_client()
        for _name, pattern in PAGES:
            _warm(client, [pattern.format(i) for i in ids])
        for name, pattern in PAGES:
            samples = _time(client, [pattern.format(i) for i in ids])
            print(f"   {name + ':':22} {percentiles(samples)}", flush=True)
