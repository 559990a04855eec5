"""What every exporter may show of a listing: public fields only, stable ids, links.

The organiser's private contact (``organiser_*``) is never read here or by any exporter, and
joining details an organiser shares only on request stay out of every export.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import NamedTuple

from directory.models import Group, JoinVisibility

from .values import url_problem

#: The namespace of the stable UUIDs exports give listings, places and organisations.
NAMESPACE = uuid.UUID("6f0a35a5-3c0e-4c8e-9d55-7a1f0c1b7e21")
#: Where exported schedules and listings say they come from.
PRODUCT = "Peer Support Directory"


@dataclass(frozen=True)
class ExportContext:
    """What an export needs besides the listings: links back to the site, and the time."""

    base_url: str | None = None
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    title: str = PRODUCT

    def listing_url(self, group: Group) -> str | None:
        """Return the public page of a listing, when the site's address is known."""
        if not self.base_url:
            return None
        return f"{self.base_url.rstrip('/')}/groups/{group.id}"


def stable_id(kind: str, key: object) -> str:
    """Return the same UUID for the same row on every export, e.g. for HSDS ids."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{key}"))


class JoinDetails(NamedTuple):
    """How to join a listing's meetings: link, phone and instructions (a passcode, say)."""

    url: str | None = None
    phone: str | None = None
    instructions: str | None = None


def public_url(value: str | None) -> str | None:
    """Return a web address fit for a link (http or https, nothing hidden), or None.

    The importers' rule (``values.url_problem``), so a row stored before a rule was added
    still never becomes a link to somewhere else (``web.links.safe_url`` is the same rule).
    """
    if not value or url_problem(value.strip()):
        return None
    return value.strip()


def join_details(group: Group) -> JoinDetails:
    """Return a listing's joining details, all None unless the organiser shares them publicly.

    The one place that decides what of ``join_*`` may be shown: the presenter (so every page
    and the API) and every export use it. A link that is not a safe web address is left out.
    """
    if group.join_visibility != JoinVisibility.PUBLIC.value:
        return JoinDetails()
    return JoinDetails(public_url(group.join_url), group.join_phone, group.join_instructions)


def address_lines(location) -> tuple[str, ...]:
    """Return a meeting place as an address block: venue, room, street lines, 'City, ST 60614'."""
    tail = " ".join(part for part in (location.region, location.postal_code) if part)
    last = ", ".join(part for part in (location.city, tail) if part)
    parts = (location.name, location.room, location.address_1, location.address_2, last)
    return tuple(part for part in parts if part)


def place_lines(group: Group) -> str | None:
    """Return where a group meets on one line: venue, room and address, or None."""
    if group.location is None:
        return None
    return ", ".join(address_lines(group.location)) or None


def terms_of(group: Group, name: str) -> list:
    """Return a listing's topics, audiences, accessibility or languages in a stable order."""
    items = getattr(group, name)
    return sorted(items, key=lambda item: getattr(item, "slug", None) or item.code)
