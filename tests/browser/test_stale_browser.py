"""A moderator reads the stale list in a real browser: phone and desktop, English and Spanish.

The browser site's database is shared (its demo listings are stale too), so the moderator here
is limited to one organisation, whose listings have their own names and meet in Juneau, far
from the Chicago searches of the other browser tests.
"""

from __future__ import annotations

import datetime as dt

import pytest

PASSWORD = "browser stale password"
EMAIL = "browser-stale@example.org"
MONTH = dt.timedelta(days=30)
HIDDEN = "Gullwing Harbour Grief Circle"
DUE = "Gullwing Harbour Anxiety Peers"


@pytest.fixture(scope="module")
def stale_site(site):
    """Add a moderator, and listings out of search and due for review, with reminders."""
    from directory.extensions import db
    from directory.models import Reminder
    from directory.services import Actor, add_moderator
    from directory.services.accounts import find_moderator
    from tests.factories import make_group, make_location, make_organization

    now = dt.datetime.now(dt.UTC)
    with site.app.app_context():
        if find_moderator(db.session, EMAIL) is not None:
            db.session.remove()
            return site
        harbour = make_organization(name="Gullwing Harbour Network (demo)")
        db.session.flush()
        add_moderator(db.session, EMAIL, PASSWORD, Actor.command("browser-test"),
                      organization_ids=[harbour.id])  # fmt: skip
        place = {
            "name": "Harbour Library", "address_1": "292 Marine Way", "city": "Juneau",
            "region": "AK", "postal_code": "99801", "latitude": 58.3005, "longitude": -134.4080,
            "timezone": "America/Juneau",
        }  # fmt: skip
        hidden = make_group(name=HIDDEN, verified_at=now - 20 * MONTH, is_demo=True,
                            organiser_email="harbour@example.org", organization=harbour,
                            location=make_location(**place))  # fmt: skip
        make_group(name=DUE, verified_at=now - 7 * MONTH, is_demo=True, organiser_email=None,
                   organization=harbour, location=make_location(**place))  # fmt: skip
        for months in (1, 2, 3):
            db.session.add(Reminder(group=hidden, sent_at=now - months * MONTH,
                                    sent_to="harbour@example.org"))  # fmt: skip
        db.session.commit()
        db.session.remove()
    return site


def _sign_in(visit) -> None:
    page = visit.page
    visit.goto("/moderate/login")
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.sign-in-form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("nav.moderate-nav .signed-in").count() == 1


@pytest.mark.parametrize(
    ("device", "language"),
    [("desktop", "en"), ("phone", "en"), ("spanish_desktop", "es"), ("spanish_phone", "es")],
)
def test_the_stale_list_shows_reminders_and_has_no_violations(
    request, stale_site, axe, device, language
):
    visit = request.getfixturevalue(device)
    page = visit.page
    _sign_in(visit)
    page.locator("nav.moderate-nav a[href='/moderate/stale']").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == language
    entry = page.locator("li.hit", has=page.get_by_role("link", name=HIDDEN))
    assert entry.locator("time").count() == 4  # the last confirmation and three reminders
    due = page.locator("li.hit", has=page.get_by_role("link", name=DUE))
    assert due.count() == 1
    assert page.locator("li.hit").count() == 2  # only the moderator's organisation's
    axe(visit, f"the stale list ({device})")
    visit.screenshot(f"moderate-stale-{device}")
    page.locator("nav.queue-kinds a[href='/moderate/stale?kind=hidden']").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("link", name=HIDDEN).count() == 1
    assert page.get_by_role("link", name=DUE).count() == 0
    axe(visit, f"the stale list, out of search only ({device})")
    page.get_by_role("link", name=HIDDEN).click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == HIDDEN
