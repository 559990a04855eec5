"""While the index is rebuilt from nothing, a search gets a calm, accessible page."""

from __future__ import annotations

import pytest

from directory.search.healing import SearchRebuilding

pytestmark = pytest.mark.browser


@pytest.fixture
def rebuilding(site, monkeypatch):
    """Make every search answer as it does while a first rebuild runs."""
    engine = site.app.extensions["search"]

    def unavailable(*_args, **_kwargs):
        raise SearchRebuilding()

    monkeypatch.setattr(engine, "search", unavailable)


@pytest.mark.parametrize("locale", ["en", "es"])
def test_search_being_updated_page_is_calm_and_accessible(desktop, phone, axe, rebuilding,
                                                          locale):  # fmt: skip
    heading = {"en": "Search is being updated", "es": "Estamos actualizando la búsqueda"}
    for visit, size in ((desktop, "desktop"), (phone, "phone")):
        response = visit.goto(f"/search?q=grief&near=60614&locale={locale}")
        assert response.status == 503
        assert response.headers["retry-after"] == "30"
        page = visit.page
        assert page.locator("h1").inner_text() == heading[locale]
        assert page.locator('a[href^="tel:988"]').first.is_visible()
        again = page.locator("main a[href*='q=grief']")
        assert again.count() == 1  # one link back to the same search, nothing automatic
        assert page.locator("meta[http-equiv=refresh]").count() == 0
        visit.screenshot(f"search-being-updated-{size}-{locale}")
        axe(visit, f"search being updated ({size}, {locale})")
