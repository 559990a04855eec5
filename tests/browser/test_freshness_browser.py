"""Paused, stale, reported and closed listings in a real browser, phone and desktop, both languages.

The groups are added far from the other browser tests' searches (Burlington, Vermont, on
hoarding), and archived again at the end, so the shared site is left as it was found.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import DESKTOP, PHONE, _visit

NEAR = "/search?near=05401&topic=hoarding&sort=soonest"


def _burlington(**fields):
    from tests.factories import make_location

    values = {"name": "Burlington Library", "address_1": "235 College St", "city": "Burlington",
              "region": "VT", "postal_code": "05401", "latitude": 44.4759, "longitude": -73.2121,
              "timezone": "America/New_York"}  # fmt: skip
    return make_location(**{**values, **fields})


@pytest.fixture(scope="module")
def groups(site):
    """Add a meeting, a paused, a stale, a reported and a closed group; archive them after."""
    from directory.extensions import db
    from directory.models import Group
    from directory.services import Actor, close, pause, report_problem
    from directory.services.upkeep import local_today
    from tests.factories import make_group, make_schedule

    now = dt.datetime.now(dt.UTC)
    with site.app.app_context():

        def add(name, **fields):
            schedule = make_schedule(weekdays="WE", timezone="America/New_York")
            values = {"verified_at": now - dt.timedelta(days=20), **fields}
            return make_group(name=name, topics=("hoarding",), location=_burlington(),
                              schedules=[schedule], **values)  # fmt: skip

        found = {
            "meeting": add("Burlington Clutter Circle"),
            "paused": add("Burlington Paused Circle"),
            "stale": add("Burlington Quiet Circle", verified_at=now - dt.timedelta(days=420)),
            "reported": add("Burlington Reported Circle"),
            "closed": add("Burlington Closed Circle"),
        }
        db.session.flush()
        resumes = local_today(found["paused"], now) + dt.timedelta(days=45)
        pause(db.session, found["paused"], Actor.organiser(), resumes_on=resumes)
        for key in ("browser-a", "browser-b"):
            report_problem(db.session, found["reported"], "stopped", reporter=key)
        close(db.session, found["closed"], Actor.organiser(), "The library room closed")
        db.session.commit()
        ids = {key: group.id for key, group in found.items()}
        db.session.remove()
    yield ids
    with site.app.app_context():
        for group_id in ids.values():
            db.session.get(Group, group_id).status = "archived"
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize(
    ("viewport", "locale", "options"),
    [
        (PHONE, "en-US", {"is_mobile": True, "has_touch": True}),
        (PHONE, "es-ES", {"is_mobile": True, "has_touch": True}),
        (DESKTOP, "en-US", {}),
        (DESKTOP, "es-ES", {}),
    ],
    ids=["phone-en", "phone-es", "desktop-en", "desktop-es"],
)
def test_results_group_and_closed_pages_show_what_is_current(
    browser, site, screenshot_dir, axe, groups, viewport, locale, options
):
    language = locale[:2]
    size = "phone" if viewport is PHONE else "desktop"
    for visit in _visit(browser, site, screenshot_dir, viewport, locale=locale, **options):
        page = visit.page
        assert visit.goto(NEAR).status == 200
        hits = page.locator("li.hit")
        names = hits.locator("h3").all_inner_texts()
        assert "Burlington Closed Circle" not in names
        assert names[-1] == "Burlington Paused Circle"  # out of "soonest" until it resumes
        paused = page.locator("li.hit", has_text="Burlington Paused Circle")
        assert paused.locator(".not-meeting").count() == 1
        stale = page.locator("li.hit", has_text="Burlington Quiet Circle")
        assert stale.locator(".freshness.notice-stale").count() == 1
        reported = page.locator("li.hit", has_text="Burlington Reported Circle")
        assert reported.locator(".reported").count() == 1
        fresh = page.locator("li.hit", has_text="Burlington Clutter Circle")
        assert fresh.locator(".freshness-confirmed").count() == 1
        if language == "es":
            assert "hace 3 semanas" in fresh.locator(".freshness").inner_text()
        else:
            assert fresh.locator(".freshness").inner_text() == "Confirmed 3 weeks ago"
        visit.screenshot(f"freshness-results-{size}-{language}")
        axe(visit, f"results with paused, stale and reported listings ({size}, {locale})")

        for key in ("paused", "stale", "reported"):
            assert visit.goto(f"/groups/{groups[key]}").status == 200
            assert page.locator("article.group .notice").count() >= 1
            axe(visit, f"the {key} group's page ({size}, {locale})")
        visit.goto(f"/groups/{groups['paused']}")
        assert page.locator(".not-meeting").count() == 1
        assert page.locator("ul.upcoming li").count() == 3

        response = visit.goto(f"/groups/{groups['closed']}")
        assert response.status == 410
        assert page.locator("h1").count() == 1
        similar = page.locator("li.hit h3").all_inner_texts()
        assert "Burlington Clutter Circle" in similar
        assert "Burlington Closed Circle" not in similar
        visit.screenshot(f"freshness-closed-{size}-{language}")
        axe(visit, f"the closed group's page ({size}, {locale})")
        page.locator("article.closed a.button:not([data-list-add])").click()
        page.wait_for_load_state("load")
        assert "/search?" in page.url and "topic=hoarding" in page.url
