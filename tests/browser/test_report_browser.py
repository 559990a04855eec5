"""A reporter files a problem from a group's page in a real browser; a moderator decides a change.

The reporter uses a phone, with JavaScript and without. The report form (with and without
its messages), the thank-you page and a moderator's item page with a change request pass
axe-core on a phone and a desktop, in English and Spanish. The browser site's database is
shared, so every listing here is made by this module with its own name.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, _visit, moderator_account
from tests.browser.test_moderate_browser import PASSWORD

EMAIL = "browser-upkeep@example.org"
ORGANISER = "upkeep.organiser@example.org"
DEVICES = [
    (PHONE, "en-US", {"is_mobile": True, "has_touch": True}),
    (PHONE, "es-ES", {"is_mobile": True, "has_touch": True}),
    (DESKTOP, "en-US", {}),
    (DESKTOP, "es-ES", {}),
]
IDS = ["phone-en", "phone-es", "desktop-en", "desktop-es"]


def _listing(site, name: str) -> int:
    """Add a published listing with an organiser address; return its id."""
    from directory.extensions import db
    from tests.factories import make_group

    with site.app.app_context():
        group = make_group(name=name, organiser_email=ORGANISER, organiser_name="Upkeep Organiser")
        db.session.commit()
        group_id = group.id
        db.session.remove()
    return group_id


def _reports(site, group_id: int) -> list[tuple[str, str | None, str | None]]:
    from directory.extensions import db
    from directory.services import open_reports

    with site.app.app_context():
        found = [
            (report.kind, report.details, report.language)
            for report in open_reports(db.session, group_id)
        ]
        db.session.remove()
    return found


@pytest.fixture(scope="module")
def moderator(site):
    """Create a moderator account in the browser site's database (once for this module)."""
    return moderator_account(site, EMAIL, PASSWORD)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_reporter_on_a_phone_files_a_problem_from_the_group_page(
    browser, site, screenshot_dir, javascript
):
    name = f"Reportable Circle {'js' if javascript else 'plain'}"
    group_id = _listing(site, name)
    options = {"is_mobile": True, "has_touch": True, "java_script_enabled": javascript}
    for visit in _visit(browser, site, screenshot_dir, PHONE, **options):
        page = visit.page
        visit.goto(f"/groups/{group_id}")
        page.get_by_role("link", name="Report a problem").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"/groups/{group_id}/report")
        assert name in page.locator("main").inner_text()
        page.get_by_label("Something else").check()
        page.get_by_role("button", name="Send the report").click()
        page.wait_for_load_state("load")
        assert page.locator("#details-error").count() == 1  # "something else" needs details
        assert page.get_by_label("Something else").is_checked()  # the choice is kept
        page.get_by_label("The day or time is wrong").check()
        page.get_by_label("Details (optional)").fill("It meets at 6 pm now.")
        page.get_by_role("button", name="Send the report").click()
        page.wait_for_load_state("load")
        visit.screenshot(f"report-thanks-{'js' if javascript else 'plain'}")
        main = page.locator("main").inner_text()
        assert "Thank you for your report" in main
        assert ORGANISER not in main and "Upkeep Organiser" not in main
    assert _reports(site, group_id) == [("wrong_time", "It meets at 6 pm now.", "en")]


@pytest.mark.parametrize(("viewport", "locale", "options"), DEVICES, ids=IDS)
def test_the_report_form_and_thank_you_page_have_no_violations(
    browser, site, screenshot_dir, axe, viewport, locale, options
):
    group_id = _listing(site, f"Accessible Report Circle {locale} {viewport['width']}")
    for visit in _visit(browser, site, screenshot_dir, viewport, locale=locale, **options):
        page = visit.page
        visit.goto(f"/groups/{group_id}/report")
        assert page.locator("html").get_attribute("lang") == locale[:2]
        axe(visit, f"the report form ({locale})")
        page.locator("#contact_email").fill("not an address")
        page.locator("button.primary").click()
        page.wait_for_load_state("load")
        assert page.locator("#kind-error").count() == 1
        assert page.locator("#contact_email-error").count() == 1
        axe(visit, f"the report form with its messages ({locale})")
        page.locator("#kind-0").check()
        page.locator("#contact_email").fill("reporter@example.org")
        page.locator("button.primary").click()
        page.wait_for_load_state("load")
        assert page.locator("h1").count() == 1
        axe(visit, f"the report's thank-you page ({locale})")
        visit.screenshot(f"report-thanks-{locale}-{viewport['width']}")
    assert [kind for kind, _details, _language in _reports(site, group_id)] == ["stopped"]
    assert _reports(site, group_id)[0][2] == locale[:2]


def _request_change(site, group_id: int, description: str, language: str) -> None:
    from directory.extensions import db
    from directory.models import Group
    from directory.services import request_change

    with site.app.app_context():
        group = db.session.get(Group, group_id)
        outcome = request_change(db.session, group, {"description": description}, language=language)
        assert outcome.kind == "requested"
        db.session.commit()
        db.session.remove()


def _sign_in(visit, email: str) -> None:
    page = visit.page
    visit.goto("/moderate/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.sign-in-form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("nav.moderate-nav .signed-in").count() == 1


@pytest.mark.parametrize(("viewport", "locale", "options"), DEVICES, ids=IDS)
def test_a_moderator_approves_a_change_request(
    browser, site, screenshot_dir, axe, moderator, viewport, locale, options
):
    group_id = _listing(site, f"Changing Circle {locale} {viewport['width']}")
    description = f"Now in the garden room ({locale}, {viewport['width']})."
    _request_change(site, group_id, description, locale[:2])
    for visit in _visit(browser, site, screenshot_dir, viewport, locale=locale, **options):
        page = visit.page
        visit.goto(f"/groups/{group_id}")
        assert description not in page.locator("main").inner_text()
        _sign_in(visit, moderator)
        visit.goto("/moderate?kind=change")
        page.locator(f'a[href="/moderate/items/{group_id}"]').click()
        page.wait_for_load_state("load")
        assert page.locator("#change-heading").count() == 1
        assert description in page.locator("table.diff").inner_text()
        axe(visit, f"an item with a change request ({locale})")
        visit.screenshot(f"moderate-change-{locale}-{viewport['width']}")
        page.locator("#approve_change-note").fill("Thank you for keeping it current.")
        page.locator("form[action$='/approve'] button.primary").click()
        page.wait_for_load_state("load")
        assert page.locator("#change-heading").count() == 0
        visit.goto(f"/groups/{group_id}")
        assert description in page.locator("main").inner_text()
