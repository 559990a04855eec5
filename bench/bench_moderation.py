"""Time a submission on the server, and an approval until the listing is found by search.

On a directory of BENCH_MODERATION_COUNT demo listings (default 2,000), through the app's
own request handling (the test client, in this process: no network, no browser):

- "submit": the final POST of /submit ("Submit for review"): validating, resolving the
  place offline, looking for duplicates, storing, and writing the receipt and the
  moderators' notice to the outbox;
- "approve -> searchable": from the POST of a moderator's "Approve" until the search API
  finds the listing by a word only it has (the index follows the commit).

BENCH_MODERATION_RUNS (default 40) sets how many of each.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from bench.common import percentiles, temporary_app

COUNT = int(os.environ.get("BENCH_MODERATION_COUNT", "2000"))
RUNS = int(os.environ.get("BENCH_MODERATION_RUNS", "40"))


def _sign_in(client, email: str, password: str) -> None:
    """Sign in through the sign-in page, as a moderator does."""
    page = client.get("/moderate/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    response = client.post(
        "/moderate/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code


def _requests(app, email: str) -> tuple[list[float], list[float]]:
    from directory.extensions import db
    from directory.models import Group
    from tests.functional import moderate_helpers, submit_helpers

    organiser, moderator_client = app.test_client(), app.test_client()
    _sign_in(moderator_client, email, moderate_helpers.PASSWORD)
    submit_ms, words = [], []
    for _ in range(RUNS):
        word = "zq" + uuid.uuid4().hex[:10]
        data = submit_helpers.with_(name=f"Bench Circle {word}")
        page = organiser.get("/submit").text
        with app.app_context():  # the start stamp is signed with the app's key
            stamp = submit_helpers.start_stamp(time.time() - 600)
        values = {**data, "csrf_token": submit_helpers.token(page), "send": "y", "started": stamp}
        started = time.perf_counter()
        response = organiser.post("/submit", data=values)
        submit_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 303, response.status_code
        words.append(word)
    approve_ms = []
    with app.app_context():
        ids = {
            word: db.session.scalar(db.select(Group.id).where(Group.name == f"Bench Circle {word}"))
            for word in words
        }
    for word, group_id in ids.items():
        page = moderator_client.get(f"/moderate/items/{group_id}").text
        token = moderate_helpers.csrf_token(page, "approve")
        started = time.perf_counter()
        response = moderator_client.post(
            f"/moderate/items/{group_id}/approve", data={"approve-csrf_token": token}
        )
        assert response.status_code == 302, response.status_code
        while moderator_client.get(f"/api/v1/groups?q={word}").get_json()["total"] < 1:
            if time.perf_counter() - started > 30:
                raise RuntimeError(f"listing {group_id} not searchable 30 s after approval")
        approve_ms.append((time.perf_counter() - started) * 1000)
    return submit_ms, approve_ms


def main() -> None:
    """Print p50/p95 of a submission's server time and of approve-to-searchable."""
    from directory.demo import generate_demo
    from directory.extensions import db
    from directory.search import get_engine
    from tests.functional import moderate_helpers

    with temporary_app(RATELIMIT_ENABLED=False) as app:
        generate_demo(db.session, COUNT, seed=7)
        db.session.commit()
        get_engine().check()
        moderator = moderate_helpers.add_moderator("bench@example.org", admin=True)
        email = moderator.email
        db.session.remove()
        # Requests from another thread, as a server's: each gets its own app context (and
        # ``g``), not the one this setup holds open.
        with ThreadPoolExecutor(1) as pool:
            submit_ms, approve_ms = pool.submit(_requests, app, email).result()
        print(f"submit (final POST), {COUNT} listings: {percentiles(submit_ms)}")
        print(f"approve -> searchable, {COUNT} listings: {percentiles(approve_ms)}")
