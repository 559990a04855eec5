"""Search as a person would: by ZIP and topic, two filters, a group, the map, "near me"."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip("directory.search.engine", reason="the search engine is not built yet")


def _args(visit) -> dict[str, list[str]]:
    return parse_qs(urlsplit(visit.page.url).query)


def _hit_names(visit) -> list[str]:
    return visit.page.locator(".hit h3 a").all_inner_texts()


def test_search_by_zip_and_topic_then_narrow_with_two_filters(desktop, axe):
    page = desktop.page
    desktop.goto("/")
    page.get_by_label("What kind of group?").fill("grief")
    page.get_by_label("Where?").fill("60614")
    page.get_by_role("button", name="Find groups").click()
    page.wait_for_load_state("load")
    assert _args(desktop)["q"] == ["grief"]
    assert _args(desktop)["near"] == ["60614"]
    assert _args(desktop)["tz"] == ["America/Chicago"]  # the browser's zone, added by site.js
    summary = page.locator("#summary").inner_text()
    assert re.search(r"\d+ groups? meets? within 25 miles of Chicago, IL 60614", summary), summary
    names = _hit_names(desktop)
    assert "Lincoln Park Grief Circle" in names
    assert "Evening Grief Support Online" in names
    desktop.screenshot("results-desktop")
    axe(desktop, "results")

    # Two filters: in person, and for family and friends.
    page.locator("#filters").get_by_label(re.compile(r"^In person \(\d+\)$")).check()
    page.locator("#filters").get_by_label(re.compile(r"^Family and friends \(\d+\)$")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state("load")
    assert _args(desktop)["format"] == ["in_person"]
    assert _args(desktop)["audience"] == ["family-and-friends"]
    assert _hit_names(desktop) == ["Wicker Park Grief and Loss Group"]
    chips = page.locator(".active-filters .chip").all_inner_texts()
    assert [
        re.sub(r"\s+", " ", c).replace("Remove filter: ", "").strip(" \N{MULTIPLICATION SIGN}")
        for c in chips
    ] == ["Family and friends", "In person"]
    desktop.screenshot("results-filtered-desktop")
    axe(desktop, "results with filters")

    # Remove one filter; the other stays.
    page.locator(".active-filters .chip", has_text="In person").click()
    page.wait_for_load_state("load")
    assert "format" not in _args(desktop)
    assert _args(desktop)["audience"] == ["family-and-friends"]

    # Open a group from the results.
    page.get_by_role("link", name="Wicker Park Grief and Loss Group", exact=True).click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).inner_text() == "Wicker Park Grief and Loss Group"
    assert page.get_by_text("Wicker Park Fieldhouse").is_visible()


def test_results_on_a_phone_keep_the_crisis_line_and_fit(phone, axe):
    phone.goto("/search?q=grief&near=60614")
    height = phone.page.viewport_size["height"]
    box = phone.page.locator(".crisis").bounding_box()
    assert box["y"] + box["height"] <= height
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("results-phone-above-the-fold", full_page=False)
    phone.screenshot("results-phone")
    axe(phone, "results (phone)")


def test_search_and_filters_work_without_javascript(browser, site):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site.base + "/")
    page.get_by_label("What kind of group?").fill("grief")
    page.get_by_label("Where?").fill("60614")
    page.get_by_role("button", name="Find groups").click()
    page.locator("#filters").get_by_label(re.compile(r"^In person \(\d+\)$")).check()
    page.get_by_role("button", name="Apply filters").click()
    assert "format=in_person" in page.url
    assert page.locator(".hit").count() >= 1
    assert not page.get_by_role("button", name="Show map").is_visible()  # needs JavaScript
    assert not page.get_by_role("button", name="Use my location").is_visible()
    context.close()
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in requests), requests


def test_map_is_opt_in_and_shows_markers_without_tiles(desktop, axe):
    desktop.goto("/search?q=grief&near=60614")
    page = desktop.page
    assert not any("leaflet" in url for url in desktop.requests), "Leaflet loaded before opt-in"
    assert page.get_by_text("Groups that meet online are not on it.").is_visible()
    page.get_by_role("button", name="Show map").click()
    page.locator("#map[data-ready='true']").wait_for()
    assert page.get_by_text("A plain map of where these groups meet").is_visible()
    markers = page.locator(".leaflet-marker-icon")
    assert markers.count() >= 2
    assert any(url.endswith("/static/vendor/leaflet/leaflet.js") for url in desktop.requests)
    assert page.get_by_role("button", name="Hide map").get_attribute("aria-expanded") == "true"
    desktop.screenshot("results-map-desktop")
    axe(desktop, "results with the map shown")


def test_map_with_unreachable_tiles_still_shows_markers(desktop, site):
    from directory.web.security import content_security_policy

    tiles = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # nothing listens on port 9 here
    saved = site.app.config["TILE_URL"], site.app.config["CSP"]
    site.app.config["TILE_URL"] = tiles
    site.app.config["CSP"] = content_security_policy(tiles)
    try:
        desktop.goto("/search?q=grief&near=60614")
        page = desktop.page
        assert page.get_by_text("loads its pictures from 127.0.0.1").is_visible()
        assert not any(":9/" in url for url in desktop.requests), "tiles fetched before opt-in"
        page.get_by_role("button", name="Show map").click()
        page.locator("#map[data-ready='true']").wait_for()
        page.wait_for_timeout(300)
        assert page.locator(".leaflet-marker-icon").count() >= 2
        assert any(url.startswith("http://127.0.0.1:9/") for url in desktop.requests)
    finally:
        site.app.config["TILE_URL"], site.app.config["CSP"] = saved


def test_near_me_asks_for_the_location_only_when_pressed(browser, site):
    context = browser.new_context(
        geolocation={"latitude": 41.92, "longitude": -87.65},
        viewport={"width": 1280, "height": 900},
    )
    context.add_init_script(
        "window.__geoCalls = 0;"
        "const real = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);"
        "navigator.geolocation.getCurrentPosition = (...a) => { window.__geoCalls++; real(...a); };"
    )
    context.grant_permissions(["geolocation"], origin=site.base)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site.base + "/")
    assert page.evaluate("window.__geoCalls") == 0
    page.get_by_label("What kind of group?").fill("grief")
    with page.expect_navigation():
        page.get_by_role("button", name="Use my location").click()
    args = parse_qs(urlsplit(page.url).query)
    assert args["lat"] == ["41.92"]
    assert args["lon"] == ["-87.65"]
    assert "near" not in args
    assert "your location" in page.locator("#summary").inner_text()
    assert "Lincoln Park Grief Circle" in page.locator(".hit h3 a").all_inner_texts()
    context.close()
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in requests), requests


def test_results_in_spanish(desktop, axe):
    desktop.goto("/search?q=grief&near=60614&locale=es")
    page = desktop.page
    assert page.evaluate("document.documentElement.lang") == "es"
    assert re.search(
        r"grupos? se reúnen? a menos de 25 millas de Chicago", page.locator("#summary").inner_text()
    )
    assert page.get_by_role("button", name="Aplicar los filtros").is_visible()
    desktop.screenshot("results-desktop-es")
    axe(desktop, "results in Spanish")


def test_empty_results_suggest_what_to_try(desktop, axe):
    desktop.goto("/search?q=grief&near=99950&online=no&radius=5")
    page = desktop.page
    assert page.get_by_role("heading", name="No groups match this search").is_visible()
    assert page.get_by_role("link", name="Include online groups").is_visible()
    desktop.screenshot("results-empty-desktop")
    axe(desktop, "empty results")
