"""Exports stream: writers yield chunks, listings load a bounded batch at a time."""

from __future__ import annotations

import datetime as dt
import inspect as pyinspect

import pytest
from sqlalchemy import inspect

from directory.extensions import db
from directory.interchange import ical
from directory.interchange.export import (
    EXPORTS,
    export_listings,
    iter_groups,
    published_ids,
    stream_listings,
)
from directory.interchange.public import ExportContext
from directory.models import Group

from .listings import private_listings, richer_listings

WHEN = ExportContext(base_url="https://groups.example.org/",
                     generated_at=dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC))  # fmt: skip


@pytest.fixture
def many(app):
    from directory.demo import generate_demo

    generate_demo(db.session, 300, seed=3)
    db.session.commit()
    return published_ids(db.session)


def test_listings_load_a_batch_at_a_time_and_are_let_go(many):
    seen = []
    for group in iter_groups(db.session, many, batch=100):
        state = inspect(group)
        in_batch = [o for o in state.session.identity_map.values() if isinstance(o, Group)]
        assert len(in_batch) <= 100
        seen.append(group)
    assert [group.id for group in seen] == many
    assert all(inspect(group).detached for group in seen)  # every batch session is closed
    assert not any(isinstance(o, Group) for o in db.session.identity_map.values())


def test_listings_come_in_the_order_asked_and_only_published(app):
    listings = [*richer_listings(), *private_listings()]
    ids = [group.id for group in reversed(listings)]
    pending = db.session.scalar(db.select(Group.id).where(Group.status == "pending"))
    found = [group.id for group in iter_groups(db.session, [pending, *ids], batch=2)]
    assert found == ids


@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_every_writer_yields_chunks_of_bytes(many, fmt):
    chunks = stream_listings(fmt, iter_groups(db.session, many), WHEN)
    assert pyinspect.isgenerator(chunks)
    pieces = list(chunks)
    assert all(isinstance(piece, bytes) for piece in pieces)
    assert len(pieces) > 1
    assert max(map(len, pieces)) < sum(map(len, pieces))


@pytest.mark.parametrize("fmt", ["csv", "meeting-guide"])
def test_row_writers_yield_before_reading_every_listing(many, fmt):
    read = []

    def listings():
        for group in iter_groups(db.session, many):
            read.append(group.id)
            yield group

    first = next(stream_listings(fmt, listings(), WHEN))
    assert first
    assert len(read) < len(many)


def test_the_streamed_calendar_is_the_calendar(app):
    listings = [*richer_listings(), *private_listings()]
    streamed = export_listings("ics", iter_groups(db.session, published_ids(db.session)), WHEN)
    whole = ical.calendar(iter_groups(db.session, published_ids(db.session)), WHEN).to_ical()
    assert streamed == whole
    assert streamed.count(b"BEGIN:VEVENT") == sum(len(group.schedules) for group in listings)


def test_an_empty_export_is_still_valid(app):
    import json

    assert json.loads(export_listings("meeting-guide", [], WHEN)) == []
    assert json.loads(export_listings("hsds", [], WHEN))["contents"] == []
    assert export_listings("csv", [], WHEN).startswith(b"\xef\xbb\xbfid,name,")
