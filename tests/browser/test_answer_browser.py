"""An organiser answers a moderator's question in a real browser, and corrects the listing.

The link comes from the email in the outbox, as the organiser would follow it. The page
passes axe-core on a phone and a desktop, in English and Spanish, with its error state too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import DESKTOP, PHONE, _visit
from tests.browser.test_moderate_browser import _submit


def _ask(site, name: str, language: str) -> tuple[int, str]:
    """Submit a listing, have a moderator ask about it; return its id and the mailed link."""
    from directory.extensions import db
    from directory.mail import notices
    from directory.models import Submission
    from directory.services import Actor, ask_submitter
    from directory.web.answer import answer_url

    group_id = _submit(site, name, language=language)
    with site.app.test_request_context(base_url=site.base):
        submission = db.session.scalars(
            db.select(Submission).where(Submission.group_id == group_id)
        ).one()
        ask_submitter(db.session, submission, Actor.command("browser-test"), "Which room?")
        db.session.commit()
        notices.question_asked(submission, answer_url(submission))
        db.session.remove()
    outbox = site.app.config["OUTBOX_PATH"]
    mails = sorted(Path(outbox).glob("*.eml"), key=lambda path: path.stat().st_mtime)
    link = re.search(r"http://127\.0\.0\.1:\d+/submit/answer/\S+", mails[-1].read_text())[0]
    return group_id, link.removeprefix(site.base)


@pytest.mark.parametrize(
    ("viewport", "locale", "options"),
    [
        (PHONE, "en-US", {"is_mobile": True, "has_touch": True}),
        (DESKTOP, "es-ES", {}),
    ],
    ids=["phone-en", "desktop-es"],
)
def test_an_organiser_answers_and_corrects(browser, site, screenshot_dir, axe, viewport,
                                           locale, options):  # fmt: skip
    from directory.extensions import db
    from directory.models import Group

    language = locale[:2]
    name = f"Answer Browser Circle {language}"
    group_id, path = _ask(site, name, language)
    for visit in _visit(browser, site, screenshot_dir, viewport, locale=locale, **options):
        page = visit.page
        assert visit.goto(path).status == 200
        assert page.locator("blockquote.question").inner_text() == "Which room?"
        axe(visit, f"the answer page ({locale})")
        page.locator("button.primary").click()  # no answer yet
        page.wait_for_load_state("load")
        assert page.locator("#answer-error").count() == 1
        axe(visit, f"the answer page with an error ({locale})")
        page.locator("#answer").fill("Room 12, on the first floor.")
        page.locator("#room").fill("Room 12")
        page.locator("button.primary").click()
        page.wait_for_load_state("load")
        visit.screenshot(f"answer-sent-{locale}")
        assert page.locator("h1").count() == 1
        axe(visit, f"the answer's thank-you page ({locale})")
        assert visit.goto(path).status == 410  # the link works once
    with site.app.app_context():
        group = db.session.get(Group, group_id)
        assert group.location.room == "Room 12" and group.status == "pending"
        db.session.remove()
