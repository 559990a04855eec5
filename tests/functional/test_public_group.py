"""A group's page has everything a person needs to go, for people and for search engines."""

from __future__ import annotations

import datetime as dt
import json
import re

from icalendar import Calendar

from directory.extensions import db
from directory.models import AuditRecord, utcnow
from tests.factories import make_group, make_organization, make_schedule


def _page(client, group) -> str:
    response = client.get(f"/groups/{group.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _jsonld(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_group_page_shows_schedule_place_contact_and_details(client):
    group = make_group(
        name="Lincoln Park Depression Peers",
        contact_phone="(312) 555-0142",
        organization=make_organization(name="Lakeside NAMI (demo)"),
        audiences=("peers", "family-and-friends"),
        languages=("en", "es"),
        cost="donation",
    )
    db.session.commit()
    page = _page(client, group)
    assert '<h1 id="group-name">Lincoln Park Depression Peers</h1>' in page
    assert "Every Tuesday, 7:00–8:30 pm Central" in page  # noqa: RUF001
    assert page.count('<li><time datetime="') == 3  # the next three meetings
    assert "Lincoln Park Library" in page
    assert "Room 2" in page
    assert "1150 W Fullerton Ave" in page
    assert 'href="tel:3125550142"' in page
    assert "Hosted by Lakeside NAMI (demo)" in page
    assert "People with lived experience, Family and friends" in page
    assert "English, Spanish" in page
    assert "Donation welcome" in page
    assert "Peers with lived experience" in page
    assert "Not needed: just come along" in page


def test_next_meetings_are_in_order_and_in_the_future(client):
    group = make_group()
    db.session.commit()
    page = _page(client, group)
    starts = [
        dt.datetime.fromisoformat(value)
        for value in re.findall(r'<li><time datetime="([^"]+)">', page)
    ]
    assert starts == sorted(starts)
    assert all(start > utcnow() for start in starts)
    assert all(start.astimezone(dt.UTC).weekday() in (1, 2) for start in starts)  # Tue evening


def test_last_confirmation_is_in_words_with_the_date(client):
    group = make_group(verified_at=utcnow() - dt.timedelta(days=95))
    db.session.commit()
    page = _page(client, group)
    assert re.search(r"Confirmed 3 months ago \(\w+ \d{1,2}, \d{4}\)\.", page)
    assert "call before you go" not in page


def test_listing_confirmed_over_a_year_ago_says_call_before_you_go(client):
    group = make_group(verified_at=utcnow() - dt.timedelta(days=400))
    db.session.commit()
    page = _page(client, group)
    assert re.search(r"Last confirmed on \w+ \d{1,2}, \d{4}\.", page)
    assert "Not confirmed for over a year: call before you go" in page
    assert "no longer shows in search results" not in page  # 13 months: still searchable


def test_never_verified_listing_says_so(client):
    group = make_group(verified_at=None)
    db.session.commit()
    page = _page(client, group)
    assert "Not yet confirmed by the organiser." in page
    assert "has not confirmed these details yet" in page
    assert "Not confirmed for over a year" not in page


def test_private_organiser_contact_never_shows(client):
    group = make_group(organiser_email="private.person@example.org", organiser_phone="555-0199")
    db.session.commit()
    page = _page(client, group)
    calendar = client.get(f"/groups/{group.id}.ics").get_data(as_text=True)
    for text in (page, calendar):
        assert "private.person@example.org" not in text
        assert "555-0199" not in text


def test_last_updated_comes_from_the_audit_trail(client):
    from directory.services import Actor, edit_group

    group = make_group(name="Harbor Grief Circle")
    db.session.commit()
    assert "Last updated" not in _page(client, group)  # no record of any change yet
    edit_group(db.session, group, {"description": "Now on Tuesdays."}, Actor.command("test"))
    entry = db.session.scalars(db.select(AuditRecord).where(AuditRecord.group_id == group.id)).one()
    entry.at = dt.datetime(2026, 11, 3, 15, tzinfo=dt.UTC)
    db.session.commit()
    assert "Last updated November 3, 2026." in _page(client, group)


def test_unpublished_groups_are_not_found(client):
    for status in ("pending", "rejected", "archived"):
        group = make_group(status=status)
        db.session.commit()
        assert client.get(f"/groups/{group.id}").status_code == 404
        assert client.get(f"/groups/{group.id}.ics").status_code == 404


def test_online_group_shows_its_public_join_link(client):
    group = make_group(
        format="online",
        join_url="https://meet.example.org/room-7",
        join_instructions="Cameras optional.",
    )
    db.session.commit()
    page = _page(client, group)
    assert "How to join online" in page
    assert 'href="https://meet.example.org/room-7"' in page
    assert "Cameras optional." in page
    assert '<h2 id="where-heading">' not in page


def test_online_group_with_link_on_request_hides_the_link(client):
    group = make_group(
        format="online",
        join_url="https://meet.example.org/secret",
        join_visibility="on_request",
        contact_email="host@example.org",
    )
    db.session.commit()
    page = _page(client, group)
    assert "meet.example.org/secret" not in page
    assert "shares the joining details on request" in page
    assert "mailto:host@example.org" in page
    assert "meet.example.org/secret" not in client.get(f"/groups/{group.id}.ics").text


def test_directions_link_goes_to_the_meeting_place(client):
    group = make_group()
    db.session.commit()
    page = _page(client, group)
    assert 'href="https://www.openstreetmap.org/directions?to=41.92530%2C-87.65810"' in page


def test_report_a_problem_links_to_the_report_form_naming_the_listing(client):
    group = make_group(name="Oak Park Grief Circle")
    db.session.commit()
    page = _page(client, group)
    link = re.search(r'<a class="button" href="([^"]+)">Report a problem</a>', page)
    assert link and link.group(1) == f"/groups/{group.id}/report"
    form = client.get(link.group(1))
    assert form.status_code == 200
    assert "Oak Park Grief Circle" in form.text
    assert f'action="/groups/{group.id}/report"' in form.text


def test_demo_listing_says_it_is_fictional(client):
    group = make_group(is_demo=True)
    db.session.commit()
    assert "fictional demo listing" in _page(client, group)


def test_jsonld_describes_a_weekly_event_with_its_schedule_and_place(client):
    group = make_group(
        name="Lincoln Park Depression Peers",
        organization=make_organization(
            name="Lakeside NAMI (demo)", website="https://nami.example.org"
        ),
    )
    db.session.commit()
    data = _jsonld(_page(client, group))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Lincoln Park Depression Peers"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["isAccessibleForFree"] is True
    assert data["url"].endswith(f"/groups/{group.id}")
    dt.datetime.fromisoformat(data["startDate"])
    [schedule] = data["eventSchedule"]
    assert schedule == {
        "@type": "Schedule",
        "repeatFrequency": "P1W",
        "byDay": ["https://schema.org/Tuesday"],
        "startTime": "19:00",
        "endTime": "20:30",
        "scheduleTimezone": "America/Chicago",
    }
    [place] = data["location"]
    assert place["address"]["postalCode"] == "60614"
    assert place["geo"]["latitude"] == 41.9253
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "Lakeside NAMI (demo)",
        "url": "https://nami.example.org",
    }


def test_jsonld_of_a_monthly_online_group(client):
    group = make_group(
        format="online",
        join_url="https://meet.example.org/x",
        schedules=[
            make_schedule(
                kind="monthly", weekdays="TH", month_weeks="2,4", timezone="America/New_York"
            )
        ],
    )
    db.session.commit()
    data = _jsonld(_page(client, group))
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == [{"@type": "VirtualLocation", "url": "https://meet.example.org/x"}]
    assert data["eventSchedule"][0]["repeatFrequency"] == "P1M"
    assert data["eventSchedule"][0]["byMonthWeek"] == [2, 4]


def test_jsonld_cannot_break_out_of_its_script_block(client):
    group = make_group(name="Tricky </script><script>alert(1)</script> group")
    db.session.commit()
    page = _page(client, group)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block
    assert _jsonld(page)["name"] == "Tricky </script><script>alert(1)</script> group"


def test_group_without_meetings_ahead_is_described_as_an_organization(client):
    group = make_group(
        schedules=[make_schedule(kind="dates", weekdays=None, dates="2024-01-09")],
        organization=make_organization(name="Lakeside NAMI (demo)"),
    )
    db.session.commit()
    page = _page(client, group)
    assert "No upcoming meetings are listed." in page
    assert _jsonld(page)["@type"] == "Organization"


def test_calendar_file_has_the_recurrence_rule_and_time_zone(client):
    group = make_group(name="Lincoln Park Depression Peers")
    db.session.commit()
    response = client.get(f"/groups/{group.id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = Calendar.from_ical(response.data)
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Lincoln Park Depression Peers"
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert event["RRULE"]["BYDAY"] == ["TU"]
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "America/Chicago"
    assert (start.hour, start.minute) == (19, 0)
    assert event.decoded("DTEND") - start == dt.timedelta(minutes=90)
    assert "1150 W Fullerton Ave" in str(event["LOCATION"])
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]


def test_calendar_file_of_one_off_dates_lists_each_date(client):
    group = make_group(
        schedules=[
            make_schedule(kind="dates", weekdays=None, dates="2031-03-04,2031-03-18,2031-04-01")
        ],
    )
    db.session.commit()
    calendar = Calendar.from_ical(client.get(f"/groups/{group.id}.ics").data)
    [event] = calendar.walk("VEVENT")
    assert "RRULE" not in event
    assert event.decoded("DTSTART").date() == dt.date(2031, 3, 4)
    rdates = event["RDATE"] if isinstance(event["RDATE"], list) else [event["RDATE"]]
    extra = [d.dt.date() for dates in rdates for d in dates.dts]
    assert extra == [dt.date(2031, 3, 18), dt.date(2031, 4, 1)]


def test_page_api_jsonld_and_calendar_agree_on_times_place_and_joining(client):
    group = make_group(
        format="hybrid", join_url="https://user@evil.example/", join_phone="555-0100",
        languages=("en", "fa"), schedules=[make_schedule(note="use the side door")],
    )  # fmt: skip
    db.session.commit()
    page = _page(client, group)
    api = client.get(f"/api/v1/groups/{group.id}").get_json()
    jsonld = _jsonld(page)
    calendar = client.get(f"/groups/{group.id}.ics").get_data(as_text=True)
    starts = re.findall(r'<li><time datetime="([^"]+)">', page)
    assert starts == api["next_meetings"] and jsonld["startDate"] == starts[0]
    text = api["schedules"][0]["text"]
    assert f'<p class="schedule">{text} (use the side door)</p>' in page
    # The link is no safe web address: it is left out of the page, the API, JSON-LD and feed.
    assert "evil.example" not in page + calendar and api["join"]["url"] is None
    assert {"@type": "VirtualLocation", "url": f"http://localhost/groups/{group.id}"} in (
        jsonld["location"]
    )
    assert "Dial in: 555-0100" in page and api["join"]["phone"] == "555-0100"
    assert "Lincoln Park Library<br>" in page and "Chicago, IL 60614" in page
    assert "English, Persian (Farsi)" in page
    assert [lang["name"] for lang in api["languages"]] == ["English", "Persian (Farsi)"]


def test_a_group_page_in_spanish_says_it_all_in_spanish(client):
    group = make_group(languages=("en", "es"), cost="donation")
    db.session.commit()
    page = client.get(f"/groups/{group.id}?locale=es").get_data(as_text=True)
    assert "Todos los martes, 19:00–20:30, hora central" in page  # noqa: RUF001
    assert "Inglés, Español" in page
    assert "Depresión" in page
    api = client.get(f"/api/v1/groups/{group.id}?locale=es").get_json()
    assert api["schedules"][0]["text"] == "Every Tuesday, 7:00–8:30 pm Central"  # noqa: RUF001
    assert api["topics"][0]["label"] == "Depression"
