"""An organiser keeps a listing current in a real browser, from the link in their email.

They confirm it still meets in one click, then edit a field and see that the change waits
for review. Every organiser's page (the listing's, editing, pausing with its error, closing,
a link that no longer works, asking for a link) passes axe-core on a phone and a desktop,
in English and Spanish. The browser site's database is shared, so each run has its own names.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.browser.conftest import DESKTOP, PHONE, _visit

COMBINATIONS = [
    (PHONE, "en-US", {"is_mobile": True, "has_touch": True}),
    (DESKTOP, "en-US", {}),
    (PHONE, "es-ES", {"is_mobile": True, "has_touch": True}),
    (DESKTOP, "es-ES", {}),
]
IDS = ["phone-en", "desktop-en", "phone-es", "desktop-es"]
EARLIER = dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)


def _mailed_link(site, name: str) -> tuple[int, str]:
    """Publish a listing with an organiser, email its manage link; return its id and path."""
    from directory.extensions import db
    from directory.mail import upkeep
    from tests.factories import make_group

    with site.app.test_request_context(base_url=site.base):
        group = make_group(name=name, organiser_email="organiser@example.org",
                           organiser_name="Rosa", verified_at=EARLIER, is_demo=True)  # fmt: skip
        db.session.commit()
        group_id = group.id
        upkeep.manage_link(group)
        db.session.remove()
    return group_id, _latest_link(site, name)


def _latest_link(site, name: str) -> str:
    """Return the path of the manage link in the newest email, which is about ``name``."""
    outbox = Path(site.app.config["OUTBOX_PATH"])
    mails = sorted(outbox.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)
    text = mails[-1].read_text()
    assert name in text
    link = re.search(r"http://127\.0\.0\.1:\d+/manage/\S+", text)[0]
    return link.removeprefix(site.base)


def _click(page, selector: str) -> None:
    page.locator(selector).click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize(("viewport", "locale", "options"), COMBINATIONS, ids=IDS)
def test_an_organiser_confirms_and_edits_from_the_emailed_link(
    browser, site, screenshot_dir, axe, viewport, locale, options
):
    from directory.extensions import db
    from directory.models import ChangeRequest, Group

    label = f"{viewport['width']}-{locale}"
    name = f"Manage Browser Circle {label}"
    group_id, path = _mailed_link(site, name)
    for visit in _visit(browser, site, screenshot_dir, viewport, locale=locale, **options):
        page = visit.page
        response = visit.goto(path)
        assert response.status == 200
        assert response.headers["referrer-policy"] == "strict-origin"
        assert page.locator("html").get_attribute("lang") == locale[:2]
        axe(visit, f"the manage page ({label})")
        _click(page, f"form[action='{path}/confirm'] button")
        assert page.locator(".notice[role=status]").count() == 1
        visit.screenshot(f"manage-confirmed-{label}")
        axe(visit, f"the manage page after confirming ({label})")

        _click(page, f"a[href='{path}/edit']")
        axe(visit, f"the edit page ({label})")
        page.locator("#room").fill("Room 14")
        _click(page, ".listing-form button.primary")
        assert page.url.endswith(path)
        if locale.startswith("en"):
            assert "wait for review" in page.locator("main").inner_text()
        axe(visit, f"the manage page with a change waiting ({label})")

        visit.goto(f"{path}/pause")
        axe(visit, f"the pause page ({label})")
        page.locator("#resumes_on").fill("2020-01-01")
        _click(page, "main form button.primary")
        assert page.locator("#resumes_on-error").count() == 1
        axe(visit, f"the pause page with an error ({label})")

        visit.goto(f"{path}/close")
        axe(visit, f"the close page ({label})")

        assert visit.goto(f"/groups/{group_id}/organiser").status == 200
        axe(visit, f"the 'are you the organiser' page ({label})")
        _click(page, "main form button.primary")
        axe(visit, f"the 'check your email' page ({label})")

        assert visit.goto(path[:-6] + "abcdef").status == 410
        assert page.locator("input[type=email]").count() == 1
        axe(visit, f"the bad-link page ({label})")
        assert visit.goto("/manage/links").status == 200
        axe(visit, f"the links-by-address page ({label})")
    with site.app.app_context():
        group = db.session.get(Group, group_id)
        assert group.verified_at > EARLIER and group.location.room == "Room 2"
        request = db.session.scalars(
            db.select(ChangeRequest).where(ChangeRequest.group_id == group_id)
        ).one()
        assert request.is_open and request.changes["location.room"] == ["Room 2", "Room 14"]
        db.session.remove()


@pytest.mark.parametrize(("viewport", "locale", "options"), COMBINATIONS[::3], ids=IDS[::3])
def test_an_expired_link_offers_a_fresh_one(browser, site, screenshot_dir, axe, viewport,
                                            locale, options):  # fmt: skip
    from directory.extensions import db
    from directory.models import Group
    from directory.services import Actor, revoke_links

    label = f"{viewport['width']}-{locale}"
    name = f"Revoked Browser Circle {label}"
    group_id, path = _mailed_link(site, name)
    with site.app.app_context():
        revoke_links(db.session, db.session.get(Group, group_id), Actor.command("browser-test"))
        db.session.commit()
        db.session.remove()
    for visit in _visit(browser, site, screenshot_dir, viewport, locale=locale, **options):
        page = visit.page
        assert visit.goto(path).status == 410
        axe(visit, f"the revoked-link page ({label})")
        _click(page, "main form button.primary")
        axe(visit, f"the fresh link's 'check your email' page ({label})")
        fresh = _latest_link(site, name)
        assert fresh != path
        assert visit.goto(fresh).status == 200
        assert page.locator(f"form[action='{fresh}/confirm']").count() == 1
