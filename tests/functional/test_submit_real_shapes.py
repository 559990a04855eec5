"""Submissions as organisers really write them: suite numbers, lowercase states, ZIP+4, no place."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import Group
from tests.functional.submit_helpers import post, with_

NO_PLACE = {"place_name": "", "room": "", "address_1": "", "city": "", "region": "",
            "postal_code": ""}  # fmt: skip


@pytest.fixture
def site(db_app):
    """Return a client of the app on each database."""
    return db_app.test_client()


def _only() -> Group:
    db.session.expire_all()
    return db.session.scalars(select(Group).where(Group.source == "submission")).one()


@pytest.mark.parametrize(
    ("changes", "region", "zone"),
    [
        ({"address_1": "644 W Belmont Ave, Suite 200", "region": "il"}, "IL", "America/Chicago"),
        ({"postal_code": "60657-1234", "region": "Illinois"}, "IL", "America/Chicago"),
        ({"city": "denver", "region": "co", "postal_code": ""}, "CO", "America/Denver"),
        ({"city": "Phoenix", "region": "AZ", "postal_code": "85004"}, "AZ", "America/Phoenix"),
    ],
)
def test_an_address_as_people_write_it_is_placed(site, changes, region, zone):
    assert post(site, with_(**changes), "send").status_code == 303
    group = _only()
    assert group.location.region == region
    assert group.location.timezone == zone == group.schedules[0].timezone
    assert group.location.latitude is not None


def test_an_online_only_group_keeps_no_place_and_its_own_zone(site):
    data = with_(**NO_PLACE, format="online", join_url="https://meet.example.org/grief",
                 join_instructions="Meeting ID 123, passcode on request",
                 **{"schedules-0-timezone": "America/New_York"})  # fmt: skip
    assert post(site, data, "send").status_code == 303
    group = _only()
    assert (group.format, group.location, group.timezone) == ("online", None, "America/New_York")
    assert group.join_url == "https://meet.example.org/grief"
    assert group.join_instructions == "Meeting ID 123, passcode on request"


def test_a_phone_group_needs_its_number_unless_shared_on_request(site):
    data = with_(**NO_PLACE, format="phone", **{"schedules-0-timezone": "America/Los_Angeles"})
    page = post(site, data, "preview").text
    assert "Please give the phone number to call." in page
    data["join_visibility"] = "on_request"
    assert post(site, data, "send").status_code == 303
    group = _only()
    assert (group.format, group.join_visibility, group.join_phone) == ("phone", "on_request", None)
    assert group.timezone == "America/Los_Angeles"


def test_an_in_person_group_with_no_place_at_all_is_asked_for_one(site):
    page = post(site, with_(**NO_PLACE), "preview").text
    assert "Please give the city and state, or the ZIP code." in page
    # The place's message only: not a second one about the meeting time's zone.
    assert "Please choose the time zone" not in page
