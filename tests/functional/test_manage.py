"""An organiser keeps a listing current from its manage link: confirm, edit, pause, close."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from werkzeug.datastructures import MultiDict

from directory.extensions import db
from directory.models import ChangeRequest, Group
from directory.services import (
    Actor,
    history,
    report_problem,
    set_trusted_organiser,
)
from directory.services import upkeep as upkeep_service
from directory.web.manage.links import manage_token
from tests.factories import make_group
from tests.functional.moderate_helpers import add_moderator, form_values, outbox

NOW = dt.datetime(2026, 6, 1, 15, 0, tzinfo=dt.UTC)  # 10 am in Chicago, on June 1
EARLIER = dt.datetime(2025, 1, 10, 12, 0, tzinfo=dt.UTC)
ORGANISER = "Rosa.Organiser@example.org"


@pytest.fixture
def clock(monkeypatch):
    """Fix the services' clock (confirming, pausing, "today" where the group meets) at NOW."""
    monkeypatch.setattr(upkeep_service, "utcnow", lambda: NOW)
    return NOW


def published(**fields) -> Group:
    """Add and commit a published listing last confirmed EARLIER, with an organiser."""
    values = {
        "verified_at": EARLIER, "organiser_email": ORGANISER, "organiser_name": "Rosa",
        "organiser_phone": "(312) 555-0199", "contact_email": "circle@example.org",
    }  # fmt: skip
    values.update(fields)
    group = make_group(**values)
    db.session.commit()
    return group


def manage_path(group: Group, page: str = "") -> str:
    """Return the path of the listing's manage page (or one of its pages) by its signed token."""
    return f"/manage/{manage_token(group)}" + (f"/{page}" if page else "")


def csrf(page: str) -> str:
    """Return the first CSRF token on a page."""
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found is not None, "no CSRF token on the page"
    return html.unescape(found[1])


def post_from(client, page_path: str, action: str, **data):
    """Open ``page_path`` and post to ``action`` with that page's CSRF token and ``data``."""
    page = client.get(page_path)
    return client.post(action, data={"csrf_token": csrf(page.text), **data})


def edit_form(client, group: Group, **changes) -> MultiDict:
    """Return what the edit page's form sends as it stands, with ``changes`` made."""
    path = manage_path(group, "edit")
    page = client.get(path)
    assert page.status_code == 200
    values = form_values(page.text, path)
    for name, value in changes.items():
        values.setlist(name, [value])
    values.setlist("send", ["y"])
    return values


def test_the_page_says_how_the_listing_stands_and_offers_the_actions(db_app, client, clock):
    group = published(name="Lincoln Park Grief Circle")
    report_problem(db.session, group, "wrong_time", details="Now on Wednesdays",
                   contact_email="visitor@example.org", reporter="k1")  # fmt: skip
    db.session.commit()
    page = client.get(manage_path(group))
    assert page.status_code == 200
    text = page.text
    assert "Lincoln Park Grief Circle" in text and f'href="/groups/{group.id}"' in text
    assert "Published: it is in the directory." in text
    assert "January 10, 2025" in text  # last confirmed
    assert "None waiting for review." in text
    assert "The day or time is wrong" in text
    assert "visitor@example.org" not in text and "Now on Wednesdays" not in text
    for action in ("confirm", "edit", "pause", "close"):
        assert re.search(rf'"/manage/[^/"]+/{action}"', text), action
    assert "/resume" not in text  # not paused
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "strict-origin"


def test_yes_it_still_meets_confirms_in_one_click(db_app, client, clock):
    group = published()
    done = post_from(client, manage_path(group), manage_path(group, "confirm"))
    assert done.status_code == 303
    page = client.get(done.location)
    assert "Thank you. The listing now shows it was confirmed today." in page.text
    db.session.expire_all()
    assert group.verified_at == NOW
    entry = history(db.session, group.id)[-1]
    assert entry.action == "confirmed" and entry.changes["verified_at"][0].startswith("2025-01-10")


def test_an_unchanged_edit_counts_as_a_confirmation(db_app, client, clock):
    group = published()
    done = client.post(manage_path(group, "edit"), data=edit_form(client, group))
    assert done.status_code == 303, done.text
    assert "counted it as a confirmation" in client.get(done.location).text
    db.session.expire_all()
    assert group.verified_at == NOW
    assert db.session.query(ChangeRequest).count() == 0


def test_a_changed_edit_waits_for_review_and_the_public_page_keeps_the_old_details(
    db_app, client, clock
):
    add_moderator()
    group = published(name="Old Name Circle")
    data = edit_form(client, group, name="New Name Circle", room="Room 9")
    done = client.post(manage_path(group, "edit") + "?locale=es", data=data)
    assert done.status_code == 303
    db.session.expire_all()
    [request] = db.session.query(ChangeRequest).all()
    assert request.is_open and request.language == "es"
    assert request.changes["name"] == ["Old Name Circle", "New Name Circle"]
    assert set(request.fields) == {"name", "location"}
    assert group.name == "Old Name Circle" and group.verified_at == EARLIER
    public = client.get(f"/groups/{group.id}?locale=en")
    assert "Old Name Circle" in public.text and "New Name Circle" not in public.text
    page = client.get(manage_path(group) + "?locale=en")
    assert "wait for review by a moderator" in page.text
    # Moderators are written to in the language of the page that caused the notice.
    [notice] = [m for m in outbox() if "cambió un anuncio" in m["Subject"]]
    assert notice["To"] == "ana@example.org"
    again = client.get(manage_path(group, "edit") + "?locale=en")
    assert "Sending this form replaces them." in again.text


def test_a_trusted_organisers_edit_is_published_at_once(db_app, client, clock):
    group = published(name="Old Name Circle")
    set_trusted_organiser(db.session, ORGANISER, True, Actor.command("test"))
    db.session.commit()
    data = edit_form(client, group, name="New Name Circle")
    done = client.post(manage_path(group, "edit"), data=data)
    assert "Your changes are published now." in client.get(done.location).text
    db.session.expire_all()
    assert group.name == "New Name Circle"
    assert "New Name Circle" in client.get(f"/groups/{group.id}").text
    assert db.session.query(ChangeRequest).count() == 0


def test_a_bad_edit_is_shown_beside_its_field_and_kept(db_app, client, clock):
    group = published(name="Old Name Circle")
    data = edit_form(client, group, name="Renamed", contact_email="not-an-email")
    page = client.post(manage_path(group, "edit"), data=data)
    assert page.status_code == 400
    assert 'id="contact_email-error"' in page.text and 'value="Renamed"' in page.text
    data = edit_form(client, group, organiser_email="")
    assert 'id="organiser_email-error"' in client.post(manage_path(group, "edit"), data=data).text
    db.session.expire_all()
    assert group.name == "Old Name Circle" and db.session.query(ChangeRequest).count() == 0


def test_a_refused_edit_is_a_calm_message(db_app, client, clock, monkeypatch):
    from directory import services

    def refuse(*args, **kwargs):
        raise services.ServiceError("something the services did not like")

    monkeypatch.setattr(services, "request_change", refuse)
    group = published()
    page = client.post(manage_path(group, "edit"), data=edit_form(client, group, name="X Y"))
    assert page.status_code == 400
    assert "We could not save the listing as it is." in page.text
    assert "did not like" not in page.text


def test_pausing_with_a_date_and_resuming(db_app, client, clock):
    group = published()
    done = post_from(client, manage_path(group, "pause"), manage_path(group, "pause"),
                     resumes_on="2026-07-01", note="Summer break")  # fmt: skip
    assert done.status_code == 303
    page = client.get(done.location)
    assert "not meeting until July 1, 2026" in page.text
    assert re.search(r'action="/manage/[^/"]+/resume"', page.text)
    db.session.expire_all()
    assert group.paused_at == NOW and group.resumes_on == dt.date(2026, 7, 1)
    assert history(db.session, group.id)[-1].note == "Summer break"
    assert 'value="2026-07-01"' in client.get(manage_path(group, "pause")).text  # to change it
    done = post_from(client, manage_path(group), manage_path(group, "resume"))
    assert "meeting again" in client.get(done.location).text
    db.session.expire_all()
    assert group.paused_at is None and group.resumes_on is None


def test_pausing_without_a_date(db_app, client, clock):
    group = published()
    done = post_from(client, manage_path(group, "pause"), manage_path(group, "pause"))
    assert "not meeting until you tell us it meets again" in client.get(done.location).text
    db.session.expire_all()
    assert group.paused_at == NOW and group.resumes_on is None


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("2026-05-31", "Please give a date after today"),
        ("2026-06-01", "Please give a date after today"),  # today, in Chicago
        ("2028-01-01", "Please give a date within a year"),
        ("soon", "Please give a date such as 2026-12-01"),
    ],
)
def test_a_pause_date_that_will_not_do_gets_a_field_message(db_app, client, clock, given,
                                                           message):  # fmt: skip
    group = published()
    page = post_from(client, manage_path(group, "pause"), manage_path(group, "pause"),
                     resumes_on=given, note="Kept")  # fmt: skip
    assert page.status_code == 400
    assert 'id="resumes_on-error"' in page.text and message in page.text
    assert f'value="{given}"' in page.text and "Kept" in page.text
    db.session.expire_all()
    assert group.paused_at is None


def test_closing_needs_a_reason_then_closes_for_good(db_app, client, clock):
    group = published(name="Closing Circle")
    page = post_from(client, manage_path(group, "close"), manage_path(group, "close"), reason=" ")
    assert page.status_code == 400 and 'id="reason-error"' in page.text
    db.session.expire_all()
    assert group.status == "published"
    done = post_from(client, manage_path(group, "close"), manage_path(group, "close"),
                     reason="The host moved away.")  # fmt: skip
    page = client.get(done.location)
    assert "This listing is closed" in page.text
    assert "Thank you for letting people know" in page.text
    assert "/confirm" not in page.text and "/edit" not in page.text
    db.session.expire_all()
    assert group.status == "closed"
    assert history(db.session, group.id)[-1].note == "The host moved away."
    # Nothing more can be done from the link: every action goes back to the calm page.
    refused = post_from(client, "/manage/links", manage_path(group, "confirm"))
    assert refused.status_code == 303 and group.verified_at == EARLIER


def test_a_pending_listing_waits_for_review_with_no_actions(db_app, client):
    group = published(status="pending")
    page = client.get(manage_path(group))
    assert page.status_code == 200
    assert "waits for review" in page.text and "/confirm" not in page.text
    assert client.get(manage_path(group, "edit")).status_code == 303


@pytest.mark.parametrize("status", ["rejected", "archived"])
def test_a_listing_no_longer_listed_says_so_calmly(db_app, client, status):
    group = published(status=status)
    page = client.get(manage_path(group))
    assert page.status_code == 200
    assert "no longer in the directory" in page.text and "/pause" not in page.text


def test_a_pause_whose_date_has_passed_reads_as_meeting(db_app, client, clock):
    group = published(paused_at=EARLIER, resumes_on=dt.date(2026, 5, 1))
    page = client.get(manage_path(group))
    assert "Published: it is in the directory." in page.text and "/resume" not in page.text
    assert 'value="2026-05-01"' not in client.get(manage_path(group, "pause")).text
