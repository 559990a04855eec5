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


def join_details(group: Group) -> JoinDetails:
    """Return a listing's joining details, all None unless the organiser shares them publicly.

    The one place that decides what of ``join_*`` may be shown: every export and the API use it.
    """
    if group.join_visibility != JoinVisibility.PUBLIC.value:
        return JoinDetails()
    return JoinDetails(group.join_url, group.join_phone, group.join_instructions)


def place_lines(group: Group) -> str | None:
    """Return where a group meets on one line: venue, room and address, or None."""
    location = group.location
    if location is None:
        return None
    parts = [location.name, location.room, location.one_line]
    return ", ".join(part for part in parts if part) or None


def terms_of(group: Group, name: str) -> list:
    """Return a listing's topics, audiences, accessibility or languages in a stable order."""
    items = getattr(group, name)
    return sorted(items, key=lambda item: getattr(item, "slug", None) or item.code)
