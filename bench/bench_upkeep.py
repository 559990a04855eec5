"""Time keeping listings current: organisers' confirmations and edits, reports, reminders.

On a directory of BENCH_UPKEEP_COUNT demo listings (default 2,000, as of today), through the
app's own request handling (the test client, in this process: no network, no browser):

- "confirm": an organiser's one-click POST of /manage/<token>/confirm;
- "edit -> change request": the POST of /manage/<token>/edit with the cost note changed,
  which an organiser not trusted by the moderators sends for review (and the moderators'
  notice to the outbox);
- "report": a visitor's POST of /groups/<id>/report ("the day or time is wrong"), stored and
  told to the organiser and the moderators;
- "confirm -> searchable again": a listing out of search for going unconfirmed past
  HIDE_AFTER, from the organiser's confirm POST until the search API finds it again by a
  word only it has;
- "remind": one ``directory remind`` run (the CLI command, as cron runs it) over every
  listing then due, each reminder recorded and written to the outbox;
- "stale page": a signed-in moderator's GET of /moderate/stale.

BENCH_UPKEEP_RUNS (default 40) sets how many of each but the reminder run. Each request goes
to a listing of its own, so no organiser's edit replaces another's. The rate limits stay on
(their counting is part of a request's cost) but REPORT_RATE_LIMIT and RATE_LIMIT are raised
for the bench app, far past what one client address could send in production.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.bench_moderation import _sign_in
from bench.common import percentiles, temporary_app

COUNT = int(os.environ.get("BENCH_UPKEEP_COUNT", "2000"))
RUNS = int(os.environ.get("BENCH_UPKEEP_RUNS", "40"))

#: The bench sends far more than one visitor may: 5 reports an hour would stop it at once.
LIMITS = {"REPORT_RATE_LIMIT": "1000000 per hour", "RATE_LIMIT": "1000000 per minute"}
BASE_URL = "https://groups.example.org/"
#: Back-dating by this much puts a listing past the default HIDE_AFTER (18 months).
NINETEEN_MONTHS = dt.timedelta(days=578)
#: The edit page's visible send button (a hidden twin before it takes the Enter key).
SEND_BUTTON = re.compile(r'<button type="submit" name="([^"]+)" value="([^"]*)" class="primary"')
#: Seconds to wait for the index before calling the run broken.
PATIENCE = 30


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _csrf(page: str) -> str:
    """Return the first CSRF token on a page."""
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if found is None:
        raise RuntimeError("no CSRF token on the page")
    return html.unescape(found[1])


def _manage_path(app, group_id: int, page: str = "") -> str:
    """Return the listing's manage path, signed as its emails sign it."""
    from directory.extensions import db
    from directory.models import Group
    from directory.web.manage.links import manage_token

    with app.test_request_context():
        token = manage_token(db.session.get(Group, group_id))
    return f"/manage/{token}" + (f"/{page}" if page else "")


def _timed_post(client, path: str, data, expected: int = 303) -> float:
    """POST ``data`` to ``path``; return its milliseconds, refusing an unexpected answer."""
    started = time.perf_counter()
    response = client.post(path, data=data)
    elapsed = _since(started)
    if response.status_code != expected:
        raise RuntimeError(f"POST {path}: {response.status_code}, not {expected}")
    return elapsed


def _confirm(app, client, ids: list[int]) -> list[float]:
    """Time an organiser's one-click confirmation, each on a listing of its own."""
    samples = []
    for group_id in ids:
        path = _manage_path(app, group_id)
        token = _csrf(client.get(path).text)
        samples.append(_timed_post(client, f"{path}/confirm", {"csrf_token": token}))
    return samples


def _edit(app, client, ids: list[int]) -> list[float]:
    """Time an organiser's edit of one field, which waits for review as a change request."""
    from tests.functional.moderate_helpers import form_values

    samples = []
    for number, group_id in enumerate(ids):
        path = _manage_path(app, group_id, "edit")
        page = client.get(path).text
        values = form_values(page, path)  # what the prefilled form sends as it stands
        values.setlist("cost_note", [f"Bench note {number}: $5 suggested"])
        button = SEND_BUTTON.search(page)
        if button is None:
            raise RuntimeError("no visible send button on the edit page")
        values.setlist(button[1], [button[2]])
        samples.append(_timed_post(client, path, values))
    return samples


def _report(client, ids: list[int]) -> list[float]:
    """Time a visitor's problem report, each about a listing of its own."""
    samples = []
    for group_id in ids:
        path = f"/groups/{group_id}/report"
        data = {
            "kind": "wrong_time", "details": "It meets on Wednesdays now, not Tuesdays.",
            "contact_email": "", "nickname": "", "csrf_token": _csrf(client.get(path).text),
        }  # fmt: skip
        samples.append(_timed_post(client, path, data))
    return samples


def _found(client, word: str) -> bool:
    return client.get(f"/api/v1/groups?q={word}").get_json()["total"] > 0


def _wait(client, word: str, found: bool) -> None:
    """Ask the search API until it finds (or no longer finds) ``word``."""
    started = time.perf_counter()
    while _found(client, word) is not found:
        if time.perf_counter() - started > PATIENCE:
            state = "found" if found else "gone"
            raise RuntimeError(f"{word!r} not {state} in search after {PATIENCE} s")


def _searchable(app, organiser, visitor, ids: list[int]) -> list[float]:
    """Time a confirmation of a listing out of search until search finds it again."""
    from directory.extensions import db
    from directory.models import Group, utcnow

    samples = []
    for group_id in ids:
        word = "zq" + uuid.uuid4().hex[:10]
        with app.app_context():
            group = db.session.get(Group, group_id)
            group.name = f"{group.name} {word}"
            db.session.commit()
        _wait(visitor, word, found=True)
        with app.app_context():
            group = db.session.get(Group, group_id)
            group.verified_at = group.created_at = utcnow() - NINETEEN_MONTHS
            db.session.commit()
        _wait(visitor, word, found=False)
        path = _manage_path(app, group_id)
        token = _csrf(organiser.get(path).text)
        started = time.perf_counter()
        _timed_post(organiser, f"{path}/confirm", {"csrf_token": token})
        while not _found(visitor, word):
            if time.perf_counter() - started > PATIENCE:
                raise RuntimeError(f"listing {group_id} not searchable {PATIENCE} s after confirm")
        samples.append(_since(started))
    return samples


def _remind(app) -> tuple[int, float]:
    """Run ``directory remind`` once; return the listings reminded and its seconds."""
    from sqlalchemy import func, select

    from directory.extensions import db
    from directory.models import Reminder

    def reminders() -> int:
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(Reminder))

    before, base = reminders(), app.config["BASE_URL"]
    app.config["BASE_URL"] = BASE_URL  # the reminders' links must be absolute
    try:
        started = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["directory", "remind"])
        seconds = time.perf_counter() - started
    finally:
        app.config["BASE_URL"] = base
    if result.exit_code != 0:
        raise RuntimeError(f"directory remind failed: {result.output}")
    return reminders() - before, seconds


def _stale(client) -> list[float]:
    """Time the moderators' stale list, first page, everything."""
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get("/moderate/stale")
        samples.append(_since(started))
        if response.status_code != 200:
            raise RuntimeError(f"GET /moderate/stale: {response.status_code}")
    return samples


def _requests(app, email: str, ids: list[int]) -> dict:
    from tests.functional import moderate_helpers

    organiser, visitor, moderator = app.test_client(), app.test_client(), app.test_client()
    _sign_in(moderator, email, moderate_helpers.PASSWORD)
    slices = [ids[n * RUNS : (n + 1) * RUNS] for n in range(4)]
    return {
        "confirm": _confirm(app, organiser, slices[0]),
        "edit": _edit(app, organiser, slices[1]),
        "report": _report(visitor, slices[2]),
        "searchable": _searchable(app, organiser, visitor, slices[3]),
        "remind": _remind(app),
        "stale": _stale(moderator),
    }


def _listings() -> list[int]:
    """Return the ids of the published, unpaused listings an organiser can manage."""
    from directory.extensions import db
    from directory.models import Group, Status

    query = db.select(Group.id).where(
        Group.status == Status.PUBLISHED.value,
        Group.organiser_email.is_not(None),
        Group.paused_at.is_(None),
    )
    return list(db.session.scalars(query.order_by(Group.id)))


def _outbox_is_local(app) -> bool:
    from directory.mail.settings import OUTBOX_BACKEND

    outbox, instance = Path(app.config["OUTBOX_PATH"]), Path(app.config["INSTANCE_PATH"])
    return app.config["MAIL_BACKEND"] == OUTBOX_BACKEND and outbox.is_relative_to(instance)


def main() -> None:
    """Print p50/p95 of the organisers', visitors' and moderators' upkeep, and a remind run."""
    from sqlalchemy import func, select

    from directory.demo import generate_demo
    from directory.extensions import db
    from directory.models import ChangeRequest, ProblemReport
    from directory.search import get_engine
    from tests.functional import moderate_helpers

    with temporary_app(**LIMITS) as app:
        if not _outbox_is_local(app):
            raise RuntimeError("unset DIRECTORY_MAIL_URL and DIRECTORY_OUTBOX_PATH: no real mail")
        generate_demo(db.session, COUNT, seed=7, today=dt.date.today())
        db.session.commit()
        get_engine().check()
        email = moderate_helpers.add_moderator("bench@example.org", admin=True).email
        ids = _listings()
        if len(ids) < 4 * RUNS:
            raise RuntimeError(f"{len(ids)} manageable listings, fewer than {4 * RUNS} needed")
        db.session.remove()
        # Requests from another thread, as a server's: each gets its own app context (and
        # ``g``, which Flask-WTF and Flask-Login keep things in), not the one held open here.
        with ThreadPoolExecutor(1) as pool:
            figures = pool.submit(_requests, app, email, ids).result()
        requests, reports = (
            db.session.scalar(select(func.count()).select_from(model))
            for model in (ChangeRequest, ProblemReport)
        )
        reminded, seconds = figures["remind"]
        print(f"confirm (POST), {COUNT:,} listings: {percentiles(figures['confirm'])}")
        print(
            f"edit -> change request (POST; {requests} requests open), {COUNT:,} listings: "
            f"{percentiles(figures['edit'])}"
        )
        print(
            f"report (POST; {reports} stored), {COUNT:,} listings: {percentiles(figures['report'])}"
        )
        print(
            f"confirm -> searchable again, {COUNT:,} listings: {percentiles(figures['searchable'])}"
        )
        print(
            f"remind, {COUNT:,} listings: {reminded:,} reminded in {seconds:.1f} s "
            f"({reminded / seconds:.0f} reminders/s)"
        )
        print(f"stale page (GET), {COUNT:,} listings: {percentiles(figures['stale'])}")
