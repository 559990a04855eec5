"""A small fixed directory around Chicago, plus a few far away, for search tests.

Distances from the centre of ZIP 60614: Lakeview 0.5 mi, the Spanish group 2.2, Oak Park 7.6,
Evanston 8.6, Milwaukee about 77; Los Angeles is far. NOW is a Tuesday, noon UTC (6 am in
Chicago), before every Tuesday meeting.
"""

from __future__ import annotations

import datetime as dt

from werkzeug.datastructures import MultiDict

from directory.extensions import db
from directory.search import get_engine, parse_query
from tests.factories import make_group, make_location, make_organization, make_schedule, terms

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def _weekly(day: str, start: tuple[int, int], zone: str = "America/Chicago"):
    hour, minute = start
    return [
        make_schedule(
            weekdays=day,
            start_time=dt.time(hour, minute),
            end_time=dt.time(hour + 1, minute),
            timezone=zone,
        )
    ]


def build_directory() -> dict[str, int]:
    """Add the fixed directory, commit, and return group ids by short name."""
    nami = make_organization(name="NAMI Lakeside (demo)", kind="nami")
    network = make_organization(name="Recovery Network (demo)")
    groups = {
        "trauma": make_group(
            name="Lakeview Survivors Circle",
            description="A peer group for people living with the effects of trauma.",
            topics=("ptsd",),
            organization=nami,
        ),
        "grief": make_group(
            name="Evanston Loss and Healing",
            description="For anyone grieving the death of someone close.",
            topics=("grief",),
            organization=nami,
            location=make_location(name="Evanston Library", city="Evanston",
                                   postal_code="60201", latitude=42.0451, longitude=-87.6877),
            schedules=_weekly("WE", (18, 30)),
        ),
        "recovery": make_group(
            name="Recovery Together Online",
            description="Peer meetings for people recovering from alcohol and drug use.",
            topics=("substance-use",),
            format="online",
            timezone="America/New_York",
            organization=network,
            schedules=_weekly("TU", (19, 0), "America/New_York"),
        ),
        "bipolar": make_group(
            name="Oak Park Bipolar Peers",
            description="Living with bipolar disorder, together.",
            topics=("bipolar",),
            audiences=("family-and-friends",),
            cost="donation",
            organization=nami,
            location=make_location(name="Oak Park Arts Center", city="Oak Park",
                                   postal_code="60302", latitude=41.8850, longitude=-87.7845),
            schedules=_weekly("TH", (10, 0)),
        ),
        "milwaukee": make_group(
            name="Milwaukee Depression Support",
            description="A peer-led group for people living with depression.",
            topics=("depression",),
            location=make_location(name="Lakefront Hall", city="Milwaukee", region="WI",
                                   postal_code="53202", latitude=43.0389, longitude=-87.9065),
        ),
        "la": make_group(
            name="Westside Anxiety Circle",
            description="Talk about worry and panic with people who get it.",
            topics=("anxiety",),
            format="hybrid",
            languages=("en", "es"),
            location=make_location(name="Westside Center", city="Los Angeles", region="CA",
                                   postal_code="90025", latitude=34.0522, longitude=-118.2437,
                                   timezone="America/Los_Angeles"),
            schedules=_weekly("TU", (18, 0), "America/Los_Angeles"),
        ),
        "spanish": make_group(
            name="Grupo de apoyo: depresión",
            description="Nos reunimos para hablar de la depresión.",
            topics=("depression",),
            languages=("es",),
            location=make_location(name="Centro Comunitario", latitude=41.9180,
                                   longitude=-87.6900),
            schedules=_weekly("SA", (10, 0)),
        ),
        "phone": make_group(
            name="Veterans Phone Circle",
            description="A call-in group for veterans.",
            topics=("ptsd",),
            audiences=("veterans",),
            format="phone",
            timezone="America/Denver",
            schedules=_weekly("FR", (19, 0), "America/Denver"),
        ),
        "pending": make_group(name="Pending Grief Circle", topics=("grief",), status="pending"),
        "rejected": make_group(name="Rejected Trauma Circle", topics=("ptsd",),
                               status="rejected"),
        "archived": make_group(name="Archived Bipolar Group", topics=("bipolar",),
                               status="archived"),
    }  # fmt: skip
    groups["bipolar"].accessibility = terms("accessibility", "wheelchair")
    db.session.commit()
    return {key: group.id for key, group in groups.items()}


#: The published groups' keys.
PUBLISHED = {"trauma", "grief", "recovery", "bipolar", "milwaukee", "la", "spanish", "phone"}


def run(now: dt.datetime = NOW, **args):
    """Search the current app's directory with request-style arguments."""
    return get_engine().search(parse_query(MultiDict(args)), now=now)


def keys(result, ids: dict[str, int]) -> list[str]:
    """Return the hits of a result as the directory's short names, in order."""
    by_id = {gid: key for key, gid in ids.items()}
    return [by_id[hit.id] for hit in result.hits]


def counts(result, facet: str) -> dict[str, int]:
    """Return a facet's counts by value."""
    return {value.value: value.count for value in result.facets[facet]}
