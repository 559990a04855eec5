"""An organiser answers a moderator's question by a signed link: once, in time, while pending."""

from __future__ import annotations

import pytest
from flask import current_app
from itsdangerous import URLSafeTimedSerializer
from werkzeug.datastructures import MultiDict

from directory.extensions import db
from directory.models import Moderator
from directory.services import Actor, approve, ask_submitter, history, submit_group
from directory.web import answer
from tests.functional.moderate_helpers import form_values
from tests.unit.services.test_submissions import _fields


@pytest.fixture
def asked(db_app):
    moderator = Moderator(email="ana@example.org", password_hash="x")
    db.session.add(moderator)
    submission = submit_group(db.session, _fields(), language="es")
    db.session.flush()
    ask_submitter(db.session, submission, Actor.for_moderator(moderator), "¿Qué sala?")
    db.session.commit()
    return submission


def _path(submission) -> str:
    with current_app.test_request_context():
        return "/" + answer.answer_url(submission).split("/", 3)[3]


def _form(client, path, **changes) -> MultiDict:
    """Return what the page's form sends as it stands, with ``changes`` made."""
    page = client.get(path)
    assert page.status_code == 200
    values = form_values(page.text, path)
    for name, value in changes.items():
        values.setlist(name, [value])
    return values


def test_the_link_shows_the_question_and_records_the_answer_once(asked, db_app):
    client = db_app.test_client()
    path = _path(asked)
    page = client.get(path, headers={"Accept-Language": "es"})
    assert "¿Qué sala?" in page.text
    done = client.post(path, data=_form(client, path, answer="La sala 201.", room="Sala 201"))
    assert done.status_code == 200
    db.session.expire_all()
    assert asked.answer == "La sala 201." and not asked.waiting_for_submitter
    entry = history(db.session, asked.group_id)[-1]
    assert entry.action == "answered" and entry.note == "La sala 201."
    assert entry.changes["location.room"] == ["Room 2", "Sala 201"]
    assert "location.latitude" not in entry.changes and "name" not in entry.changes
    assert asked.group.location.latitude == 41.9253  # the exact place kept, not the ZIP's
    assert asked.group.corrected_fields == []  # an organiser's change, not a moderator's
    again = client.get(path)
    assert again.status_code == 410
    assert "no longer works" in again.text


def test_an_empty_answer_is_asked_for_again(asked, db_app):
    client = db_app.test_client()
    path = _path(asked)
    page = client.post(path, data=_form(client, path, answer="  ", name="Renamed Circle"))
    assert page.status_code == 400
    assert "Please write your answer." in page.text
    assert 'value="Renamed Circle"' in page.text  # what they typed is kept
    assert asked.waiting_for_submitter


def test_a_bad_correction_is_shown_beside_its_field_and_nothing_changes(asked, db_app):
    client = db_app.test_client()
    path = _path(asked)
    page = client.post(path, data=_form(client, path, answer="Yes.", contact_email="not-an-email"))
    assert page.status_code == 400
    assert 'id="contact_email-error"' in page.text
    db.session.expire_all()
    assert asked.group.contact_email == "circle@example.org" and asked.waiting_for_submitter


def test_a_link_stops_working_when_decided_replaced_or_forged(asked, db_app):
    client = db_app.test_client()
    path = _path(asked)
    forged = URLSafeTimedSerializer("another key", salt=answer.SALT).dumps([asked.id, "x"])
    assert client.get(f"/submit/answer/{forged}").status_code == 410
    assert client.get("/submit/answer/garbage").status_code == 410
    moderator = db.session.get(Moderator, 1) or Moderator(email="b@example.org", password_hash="x")
    ask_submitter(db.session, asked, Actor.for_moderator(moderator), "Another question")
    db.session.commit()
    assert client.get(path).status_code == 410  # replaced by the new question's link
    newer = _path(asked)
    assert client.get(newer).status_code == 200
    approve(db.session, asked.group, Actor.command("test"))
    db.session.commit()
    assert client.get(newer).status_code == 410


def test_an_expired_link_does_not_work(asked, db_app, monkeypatch):
    client = db_app.test_client()
    path = _path(asked)
    monkeypatch.setattr(answer, "answer_link_days", lambda: -1)
    assert client.get(path).status_code == 410
