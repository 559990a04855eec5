"""Describe a listing as schema.org JSON-LD, so search engines can show when and where it meets."""

from __future__ import annotations

import datetime as dt

from directory.web.links import safe_url

SCHEMA_DAYS = {
    "MO": "https://schema.org/Monday",
    "TU": "https://schema.org/Tuesday",
    "WE": "https://schema.org/Wednesday",
    "TH": "https://schema.org/Thursday",
    "FR": "https://schema.org/Friday",
    "SA": "https://schema.org/Saturday",
    "SU": "https://schema.org/Sunday",
}
ATTENDANCE = {
    "in_person": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "phone": "https://schema.org/OnlineEventAttendanceMode",
    "hybrid": "https://schema.org/MixedEventAttendanceMode",
}


def _items(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def _schedule(schedule) -> dict | None:
    """Return a schema.org Schedule for a recurring schedule; None for a list of dates."""
    if schedule.kind == "dates":
        return None
    unit = "W" if schedule.kind == "weekly" else "M"
    found = {
        "@type": "Schedule",
        "repeatFrequency": f"P{schedule.interval or 1}{unit}",
        "byDay": [SCHEMA_DAYS[code.upper()] for code in _items(schedule.weekdays)],
        "startTime": schedule.start_time.strftime("%H:%M"),
        "scheduleTimezone": schedule.timezone,
    }
    if schedule.end_time:
        found["endTime"] = schedule.end_time.strftime("%H:%M")
    if schedule.kind == "monthly":
        found["byMonthWeek"] = [int(n) for n in _items(schedule.month_weeks)]
    if schedule.valid_from:
        found["startDate"] = schedule.valid_from.isoformat()
    if schedule.valid_until:
        found["endDate"] = schedule.valid_until.isoformat()
    return found


def _address(location) -> dict:
    address = {"@type": "PostalAddress", "addressCountry": location.country}
    parts = {
        "streetAddress": ", ".join(p for p in (location.address_1, location.address_2) if p),
        "addressLocality": location.city,
        "addressRegion": location.region,
        "postalCode": location.postal_code,
    }
    address.update({key: value for key, value in parts.items() if value})
    return address


def _place(group, url: str) -> list[dict]:
    places = []
    location = group.location
    if location is not None:
        place = {"@type": "Place", "name": location.name or location.one_line,
                 "address": _address(location)}  # fmt: skip
        if location.latitude is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": location.latitude,
                            "longitude": location.longitude}  # fmt: skip
        places.append(place)
    if group.is_online:
        join_url = safe_url(group.join_url) if group.join_visibility == "public" else None
        places.append({"@type": "VirtualLocation", "url": join_url or url})
    return places


def _organization(group) -> dict | None:
    org = group.organization
    if org is None:
        return None
    found = {"@type": "Organization", "name": org.name}
    if safe_url(org.website):
        found["url"] = safe_url(org.website)
    return found


def group_jsonld(group, url: str, upcoming: list[dt.datetime]) -> dict:
    """Return the listing as a schema.org Event with its schedule, or as an Organization.

    A group with no meeting ahead is not an event a search engine should list, so it is
    described by its host instead.
    """
    schedules = [found for found in map(_schedule, group.schedules) if found]
    if not upcoming:
        org = _organization(group) or {"@type": "Organization"}
        return {"@context": "https://schema.org", **org, "name": group.name, "url": url,
                "description": group.description}  # fmt: skip
    event = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": group.name,
        "description": group.description,
        "url": url,
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": ATTENDANCE.get(group.format),
        "startDate": upcoming[0].isoformat(),
        "location": _place(group, url),
        "isAccessibleForFree": group.cost == "free",
        "inLanguage": [language.code for language in group.languages],
        "about": [term.label for term in group.topics],
    }
    if schedules:
        event["eventSchedule"] = schedules
    organizer = _organization(group)
    if organizer:
        event["organizer"] = organizer
    if group.audiences:
        event["audience"] = {
            "@type": "Audience",
            "audienceType": ", ".join(term.label for term in group.audiences),
        }
    return {key: value for key, value in event.items() if value not in (None, [], "")}
