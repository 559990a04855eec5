"""Which listings are due a reminder, and recording one exactly once, also when runs overlap."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from directory.extensions import db
from directory.models import AuditRecord, Group, Reminder
from directory.services import Actor, confirm, history
from directory.services.reminders import (
    NotDue,
    days_unconfirmed,
    due_for_reminder,
    due_in_batches,
    record_reminder,
    reminders_of,
)
from tests.factories import make_group

NOW = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
REVIEW_AFTER = dt.timedelta(days=183)
EVERY = dt.timedelta(days=30)
STALE = NOW - REVIEW_AFTER  # confirmed exactly this long ago: due
POLICY = (REVIEW_AFTER, EVERY)


def _group(verified_at=STALE, organiser_email="rosa@example.org", **fields) -> Group:
    group = make_group(verified_at=verified_at, organiser_email=organiser_email, **fields)
    db.session.commit()
    return group


def _due_ids(now=NOW) -> list[int]:
    return [group.id for group in due_for_reminder(db.session, now, *POLICY)]


def _remind(group, at=NOW) -> Reminder:
    reminder = record_reminder(db.session, group, at, *POLICY)
    db.session.commit()
    return reminder


def test_a_listing_is_due_once_its_last_confirmation_is_review_after_old(db_app):
    due = _group()
    recent = _group(verified_at=STALE + dt.timedelta(days=1))
    assert _due_ids() == [due.id]
    assert recent.id in _due_ids(NOW + dt.timedelta(days=1))


def test_a_listing_never_confirmed_counts_from_when_it_was_listed(db_app):
    old = _group(verified_at=None, created_at=STALE - dt.timedelta(days=3))
    _group(verified_at=None, created_at=NOW - dt.timedelta(days=10))
    assert _due_ids() == [old.id]
    assert days_unconfirmed(old, NOW) == 186


def test_only_published_listings_with_an_organiser_address_are_due(db_app):
    due = _group()
    paused = _group(paused_at=STALE, resumes_on=None)
    for status in ("pending", "archived", "rejected", "closed"):
        _group(status=status)
    _group(organiser_email=None)
    _group(organiser_email="")
    assert _due_ids() == [due.id, paused.id]


def test_an_imported_listing_is_due_only_with_an_organiser_address(db_app):
    _group(source="csv:groups.csv", source_ref="1", organiser_email=None)
    with_address = _group(source="csv:groups.csv", source_ref="2")
    assert _due_ids() == [with_address.id]


def test_at_most_one_reminder_per_listing_per_interval(db_app):
    group = _group(verified_at=STALE - dt.timedelta(days=90))
    _remind(group, at=NOW - EVERY + dt.timedelta(minutes=1))
    assert _due_ids() == []
    assert _due_ids(NOW + dt.timedelta(minutes=1)) == [group.id]


def test_confirming_ends_the_reminders_until_it_is_stale_again(db_app):
    group = _group()
    _remind(group)
    later = NOW + EVERY + dt.timedelta(days=1)
    confirm(db.session, group, Actor.organiser(), now=later)
    db.session.commit()
    assert _due_ids(later + dt.timedelta(days=31)) == []
    assert _due_ids(later + REVIEW_AFTER) == [group.id]


def test_batches_hold_every_due_listing_once_in_id_order(db_app):
    ids = [_group().id for _ in range(5)]
    _group(organiser_email=None)
    batches = [[g.id for g in batch] for batch in due_in_batches(db.session, NOW, *POLICY, size=2)]
    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert [i for batch in batches for i in batch] == ids


def test_recording_keeps_the_address_and_the_date_asked_about_and_audits_it(db_app):
    group = _group()
    updated = group.updated_at
    reminder = _remind(group)
    assert (reminder.sent_at, reminder.sent_to, reminder.about_verified_at) == (
        NOW, "rosa@example.org", STALE,
    )  # fmt: skip
    [entry] = history(db.session, group.id)
    assert (entry.action, entry.actor_kind, entry.actor_label) == ("reminded", "system", "remind")
    assert "2026-06-01" in entry.note and "rosa@" not in entry.note
    assert group.updated_at == updated  # the public listing did not change


def test_the_audit_note_of_a_listing_never_confirmed_gives_when_it_was_listed(db_app):
    group = _group(verified_at=None, created_at=STALE - dt.timedelta(days=3))
    _remind(group)
    [entry] = history(db.session, group.id)
    assert entry.note == "asked the organiser to confirm it (never confirmed; listed 2026-05-29)"


def test_a_listing_reminded_by_another_run_since_it_was_read_is_not_due(db_app):
    group = _group()
    [read_earlier] = due_for_reminder(db.session, NOW, *POLICY)
    db.session.add(Reminder(group_id=group.id, sent_at=NOW - dt.timedelta(minutes=5),
                            sent_to="rosa@example.org"))  # fmt: skip
    db.session.commit()
    with pytest.raises(NotDue):
        record_reminder(db.session, read_earlier, NOW, *POLICY)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Reminder.id))) == 1
    assert db.session.scalar(select(func.count(AuditRecord.id))) == 0


def test_a_listing_confirmed_since_it_was_read_is_not_due(db_app):
    group = _group()
    [read_earlier] = due_for_reminder(db.session, NOW, *POLICY)
    with Session(db.engine) as other:
        other.get(Group, group.id).verified_at = NOW - dt.timedelta(minutes=1)
        other.commit()
    with pytest.raises(NotDue):
        record_reminder(db.session, read_earlier, NOW, *POLICY)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Reminder.id))) == 0


def test_two_runs_claiming_one_listing_at_once_record_one_reminder(db_app):
    group_id = _group().id
    db.session.remove()
    outcome: list[str] = []
    engine = db.engine  # the thread has no app context to find it in
    first = Session(engine)
    record_reminder(first, first.get(Group, group_id), NOW, *POLICY)  # holds its lock
    started = threading.Event()

    def second_run():
        with Session(engine) as second:
            group = second.get(Group, group_id)
            started.set()
            try:
                record_reminder(second, group, NOW, *POLICY)
                second.commit()
                outcome.append("recorded")
            except NotDue:
                outcome.append("not due")
            except OperationalError:  # SQLite: the database was locked; the run skips it
                outcome.append("busy")

    thread = threading.Thread(target=second_run)
    thread.start()
    assert started.wait(10)
    thread.join(0.5)  # the second run waits on the first's lock (or gives up at once)
    first.commit()
    first.close()
    thread.join(30)
    assert outcome in (["not due"], ["busy"])
    assert db.session.scalar(select(func.count(Reminder.id))) == 1


def test_reminders_of_lists_each_listing_newest_first_in_one_query(db_app):
    one, two, none = _group(), _group(), _group()
    for days in (90, 30, 60):
        db.session.add(Reminder(group_id=one.id, sent_at=NOW - dt.timedelta(days=days),
                                sent_to="a@example.org"))  # fmt: skip
    db.session.add(Reminder(group_id=two.id, sent_at=NOW, sent_to="b@example.org"))
    db.session.commit()
    sent = reminders_of(db.session, [one.id, two.id, none.id])
    assert [(NOW - moment).days for moment in sent[one.id]] == [30, 60, 90]
    assert sent[two.id] == [NOW] and sent[none.id] == []
