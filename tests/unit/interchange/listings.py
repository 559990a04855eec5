"""Listings for the export and round-trip tests: every kind of place, schedule and contact."""

from __future__ import annotations

import datetime as dt

from directory.extensions import db
from tests.factories import (
    RECENTLY_VERIFIED,
    make_group,
    make_location,
    make_organization,
    make_schedule,
)

SECRET_EMAIL = "private-organiser@example.org"
SECRET_PHONE = "(312) 555-0199"
SECRET_LINK = "https://private.example.org/j/42"
#: A passcode an organiser shares only on request, in the joining instructions.
SECRET_PASSCODE = "Passcode: otter-7731"
MIDNIGHT = RECENTLY_VERIFIED  # a midnight, always recent


def weekly_listings() -> list:
    """Add listings every format can express: weekly meetings in person, online and hybrid."""
    nami = make_organization(name="NAMI Lakeside", kind="nami", website="https://example.org/nami",
                             phone="(312) 555-0100", email="info@example.org")  # fmt: skip
    in_person = make_group(
        name="Family Support Group", description="For families of people living with illness.",
        organization=nami, topics=("depression",), audiences=("women",),
        languages=("en", "es"), website="https://example.org/family",
        contact_name="Pat", contact_email="family@example.org", contact_phone="(312) 555-0142",
        organiser_name="Sam Private", organiser_email=SECRET_EMAIL, organiser_phone=SECRET_PHONE,
        verified_at=MIDNIGHT,
        schedules=[make_schedule(weekdays="TU", start_time=dt.time(19),
                                 end_time=dt.time(20, 30))],
    )  # fmt: skip
    in_person.accessibility = _terms("accessibility", "wheelchair")
    online = make_group(
        name="Online Peer Circle", description="Video meeting for LGBTQ+ people.",
        format="online", timezone="America/New_York", audiences=("lgbtq",), languages=("en",),
        join_url="https://zoom.example.org/j/1", join_phone="+13125550123",
        join_instructions="Passcode: calm", verified_at=MIDNIGHT,
        schedules=[make_schedule(weekdays="MO,WE", start_time=dt.time(12),
                                 end_time=dt.time(13), timezone="America/New_York")],
    )  # fmt: skip
    hybrid = make_group(
        name="Hybrid Check-in", format="hybrid", join_url="https://meet.example.org/h",
        location=make_location(name="Logan Square Center", room="Room B",
                               address_1="2600 N Milwaukee Ave", postal_code="60647",
                               latitude=41.9296, longitude=-87.7079),
        schedules=[make_schedule(weekdays="SA", start_time=dt.time(10))],
    )  # fmt: skip
    make_group(name="Pending Group Not Exported", status="pending")
    db.session.commit()
    return [in_person, online, hybrid]


def richer_listings() -> list:
    """Add listings with what only CSV and HSDS can express: costs, monthly and one-off dates."""
    found = weekly_listings()
    monthly = make_group(
        name="Second and Fourth Thursday", cost="donation", cost_note="Suggested $5",
        facilitation="co", registration_required=True, verified_at=MIDNIGHT,
        topics=("bipolar", "anxiety"), audiences=("veterans",),
        schedules=[
            make_schedule(kind="monthly", weekdays="TH", month_weeks="2,4",
                          start_time=dt.time(18, 30), end_time=dt.time(20)),
            make_schedule(kind="weekly", weekdays="MO", interval=2,
                          anchor_date=dt.date(2026, 1, 5), start_time=dt.time(10),
                          valid_until=dt.date(2027, 6, 30)),
            make_schedule(kind="dates", weekdays=None, dates="2026-12-01,2026-12-15",
                          start_time=dt.time(19), end_time=dt.time(20)),
        ],
    )  # fmt: skip
    db.session.commit()
    return [*found, monthly]


def private_listings() -> list:
    """Add listings whose joining details the organiser shares only on request."""
    phone = make_group(
        name="Phone Line Support", format="phone", timezone="America/Denver",
        join_phone="(303) 555-0111", join_visibility="on_request",
        schedules=[make_schedule(weekdays="FR", start_time=dt.time(20),
                                 timezone="America/Denver")],
    )  # fmt: skip
    secret = make_group(
        name="Private Link Group", format="online", timezone="America/Chicago",
        join_url=SECRET_LINK, join_visibility="on_request", join_instructions=SECRET_PASSCODE,
    )  # fmt: skip
    db.session.commit()
    return [phone, secret]


def _terms(vocabulary: str, *slugs: str):
    from tests.factories import terms

    return terms(vocabulary, *slugs)
