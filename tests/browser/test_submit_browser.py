"""An organiser adds a group in a real browser: on a phone without JavaScript, on a desktop with.

Every page of the way (the form, a form with an error, the preview, the thank-you page) has no
axe-core violations, in English and in Spanish. The browser site's database is shared with
the other browser tests, so each run uses a group name of its own.
"""

from __future__ import annotations

import uuid

import pytest

from tests.browser.conftest import DESKTOP, PHONE, _visit

WAYS = [
    pytest.param(PHONE, False, "en-US", id="phone-no-js-en"),
    pytest.param(PHONE, False, "es-MX", id="phone-no-js-es"),
    pytest.param(DESKTOP, True, "es-MX", id="desktop-js-es"),
    pytest.param(DESKTOP, True, "en-US", id="desktop-js-en"),
]


@pytest.fixture
def quick_site(site):
    """Let the form be sent as fast as a test fills it in; put the minimum back afterwards."""
    before = site.app.config.get("SUBMIT_MIN_SECONDS", 5)
    site.app.config["SUBMIT_MIN_SECONDS"] = 0
    yield site
    site.app.config["SUBMIT_MIN_SECONDS"] = before


def _fill(page, name: str) -> None:
    page.fill("#name", name)
    page.fill("#description", "A calm, peer-led circle for anyone grieving.")
    page.check('input[name="format"][value="in_person"]')
    page.fill("#place_name", "Lakeview Library")
    page.fill("#address_1", "644 W Belmont Ave, Suite 2")
    page.fill("#city", "Chicago")
    page.fill("#region", "il")
    page.fill("#postal_code", "60657-1234")
    page.check('input[name="schedules-0-kind"][value="monthly"]')
    page.check('input[name="schedules-0-weekdays"][value="MO"]')
    page.check('input[name="schedules-0-month_weeks"][value="1"]')
    page.fill("#schedules-0-start_time", "19:00")
    page.fill("#schedules-0-end_time", "20:30")
    page.check('input[name="topics"][value="grief"]')
    page.check('input[name="languages"][value="es"]')
    page.fill("#organiser_email", "not an email")
    page.check('input[name="consent"]')


def _checker(axe, checker):
    """Return a check that runs axe on a tab, or on a copy of it when its JavaScript is off.

    axe-core is a script, so a tab without JavaScript is checked through a copy of its page
    in a tab with it, at the same address, size and language.
    """

    def check(visit, label: str) -> None:
        if checker is None:
            axe(visit, label)
            return
        html = visit.page.content()
        checker.goto("/submit")
        checker.page.set_content(html)
        axe(checker, f"{label}, a copy of the page without JavaScript")

    return check


def _stored(site, name: str):
    from sqlalchemy import select

    from directory.extensions import db
    from directory.models import Group

    with site.app.app_context():
        group = db.session.scalars(select(Group).where(Group.name == name)).one_or_none()
        found = None if group is None else (group.status, group.location.region,
                                            [s.kind for s in group.schedules])  # fmt: skip
        db.session.remove()
        return found


@pytest.mark.parametrize(("viewport", "javascript", "locale"), WAYS)
def test_an_organiser_adds_a_group(
    browser, quick_site, screenshot_dir, axe, viewport, javascript, locale
):
    name = f"Browser Grief Circle {uuid.uuid4().hex[:8]}"
    label = f"{'phone' if viewport == PHONE else 'desktop'}-{locale[:2]}"
    options = {"is_mobile": True, "has_touch": True} if viewport == PHONE else {}
    visits = _visit(browser, quick_site, screenshot_dir, viewport, locale=locale,
                    java_script_enabled=javascript, **options)  # fmt: skip
    visit = next(visits)
    copies = None if javascript else _visit(browser, quick_site, screenshot_dir, viewport,
                                            locale=locale, **options)  # fmt: skip
    check = _checker(axe, None if copies is None else next(copies))
    try:
        page = visit.page
        visit.goto("/")
        page.click('header a[href="/submit"]')
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == locale[:2]
        check(visit, f"the form ({label})")
        visit.screenshot(f"submit-form-{label}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], "the form is wider than the screen"

        _fill(page, name)
        page.click("#add_schedule")
        page.wait_for_load_state("load")
        assert page.locator("#schedules-1-start_time").is_visible()
        assert page.input_value("#name") == name
        page.click("#schedules-1-remove")
        page.wait_for_load_state("load")
        assert page.locator("#schedules-1-start_time").count() == 0

        page.click("#preview")
        page.wait_for_load_state("load")
        summary = page.locator(".error-summary")
        assert summary.is_visible()
        assert page.get_attribute("#organiser_email", "aria-invalid") == "true"
        assert page.input_value("#name") == name
        check(visit, f"the form with an error ({label})")
        visit.screenshot(f"submit-error-{label}")
        summary.locator('a[href="#organiser_email"]').click()
        page.fill("#organiser_email", "browser.organiser@example.org")

        page.click("#preview")
        page.wait_for_load_state("load")
        assert page.locator("#group-name").inner_text() == name
        english = locale.startswith("en")
        words = "1st Monday of the month" if english else "El primer lunes de cada mes"
        assert words in page.locator(".schedule").first.inner_text()
        check(visit, f"the preview ({label})")
        visit.screenshot(f"submit-preview-{label}")
        assert _stored(quick_site, name) is None

        page.click("#send")
        page.wait_for_load_state("load")
        assert page.url.endswith("/submit/thanks")
        assert "browser.organiser@example.org" in page.locator("main").inner_text()
        check(visit, f"the thank-you page ({label})")
        visit.screenshot(f"submit-thanks-{label}")
        assert _stored(quick_site, name) == ("pending", "IL", ["monthly"])
    except BaseException:
        visit.page.context.close()
        raise
    next(visits, None)  # close the tab and run the visit's checks
    if copies is not None:
        next(copies, None)
