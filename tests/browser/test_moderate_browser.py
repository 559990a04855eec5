"""A moderator reviews in a real browser: approves on desktop and phone, then finds it searched.

The queue, an item and a possible duplicate's comparison pass axe-core in English and
Spanish. The browser site's database is shared, so every listing here has its own name.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import moderator_account

PASSWORD = "browser queue password"
EMAIL = "browser-queue@example.org"


@pytest.fixture(scope="module")
def moderator(site):
    """Create a moderator account in the browser site's database (once for this module)."""
    return moderator_account(site, EMAIL, PASSWORD)


def _submit(site, name: str, language: str = "en", postal_code: str = "60657") -> int:
    """Store a listing sent in on the site, pending review; return its id."""
    from directory.extensions import db
    from directory.services import submit_group
    from tests.functional.moderate_helpers import fields

    place = {
        "name": "Belmont Community Room", "room": None, "address_1": "3200 N Clark St",
        "address_2": None, "city": "Chicago", "region": "IL", "postal_code": postal_code,
        "country": "US", "latitude": 41.9398, "longitude": -87.6475,
        "timezone": "America/Chicago",
    }  # fmt: skip
    with site.app.app_context():
        submission = submit_group(
            db.session, fields(name, location=place, topics=["anxiety"]), language=language
        )
        db.session.commit()
        group_id = submission.group_id
        db.session.remove()
    return group_id


def _sign_in(visit, email: str) -> None:
    page = visit.page
    visit.goto("/moderate/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.sign-in-form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("nav.moderate-nav .signed-in").count() == 1


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_moderator_approves_a_submission_and_it_is_searchable(
    request, site, moderator, axe, device
):
    visit = request.getfixturevalue(device)
    name = f"Quillfeather Anxiety Circle {device.title()}"
    group_id = _submit(site, name)
    page = visit.page
    _sign_in(visit, moderator)
    visit.goto("/moderate")
    page.get_by_role("link", name=name).click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == name
    assert "rosa@example.org" in page.locator("main").inner_text()
    axe(visit, f"a queue item ({device})")
    visit.screenshot(f"moderate-item-{device}")
    page.get_by_label("Message to the organiser (optional)").fill("Welcome to the directory.")
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_load_state("load")
    assert "Approved: it is searchable now." in page.locator("main").inner_text()
    visit.goto(f"/search?q=Quillfeather+{device}")
    assert page.locator(f'a[href="/groups/{group_id}"]').count() >= 1
    assert name in page.locator("main").inner_text()


@pytest.mark.parametrize(
    ("device", "language"),
    [("desktop", "en"), ("phone", "en"), ("spanish_desktop", "es"), ("spanish_phone", "es")],
)
def test_the_queue_an_item_and_a_comparison_have_no_violations(
    request, site, moderator, axe, device, language
):
    visit = request.getfixturevalue(device)
    name = f"Marblewing Peer Group {device.replace('_', ' ').title()}"
    first = _submit(site, name, language=language, postal_code="60640")
    twin = _submit(site, name, language=language, postal_code="60640")
    page = visit.page
    _sign_in(visit, moderator)
    visit.goto("/moderate")
    assert page.locator("html").get_attribute("lang") == language
    axe(visit, f"the queue ({device})")
    visit.goto(f"/moderate/items/{first}")
    axe(visit, f"an item ({device})")
    visit.goto(f"/moderate/items/{first}/edit")
    axe(visit, f"correcting a listing ({device})")
    visit.goto(f"/moderate/items/{twin}")
    assert page.locator("table.diff").count() == 1
    axe(visit, f"a possible duplicate ({device})")
    visit.screenshot(f"moderate-duplicate-{device}")
    if language == "es":
        text = page.locator("main").inner_text()
        assert "Historial" in text and "Esta ficha" in text, "the page is not in Spanish"
