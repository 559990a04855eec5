"""What a person sees in a real browser: the crisis line, keyboard use, languages, no leaks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from icalendar import Calendar


@pytest.fixture
def lincoln_park(site):
    """Return the path of the fixed Lincoln Park group's page."""
    from sqlalchemy import select

    from directory.extensions import db
    from directory.models import Group

    with site.app.app_context():
        query = select(Group.id).where(Group.name == "Lincoln Park Grief Circle")
        return f"/groups/{db.session.scalar(query)}"


def test_crisis_line_is_visible_without_scrolling_on_a_phone(phone, axe):
    phone.goto("/")
    height = phone.page.viewport_size["height"]
    crisis = phone.page.locator(".crisis")
    assert crisis.is_visible()
    box = crisis.bounding_box()
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= height / 3, "the crisis line takes too much room"
    for name in ("988", "chat online", "911"):
        link = crisis.get_by_role("link", name=name).first
        assert link.is_visible()
        link_box = link.bounding_box()
        assert link_box["y"] + link_box["height"] <= height
    # Nothing is wider than the screen.
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.page.viewport_size["width"]
    phone.screenshot("home-phone-above-the-fold", full_page=False)
    phone.screenshot("home-phone")
    axe(phone, "home (phone)")


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/", "home"),
        ("/about", "about"),
        ("/choosing-a-group", "choosing"),
        ("/privacy", "privacy"),
        ("/no-such-page", "not-found"),
    ],
)
def test_guide_pages_have_no_accessibility_violations(desktop, axe, path, name):
    desktop.goto(path)
    assert desktop.page.locator(".crisis").is_visible()
    desktop.screenshot(f"{name}-desktop")
    axe(desktop, path)


def test_group_page_reads_well_and_has_no_violations(desktop, phone, axe, lincoln_park):
    response = desktop.goto(lincoln_park)
    assert response.status == 200
    page = desktop.page
    assert page.get_by_role("heading", level=1).inner_text() == "Lincoln Park Grief Circle"
    assert page.get_by_text("Every Tuesday, 7:00–8:30 pm Central").is_visible()  # noqa: RUF001
    assert page.locator("ul.upcoming li").count() == 3
    assert page.get_by_text(re.compile(r"Confirmed 6 weeks ago \(\w+ \d+, \d{4}\)")).is_visible()
    desktop.screenshot("group-desktop")
    axe(desktop, "group page")
    phone.goto(lincoln_park)
    phone.screenshot("group-phone")
    axe(phone, "group page (phone)")


def test_json_ld_is_data_and_breaks_no_policy(desktop, lincoln_park):
    desktop.goto(lincoln_park)
    data = desktop.page.locator('script[type="application/ld+json"]').text_content()
    assert '"@type": "Event"' in data
    # The fixture fails the test if the console reported a CSP violation for it.


def test_calendar_download_parses_with_its_rule_and_zone(desktop, lincoln_park):
    desktop.goto(lincoln_park)
    with desktop.page.expect_download() as download_info:
        desktop.page.get_by_role("link", name="Add to calendar").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Lincoln Park Grief Circle"
    assert event["RRULE"]["BYDAY"] == ["TU"]
    assert str(event.decoded("DTSTART").tzinfo) == "America/Chicago"


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(desktop):
    desktop.goto("/")
    page = desktop.page
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["x"] >= 0, "the skip link stays off screen when focused"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Onwards to the search fields, with a visible focus ring on each.
    page.locator("#q").focus()
    page.keyboard.type("grief")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"


def test_switching_to_spanish_translates_the_page_and_remembers_it(desktop, axe, lincoln_park):
    desktop.goto(lincoln_park)
    desktop.page.get_by_role("link", name="Español").click()
    desktop.page.wait_for_load_state("load")
    page = desktop.page
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.locator(".crisis").inner_text().startswith("¿En crisis?")
    assert page.get_by_text("Todos los martes, 19:00–20:30, hora central").is_visible()  # noqa: RUF001
    assert page.get_by_role("link", name="Añadir al calendario").is_visible()
    desktop.screenshot("group-desktop-es")
    axe(desktop, "group page in Spanish")
    desktop.goto("/about")
    assert page.get_by_role("heading", level=1).inner_text() == "Sobre el apoyo entre pares"


def test_print_stylesheet_hides_navigation_and_keeps_the_listing(desktop, lincoln_park):
    desktop.goto(lincoln_park)
    page = desktop.page
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".actions").is_visible()
    assert page.get_by_text("Every Tuesday, 7:00–8:30 pm Central").is_visible()  # noqa: RUF001
    assert page.locator(".crisis").is_visible()
    page.pdf(path=str(desktop._screenshot_dir / "group-print.pdf"))


def test_online_group_also_shows_meetings_in_the_viewers_zone(browser, site):
    from sqlalchemy import select

    from directory.extensions import db
    from directory.models import Group

    with site.app.app_context():
        group_id = db.session.scalar(
            select(Group.id).where(Group.name == "Evening Grief Support Online")
        )
    context = browser.new_context(timezone_id="America/Los_Angeles", locale="en-US")
    page = context.new_page()
    page.goto(f"{site.base}/groups/{group_id}")
    first = page.locator("ul.upcoming li").first.inner_text()
    assert re.search(r"6:00 PM C[SD]T \(Thursday, 4:00 PM P[SD]T, your time\)", first), first
    context.close()
