"""The index row carries each listing's freshness; pauses shift the meetings it counts from."""

from __future__ import annotations

import datetime as dt

import pytest

from directory.extensions import db
from directory.listings import freshness_moment, meeting_schedules
from directory.search import get_engine
from directory.search.documents import ScheduleSpec, iter_documents, next_meeting
from directory.search.schema import ROW, ROW_STRUCT, SCHEMA_VERSION
from tests.factories import make_group, make_schedule
from tests.unit.search.fixed_directory import NOW, run

SPEC = ScheduleSpec("weekly", "TU", 1, None, None, None, dt.time(19), dt.time(20),
                    "America/Chicago", None, None)  # fmt: skip


def test_the_row_layout_holds_freshness_and_a_new_schema_version():
    assert "fresh" in ROW.names
    assert ROW_STRUCT.size == ROW.itemsize
    assert SCHEMA_VERSION >= 2  # an older index is rebuilt at start


def test_freshness_counts_from_the_confirmation_else_the_listing():
    confirmed, listed = (
        dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
        dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )
    assert freshness_moment(confirmed, listed) == confirmed
    assert freshness_moment(None, listed) == listed


def test_documents_pack_the_freshness_moment_and_the_pause(app):
    group = make_group(verified_at=None, created_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
                       paused_at=NOW, resumes_on=dt.date(2027, 1, 5))  # fmt: skip
    db.session.commit()
    (document,) = iter_documents(db.session, [group.id], now=NOW)
    row = dict(zip(ROW.names, ROW_STRUCT.unpack(document["row"]), strict=True))
    assert row["fresh"] == dt.datetime(2025, 3, 1, tzinfo=dt.UTC).timestamp()
    first = dt.datetime.fromtimestamp(row["next"], dt.UTC)
    assert first.date() >= dt.date(2027, 1, 5)
    assert document["doc"]["paused"] is True
    assert document["doc"]["resumes_on"] == "2027-01-05"
    assert document["doc"]["schedule_text"].startswith("Every Tuesday")  # the text is kept


def test_paused_with_no_date_counts_no_meetings_until_resumed():
    assert meeting_schedules([SPEC], NOW, None) == []
    assert next_meeting(meeting_schedules([SPEC], NOW, None), NOW) is None
    assert meeting_schedules([SPEC], None, None) == [SPEC]


def test_a_pause_keeps_a_schedule_that_starts_after_it():
    later = SPEC._replace(valid_from=dt.date(2027, 3, 1))
    assert meeting_schedules([later], NOW, dt.date(2027, 1, 5)) == [later]


def test_a_pause_ending_before_the_schedule_ends_leaves_no_meeting_when_past_its_end():
    ending = SPEC._replace(valid_until=dt.date(2026, 12, 20))
    assert next_meeting(meeting_schedules([ending], NOW, dt.date(2027, 1, 5)), NOW) is None


@pytest.mark.parametrize("months, shown", [(17, True), (19, False)])
def test_search_hides_listings_unconfirmed_past_hide_after(app, months, shown):
    make_group(name="Timely Circle", verified_at=NOW - dt.timedelta(days=30 * months))
    db.session.commit()
    assert get_engine().hide_after == app.config["HIDE_AFTER"]
    result = run(q="timely")
    assert ([hit.name for hit in result.hits] == ["Timely Circle"]) is shown
    assert result.total == (1 if shown else 0)


def test_a_schedule_model_is_shifted_too(app):
    schedule = make_schedule(valid_from=dt.date(2026, 1, 6))
    (shifted,) = meeting_schedules([schedule], NOW, dt.date(2027, 1, 5))
    assert shifted.valid_from == dt.date(2027, 1, 5)
    assert shifted.anchor_date == dt.date(2026, 1, 6)  # the beat of a fortnightly rule is kept
    assert schedule.valid_from == dt.date(2026, 1, 6)  # the listing itself is not changed
