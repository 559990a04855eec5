"""Past the last page, an unknown place, an ambiguous one: each says what to do next (item 7)."""

from __future__ import annotations


def test_a_page_past_the_end_links_back_to_the_last_page(desktop, axe):
    desktop.goto("/search?page=999")
    page = desktop.page
    assert page.get_by_role("heading", name="There is no page 999 of these results").is_visible()
    assert page.get_by_role("link", name="Next page").count() == 0
    axe(desktop, "past the last page")
    page.get_by_role("link", name="Go to the").click()
    assert page.locator(".hit").count() > 0


def test_an_unknown_place_offers_spellings_not_a_wider_search(desktop, axe):
    desktop.goto("/search?near=Chicagoo%2C+IL")
    page = desktop.page
    assert page.get_by_role("link", name="Look further away").count() == 0
    axe(desktop, "unknown place")
    page.get_by_role("link", name="Chicago, IL", exact=True).click()
    assert "Chicago, IL" in page.locator("#summary").inner_text()


def test_an_ambiguous_place_lists_every_candidate_by_state(desktop, axe):
    desktop.goto("/search?near=Springfield")
    page = desktop.page
    choices = page.locator(".notice .choices a")
    assert choices.count() == 25
    desktop.screenshot("ambiguous-place-desktop")
    axe(desktop, "ambiguous place")
    page.get_by_role("link", name="Springfield, MO").click()
    assert "Springfield, MO" in page.locator("#summary").inner_text()
