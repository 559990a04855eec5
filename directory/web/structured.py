"""Describe a listing as schema.org JSON-LD, so search engines can show when and where it meets."""

from __future__ import annotations

from directory.presenting import PublicListing

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


def _address(place) -> dict:
    address = {"@type": "PostalAddress", "addressCountry": place.country}
    parts = {
        "streetAddress": ", ".join(p for p in (place.address_1, place.address_2) if p),
        "addressLocality": place.city,
        "addressRegion": place.region,
        "postalCode": place.postal_code,
    }
    address.update({key: value for key, value in parts.items() if value})
    return address


def _place(listing: PublicListing) -> list[dict]:
    places = []
    place = listing.place
    if place is not None:
        found = {"@type": "Place", "name": place.name or place.one_line,
                 "address": _address(place)}  # fmt: skip
        if place.latitude is not None:
            found["geo"] = {"@type": "GeoCoordinates", "latitude": place.latitude,
                            "longitude": place.longitude}  # fmt: skip
        places.append(found)
    if listing.online:
        places.append({"@type": "VirtualLocation", "url": listing.join.url or listing.url})
    return places


def _organization(listing: PublicListing) -> dict | None:
    host = listing.host
    if host is None:
        return None
    found = {"@type": "Organization", "name": host.name}
    if host.website:
        found["url"] = host.website
    return found


def group_jsonld(listing: PublicListing) -> dict:
    """Return the listing as a schema.org Event with its schedule, or as an Organization.

    A group with no meeting ahead is not an event a search engine should list, so it is
    described by its host instead.
    """
    schedules = [found for found in map(_schedule, listing.schedules) if found]
    if not listing.next_meetings:
        org = _organization(listing) or {"@type": "Organization"}
        return {"@context": "https://schema.org", **org, "name": listing.name,
                "url": listing.url, "description": listing.description}  # fmt: skip
    event = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": listing.name,
        "description": listing.description,
        "url": listing.url,
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": ATTENDANCE.get(listing.format),
        "startDate": listing.next_meetings[0].isoformat(),
        "location": _place(listing),
        "isAccessibleForFree": listing.cost == "free",
        "inLanguage": [code for code, _name in listing.languages],
        "about": [label for _slug, label in listing.topics],
    }
    if schedules:
        event["eventSchedule"] = schedules
    organizer = _organization(listing)
    if organizer:
        event["organizer"] = organizer
    if listing.audiences:
        event["audience"] = {
            "@type": "Audience",
            "audienceType": ", ".join(label for _slug, label in listing.audiences),
        }
    return {key: value for key, value in event.items() if value not in (None, [], "")}
