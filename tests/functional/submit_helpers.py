"""Fill in /submit as an organiser would: read the page's token and start time, then post."""

from __future__ import annotations

import html
import re
import time

from directory.web.forms.safety import start_stamp

#: A monthly in-person group in Chicago: every field a person would fill in.
GOOD = {
    "name": "Lakeview Grief Circle",
    "description": "A calm circle for anyone grieving a death. Come as you are.",
    "organization_name": "Lakeview Community Centre",
    "format": "in_person",
    "place_name": "Lakeview Library",
    "room": "Room 2",
    "address_1": "644 W Belmont Ave",
    "city": "Chicago",
    "region": "IL",
    "postal_code": "60657",
    "join_visibility": "public",
    "schedules-0-kind": "monthly",
    "schedules-0-weekdays": "MO",
    "schedules-0-month_weeks": "1",
    "schedules-0-start_time": "19:00",
    "schedules-0-end_time": "20:30",
    "schedules-0-timezone": "",
    "topics": ["grief", "suicide-loss"],
    "audiences": ["family-and-friends"],
    "languages": ["en", "es"],
    "accessibility": ["wheelchair"],
    "cost": "donation",
    "cost_note": "$5 suggested, nobody turned away",
    "facilitation": "peer",
    "registration_required": "y",
    "contact_name": "Dana",
    "contact_email": "circle@example.org",
    "contact_phone": "(312) 555-0142",
    "website": "https://lakeview.example.org/grief",
    "organiser_name": "Dana Whitfield",
    "organiser_email": "dana.private@example.org",
    "organiser_phone": "(312) 555-0199",
    "consent": "y",
}


def token(page: str) -> str:
    """Return the CSRF token of the page's form."""
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]


def form_values(page: str) -> list[tuple[str, str]]:
    """Return the hidden values a page's form carries (the preview's copy), with its token."""
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    return [("csrf_token", token(page))] + [(name, html.unescape(v)) for name, v in found]


def post(client, data: dict, button: str = "preview", started: str | None = None, **kwargs):
    """Post ``data`` to /submit with a fresh token and a start time 10 minutes ago."""
    page = client.get("/submit", **kwargs).text
    values = {"csrf_token": token(page), "started": started or start_stamp(time.time() - 600)}
    values.update(data)
    values[button] = "y"
    return client.post("/submit", data=values, **kwargs)


def with_(**changes) -> dict:
    """Return the good submission with some fields changed (None drops a field)."""
    data = dict(GOOD)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
