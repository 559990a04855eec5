"""Read and write Open Referral HSDS 3.0 JSON: services with everything nested (service_full).

The reader takes one service, a list of them, a page of them ({"contents": [...]}) or an
organization_full with its services. The writer gives a page of every listing, each a
service_full; fields HSDS lacks (format, cost, topics, time zone...) are attributes of the
"peer-support-directory" taxonomy, which the reader understands again.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from directory.listings import paused_today
from directory.models import Group
from directory.schedule import describe, first_start, to_rrule

from .hsds_map import TAXONOMY, service_record
from .public import ExportContext, join_details, stable_id, terms_of
from .records import InputError, Reading, guarded, not_an_object
from .sources import Source
from .state import ALL_FIELDS

#: What HSDS can say about a listing: everything public (contacts shown on the listing).
FIELDS = ALL_FIELDS - {"organiser_name", "organiser_email", "organiser_phone", "join_visibility"}


def _services(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        return data["contents"]
    if isinstance(data, dict) and isinstance(data.get("services"), list):
        org = {key: value for key, value in data.items() if key != "services"}
        return [
            {**service, "organization": service.get("organization") or org}
            if isinstance(service, dict)
            else service
            for service in data["services"]
        ]
    if isinstance(data, dict) and "location_type" in data and "service_at_locations" not in data:
        raise InputError(
            "this is an HSDS location, not a service; import services (service_full, a list "
            "or page of them) or an organization_full with its services"
        )
    if isinstance(data, dict):
        return [data]
    raise InputError("the JSON is neither a service, a list of services nor a page of them")


def read(source: Source, options) -> Reading:
    """Read HSDS 3.0 JSON services."""
    records = []
    for number, service in enumerate(_services(source.json(options.encoding)), 1):
        position = f"service {number}"
        if isinstance(service, dict):
            build = lambda s=service, p=position: service_record(s, p)  # noqa: E731
            records.append(guarded(build, position, service))
        else:
            records.append(not_an_object(position, service))
    return Reading(records, FIELDS)


# --- writing -------------------------------------------------------------------------------


def _term(code: str, name: str) -> dict:
    return {
        "id": stable_id("term", code), "code": code, "name": name, "taxonomy": TAXONOMY,
        "taxonomy_detail": {"id": stable_id("taxonomy", TAXONOMY), "name": TAXONOMY,
                            "description": "Peer Support Directory fields HSDS has no place for"},
    }  # fmt: skip


def _attributes(group: Group) -> list[dict]:
    pairs = [(f"{kind}:{term.slug}", term.label, None)
             for kind, name in (("topic", "topics"), ("audience", "audiences"),
                                ("accessibility", "accessibility"))
             for term in terms_of(group, name)]  # fmt: skip
    registration = "required" if group.registration_required else "not-required"
    pairs += [
        (f"format:{group.format}", group.format, None),
        (f"cost:{group.cost}", group.cost, None),
        (f"facilitation:{group.facilitation}", group.facilitation, None),
        (f"registration:{registration}", registration, None),
        ("timezone", "Time zone", group.effective_timezone),
    ]
    if group.location is not None and group.location.room:
        pairs.append(("room", "Room", group.location.room))
    return [
        {"id": stable_id("attribute", f"{group.id}/{code}"), "link_type": "service",
         "link_entity": "service", "value": value, "taxonomy_term": _term(code, name)}
        for code, name, value in pairs
    ]  # fmt: skip


def _schedule(schedule) -> list[dict]:
    common = {
        "opens_at": schedule.start_time.strftime("%H:%M"),
        "closes_at": schedule.end_time.strftime("%H:%M") if schedule.end_time else None,
        "description": describe(schedule), "notes": schedule.note,
    }  # fmt: skip
    if schedule.kind == "dates":
        return [
            {"id": stable_id("schedule", f"{schedule.id}/{day}"), "dtstart": day.strip(),
             "valid_from": day.strip(), "valid_to": day.strip(), **common}
            for day in schedule.dates.split(",")
        ]  # fmt: skip
    parts = dict(part.split("=", 1) for part in to_rrule(schedule).split(";"))
    offset = first_start(schedule).utcoffset().total_seconds() / 3600
    start = schedule.anchor_date if schedule.interval > 1 else schedule.valid_from
    return [{
        "id": stable_id("schedule", schedule.id), "freq": parts["FREQ"],
        "interval": schedule.interval, "byday": parts["BYDAY"],
        "dtstart": start.isoformat() if start else None,
        "valid_from": schedule.valid_from.isoformat() if schedule.valid_from else None,
        "valid_to": schedule.valid_until.isoformat() if schedule.valid_until else None,
        "timezone": int(offset) if offset.is_integer() else offset, **common,
    }]  # fmt: skip


def _location(group: Group) -> dict:
    place = group.location
    address = {
        "id": stable_id("address", place.id), "address_1": place.address_1,
        "address_2": place.address_2, "city": place.city, "region": None,
        "state_province": place.region, "postal_code": place.postal_code,
        "country": place.country, "address_type": "physical",
    }  # fmt: skip
    return {
        "id": stable_id("location", place.id), "location_type": "physical", "name": place.name,
        "latitude": place.latitude, "longitude": place.longitude, "addresses": [address],
        "accessibility": [
            {"id": stable_id("accessibility", f"{group.id}/{term.slug}"),
             "description": term.label}
            for term in terms_of(group, "accessibility")
        ],
    }  # fmt: skip


def _virtual(group: Group) -> dict | None:
    url, phone, instructions = join_details(group)
    if not (url or phone or instructions):
        return None
    return {
        "id": stable_id("virtual", group.id), "location_type": "virtual", "url": url,
        "name": "Online", "description": instructions,
        "phones": [{"id": stable_id("join-phone", group.id), "number": phone, "type": "voice"}]
        if phone else [],
    }  # fmt: skip


def _organization(org) -> dict | None:
    if org is None:
        return None
    return {
        "id": stable_id("organization", org.id), "name": org.name,
        "description": org.description, "website": org.website, "email": org.email,
        "phones": [{"id": stable_id("organization-phone", org.id), "number": org.phone}]
        if org.phone else [],
    }  # fmt: skip


def service_for(group: Group, context: ExportContext) -> dict:
    """Return one listing as an HSDS 3.0 service_full (public fields only)."""
    links = []
    if group.location is not None:
        links.append({"id": stable_id("service-at-location", group.id), "location":
                      _location(group)})  # fmt: skip
    virtual = _virtual(group)
    if virtual is not None:
        links.append({"id": stable_id("service-online", group.id), "location": virtual})
    return {
        "id": stable_id("service", group.id), "name": group.name,
        "description": group.description, "url": group.website, "email": group.contact_email,
        "status": "temporarily closed" if paused_today(group, context.generated_at) else "active",
        "fees_description": group.cost_note,
        "assured_date": group.verified_at.date().isoformat() if group.verified_at else None,
        "last_modified": group.updated_at.isoformat() if group.updated_at else None,
        "organization": _organization(group.organization),
        "phones": [{"id": stable_id("phone", group.id), "number": group.contact_phone,
                    "type": "voice"}] if group.contact_phone else [],
        "contacts": [{"id": stable_id("contact", group.id), "name": group.contact_name}]
        if group.contact_name else [],
        "languages": [{"id": stable_id("language", f"{group.id}/{lang.code}"),
                       "name": lang.name, "code": lang.code}
                      for lang in terms_of(group, "languages")],
        "schedules": [item for schedule in group.schedules for item in _schedule(schedule)],
        "service_at_locations": links, "attributes": _attributes(group),
    }  # fmt: skip


def services(groups: Iterable[Group], context: ExportContext) -> Iterator[dict]:
    """Yield every listing as a service_full."""
    return (service_for(group, context) for group in groups)


#: How much of a page ``write`` keeps in memory before it spools to a temporary file.
SPOOL_BYTES = 4 * 1024 * 1024
#: How many bytes ``write`` yields at a time.
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Page:
    """Which page of the published listings a feed answer is: its number, size and total."""

    number: int
    per_page: int
    total_items: int

    @property
    def total_pages(self) -> int:
        """Return how many pages of ``per_page`` hold every listing (0 when there are none)."""
        return -(-self.total_items // self.per_page)


def page_head(page: Page, size: int) -> dict:
    """Return a page's envelope: the HSDS 3.0 API's Page, and the paging it was asked with.

    ``page_number``, ``size``, ``total_items``, ``total_pages``, ``first_page``,
    ``last_page`` and ``empty`` are the Open Referral API's Page schema; ``page`` and
    ``per_page`` repeat its query parameters, as the site's own search API names them.
    """
    return {
        "total_items": page.total_items, "total_pages": page.total_pages,
        "page_number": page.number, "size": size, "page": page.number,
        "per_page": page.per_page, "first_page": page.number == 1,
        "last_page": page.number >= page.total_pages, "empty": not size,
    }  # fmt: skip


def write(groups: Iterable[Group], context: ExportContext) -> Iterator[bytes]:
    """Yield listings as one HSDS 3.0 page of service_full objects, in JSON: every listing.

    The page gives its size before its contents, so the services are spooled (to a
    temporary file once large) and counted, then the page is yielded a chunk at a time.
    """
    return write_page(groups, context, None)


def write_page(groups: Iterable[Group], context: ExportContext,
               page: Page | None) -> Iterator[bytes]:  # fmt: skip
    """Yield ``groups`` as page ``page`` of the listings; one page of them all when None."""
    count = 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        for service in services(groups, context):
            text = json.dumps(service, ensure_ascii=False, separators=(",", ":"))
            spool.write(("," if count else "").encode() + text.encode("utf-8"))
            count += 1
        # The whole export is one page of everything, however many (or few) that is.
        head = page_head(page or Page(1, max(count, 1), count), count)
        yield json.dumps(head, separators=(",", ":"))[:-1].encode() + b',"contents":['
        spool.seek(0)
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk
        yield b"]}"
