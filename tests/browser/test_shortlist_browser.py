"""A provider's list as a person builds it: from results, with and without JavaScript, shared,
opened in another time zone, printed; axe-core on the list page, phone and desktop, both languages.
"""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.browser.conftest import DESKTOP, _visit

GRIEF = "Lincoln Park Grief Circle"
WICKER = "Wicker Park Grief and Loss Group"
ONLINE = "Evening Grief Support Online"
LAKEVIEW = "Lakeview Depression and Bipolar Peers"


def _ids(visit) -> list[str]:
    return parse_qs(urlsplit(visit.page.url).query).get("id", [])


def _named(action: str, name: str) -> re.Pattern:
    """Match a link's name: its words, then the group's name read from a hidden span."""
    return re.compile(rf"^{re.escape(action)}\s*:\s*{re.escape(name)}$")


def _link(page, action: str, name: str):
    return page.get_by_role("link", name=_named(action, name))


def _add(page, name: str) -> None:
    _link(page, "Add to list", name).click()
    page.wait_for_load_state("load")


def _my_list(page) -> str:
    return re.sub(r"\s+", " ", page.locator("[data-my-list]").inner_text()).strip()


def _sheet_names(page) -> list[str]:
    return page.locator(".sheet-group h3").all_inner_texts()


def _search_again(page, words: str) -> None:
    """Type new words in the results page's search form and search."""
    folded = page.locator("details.search-change:not([open]) > summary")
    if folded.count() and folded.is_visible():
        folded.click()
    page.get_by_label("What kind of group?").fill(words)
    page.locator("#search").get_by_role("button", name="Search").click()
    page.wait_for_load_state("load")


def _group_id(site, name: str) -> int:
    from sqlalchemy import select

    from directory.extensions import db
    from directory.models import Group

    with site.app.app_context():
        found = db.session.scalar(select(Group.id).where(Group.name == name))
        db.session.remove()
    return found


@pytest.fixture
def no_script(browser, site, screenshot_dir):
    """Yield a desktop tab with JavaScript turned off."""
    yield from _visit(browser, site, screenshot_dir, DESKTOP, java_script_enabled=False)


def test_a_list_built_from_results_without_javascript(no_script):
    page = no_script.page
    no_script.goto("/search?q=grief&near=60614")
    assert not page.locator("[data-my-list]").is_visible()  # nothing on the list yet
    _add(page, GRIEF)
    _add(page, WICKER)
    assert len(_ids(no_script)) == 2
    assert parse_qs(urlsplit(page.url).query)["q"] == ["grief"]  # the search stays
    assert _my_list(page) == "My list (2)"
    assert page.locator(f"[data-list-name='{GRIEF}'] [data-list-on]").is_visible()

    _search_again(page, "depression")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["depression"]
    assert len(_ids(no_script)) == 2  # a new search keeps the list
    _add(page, LAKEVIEW)
    assert _my_list(page) == "My list (3)"

    page.locator(".hit h3 a", has_text=LAKEVIEW).click()  # the group page keeps it too
    page.wait_for_load_state("load")
    assert _my_list(page) == "My list (3)"
    assert page.locator(".actions [data-list-on]").is_visible()

    page.get_by_role("link", name="My list (3)").click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == "/list"
    assert _sheet_names(page) == [GRIEF, WICKER, LAKEVIEW]
    _link(page, "Move up", LAKEVIEW).click()
    page.wait_for_load_state("load")
    assert _sheet_names(page) == [GRIEF, LAKEVIEW, WICKER]
    _link(page, "Remove", GRIEF).click()
    page.wait_for_load_state("load")
    assert _sheet_names(page) == [LAKEVIEW, WICKER]
    assert not page.get_by_role("button", name="Print").is_visible()  # needs JavaScript
    assert not page.get_by_role("button", name="Copy link").is_visible()
    no_script.screenshot("list-without-javascript")


def test_a_list_built_in_place_with_javascript(desktop, site, axe):
    page = desktop.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.base)
    desktop.goto("/search?q=grief&near=60614")
    page.evaluate("window.stayedOnThePage = true")
    _add(page, GRIEF)
    _add(page, ONLINE)
    assert page.evaluate("window.stayedOnThePage === true")  # no reload
    grief, online = str(_group_id(site, GRIEF)), str(_group_id(site, ONLINE))
    assert _ids(desktop) == [grief, online]
    assert _my_list(page) == "My list (2)"
    assert page.locator("[data-list-status]").inner_text() == f"Added to your list: {ONLINE}"
    fields = page.locator("#search [data-list-field]")
    assert [fields.nth(n).get_attribute("value") for n in range(fields.count())] == [grief, online]
    assert f"id={grief}&id={online}" in page.locator(".hit h3 a").first.get_attribute("href")
    assert page.locator(".skip-link").get_attribute("href") == "#main"  # stays in the page
    _link(page, "Remove", GRIEF).click()
    assert _ids(desktop) == [online]
    assert _my_list(page) == "My list (1)"
    _add(page, GRIEF)
    _add(page, WICKER)
    desktop.screenshot("results-with-a-list")
    axe(desktop, "results with a list")

    page.get_by_role("link", name="My list (3)").click()
    page.wait_for_load_state("load")
    assert _sheet_names(page) == [ONLINE, GRIEF, WICKER]
    page.evaluate("window.stayedOnThePage = true")
    _link(page, "Move down", ONLINE).click()
    assert _sheet_names(page) == [GRIEF, ONLINE, WICKER]
    _link(page, "Remove", WICKER).click()
    assert _sheet_names(page) == [GRIEF, ONLINE]
    assert page.evaluate("window.stayedOnThePage === true")
    # The sheet's own links are the patient's: they never carry the list.
    assert page.locator(f".sheet a[href='{site.base}/groups/{grief}']").count() == 1
    share = page.locator("[data-share-link]").input_value()
    assert share == f"{site.base}/list?id={grief}&id={online}&language=en"
    assert (
        page.locator(".sheet-qr img")
        .get_attribute("src")
        .startswith(f"/list.svg?id={grief}&id={online}")
    )
    for kind in ("mailto", "sms"):
        assert quote(share, safe="") in page.locator(f"[data-share='{kind}']").get_attribute("href")
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Link copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == share
    desktop.screenshot("list-with-javascript")
    axe(desktop, "the list")


def test_a_shared_link_shows_times_in_the_readers_own_zone(browser, site):
    online = _group_id(site, ONLINE)
    requests: list[str] = []
    context = browser.new_context(timezone_id="Asia/Tokyo", viewport=DESKTOP)
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site.base}/list?id={online}&language=en")
    first = page.locator(".sheet-meetings li").first
    # The group's own time (Central), then the reader's, added by site.js.
    assert re.search(r"Thursday, .+ 6:00 PM C[SD]T", first.inner_text())
    assert re.search(r"\(Friday, 9:00\s?AM GMT\+9, your time\)", first.inner_text())
    # A Spanish sheet from the English site gives the reader's time in Spanish too.
    page.goto(f"{site.base}/list?id={online}&language=es")
    local = page.locator(".sheet-meetings .local-time").first.inner_text()
    assert local.startswith(" (viernes") and local.endswith("su hora)"), local
    context.close()
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in requests), requests

    at_home = browser.new_context(timezone_id="America/Chicago", viewport=DESKTOP)
    page = at_home.new_page()
    page.goto(f"{site.base}/list?id={online}&language=en")
    assert page.locator(".sheet-meetings .local-time").count() == 0  # the same zone: once
    at_home.close()


def test_the_sheets_qr_code_opens_the_list(desktop, site):
    import zxingcpp
    from PIL import Image

    ids = [_group_id(site, GRIEF), _group_id(site, LAKEVIEW)]
    desktop.goto(f"/list?id={ids[0]}&id={ids[1]}&language=es")
    picture = desktop.page.locator(".sheet-qr img").screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(picture)).convert("L"))
    expected = f"{site.base}/list?id={ids[0]}&id={ids[1]}&language=es"
    assert [code.text for code in found] == [expected]


def test_printing_the_sheet_and_the_results(desktop, site):
    from pypdf import PdfReader

    page = desktop.page
    ids = [_group_id(site, name) for name in (GRIEF, WICKER, ONLINE)]
    desktop.goto("/list?" + "&".join(f"id={n}" for n in ids))
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".list-tools").is_visible()
    assert page.locator(".sheet-crisis").is_visible()
    assert page.locator(".sheet-foot").is_visible()
    assert page.get_by_text("https://meet.example.org/grief").is_visible()
    assert page.get_by_text("(312) 555-0142").is_visible()
    desktop.screenshot("list-printed")
    printed = PdfReader(io.BytesIO(page.pdf(format="Letter")))
    assert len(printed.pages) == 1  # three groups fit on one page

    page.emulate_media(media="screen")
    desktop.goto("/search?q=grief&near=60614")
    page.emulate_media(media="print")
    assert not page.locator(".add-to-list").first.is_visible()
    assert page.get_by_text(f"{site.base}/groups/{ids[0]}", exact=True).is_visible()
    desktop.screenshot("results-printed")


@pytest.mark.parametrize("tab", ["phone", "desktop", "spanish_phone", "spanish_desktop"])
def test_the_list_page_has_no_accessibility_problems(request, site, axe, tab):
    visit = request.getfixturevalue(tab)
    ids = [_group_id(site, name) for name in (GRIEF, ONLINE)]
    visit.goto(f"/list?id={ids[0]}&id={ids[1]}&id=999999")
    assert visit.page.locator(".no-longer-listed").count() == 1
    if tab.startswith("spanish"):
        assert visit.page.locator("html").get_attribute("lang") == "es"
    width = visit.page.viewport_size["width"]
    assert visit.page.evaluate("document.documentElement.scrollWidth") <= width
    visit.screenshot(f"list-{tab}")
    axe(visit, f"the list ({tab})")
