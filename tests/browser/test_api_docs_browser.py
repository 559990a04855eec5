"""The API reference (/api) in a real browser: readable on a phone, in Spanish, and accessible."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("tab", ["desktop", "phone", "spanish_desktop"])
def test_the_api_reference_has_no_accessibility_violations(request, axe, tab):
    visit = request.getfixturevalue(tab)
    response = visit.goto("/api")
    assert response.status == 200
    page = visit.page
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator("#searchGroups").is_visible()
    assert page.locator("#schema-Hit table").count() == 1
    # The tables scroll in their own box: the page itself is never wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    visit.screenshot(f"api-reference-{tab}")
    axe(visit, f"API reference ({tab})")


def test_the_about_page_leads_to_the_reference_and_its_document(desktop):
    desktop.goto("/about")
    desktop.page.get_by_role("link", name="API for developers").click()
    desktop.page.wait_for_load_state("load")
    assert desktop.page.url.endswith("/api")
    document = desktop.page.request.get(desktop.base + "/api/v1/openapi.json")
    assert document.ok and document.json()["openapi"].startswith("3.1.")
