"""Time the referral sheet and its PDF server-side for a list of 20 groups.

Generates the demo directory `make run` loads (2,000 listings), picks 20 published groups
(in person and online), then requests /list (English, and a Spanish sheet), /list.pdf and the
QR code through the WSGI app in-process: the time covers reading the list, the one query
for its groups, presenting them, the template or reportlab, but no network. Also prints how
many SQL statements one sheet issues (the same for 2 groups or 20: no query per group).
"""

from __future__ import annotations

import time

from sqlalchemy import event, select

from bench.common import percentiles, temporary_app

COUNT = 2_000
GROUPS = 20
ROUNDS = 10


def _pick(session) -> list[int]:
    """Return 20 published groups: in person first, then online ones, as a provider might."""
    from directory.models import Group, Status

    published = select(Group.id).where(Group.status == Status.PUBLISHED).order_by(Group.id)
    in_person = session.scalars(published.where(Group.format == "in_person").limit(14)).all()
    online = session.scalars(published.where(Group.format != "in_person").limit(6)).all()
    return [*in_person, *online][:GROUPS]


def _statements(app, client, url: str) -> int:
    """Return how many SQL statements one request for ``url`` issues."""
    from directory.extensions import db

    seen = []

    def count(*_args):
        seen.append(1)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def main() -> None:
    """Print the sheet's, the PDF's and the QR code's server time for 20 groups."""
    from directory.demo import generate_demo
    from directory.extensions import db

    with temporary_app() as app:
        generate_demo(db.session, COUNT, seed=1)
        db.session.commit()
        ids = _pick(db.session)
        query = "&".join(f"id={group_id}" for group_id in ids)
        app.config["PROPAGATE_EXCEPTIONS"] = True
        client = app.test_client()
        urls = {
            "sheet (English)": f"/list?{query}",
            "sheet (Spanish sheet, English site)": f"/list?{query}&language=es",
            "PDF (English)": f"/list.pdf?{query}",
            "PDF (Spanish)": f"/list.pdf?{query}&language=es",
            "QR code (SVG)": f"/list.svg?{query}",
        }
        sizes = {}
        for label, url in urls.items():  # warm templates, fonts and caches
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            sizes[label] = len(response.data)
        print(f"   {len(ids)} groups from a demo directory of {COUNT:,} listings")
        for label, url in urls.items():
            samples = []
            for _ in range(ROUNDS):
                begun = time.perf_counter()
                client.get(url)
                samples.append((time.perf_counter() - begun) * 1000)
            print(f"   {label}: {percentiles(samples)}; {sizes[label] / 1024:.0f} KB")
        few = _statements(app, client, f"/list?id={ids[0]}&id={ids[1]}")
        many = _statements(app, client, urls["sheet (English)"])
        print(f"   SQL statements for one sheet: {few} for 2 groups, {many} for {len(ids)}")
