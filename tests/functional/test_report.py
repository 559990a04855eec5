"""A visitor reports a problem with a listing from its page: stored, told, never leaking."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from directory import services
from directory.extensions import db
from directory.models import AuditRecord, ProblemReport
from tests.factories import make_group
from tests.functional.moderate_helpers import add_moderator, body, outbox

ORGANISER = "rosa.private@example.org"
ORGANISER_PHONE = "(312) 555-0199"


@pytest.fixture
def client(db_app):
    """Return a client of the app on each database."""
    return db_app.test_client()


@pytest.fixture
def group(db_app):
    """A published listing with an organiser's private contact."""
    found = make_group(
        name="Oak Park Grief Circle", organiser_name="Rosa Private", organiser_email=ORGANISER,
        organiser_phone=ORGANISER_PHONE,
    )  # fmt: skip
    db.session.commit()
    return found


def _token(page: str) -> str:
    return html.unescape(re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1])


def send(client, group_id: int, address: str = "127.0.0.1", **values):
    """Open the report form as a visitor would, then post it with the page's token."""
    page = client.get(f"/groups/{group_id}/report", environ_base={"REMOTE_ADDR": address})
    data = {"kind": "stopped", "details": "", "contact_email": "", "nickname": ""}
    data.update(values)
    data["csrf_token"] = _token(page.text)
    return client.post(
        f"/groups/{group_id}/report", data=data, environ_base={"REMOTE_ADDR": address}
    )


def _reports() -> list[ProblemReport]:
    db.session.expire_all()
    return list(db.session.scalars(select(ProblemReport).order_by(ProblemReport.id)))


def _field_error(page: str, field_id: str) -> str | None:
    found = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">(.*?)</p>', page)
    return re.sub(r"<[^>]+>", "", found[1]).replace("Error:", "").strip() if found else None


def test_the_form_names_the_listing_and_offers_each_kind(client, group):
    page = client.get(f"/groups/{group.id}/report").text
    assert "Oak Park Grief Circle" in page
    for label in ("It has stopped meeting", "The day or time is wrong",
                  "The place or address is wrong", "A link, phone number or email does not work",
                  "Something else", "Details (optional)", "Your email (optional)",
                  "Only if you would like us to reply", "never shown or passed on"):  # fmt: skip
        assert label in page
    assert 'name="csrf_token"' in page
    assert 'class="honeypot"' in page
    assert ORGANISER not in page and ORGANISER_PHONE not in page


def test_a_report_is_stored_with_its_details_and_the_thank_you_page_says_what_next(client, group):
    response = send(
        client, group.id, kind="wrong_time", details="  It meets on Wednesdays now.  ",
        contact_email="Visitor@Example.org",
    )  # fmt: skip
    assert response.status_code == 303
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200
    assert "Thank you for your report" in thanks.text
    assert "A moderator will look at your report" in thanks.text
    assert "we may write to the address you gave" in thanks.text
    (report,) = _reports()
    assert (report.group_id, report.kind, report.details) == (
        group.id, "wrong_time", "It meets on Wednesdays now."
    )  # fmt: skip
    assert report.contact_email == "Visitor@example.org"
    assert report.language == "en" and report.resolved_at is None
    assert report.reporter_key and "127.0.0.1" not in report.reporter_key
    trail = db.session.scalars(select(AuditRecord).where(AuditRecord.group_id == group.id))
    assert [entry.action for entry in trail] == ["reported"]


def test_the_reporter_never_sees_the_organisers_contact(client, group):
    form = client.get(f"/groups/{group.id}/report").text
    response = send(client, group.id, contact_email="visitor@example.org")
    thanks = client.get(response.headers["Location"]).text
    for page in (form, thanks):
        for private in (ORGANISER, "Rosa Private", ORGANISER_PHONE, "555-0199"):
            assert private not in page


def test_a_report_from_a_spanish_page_is_stored_in_spanish(client, group):
    client.get(f"/groups/{group.id}/report?locale=es")  # the switcher's link sets the cookie
    assert send(client, group.id, kind="wrong_place").status_code == 303
    (report,) = _reports()
    assert report.language == "es"


def test_the_organiser_is_told_with_their_manage_link_but_not_who_reported(client, group):
    from directory.web.manage.links import manage_token

    add_moderator()
    send(client, group.id, kind="broken_contact", details="The phone rings out.",
         contact_email="visitor@example.org")  # fmt: skip
    letters = {message["To"]: message for message in outbox()}
    letter = letters[ORGANISER]
    text = body(letter)
    assert "Oak Park Grief Circle" in letter["Subject"]
    assert "A link, phone number or email does not work" in text
    assert "The phone rings out." in text
    assert f"/manage/{manage_token(group)}" in text
    assert "visitor@example.org" not in letter.as_string()
    moderator = letters["ana@example.org"]
    assert moderator["Subject"] == "A problem was reported: Oak Park Grief Circle"
    assert f"/moderate/items/{group.id}" in body(moderator)


def test_something_else_needs_details_and_bad_input_comes_back_kept(client, group):
    response = send(client, group.id, kind="other", details="", contact_email="not an address")
    assert response.status_code == 400
    assert _field_error(response.text, "details") == "Please say what is wrong."
    assert _field_error(response.text, "contact_email").startswith("Please give an email address")
    assert 'value="not an address"' in response.text
    assert re.search(r'<input checked id="kind-4" name="kind" type="radio" value="other">',
                     response.text)  # fmt: skip
    assert _reports() == []


def test_no_choice_and_long_details_each_get_a_message(client, group):
    response = send(client, group.id, kind="", details="x" * 2001)
    assert response.status_code == 400
    assert _field_error(response.text, "kind") == "Please choose one of these."
    assert (
        _field_error(response.text, "details") == "Please keep the details under 2000 characters."
    )
    assert "x" * 2001 in response.text
    assert _reports() == []


@pytest.mark.parametrize(
    "junk",
    [
        {"kind": "<script>"},
        {"kind": ["stopped", "other"], "details": ["a", "b"]},
        {"kind": "other", "details": "\x00\ufffd" * 10},
        {"contact_email": "a@" + "b" * 300 + ".org"},
        {"kind": "stopped", "contact_email": "@@"},
    ],
)
def test_junk_never_gives_a_server_error(client, group, junk):
    response = send(client, group.id, **junk)
    assert response.status_code in (303, 400)
    assert response.status_code == 400 or _reports()


def test_a_post_without_the_csrf_token_is_refused(client, group):
    response = client.post(f"/groups/{group.id}/report", data={"kind": "stopped"})
    assert response.status_code == 400
    assert _reports() == []


def test_a_filled_honeypot_is_thanked_and_nothing_is_kept(client, group):
    add_moderator()
    response = send(client, group.id, nickname="buy cheap things")
    assert response.status_code == 303
    assert "Thank you for your report" in client.get(response.headers["Location"]).text
    assert _reports() == []
    assert outbox() == []


def test_an_unknown_or_unpublished_listing_is_a_404(client, group):
    hidden = make_group(name="Pending Circle", status="pending")
    db.session.commit()
    token = _token(client.get(f"/groups/{group.id}/report").text)
    for group_id in (hidden.id, 999999):
        assert client.get(f"/groups/{group_id}/report").status_code == 404
        sent = {"csrf_token": token, "kind": "stopped"}
        assert client.post(f"/groups/{group_id}/report", data=sent).status_code == 404
        assert client.get(f"/groups/{group_id}/report/thanks").status_code == 404
    for path in ("/groups/abc/report", "/groups/99999999999999999999/report"):
        assert client.get(path).status_code == 404


def test_two_people_mark_a_listing_reported_as_not_meeting_one_person_twice_does_not(client, group):
    send(client, group.id, address="127.0.0.2")
    send(client, group.id, address="127.0.0.2")
    assert len(_reports()) == 2
    assert services.reported_not_meeting(db.session, [group.id]) == set()
    send(client, group.id, address="127.0.0.3", kind="wrong_time")
    assert services.reported_not_meeting(db.session, [group.id]) == set()
    send(client, group.id, address="127.0.0.3")
    assert services.reported_not_meeting(db.session, [group.id]) == {group.id}


def test_a_service_refusal_is_a_calm_message(client, group, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise services.ServiceError("something the form did not catch")

    monkeypatch.setattr(services, "report_problem", refuse)
    response = send(client, group.id, details="It moved.")
    assert response.status_code == 400
    assert "We could not take the report as it is." in response.text
    assert "It moved." in response.text


@pytest.fixture
def limited(configured_app):
    """Return an app with rate limits on and two reports allowed per client."""
    return configured_app(RATELIMIT_ENABLED=True, REPORT_RATE_LIMIT="2 per hour")


def test_reports_are_rate_limited_per_client_and_reading_the_form_is_free(limited):
    group = make_group(name="Oak Park Grief Circle")
    db.session.commit()
    client = limited.test_client()
    assert send(client, group.id).status_code == 303
    assert send(client, group.id, kind="other", details="").status_code == 400  # counts too
    refused = send(client, group.id)
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert 'href="tel:988"' in refused.text
    for _attempt in range(3):
        assert client.get(f"/groups/{group.id}/report").status_code == 200
    assert send(client, group.id, address="127.0.0.9").status_code == 303
    assert len(_reports()) == 2
