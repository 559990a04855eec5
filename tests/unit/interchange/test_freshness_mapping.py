"""Imported listings take their freshness from the feed: HSDS assured_date, else last_modified."""

from __future__ import annotations

import datetime as dt

from directory.interchange.hsds_map import service_record


def _service(**fields) -> dict:
    return {"id": "s1", "name": "Grief Circle", "status": "active", **fields}


def test_assured_date_gives_the_verification():
    record = service_record(
        _service(assured_date="2026-05-04", last_modified="2026-09-01T10:00:00Z"), "1"
    )
    assert record.verified_at == dt.datetime(2026, 5, 4, tzinfo=dt.UTC)


def test_last_modified_stands_in_when_there_is_no_assured_date():
    record = service_record(_service(last_modified="2026-09-01T10:00:00Z"), "1")
    assert record.verified_at == dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)


def test_a_bad_assured_date_is_warned_about_and_last_modified_used():
    record = service_record(_service(assured_date="soon", last_modified="2026-09-01"), "1")
    assert record.verified_at == dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    assert any("assured_date" in warning for warning in record.warnings)


def test_neither_date_leaves_it_unconfirmed():
    assert service_record(_service(), "1").verified_at is None
