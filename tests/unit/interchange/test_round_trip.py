"""Export, then import into an empty instance: the same listings, field for field."""

from __future__ import annotations

import pytest

from directory.extensions import db
from directory.interchange import csv_format, hsds, meeting_guide
from directory.interchange.export import export_listings, load_groups, published_ids
from directory.interchange.public import ExportContext
from directory.interchange.state import group_state

from .conftest import groups, run
from .listings import richer_listings, weekly_listings

#: Format -> (file name, listings it can carry, the fields it expresses).
CASES = {
    "csv": ("groups.csv", richer_listings, csv_format.EXPORTED_FIELDS),
    "hsds": ("hsds.json", richer_listings, hsds.FIELDS),
    "hsds-csv": ("hsds.zip", richer_listings, hsds.FIELDS),
    # Meeting Guide meetings are weekly and carry no topics (a feed's topic is an option).
    "meeting-guide": ("meetings.json", weekly_listings, meeting_guide.FIELDS - {"topics"}),
}


def _states(fields) -> list[dict]:
    found = [group_state(group, fields) for group in groups() if group.status == "published"]
    return sorted(found, key=lambda state: state["name"])


def _differences(state: dict, other: dict) -> dict:
    return {key: value for key, value in state.items() if value != other.get(key)}


@pytest.mark.parametrize("fmt", list(CASES))
def test_export_then_import_gives_the_same_listings(db_app, empty_app, tmp_path, fmt):
    file_name, make, fields = CASES[fmt]
    make()
    original = _states(fields)
    data = export_listings(fmt, load_groups(db.session, published_ids(db.session)),
                           ExportContext())  # fmt: skip
    path = tmp_path / file_name
    path.write_bytes(data)
    with empty_app.app_context():
        report = run(path, publish=True)
        assert report.ok and report.counts["rejected"] == 0, report.summary()
        assert report.counts["created"] == len(original)
        copied = _states(fields)
        again = run(path, publish=True)
        db.session.remove()
    for copy, source in zip(copied, original, strict=True):
        assert _differences(copy, source) == _differences(source, copy)  # names what differs
    assert copied == original
    assert again.counts["unchanged"] == len(original), again.summary()


def test_round_trips_compare_many_fields():
    assert len(csv_format.EXPORTED_FIELDS) >= 20
    assert {"location", "schedules", "organization", "languages"} <= hsds.FIELDS
    assert {"join_url", "schedules", "audiences"} <= meeting_guide.FIELDS
