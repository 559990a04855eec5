"""The presenter: one public view of a listing, with nothing private in it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from flask_babel import force_locale
from sqlalchemy import event, inspect, select

from directory import listings
from directory.extensions import db
from directory.models import Group, Location
from directory.presenting import DERIVED_FIELDS, PUBLIC_FIELDS, present, present_many
from tests.factories import make_group, make_organization, make_schedule

PRIVATE = ("Rosa Private", "rosa.private@example.org", "555-0177")
#: Group fields that are deliberately not public: adding a column means choosing a side.
NOT_PUBLIC = {
    "organiser_name", "organiser_email", "organiser_phone", "status", "manage_version",
    "source", "source_ref", "corrected_fields", "organization_id", "location_id",
}  # fmt: skip
#: A Tuesday at noon in Chicago: the next meetings are that evening and the two after.
NOW = dt.datetime(2026, 12, 1, 18, 0, tzinfo=dt.UTC)


def _private_group(**fields) -> Group:
    group = make_group(
        organiser_name=PRIVATE[0], organiser_email=PRIVATE[1], organiser_phone=PRIVATE[2],
        contact_name="Ana", contact_phone="(312) 555-0142", **fields,
    )  # fmt: skip
    db.session.commit()
    return group


def _text(value) -> str:
    """Return every value a listing carries as text, the schedule rows' columns included."""
    if dataclasses.is_dataclass(value):
        return " ".join(_text(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, tuple | list):
        return " ".join(map(_text, value))
    if hasattr(value, "__table__"):  # a Schedule row
        return " ".join(str(getattr(value, c.key)) for c in inspect(value).mapper.column_attrs)
    return str(value)


def test_every_group_field_is_public_or_deliberately_private():
    fields = set(inspect(Group).attrs.keys())
    assert set(PUBLIC_FIELDS) <= fields
    assert fields - set(PUBLIC_FIELDS) == NOT_PUBLIC
    assert not any(name.startswith("organiser") for name in PUBLIC_FIELDS)


def test_the_presenter_reads_only_public_fields(app):
    group = _private_group(organization=make_organization(name="Lakeside NAMI"))
    read: set[str] = set()

    class Spy:
        def __getattr__(self, name):
            read.add(name)
            return getattr(group, name)

    with app.test_request_context():
        present(Spy(), now=NOW)
    assert read <= set(PUBLIC_FIELDS) | set(DERIVED_FIELDS), read - set(PUBLIC_FIELDS)
    assert "organiser_email" not in read


@pytest.mark.parametrize("locale", ["en", "es"])
def test_no_presented_value_carries_the_organisers_contact(app, locale):
    group = _private_group(format="hybrid", join_url="https://meet.example.org/x")
    with app.test_request_context(), force_locale(locale):
        text = _text(present(group, now=NOW))
    assert "Ana" in text and "https://meet.example.org/x" in text
    for private in PRIVATE:
        assert private not in text


def test_a_listing_in_words_places_times_and_labels(app):
    group = _private_group(
        organization=make_organization(name="Lakeside NAMI", website="javascript:alert(1)"),
        schedules=[make_schedule(note="second floor")],
        cost="donation",
        audiences=("family-and-friends",),
        languages=("en", "es"),
    )
    with app.test_request_context():
        listing = present(group, now=NOW)
    assert listing.schedule_texts == ("Every Tuesday, 7:00–8:30 pm Central (second floor)",)  # noqa: RUF001
    assert [start.isoformat() for start in listing.next_meetings] == [
        "2026-12-01T19:00:00-06:00", "2026-12-08T19:00:00-06:00", "2026-12-15T19:00:00-06:00",
    ]  # fmt: skip
    assert listing.place.lines == (
        "Lincoln Park Library", "Room 2", "1150 W Fullerton Ave", "Chicago, IL 60614",
    )  # fmt: skip
    assert (
        listing.place.one_line
        == "Lincoln Park Library, Room 2, 1150 W Fullerton Ave, Chicago, IL 60614"
    )
    assert listing.place.directions_url.startswith("https://www.openstreetmap.org/directions?")
    assert listing.host.name == "Lakeside NAMI" and listing.host.website is None
    assert listing.format_label == "In person" and listing.cost_label == "Donation welcome"
    assert listing.languages == (("en", "English"), ("es", "Spanish"))
    assert listing.audiences == (("family-and-friends", "Family and friends"),)
    assert listing.freshness.kind == "confirmed" and listing.not_meeting is None
    assert listing.url == f"http://localhost/groups/{group.id}"


def test_spanish_words_come_from_the_page_locale(app):
    group = _private_group(languages=("en", "es"), audiences=("family-and-friends",))
    with app.test_request_context(), force_locale("es"):
        listing = present(group, now=NOW)
    assert listing.schedule_texts == ("Todos los martes, 19:00–20:30, hora central",)  # noqa: RUF001
    assert listing.format_label == "En persona"
    assert listing.languages == (("en", "Inglés"), ("es", "Español"))
    assert listing.freshness.text.startswith("Confirmado")
    assert listing.audiences[0][1] != "Family and friends"


def test_joining_details_shared_on_request_or_unsafe_stay_out(app):
    on_request = _private_group(
        format="online", join_url="https://meet.example.org/x", join_phone="555-0100",
        join_visibility="on_request",
    )  # fmt: skip
    unsafe = _private_group(
        format="online", join_url="https://user@evil.example/", join_phone="555-0101"
    )
    with app.test_request_context():
        hidden, cleaned = present(on_request, now=NOW), present(unsafe, now=NOW)
    assert hidden.joining_on_request and not hidden.has_join
    assert hidden.join == (None, None, None)
    assert cleaned.join.url is None and cleaned.join.phone == "555-0101"
    assert not cleaned.joining_on_request and cleaned.online


def test_a_paused_listing_has_no_next_meetings_and_says_so(app):
    group = _private_group(paused_at=NOW - dt.timedelta(days=3), resumes_on=dt.date(2027, 1, 12))
    with app.test_request_context():
        listing = present(group, now=NOW)
    assert listing.paused and listing.next_meetings[0].date() == dt.date(2027, 1, 12)
    assert listing.not_meeting == "Not meeting until January 12, 2027"
    group.resumes_on = None
    with app.test_request_context():
        assert present(group, now=NOW).next_meetings == ()


def test_an_unsaved_preview_has_no_address_and_needs_no_request(app):
    place = Location(name="Hall", city="Austin", region="TX", timezone="America/Chicago")
    group = Group(name="Preview", format="in_person", location=place, cost="free",
                  facilitation="peer", schedules=[make_schedule()])  # fmt: skip
    listing = present(group, now=NOW)
    assert listing.id is None and listing.url is None
    assert listing.place.lines == ("Hall", "Austin, TX")
    assert listing.freshness.kind == "unconfirmed"


def test_present_many_issues_no_query_per_listing(app):
    for _ in range(3):
        _private_group(organization=make_organization(), audiences=("family-and-friends",))
    db.session.expire_all()
    groups = db.session.scalars(select(Group).options(*listings.LISTING_LOAD)).all()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with app.test_request_context(), force_locale("es"):
            presented = present_many(groups, now=NOW)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(presented) == 3
    assert statements == []


def test_every_export_reads_only_public_fields(app):
    from directory.interchange import csv_format, hsds, ical, meeting_guide
    from directory.interchange.public import ExportContext

    group = _private_group(
        format="hybrid", join_url="https://meet.example.org/x", organization=make_organization()
    )
    read: set[str] = set()

    class Spy:
        def __getattr__(self, name):
            read.add(name)
            return getattr(group, name)

    context = ExportContext(base_url="https://directory.example.org/", generated_at=NOW)
    written = [
        str(csv_format.row_for(Spy())),
        str(hsds.service_for(Spy(), context)),
        str(meeting_guide.meetings_for(Spy(), context)),
        ical.calendar([Spy()], context).to_ical().decode(),
    ]
    assert "https://meet.example.org/x" in written[0] and "Ana" in written[1]
    assert {"join_url", "schedules", "location", "contact_name"} <= read
    assert read <= set(PUBLIC_FIELDS) | set(DERIVED_FIELDS), read - set(PUBLIC_FIELDS)
    for text in written:
        for private in PRIVATE:
            assert private not in text
