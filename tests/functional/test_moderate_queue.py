"""The moderators' queue, an item's page, its decisions and its history, through the client."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import event, select

from directory.extensions import db
from directory.models import AuditRecord, DuplicateFlag, Group
from directory.services import Actor, ask_submitter
from directory.services.audit import last_changed
from tests.factories import make_group, make_organization
from tests.functional.moderate_helpers import (
    add_moderator,
    body,
    csrf_token,
    decide,
    form_values,
    outbox,
    sign_in,
    submit,
)

DAY = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


def _names(page: str) -> list[str]:
    return re.findall(r'<h3><a href="/moderate/items/\d+">([^<]+)</a></h3>', page)


@pytest.fixture
def client(db_app):
    """Return a test client of the app on each database (conftest's is SQLite's only)."""
    return db_app.test_client()


def _aged(group: Group, days: int) -> Group:
    group.created_at = DAY + dt.timedelta(days=days)
    db.session.commit()
    return group


@pytest.fixture
def queue_items(db_app):
    """An import waiting, a submission, a possible duplicate and one already published."""
    kept = make_group(name="Evanston Anxiety Peers")
    imported = make_group(name="Imported Bipolar Circle", status="pending", source="csv:feed")
    db.session.commit()
    new = submit("Rogers Park Grief Evenings")
    twin = submit("Evanston Anxiety Peers", organiser_email="lee@example.org")
    _aged(kept, -10)
    _aged(new.group, 2)
    _aged(imported, 1)
    _aged(twin.group, 3)
    return {"kept": kept, "imported": imported, "new": new, "twin": twin}


def test_the_queue_lists_what_waits_oldest_first_with_its_kind_and_counts(
    client, moderator, queue_items
):
    page = client.get("/moderate").text
    assert _names(page) == [
        "Imported Bipolar Circle", "Rogers Park Grief Evenings", "Evanston Anxiety Peers"
    ]  # fmt: skip
    assert "Listings waiting for a moderator, oldest first: 3." in page
    assert re.search(r"New submissions <span class=\"count\">\(1\)</span>", page)
    assert re.search(r"Imported for review <span class=\"count\">\(1\)</span>", page)
    assert re.search(r"Possible duplicates <span class=\"count\">\(1\)</span>", page)
    assert "Submitted on the site by lee@example.org" in page
    assert "Imported from csv:feed" in page


@pytest.mark.parametrize(
    ("kind", "names"),
    [
        ("new", ["Rogers Park Grief Evenings"]),
        ("import", ["Imported Bipolar Circle"]),
        ("duplicate", ["Evanston Anxiety Peers"]),
        ("waiting", ["Rogers Park Grief Evenings"]),
    ],
)
def test_the_queue_filters_by_kind(client, moderator, queue_items, kind, names):
    ask_submitter(db.session, queue_items["new"], Actor.for_moderator(moderator), "Which room?")
    db.session.commit()
    page = client.get(f"/moderate?kind={kind}").text
    assert _names(page) == names
    assert "Waiting for submitter" in page if kind == "waiting" else True


def test_an_empty_queue_says_so(client, moderator):
    page = client.get("/moderate").text
    assert "Nothing is waiting for review. Thank you." in page
    assert _names(page) == []


def test_a_long_queue_comes_in_pages_of_fifty_with_a_few_queries(client, moderator):
    for number in range(51):
        group = make_group(
            name=f"Queued Group {number:02d}", status="pending", source="csv:big",
            organization=make_organization(),
        )  # fmt: skip
        group.created_at = DAY + dt.timedelta(minutes=number)
    db.session.commit()
    statements = []
    engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        first = client.get("/moderate").text
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(_names(first)) == 50 and _names(first)[0] == "Queued Group 00"
    assert "Page 1 of 2" in first and 'href="/moderate?page=2"' in first
    queries = [sql for sql in statements if "support_group" in sql]
    assert len(queries) <= 3, queries  # counts, the page, its organisations: never one per row
    second = client.get("/moderate?page=2").text
    assert _names(second) == ["Queued Group 50"]


@pytest.fixture
def two_organisations(db_app):
    ours, theirs = make_organization(name="Northside NAMI"), make_organization(name="Other Org")
    db.session.commit()
    mine = submit("Northside Family Group", organization_name="Northside NAMI")
    other = submit("Other Org Peer Group", organization_name="Other Org")
    return ours, theirs, mine, other


def test_a_limited_moderator_sees_and_decides_only_their_organisations(client, two_organisations):
    ours, _theirs, mine, other = two_organisations
    sign_in(client, add_moderator("limited@example.org", organization_ids=[ours.id]))
    assert _names(client.get("/moderate").text) == ["Northside Family Group"]
    assert client.get(f"/moderate/items/{mine.group_id}").status_code == 200
    assert client.get(f"/moderate/items/{other.group_id}").status_code == 404
    page = client.get(f"/moderate/items/{mine.group_id}").text
    token = csrf_token(page, "approve")
    response = client.post(
        f"/moderate/items/{other.group_id}/approve", data={"approve-csrf_token": token}
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Group, other.group_id).status == "pending"


def test_an_unknown_item_is_not_found(client, moderator):
    assert client.get("/moderate/items/999999").status_code == 404


def test_signed_out_the_desk_sends_to_sign_in_and_refuses_decisions(db_app, client):
    submission = submit("Signed Out Group")
    response = client.get("/moderate")
    assert response.status_code == 302 and "/moderate/login" in response.headers["Location"]
    assert client.post(f"/moderate/items/{submission.group_id}/approve").status_code in (400, 401)
    db.session.expire_all()
    assert db.session.get(Group, submission.group_id).status == "pending"


def test_a_decision_without_its_csrf_token_is_refused(client, moderator):
    submission = submit("Token Group")
    response = client.post(f"/moderate/items/{submission.group_id}/approve", data={})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Group, submission.group_id).status == "pending"


def test_approving_publishes_at_once_and_tells_the_organiser_in_their_language(client, moderator):
    submission = submit("Humboldt Park Duelo", language="es")
    response = decide(client, submission.group_id, "approve", message="Bienvenidos, gracias.")
    assert response.status_code == 302 and response.headers["Location"] == "/moderate"
    assert "Approved: it is searchable now." in client.get("/moderate").text
    results = client.get("/search?q=Humboldt").text
    assert f'href="/groups/{submission.group_id}"' in results
    (message,) = outbox()
    assert message["To"] == "rosa@example.org"
    assert message["Content-Language"] == "es"
    assert "Bienvenidos, gracias." in body(message)
    assert f"/groups/{submission.group_id}" in body(message)


def test_the_history_shows_every_record_with_its_changes(client, moderator):
    submission = submit("History Group")
    decide(client, submission.group_id, "approve", message="Looks right.")
    page = client.get(f"/moderate/items/{submission.group_id}").text
    records = db.session.scalars(
        select(AuditRecord).where(AuditRecord.group_id == submission.group_id)
    ).all()
    assert len(records) == 2
    history = page[page.index('id="history-heading"') :]
    assert history.count("<li>\n    <p><strong>") == 2
    assert "Submitted on the site" in history and "Approved" in history
    assert "by organiser:rosa@example.org" in history and "by ana@example.org" in history
    assert "Looks right." in history
    assert "Status: Waiting for review → Published" in history
    assert "Organiser&#39;s email (private): (none) → rosa@example.org" in history


def test_a_reason_is_needed_to_reject_and_the_text_is_kept(client, moderator):
    submission = submit("Reject Me Group")
    response = decide(client, submission.group_id, "reject", reason="   ")
    assert response.status_code == 400
    assert "Please write the reason: the submitter will read it." in response.text
    too_long = "Not a peer group. " * 230
    response = decide(client, submission.group_id, "reject", reason=too_long)
    assert response.status_code == 400
    assert "Please keep the reason under 4000 characters." in response.text
    assert too_long.strip() in response.text
    db.session.expire_all()
    assert db.session.get(Group, submission.group_id).status == "pending"
    assert outbox() == []
    response = decide(client, submission.group_id, "reject", reason="It is a paid therapy course.")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Group, submission.group_id).status == "rejected"
    (message,) = outbox()
    assert "It is a paid therapy course." in body(message)


def test_a_decided_item_shows_its_status_and_history_but_no_decisions(client, moderator):
    submission = submit("Decided Group")
    decide(client, submission.group_id, "reject", reason="Not a support group.")
    page = client.get(f"/moderate/items/{submission.group_id}").text
    assert "This listing has been decided: Turned down. No decision is open." in page
    assert 'class="decision"' not in page and '<button type="submit">' not in page
    assert "Not a support group." in page


def test_a_stale_page_gets_a_message_not_an_error(client, moderator):
    submission = submit("Stale Group")
    page = client.get(f"/moderate/items/{submission.group_id}").text
    data = {"approve-csrf_token": csrf_token(page, "approve")}
    assert (
        client.post(f"/moderate/items/{submission.group_id}/approve", data=data).status_code == 302
    )
    again = client.post(f"/moderate/items/{submission.group_id}/approve", data=data)
    assert again.status_code == 400
    assert "This listing has been decided already (Published). Nothing was changed." in again.text
    assert len(outbox()) == 1


def test_asking_sends_the_question_with_a_link_and_the_item_waits(client, moderator):
    submission = submit("Question Group", language="es")
    response = decide(client, submission.group_id, "ask", question="¿En qué sala se reúnen?")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/moderate/items/{submission.group_id}"
    page = client.get(response.headers["Location"]).text
    assert "Question sent: the item waits for the submitter&#39;s answer." in page
    assert "Waiting for submitter" in page and "¿En qué sala se reúnen?" in page
    (message,) = outbox()
    assert message["Content-Language"] == "es"
    assert "¿En qué sala se reúnen?" in body(message)
    assert re.search(r"http://localhost/submit/answer/\S+", body(message))
    assert _names(client.get("/moderate?kind=waiting").text) == ["Question Group"]


def test_a_question_is_required(client, moderator):
    submission = submit("Unasked Group")
    response = decide(client, submission.group_id, "ask", question="")
    assert response.status_code == 400
    assert "Please write the question for the submitter." in response.text


def test_archiving_a_published_listing_needs_a_reason(client, moderator):
    group = make_group(name="Archive Me Group")
    db.session.commit()
    assert decide(client, group.id, "archive", reason="").status_code == 400
    response = decide(client, group.id, "archive", reason="The group has stopped meeting.")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Group, group.id).status == "archived"


@pytest.fixture
def flagged(db_app):
    kept = make_group(name="Uptown Grief Support", website=None)
    db.session.commit()
    newer = submit("Uptown Grief Support", website="https://uptown.example.org")
    flag = db.session.scalars(
        select(DuplicateFlag).where(DuplicateFlag.group_id == newer.group_id)
    ).one()
    return kept, newer, flag


def _settle(client, group_id: int, flag_id: int, outcome: str, reason: str = ""):
    page = client.get(f"/moderate/items/{group_id}").text
    data = {
        "duplicate-csrf_token": csrf_token(page, "duplicate"),
        "duplicate-outcome": outcome,
        "duplicate-reason": reason,
    }
    return client.post(f"/moderate/items/{group_id}/duplicates/{flag_id}", data=data)


def test_a_possible_duplicate_shows_both_listings_side_by_side(client, moderator, flagged):
    kept, newer, _flag = flagged
    page = client.get(f"/moderate/items/{newer.group_id}").text
    assert f"This listing beside listing {kept.id}, already there" in page
    assert re.search(r'<tr class="differs">\s*<th scope="row">Website', page)
    for label in ("Not a duplicate: keep both", "Merge into the listing already there",
                  "Reject as a duplicate"):  # fmt: skip
        assert label in page
    assert "Approve and publish" not in page


def test_not_a_duplicate_keeps_both_for_approval(client, moderator, flagged):
    _kept, newer, flag = flagged
    response = _settle(client, newer.group_id, flag.id, "not_duplicate")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "Kept as a separate listing" in page and "Approve and publish" in page
    assert db.session.scalar(select(DuplicateFlag).where(DuplicateFlag.id == flag.id)) is None
    assert outbox() == []


def test_merge_fills_the_listing_there_and_turns_the_newer_down(client, moderator, flagged):
    kept, newer, flag = flagged
    response = _settle(client, newer.group_id, flag.id, "merge")
    assert response.status_code == 302 and response.headers["Location"] == "/moderate"
    db.session.expire_all()
    assert db.session.get(Group, kept.id).website == "https://uptown.example.org"
    assert db.session.get(Group, newer.group_id).status == "rejected"
    (message,) = outbox()
    assert f"/groups/{kept.id}" in body(message)


def test_reject_as_a_duplicate_sends_the_note(client, moderator, flagged):
    kept, newer, flag = flagged
    response = _settle(client, newer.group_id, flag.id, "reject", "Already listed, thank you.")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Group, newer.group_id).status == "rejected"
    assert db.session.get(Group, kept.id).status == "published"
    (message,) = outbox()
    assert "Already listed, thank you." in body(message)


def test_an_unknown_outcome_is_refused_with_a_message(client, moderator, flagged):
    _kept, newer, flag = flagged
    response = _settle(client, newer.group_id, flag.id, "delete")
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Group, newer.group_id).status == "pending"


def test_last_changed_follows_what_the_public_sees(client, moderator):
    submission = submit("Last Changed Group")
    decide(client, submission.group_id, "approve")
    approved = db.session.scalars(
        select(AuditRecord.at).where(
            AuditRecord.group_id == submission.group_id, AuditRecord.action == "approved"
        )
    ).one()
    assert last_changed(db.session, submission.group_id) == approved
    decide(client, submission.group_id, "archive", reason="Stopped meeting.")
    assert last_changed(db.session, submission.group_id) == approved
    assert last_changed(db.session, 999999) is None


def _edit_page(client, group_id: int):
    response = client.get(f"/moderate/items/{group_id}/edit")
    assert response.status_code == 200
    return response.text, form_values(response.text, f"/moderate/items/{group_id}/edit")


def test_a_moderator_corrects_a_field_before_approving(client, moderator):
    submission = submit("Edgewater Grief Cirle")
    page, data = _edit_page(client, submission.group_id)
    assert 'value="Edgewater Grief Cirle"' in page
    data["name"] = "Edgewater Grief Circle"
    data["save"] = "y"
    response = client.post(f"/moderate/items/{submission.group_id}/edit", data=data)
    assert response.status_code == 302, response.text
    page = client.get(response.headers["Location"]).text
    assert "Corrected: each change is in the history." in page
    assert "Name: Edgewater Grief Cirle → Edgewater Grief Circle" in page
    db.session.expire_all()
    group = db.session.get(Group, submission.group_id)
    assert group.name == "Edgewater Grief Circle" and "name" in group.corrected_fields
    assert [s.weekdays for s in group.schedules] == ["TU"]  # the rest is as it was
    assert group.location.city == "Chicago" and group.organiser_email == "rosa@example.org"


def test_the_correction_page_names_the_organiser_not_you(client, moderator):
    submission = submit("Labels Group")
    page, data = _edit_page(client, submission.group_id)
    assert "Organiser's email" in page and "Your email" not in page
    data["room"] = "Room 9"  # the place's name or room changes; its coordinates do not
    data["save"] = "y"
    assert client.post(f"/moderate/items/{submission.group_id}/edit", data=data).status_code == 302
    db.session.expire_all()
    place = db.session.get(Group, submission.group_id).location
    assert place.room == "Room 9" and place.latitude == 41.9253


def test_a_bad_correction_comes_back_with_a_message_and_the_input(client, moderator):
    submission = submit("Correction Group")
    _page, data = _edit_page(client, submission.group_id)
    data["name"] = ""
    data["contact_email"] = "not an address"
    response = client.post(f"/moderate/items/{submission.group_id}/edit", data=data)
    assert response.status_code == 400
    assert "Please give the group&#39;s name." in response.text
    assert 'value="not an address"' in response.text
    db.session.expire_all()
    assert db.session.get(Group, submission.group_id).name == "Correction Group"


def test_a_limited_moderator_cannot_correct_others_listings(client, two_organisations):
    ours, _theirs, _mine, other = two_organisations
    sign_in(client, add_moderator("limited@example.org", organization_ids=[ours.id]))
    assert client.get(f"/moderate/items/{other.group_id}/edit").status_code == 404


def test_a_limited_moderator_cannot_merge_into_another_organisations_listing(db_app, client):
    ours, theirs = make_organization(name="Ours Org"), make_organization(name="Theirs Org")
    kept = make_group(name="Shared Name Group", organization=theirs)
    db.session.commit()
    newer = submit("Shared Name Group", organization_name="Ours Org")
    flag = db.session.scalars(
        select(DuplicateFlag).where(DuplicateFlag.group_id == newer.group_id)
    ).one()
    sign_in(client, add_moderator("limited@example.org", organization_ids=[ours.id]))
    response = _settle(client, newer.group_id, flag.id, "merge")
    assert response.status_code == 400
    assert "the listing already there is another organisation&#39;s" in response.text
    db.session.expire_all()
    assert db.session.get(Group, newer.group_id).status == "pending"
    assert db.session.get(Group, kept.id).website is None


@pytest.mark.parametrize("number", ["0", "99999999999999999999"])
def test_an_id_no_listing_can_have_is_not_found(client, moderator, number):
    assert client.get(f"/moderate/items/{number}").status_code == 404
    assert client.get(f"/moderate/items/{number}/edit").status_code == 404


def test_an_imported_listing_promises_no_mail_to_a_submitter(client, moderator):
    imported = make_group(name="Untagged Feed Group", status="pending", source="csv:feed",
                          topics=(), description="")  # fmt: skip
    db.session.commit()
    page = client.get(f"/moderate/items/{imported.id}").text
    assert "Reason, kept in the history" in page and "A note for the history" in page
    assert "sent to the submitter" not in page and "Reject and send the reason" not in page
    assert "Ask the submitter" not in page
    submitted = client.get(f"/moderate/items/{submit('Sent In Group').group_id}").text
    assert "Reason, sent to the submitter" in submitted
