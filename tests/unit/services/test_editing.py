"""A moderator's correction: checked, applied, diffed field by field and remembered."""

from __future__ import annotations

import datetime as dt

import pytest

from directory.extensions import db
from directory.models import Moderator
from directory.services import Actor, ServiceError, edit_group, history
from tests.factories import make_group


def _moderator_actor() -> Actor:
    moderator = Moderator(email="ana@example.org", password_hash="x")
    db.session.add(moderator)
    db.session.flush()
    return Actor.for_moderator(moderator)


def test_an_edit_records_before_and_after_and_the_corrected_fields(db_app):
    group = make_group(name="Grief Group", cost="free")
    db.session.commit()
    changes = edit_group(db.session, group, {
        "name": "Grief Circle", "cost": "donation", "topics": ["grief", "suicide-loss"],
        "languages": ["en", "es"],
    }, _moderator_actor())  # fmt: skip
    assert group.name == "Grief Circle"
    assert sorted(t.slug for t in group.topics) == ["grief", "suicide-loss"]
    assert changes == {
        "name": ["Grief Group", "Grief Circle"], "cost": ["free", "donation"],
        "topics": [["depression"], ["grief", "suicide-loss"]], "languages": [["en"], ["en", "es"]],
    }  # fmt: skip
    assert group.corrected_fields == ["cost", "languages", "name", "topics"]
    [entry] = history(db.session, group.id)
    assert entry.action == "edited" and entry.changes == changes


def test_schedules_and_places_can_be_corrected(db_app):
    group = make_group()
    db.session.commit()
    place = {"name": "Oak Hall", "address_1": "1 Oak St", "city": "Evanston", "region": "IL",
             "postal_code": "60201", "latitude": 42.05, "longitude": -87.68,
             "timezone": "America/Chicago"}  # fmt: skip
    schedule = {"weekdays": "TH", "start_time": dt.time(18, 0), "end_time": dt.time(19, 0)}
    changes = edit_group(db.session, group, {"location": place, "schedules": [schedule]},
                         _moderator_actor())  # fmt: skip
    assert group.location.city == "Evanston" and group.schedules[0].weekdays == "TH"
    assert changes["location.city"] == ["Chicago", "Evanston"]
    assert changes["schedules"][1][0]["start_time"] == "18:00:00"
    assert set(group.corrected_fields) == {"location", "schedules"}


def test_an_edit_that_changes_nothing_writes_no_record(db_app):
    group = make_group(name="Grief Circle")
    db.session.commit()
    assert edit_group(db.session, group, {"name": " Grief Circle "}, _moderator_actor()) == {}
    assert history(db.session, group.id) == [] and group.corrected_fields == []


def test_an_edit_by_a_command_is_audited_but_not_a_moderator_correction(db_app):
    group = make_group()
    db.session.commit()
    edit_group(db.session, group, {"description": "New words."}, Actor.command("test"))
    assert group.corrected_fields == []
    assert history(db.session, group.id)[0].actor_label == "test"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "name cannot be empty"),
        ({"format": "carrier pigeon"}, "not one of the choices"),
        ({"website": "javascript:alert(1)"}, "is not a web address"),
        ({"organiser_email": "not an address"}, "organiser email is not an email address"),
        ({"topics": ["no-such-topic"]}, "unknown topics: no-such-topic"),
        ({"status": "published"}, "cannot edit status"),
        ({"location": None}, "needs a place"),
        ({"schedules": [{"weekdays": "XX", "start_time": dt.time(19)}]}, "schedule 1"),
        ({"name": "x" * 201}, "longer than 200"),
    ],
)
def test_a_bad_value_changes_nothing(db_app, changes, message):
    group = make_group(name="Grief Circle")
    db.session.commit()
    with pytest.raises(ServiceError, match=message):
        edit_group(db.session, group, {"description": "changed", **changes}, _moderator_actor())
    assert group.description != "changed" and group.location is not None
    assert history(db.session, group.id) == []
