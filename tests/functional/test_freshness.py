"""Freshness, pauses, closing and reports on the results and group pages, on both databases.

The clock is controlled by dating the listings from the moment the test runs (``utcnow``)
and, where the search itself is timed, by passing ``now=`` to it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from werkzeug.datastructures import MultiDict

from directory import search as directory_search
from directory.extensions import db
from directory.models import AuditRecord, Group, utcnow
from directory.search import parse_query
from directory.services import Actor, close, confirm, pause, report_problem
from directory.services.upkeep import local_today
from tests.factories import make_group, make_location, make_schedule

pytestmark = pytest.mark.usefixtures("db_app")

DAY = dt.timedelta(days=1)
MONTH = dt.timedelta(days=30)


def _names(page: str) -> list[str]:
    return re.findall(r'<h3><a href="/groups/\d+">([^<]+)</a></h3>', page)


def _hit_of(page: str, name: str) -> str:
    """Return the results page's list item of the group called ``name``."""
    match = re.search(rf'<li class="hit"[^>]*>\s*<h3><a [^>]*>{re.escape(name)}</a>.*?</li>', page,
                      re.S)  # fmt: skip
    assert match, f"{name} is not on the page"
    return match.group(0)


def _search(now=None, **args):
    return directory_search.search(parse_query(MultiDict(args)), now=now)


# --- freshness -------------------------------------------------------------------------------


def test_results_say_how_long_ago_each_listing_was_confirmed(client):
    make_group(name="Fresh Grief Circle", topics=("grief",), verified_at=utcnow() - 3 * 7 * DAY)
    make_group(name="Old Grief Circle", topics=("grief",), verified_at=utcnow() - 13 * MONTH)
    make_group(name="New Grief Circle", topics=("grief",), verified_at=None)
    db.session.commit()
    page = client.get("/search?topic=grief").text
    assert "Confirmed 3 weeks ago" in _hit_of(page, "Fresh Grief Circle")
    old = _hit_of(page, "Old Grief Circle")
    assert "Not confirmed for over a year: call before you go" in old
    assert "notice-stale" in old
    assert "Not yet confirmed by the organiser" in _hit_of(page, "New Grief Circle")


def test_spanish_results_say_it_in_spanish_dates(client):
    make_group(name="Duelo Fresco", topics=("grief",), verified_at=utcnow() - 3 * 7 * DAY)
    db.session.commit()
    page = client.get("/search?topic=grief&locale=es").text
    assert "hace 3 semanas" in _hit_of(page, "Duelo Fresco")


def test_a_listing_unconfirmed_past_hide_after_leaves_search_counts_and_facets(client, db_app):
    hide_after = db_app.config["HIDE_AFTER"]
    make_group(name="Kept Grief Circle", topics=("grief",), verified_at=utcnow() - 17 * MONTH)
    hidden = make_group(name="Faded Grief Circle", topics=("grief", "depression"),
                        verified_at=utcnow() - hide_after - DAY)  # fmt: skip
    db.session.commit()
    page = client.get("/search?q=grief").text
    assert _names(page) == ["Kept Grief Circle"]
    assert "1 group." in page
    result = _search(q="grief")
    counts = {value.value: value.count for value in result.facets["topic"]}
    assert counts == {"grief": 1}  # the hidden one's depression topic is not counted at all
    assert "The directory lists 1 group." in client.get("/").text

    # Still reachable by its address, with the strong notice; confirming brings it back.
    group_page = client.get(f"/groups/{hidden.id}").text
    assert "Not confirmed for over a year: call before you go." in group_page
    assert "no longer shows in search results until its organiser confirms it" in group_page
    confirm(db.session, db.session.get(Group, hidden.id), Actor.organiser())
    db.session.commit()
    assert set(_names(client.get("/search?q=grief").text)) == {
        "Kept Grief Circle", "Faded Grief Circle",
    }  # fmt: skip


def test_hiding_is_judged_at_the_moment_of_the_search():
    make_group(name="Moment Circle", topics=("grief",), verified_at=utcnow() - 10 * MONTH)
    db.session.commit()
    assert [hit.name for hit in _search(q="moment").hits] == ["Moment Circle"]
    later = utcnow() + 9 * MONTH  # 19 months after the confirmation
    assert _search(q="moment", now=later).hits == []
    assert _search(q="moment", now=later).total == 0


def test_an_imported_listing_without_a_date_counts_from_when_it_was_listed(client, db_app):
    old = utcnow() - db_app.config["HIDE_AFTER"] - MONTH
    make_group(name="Imported Long Ago", topics=("grief",), verified_at=None, created_at=old)
    make_group(name="Imported Lately", topics=("grief",), verified_at=None)
    db.session.commit()
    page = client.get("/search?topic=grief").text
    assert _names(page) == ["Imported Lately"]
    assert "Not yet confirmed by the organiser" in _hit_of(page, "Imported Lately")


# --- pauses ------------------------------------------------------------------------------------


@pytest.fixture
def indexed(client):
    """Build the (empty) index first, so listings are indexed by the commit that adds them.

    A search that has to wait for the index's first build recomputes every next meeting
    from the stored schedules; these tests check what the index itself holds.
    """
    client.get("/search")


def _paused(name: str, resumes_in_days: int | None, **fields) -> Group:
    group = make_group(name=name, topics=("grief",), **fields)
    db.session.flush()
    resumes_on = None
    if resumes_in_days is not None:
        resumes_on = local_today(group) + dt.timedelta(days=resumes_in_days)
    pause(db.session, group, Actor.organiser(), resumes_on=resumes_on)
    return group


@pytest.mark.usefixtures("indexed")
def test_a_paused_listing_stays_in_search_marked_and_last_in_soonest(client):
    dated = _paused("Dated Pause Circle", 40)  # first: ties would put it first
    _paused("Open Pause Circle", None)
    make_group(name="Meeting Grief Circle", topics=("grief",))
    db.session.commit()
    page = client.get("/search?topic=grief&sort=soonest").text
    assert _names(page) == ["Meeting Grief Circle", "Dated Pause Circle", "Open Pause Circle"]
    marked = _hit_of(page, "Dated Pause Circle")
    assert f"Not meeting until {dated.resumes_on:%B} {dated.resumes_on.day}, " in marked
    assert "Not meeting for now" in _hit_of(page, "Open Pause Circle")
    assert "Not meeting" not in _hit_of(page, "Meeting Grief Circle")
    soonest = {hit.name: hit for hit in _search(topic="grief", sort="soonest").hits}
    start = soonest["Dated Pause Circle"].next_meeting
    assert start.astimezone(dt.UTC).date() >= dated.resumes_on - DAY  # none during the pause
    assert soonest["Open Pause Circle"].next_meeting is None


def test_a_paused_group_page_lists_no_meeting_during_the_pause(client):
    dated = _paused("Page Pause Circle", 20)
    undated = _paused("Page Open Pause", None)
    db.session.commit()
    page = client.get(f"/groups/{dated.id}").text
    assert "Not meeting until" in page
    assert "Every Tuesday" in page  # the schedule itself is still told
    starts = [dt.datetime.fromisoformat(value)
              for value in re.findall(r'<li><time datetime="([^"]+)">', page)]  # fmt: skip
    assert len(starts) == 3
    assert all(start.date() >= dated.resumes_on for start in starts)
    page = client.get(f"/groups/{undated.id}").text
    assert "Not meeting for now." in page
    assert '<ul class="upcoming"' not in page


def test_the_pause_mark_goes_by_itself_once_the_resume_date_comes(monkeypatch):
    from directory import listings

    group = _paused("Resuming Circle", 7)
    db.session.commit()
    hit = _search(q="resuming").hits[0]
    assert hit.paused and hit.resumes_on == group.resumes_on
    assert listings.paused_today(hit) and listings.paused_today(group)
    later = utcnow() + dt.timedelta(days=9)
    assert not listings.paused_today(hit, now=later)
    monkeypatch.setattr(listings, "utcnow", lambda: later)
    assert not listings.paused_today(group)
    assert not listings.paused_today(hit)


# --- closing -----------------------------------------------------------------------------------


def test_a_closed_group_answers_410_with_its_date_and_similar_groups_nearby(client):
    near = make_group(name="Nearby Grief Peers", topics=("grief",))
    make_group(name="Faraway Grief Peers", topics=("grief",),
               location=make_location(city="Seattle", region="WA", postal_code="98101",
                                      latitude=47.61, longitude=-122.33,
                                      timezone="America/Los_Angeles"))  # fmt: skip
    make_group(name="Nearby Anxiety Peers", topics=("anxiety",))
    gone = make_group(name="Closed Grief Circle", topics=("grief",))
    db.session.commit()
    client.get("/search")  # the index exists before the close, which the sync then removes
    close(db.session, gone, Actor.organiser(), "The leader moved away")
    db.session.commit()
    response = client.get(f"/groups/{gone.id}")
    assert response.status_code == 410
    page = response.text
    assert "This group no longer meets" in page
    closed_on = db.session.scalar(
        db.select(AuditRecord.at).where(AuditRecord.group_id == gone.id,
                                        AuditRecord.action == "closed")
    )  # fmt: skip
    assert f"closed on {closed_on:%B} {closed_on.day}, {closed_on.year}" in page
    assert _names(page) == ["Nearby Grief Peers"]
    assert "Similar groups nearby" in page
    assert f'href="/groups/{near.id}"' in page
    assert re.search(r'href="/search\?topic=grief&amp;lat=41\.92530&amp;lon=-87\.65810"', page)
    assert "The leader moved away" not in page  # the reason is for the history, not the public
    assert "Closed Grief Circle" not in _names(client.get("/search?q=grief").text)


def test_a_closed_online_group_points_to_online_groups(client):
    make_group(name="Online Grief Evenings", format="online", topics=("grief",))
    gone = make_group(name="Closed Online Circle", format="online", topics=("grief",))
    db.session.commit()
    close(db.session, gone, Actor.organiser(), "Ended")
    db.session.commit()
    response = client.get(f"/groups/{gone.id}")
    assert response.status_code == 410
    assert "Similar groups online" in response.text
    assert _names(response.text) == ["Online Grief Evenings"]


def test_a_closed_group_with_only_online_groups_in_reach_does_not_call_them_nearby(client):
    make_group(name="Online Grief Evenings", format="online", topics=("grief",))
    gone = make_group(name="Closed Grief Circle", topics=("grief",))
    db.session.commit()
    close(db.session, gone, Actor.organiser(), "Ended")
    db.session.commit()
    page = client.get(f"/groups/{gone.id}").text
    assert _names(page) == ["Online Grief Evenings"]
    assert "Similar groups online" in page and "Similar groups nearby" not in page


@pytest.mark.parametrize("status", ["rejected", "archived", "pending"])
def test_other_unpublished_listings_stay_404(client, status):
    group = make_group(status=status)
    db.session.commit()
    assert client.get(f"/groups/{group.id}").status_code == 404


# --- reports that it stopped meeting ---------------------------------------------------------


def _report(group, *reporters, kind="stopped"):
    for reporter in reporters:
        report_problem(db.session, group, kind, reporter=reporter)


def test_two_reports_that_it_stopped_mark_the_listing_in_results_and_on_its_page(client):
    marked = make_group(name="Reported Twice Circle", topics=("grief",))
    once = make_group(name="Reported Once Circle", topics=("grief",))
    same = make_group(name="Same Reporter Circle", topics=("grief",))
    other = make_group(name="Wrong Time Circle", topics=("grief",))
    db.session.flush()
    _report(marked, "key-a", "key-b")
    _report(once, "key-a")
    _report(same, "key-a", "key-a")
    _report(other, "key-a", "key-b", kind="wrong_time")
    db.session.commit()
    page = client.get("/search?topic=grief").text
    notice = "Reported as no longer meeting: please call before you go"
    assert notice in _hit_of(page, "Reported Twice Circle")
    for name in ("Reported Once Circle", "Same Reporter Circle", "Wrong Time Circle"):
        assert notice not in _hit_of(page, name)
    assert notice in client.get(f"/groups/{marked.id}").text
    assert notice not in client.get(f"/groups/{once.id}").text
    # Once the organiser confirms it still meets, the reports are settled and the mark goes.
    confirm(db.session, marked, Actor.organiser())
    db.session.commit()
    assert notice not in client.get(f"/groups/{marked.id}").text


def test_pages_with_the_new_notices_keep_the_organiser_private(client):
    group = _paused("Private Pause Circle", None, organiser_email="hidden.person@example.org",
                    organiser_phone="555-0198", verified_at=utcnow() - 14 * MONTH)  # fmt: skip
    _report(group, "key-a", "key-b")
    db.session.commit()
    for path in ("/search?topic=grief", f"/groups/{group.id}"):
        page = client.get(path).text
        assert "hidden.person@example.org" not in page
        assert "555-0198" not in page
    close(db.session, group, Actor.organiser(), "Done")
    db.session.commit()
    page = client.get(f"/groups/{group.id}").text
    assert "hidden.person@example.org" not in page


@pytest.mark.usefixtures("indexed")
def test_a_paused_schedule_keeps_its_fortnightly_beat_after_the_pause():
    anchor = local_today_of_chicago() - dt.timedelta(days=local_today_of_chicago().weekday())
    schedule = make_schedule(weekdays="MO", interval=2, anchor_date=anchor)
    group = make_group(name="Fortnight Circle", schedules=[schedule])
    db.session.flush()
    pause(db.session, group, Actor.organiser(), resumes_on=anchor + dt.timedelta(days=21))
    db.session.commit()
    hit = _search(q="fortnight", sort="soonest").hits[0]
    day = hit.next_meeting.date()
    assert day >= anchor + dt.timedelta(days=21)
    assert (day - anchor).days % 14 == 0  # on the weeks it always met, not a new beat


def local_today_of_chicago() -> dt.date:
    """Return today's date in Chicago."""
    from zoneinfo import ZoneInfo

    return utcnow().astimezone(ZoneInfo("America/Chicago")).date()
