"""Build valid model instances for tests, overriding only what a test cares about."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select

from directory.extensions import db
from directory.models import Group, Language, Location, Organization, Schedule, TaxonomyTerm

_sequence = itertools.count(1)
#: When factory listings were confirmed: a midnight two months before the run, so they are
#: always recent (search leaves out listings unconfirmed for 18 months).
RECENTLY_VERIFIED = dt.datetime.combine(dt.date.today() - dt.timedelta(days=61), dt.time(), dt.UTC)


def make_organization(**fields) -> Organization:
    """Add an organisation."""
    values = {"name": f"Lakeside Peer Network {next(_sequence)}", "kind": "independent"}
    values.update(fields)
    org = Organization(**values)
    db.session.add(org)
    return org


def make_location(**fields) -> Location:
    """Add a location in Chicago's Lincoln Park."""
    values = {
        "name": "Lincoln Park Library",
        "room": "Room 2",
        "address_1": "1150 W Fullerton Ave",
        "city": "Chicago",
        "region": "IL",
        "postal_code": "60614",
        "latitude": 41.9253,
        "longitude": -87.6581,
        "timezone": "America/Chicago",
    }
    values.update(fields)
    location = Location(**values)
    db.session.add(location)
    return location


def make_schedule(**fields) -> Schedule:
    """Build a weekly Tuesday 7-8:30 pm Central schedule."""
    values = {
        "kind": "weekly",
        "weekdays": "TU",
        "interval": 1,
        "start_time": dt.time(19, 0),
        "end_time": dt.time(20, 30),
        "timezone": "America/Chicago",
    }
    values.update(fields)
    return Schedule(**values)


def terms(vocabulary: str, *slugs: str) -> list[TaxonomyTerm]:
    """Return taxonomy terms by slug."""
    found = db.session.scalars(
        select(TaxonomyTerm).where(
            TaxonomyTerm.vocabulary == vocabulary, TaxonomyTerm.slug.in_(slugs)
        )
    ).all()
    assert len(found) == len(slugs), f"unknown {vocabulary} in {slugs}"
    return list(found)


def make_group(*, topics=("depression",), audiences=(), languages=("en",), **fields) -> Group:
    """Add a published in-person group with one weekly schedule."""
    values = {
        "name": f"Tuesday Evening Depression Support {next(_sequence)}",
        "description": "A peer-led group for people living with depression.",
        "format": "in_person",
        "status": "published",
        "verified_at": RECENTLY_VERIFIED,
    }
    values.update(fields)
    with db.session.no_autoflush:
        return _build_group(values, topics, audiences, languages)


def _build_group(values, topics, audiences, languages) -> Group:
    if "location" not in values and values["format"] in ("in_person", "hybrid"):
        values["location"] = make_location()
    if values["format"] in ("online", "phone"):
        values.setdefault("timezone", "America/New_York")
    if "schedules" not in values:
        location = values.get("location")
        zone = location.timezone if location else values.get("timezone") or "America/Chicago"
        values["schedules"] = [make_schedule(timezone=zone)]
    values["topics"] = terms("topic", *topics) if topics else []
    values["audiences"] = terms("audience", *audiences) if audiences else []
    values["languages"] = [db.session.get(Language, code) for code in languages]
    group = Group(**values)
    db.session.add(group)
    return group
