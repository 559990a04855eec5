"""A failed database statement never carries an organiser's private contact into an error.

Tracebacks and log lines travel further than the database (consoles, log collectors, bug
reports), so neither the statement's values nor the database's own "failing row" detail may
reach them.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from directory.extensions import db
from directory.interchange.pipeline import ImportOptions, run_import
from directory.interchange.upsert import write_listings
from directory.models import Group
from tests.factories import make_group

SECRET_EMAIL = "sam.private.organiser@example.org"
SECRET_PHONE = "(312) 555-0177"


def _private_group(**fields) -> Group:
    return make_group(organiser_name="Sam Private", organiser_email=SECRET_EMAIL,
                      organiser_phone=SECRET_PHONE, **fields)  # fmt: skip


def _assert_private(*texts: str) -> None:
    for text in texts:
        assert SECRET_EMAIL not in text
        assert "555-0177" not in text
        assert "Sam Private" not in text


def test_a_refused_insert_keeps_the_organisers_contact_out_of_the_error(db_app, caplog):
    caplog.set_level(logging.DEBUG)
    _private_group(status="not-a-status")  # breaks the CHECK on status
    with pytest.raises(IntegrityError) as raised:
        db.session.flush()
    db.session.rollback()
    _assert_private(str(raised.value), repr(raised.value), str(raised.value.orig), caplog.text)


def test_a_refused_update_keeps_the_organisers_contact_out_of_the_error(db_app, caplog):
    caplog.set_level(logging.DEBUG)
    group = _private_group()
    db.session.commit()
    change = update(Group).where(Group.id == group.id)
    with pytest.raises(IntegrityError) as raised:
        db.session.execute(change.values(status="gone", organiser_email=SECRET_EMAIL))
    db.session.rollback()
    _assert_private(str(raised.value), str(raised.value.orig), caplog.text)


def test_an_import_that_fails_while_saving_logs_and_reports_no_private_contact(
    db_app, tmp_path, caplog, monkeypatch
):
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "groups.csv"
    path.write_text(
        "id,name,schedule,city,state,zip,organizer name,organizer email,organizer phone\n"
        f"g1,Calm Group,Tuesdays 7pm,Chicago,IL,60614,Sam Private,{SECRET_EMAIL},{SECRET_PHONE}\n"
    )

    def write_then_break(session, accepted, **options):
        # The database refuses the saved rows (here, a CHECK on the listing's status).
        write_listings(session, accepted, **options)
        session.execute(update(Group).values(status="broken"))

    monkeypatch.setattr("directory.interchange.pipeline.write_listings", write_then_break)
    report = run_import(db.session, str(path), ImportOptions(timezone="America/Chicago"))
    assert "saving failed, so nothing was changed (IntegrityError" in report.failure
    assert "import of" in caplog.text  # the failure is logged, with its traceback
    _assert_private(report.summary(), caplog.text)


def test_an_unusable_organiser_contact_is_not_repeated_in_the_import_report(db_app, tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text(
        "id,name,schedule,city,state,zip,email,organizer email,organizer phone\n"
        "g1,Calm Group,Tuesdays 7pm,Chicago,IL,60614,hello@@example.org,"
        "sam.private@@example.org,@312 555 0177\n"
    )
    report = run_import(db.session, str(path), ImportOptions(timezone="America/Chicago"))
    warnings = [w.message for w in report.warnings]
    assert "organiser email is not an email address; left out" in warnings
    assert "organiser phone is not a phone number; left out" in warnings
    assert any("'hello@@example.org' is not an email address" in w for w in warnings)  # public
    assert "sam.private" not in report.summary() and "0177" not in report.summary()
