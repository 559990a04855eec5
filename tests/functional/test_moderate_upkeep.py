"""A moderator decides organisers' changes, resolves reports, revokes links and sets trust."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from directory import services
from directory.extensions import db
from directory.models import AuditRecord, ChangeRequest, Group, ProblemReport, TrustedOrganiser
from tests.factories import make_group, make_organization
from tests.functional.moderate_helpers import add_moderator, body, csrf_token, outbox, sign_in

ORGANISER = "rosa.private@example.org"


@pytest.fixture
def client(db_app):
    """Return a test client of the app on each database."""
    return db_app.test_client()


@pytest.fixture
def group(db_app):
    """A published listing with an organiser address and an organisation."""
    found = make_group(
        name="Oak Park Grief Circle", description="Tuesdays in Room 2.",
        organiser_email=ORGANISER, organization=make_organization(name="Northside NAMI"),
    )  # fmt: skip
    db.session.commit()
    return found


def requested(group: Group, language: str = "es", **fields) -> ChangeRequest:
    """Have the organiser send changes (a description by default); return the open request."""
    outcome = services.request_change(
        db.session, group, fields or {"description": "Wednesdays in Room 5."}, language=language
    )
    db.session.commit()
    assert outcome.kind == "requested"
    return outcome.request


def post(client, group_id: int, path: str, prefix: str, token_of: str | None = None, **values):
    """Post one of the item page's upkeep forms with the page's own CSRF token.

    ``token_of`` names the form to read the token from when the page has none for ``prefix``
    (the session's token is the same in every form).
    """
    page = client.get(f"/moderate/items/{group_id}").text
    data = {f"{prefix}-{name}": value for name, value in values.items()}
    data[f"{prefix}-csrf_token"] = csrf_token(page, token_of or prefix)
    return client.post(f"/moderate/items/{group_id}/{path}", data=data)


def _public(client, group: Group) -> str:
    return client.get(f"/groups/{group.id}").text


def _actions(group: Group) -> list[str]:
    query = select(AuditRecord.action).where(AuditRecord.group_id == group.id)
    return list(db.session.scalars(query.order_by(AuditRecord.id)))


def test_the_item_shows_the_change_beside_the_listing_now(client, moderator, group):
    requested(group)
    page = client.get(f"/moderate/items/{group.id}").text
    assert "Changes from the organiser" in page
    assert "in Spanish" in page
    assert "<td>Tuesdays in Room 2.</td>" in page and "<td>Wednesdays in Room 5.</td>" in page
    assert "Approve and publish the changes" in page and "Reject and send the reason" in page


def test_approving_publishes_the_change_and_tells_the_organiser(client, moderator, group):
    request = requested(group)
    assert "Tuesdays in Room 2." in _public(client, group)
    assert "Wednesdays in Room 5." not in _public(client, group)
    response = post(
        client, group.id, f"changes/{request.id}/approve", "approve_change", note="Thank you!"
    )
    assert response.status_code == 302
    assert (
        "Published: the public page shows the changes now."
        in client.get(response.headers["Location"]).text
    )
    assert "Wednesdays in Room 5." in _public(client, group)
    db.session.expire_all()
    assert db.session.get(ChangeRequest, request.id).outcome == "approved"
    (letter,) = [message for message in outbox() if message["To"] == ORGANISER]
    assert "Oak Park Grief Circle" in letter["Subject"]
    assert "Thank you!" in body(letter)
    assert _actions(group)[-1] == "change_approved"
    history = client.get(f"/moderate/items/{group.id}").text
    assert "Organiser&#39;s changes published" in history
    assert "Changes from the organiser" not in history


def test_rejecting_needs_a_reason_then_keeps_the_listing_and_tells_why(client, moderator, group):
    request = requested(group)
    empty = post(client, group.id, f"changes/{request.id}/reject", "reject_change", reason=" ")
    assert empty.status_code == 400
    assert "Please write the reason: the organiser will read it." in empty.text
    response = post(
        client, group.id, f"changes/{request.id}/reject", "reject_change",
        reason="Room 5 is not in that building.",
    )  # fmt: skip
    assert response.status_code == 302
    assert "Tuesdays in Room 2." in _public(client, group)
    db.session.expire_all()
    decided = db.session.get(ChangeRequest, request.id)
    assert (decided.outcome, decided.reason) == ("rejected", "Room 5 is not in that building.")
    (letter,) = [message for message in outbox() if message["To"] == ORGANISER]
    assert "Room 5 is not in that building." in body(letter)


def test_a_replaced_change_gets_a_calm_message_not_the_newer_one(client, moderator, group):
    first = requested(group)
    page = client.get(f"/moderate/items/{group.id}").text
    newer = requested(group, description="Thursdays.")
    data = {"approve_change-csrf_token": csrf_token(page, "approve_change")}
    response = client.post(f"/moderate/items/{group.id}/changes/{first.id}/approve", data=data)
    assert response.status_code == 400
    assert "These changes have been decided already, or the organiser has sent newer" in (
        response.text
    )
    db.session.expire_all()
    assert db.session.get(ChangeRequest, newer.id).is_open
    assert "Tuesdays in Room 2." in _public(client, group)
    assert outbox() == []


def test_resolving_a_report_needs_a_note_and_clears_the_mark(client, moderator, group):
    for who in ("a", "b"):
        services.report_problem(
            db.session, group, "stopped", reporter=who, contact_email=f"{who}@example.org"
        )
    db.session.commit()
    assert services.reported_not_meeting(db.session, [group.id]) == {group.id}
    first, second = services.open_reports(db.session, group.id)
    page = client.get(f"/moderate/items/{group.id}").text
    assert "It has stopped meeting" in page and "a@example.org" in page
    assert "a@example.org" not in _public(client, group)
    empty = post(client, group.id, f"reports/{first.id}/resolve", "resolve", note="")
    assert empty.status_code == 400
    assert empty.text.count("Please say what was done about the report.") == 1
    assert f'id="resolve-note-{first.id}-error"' in empty.text
    response = post(
        client, group.id, f"reports/{first.id}/resolve", "resolve", note="Called: it meets."
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ProblemReport, first.id).resolution == "Called: it meets."
    assert db.session.get(ProblemReport, second.id).resolved_at is None
    assert services.reported_not_meeting(db.session, [group.id]) == set()
    again = post(client, group.id, f"reports/{first.id}/resolve", "resolve", note="Twice.")
    assert again.status_code == 400
    assert "This report has been resolved already." in again.text
    assert _actions(group).count("report_resolved") == 1


def test_revoking_makes_an_earlier_manage_link_revoked(client, moderator, group, db_app):
    from directory.web.manage.links import LinkProblem, group_for_token, manage_token

    with db_app.test_request_context():
        token = manage_token(group)
        assert group_for_token(token) == (group, None)
    response = post(client, group.id, "revoke-links", "revoke", reason="Lost phone.")
    assert response.status_code == 302
    assert (
        "Every manage link sent so far has stopped working."
        in client.get(response.headers["Location"]).text
    )
    db.session.expire_all()
    with db_app.test_request_context():
        found, problem = group_for_token(token)
        assert (found.id, problem) == (group.id, LinkProblem.REVOKED)
        assert group_for_token(manage_token(found)) == (found, None)
    assert client.get(f"/manage/{token}").status_code != 200
    assert _actions(group)[-1] == "link_revoked"


def test_trusting_an_organiser_publishes_their_next_edit_at_once(client, moderator, group):
    page = client.get(f"/moderate/items/{group.id}").text
    assert "Not trusted: this organiser\N{RIGHT SINGLE QUOTATION MARK}s changes wait" in page
    response = post(client, group.id, "trust/organiser", "trust_organiser", trusted="yes")
    assert response.status_code == 302
    page = client.get(f"/moderate/items/{group.id}").text
    assert "Trusted: this organiser&#39;s changes will publish at once." in page
    assert "Stop trusting this organiser" in page
    assert db.session.get(TrustedOrganiser, ORGANISER) is not None
    outcome = services.request_change(db.session, group, {"description": "Fridays."})
    db.session.commit()
    assert outcome.kind == "published"
    post(client, group.id, "trust/organiser", "trust_organiser", trusted="no")
    db.session.expire_all()
    assert db.session.get(TrustedOrganiser, ORGANISER) is None
    assert "Trust this organiser</button>" in client.get(f"/moderate/items/{group.id}").text


def test_trusting_an_organisation_shows_its_state_and_can_be_undone(client, moderator, group):
    page = client.get(f"/moderate/items/{group.id}").text
    assert "Trust the organisation Northside NAMI" in page
    assert post(client, group.id, "trust/organisation", "trust_organization",
                trusted="yes").status_code == 302  # fmt: skip
    db.session.expire_all()
    assert db.session.get(Group, group.id).organization.trusted is True
    assert "Stop trusting this organisation" in client.get(f"/moderate/items/{group.id}").text
    post(client, group.id, "trust/organisation", "trust_organization", trusted="no")
    db.session.expire_all()
    assert db.session.get(Group, group.id).organization.trusted is False
    junk = post(client, group.id, "trust/organisation", "trust_organization", trusted="maybe")
    assert junk.status_code == 400


def test_a_limited_moderator_cannot_act_on_another_organisations_listing(client, group):
    ours = make_organization(name="Ours")
    mine = make_group(name="Our Circle", organization=ours, organiser_email="ours@example.org")
    db.session.commit()
    request = requested(group)
    report = services.report_problem(db.session, group, "stopped", reporter="x")
    db.session.commit()
    sign_in(client, add_moderator("limited@example.org", organization_ids=[ours.id]))
    page = client.get(f"/moderate/items/{mine.id}").text
    for path, prefix, values in (
        (f"changes/{request.id}/approve", "approve_change", {}),
        (f"changes/{request.id}/reject", "reject_change", {"reason": "No."}),
        (f"reports/{report.id}/resolve", "resolve", {"note": "Done."}),
        ("revoke-links", "revoke", {}),
        ("trust/organiser", "trust_organiser", {"trusted": "yes"}),
        ("trust/organisation", "trust_organization", {"trusted": "yes"}),
    ):
        data = {f"{prefix}-{name}": value for name, value in values.items()}
        data[f"{prefix}-csrf_token"] = csrf_token(page, "archive")  # one token per session
        assert client.post(f"/moderate/items/{group.id}/{path}", data=data).status_code == 404
    db.session.expire_all()
    assert db.session.get(ChangeRequest, request.id).is_open
    assert db.session.get(ProblemReport, report.id).resolved_at is None
    assert db.session.get(Group, group.id).manage_version == 0


def test_a_request_or_report_of_another_listing_is_refused(client, moderator, group):
    other = make_group(name="Other Circle", organiser_email="other@example.org")
    db.session.commit()
    request = requested(other)
    report = services.report_problem(db.session, other, "stopped", reporter="x")
    db.session.commit()
    approve = post(client, group.id, f"changes/{request.id}/approve", "approve_change", "archive")
    resolve = post(
        client, group.id, f"reports/{report.id}/resolve", "resolve", "archive", note="Done."
    )
    assert (approve.status_code, resolve.status_code) == (400, 400)
    db.session.expire_all()
    assert db.session.get(ChangeRequest, request.id).is_open
    assert db.session.get(ProblemReport, report.id).resolved_at is None


def test_every_upkeep_post_needs_the_csrf_token(client, moderator, group):
    request = requested(group)
    for path in (f"changes/{request.id}/approve", "revoke-links", "trust/organiser"):
        assert client.post(f"/moderate/items/{group.id}/{path}").status_code == 400
    db.session.expire_all()
    assert db.session.get(ChangeRequest, request.id).is_open


def test_the_new_routes_are_in_the_walk_that_checks_sign_in(db_app):
    from tests.functional.test_moderate_routes import _moderate_rules

    walked = {rule.endpoint for rule in _moderate_rules(db_app)}
    assert {
        "moderate.approve_change", "moderate.reject_change", "moderate.resolve_report",
        "moderate.revoke_links", "moderate.trust_organiser", "moderate.trust_organization",
    } <= walked  # fmt: skip


def test_the_summary_shows_a_pause_and_a_closed_status(client, moderator, group):
    services.pause(
        db.session, group, services.Actor.organiser(ORGANISER), dt.date(2099, 1, 5),
        now=dt.datetime(2098, 12, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    db.session.commit()
    page = client.get(f"/moderate/items/{group.id}").text
    assert "Paused by its organiser" in page
    assert "Since December 1, 2098; meets again on January 5, 2099" in page
    services.close(db.session, group, services.Actor.organiser(ORGANISER), "We stopped.")
    db.session.commit()
    page = client.get(f"/moderate/items/{group.id}").text
    assert "Closed by its organiser" in page
    assert "We stopped." in page
