"""The embed in a real browser: inside a partner's iframe on another origin, or refused there.

The partner is a second small server on 127.0.0.1 with a port of its own, so a different
origin from the site's (same host, other port), and nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import html
import re
import threading
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.browser.conftest import DESKTOP, PHONE, _visit

PRESETS = "/embed?topic=grief&near=60614"


@Request.application
def _partner_page(request: Request) -> Response:
    """Serve a partner's page that frames the address given in ``?src=``."""
    source = html.escape(request.args.get("src", ""))
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lakeside NAMI</title>'
        f'</head><body><h1>Lakeside NAMI</h1><iframe src="{source}" '
        'title="Find a peer support group" width="100%" height="900" allow="geolocation">'
        "</iframe></body></html>"
    )
    return Response(page, mimetype="text/html")


@pytest.fixture(scope="module")
def partner():
    """Serve the partner's page on 127.0.0.1 on a port of its own; yield its origin."""
    server = make_server("127.0.0.1", 0, _partner_page, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.port}"
    yield SimpleNamespace(origin=origin, framing=lambda url: f"{origin}/?src={quote(url)}")
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def partners(site, monkeypatch):
    """Return a setter of the site's DIRECTORY_EMBED_ORIGINS for one test."""
    return lambda *origins: monkeypatch.setitem(site.app.config, "EMBED_ORIGINS", origins)


def _refusals(visit) -> list[str]:
    """Take the console's frame-ancestors refusals out of the visit's record and return them.

    The refusal is what these tests expect; the visit's own check fails on any other
    Content-Security-Policy complaint.
    """
    found = [line for line in visit.console if "frame-ancestors" in line]
    visit.console[:] = [line for line in visit.console if line not in found]
    return found


def test_a_configured_partner_shows_the_embed_and_its_links_open_the_site(
    desktop, site, partner, partners
):
    partners(partner.origin)
    page = desktop.page
    page.goto(partner.framing(site.base + PRESETS))
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", level=1)).to_have_text("Find a peer support group")
    expect(frame.locator(".crisis")).to_be_visible()
    expect(frame.get_by_role("link", name="Lincoln Park Grief Circle")).to_be_visible()
    # The preset shows as a filter in force, and as a ticked box under "Filters".
    expect(frame.get_by_role("link", name="Remove filter: Grief and loss")).to_be_visible()
    frame.locator("details.more-options > summary").click()
    expect(frame.locator("#f-topic-grief")).to_be_checked()
    desktop.screenshot("embed-in-partner-frame")

    # A new search stays in the frame; the partner's page stays where it is.
    frame.get_by_label("What kind of group?").fill("depression")
    frame.locator("#f-topic-grief").uncheck()
    frame.get_by_role("button", name="Search").click()
    expect(frame.get_by_role("link", name="Lakeview Depression and Bipolar Peers")).to_be_visible()
    assert page.url.startswith(partner.origin)

    # A group opens on the site itself, in a new tab.
    with page.context.expect_page() as opened:
        frame.get_by_role("link", name="Lakeview Depression and Bipolar Peers").click()
    tab = opened.value
    tab.wait_for_load_state("load")
    assert re.fullmatch(re.escape(site.base) + r"/groups/\d+", tab.url)
    expect(tab.get_by_role("heading", level=1)).to_have_text(
        "Lakeview Depression and Bipolar Peers"
    )
    tab.close()
    assert [url for url in desktop.requests if url.startswith(partner.origin)] == [
        partner.framing(site.base + PRESETS)
    ]
    assert page.context.cookies() == []  # the embed set none
    assert _refusals(desktop) == []


@pytest.mark.parametrize("configured", [(), ("https://nami-example.org",)], ids=["unset", "other"])
def test_a_partner_not_configured_is_refused(desktop, site, partner, partners, configured):
    partners(*configured)
    page = desktop.page
    page.goto(partner.framing(site.base + PRESETS))
    page.wait_for_load_state("load")
    frame = page.frames[1]
    assert not frame.url.startswith(site.base)  # the browser's own error page instead
    assert frame.locator(".crisis, #search").count() == 0  # nothing of the embed is shown
    refusals = _refusals(desktop)
    assert refusals, desktop.console
    expected = " ".join(configured) or "'none'"
    assert all(f"frame-ancestors {expected}" in line for line in refusals), refusals


def test_use_my_location_works_inside_a_frame_that_allows_it(
    browser, site, partner, partners, screenshot_dir
):
    partners(partner.origin)
    options = {
        "permissions": ["geolocation"],
        "geolocation": {"latitude": 41.9227, "longitude": -87.6533},
    }
    for visit in _visit(browser, site, screenshot_dir, DESKTOP, **options):
        visit.page.goto(partner.framing(site.base + "/embed"))
        frame = visit.page.frame_locator("iframe")
        frame.get_by_role("button", name="Use my location").click()
        expect(frame.locator("#summary")).to_contain_text("of your location")
        expect(frame.get_by_role("link", name="Lincoln Park Grief Circle")).to_be_visible()


@pytest.mark.parametrize(
    ("tab", "locale", "heading"),
    [
        ("phone", "en", "Find a peer support group"),
        ("desktop", "en", "Find a peer support group"),
        ("spanish_phone", "es", "Encuentre un grupo de apoyo entre pares"),
        ("spanish_desktop", "es", "Encuentre un grupo de apoyo entre pares"),
    ],
)
def test_the_embed_has_no_accessibility_violations(request, axe, tab, locale, heading):
    visit = request.getfixturevalue(tab)
    visit.goto(PRESETS)
    page = visit.page
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert page.locator("html").get_attribute("lang") == locale
    assert page.locator(".crisis").is_visible()
    assert page.locator(".site-nav").count() == 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "wider than the screen"
    visit.screenshot(f"embed-{tab}")
    axe(visit, f"embed ({tab})")
    visit.goto("/embed?topic=no-such-topic")
    expect(page.get_by_role("alert")).to_be_visible()
    axe(visit, f"embed with a bad preset ({tab})")


def test_the_embed_works_without_javascript(browser, site, screenshot_dir):
    for visit in _visit(browser, site, screenshot_dir, PHONE, java_script_enabled=False):
        page = visit.page
        visit.goto("/embed?locale=es")
        assert page.locator("html").get_attribute("lang") == "es"
        page.locator("#q").fill("duelo")
        page.locator("#near").fill("60614")
        page.locator("#search button[type=submit]").click()
        page.wait_for_load_state("load")
        assert "/embed?" in page.url and "locale=es" in page.url
        expect(page.get_by_role("link", name="Lincoln Park Grief Circle")).to_be_visible()
        page.locator("details.more-options > summary").click()
        page.locator("#f-format-online").check()
        page.locator("#search button[type=submit]").click()
        expect(page.get_by_role("link", name="Evening Grief Support Online")).to_be_visible()
        expect(page.get_by_role("link", name="Lincoln Park Grief Circle")).to_have_count(0)
        assert page.context.cookies() == []
