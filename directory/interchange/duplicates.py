"""Spot a new listing that looks like one already listed: same name, same place, same time.

Two meetings of one group on different days are different listings, so a possible duplicate
needs a shared meeting time as well (or no times on either side). Listings from other sources
are compared, and the new listings of the same import with each other; an existing listing
of the same source is matched by its id instead.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from directory.folding import fold
from directory.geo import distance_miles
from directory.models import Group, Status

from .state import LOCATION_FIELDS, values_of
from .validate import Prepared

#: Two venues this close are the same place (a ZIP or city centroid is not a venue).
SAME_PLACE_MILES = 0.25


def _times(schedules) -> set[tuple]:
    found = set()
    for s in schedules:
        get = s.get if isinstance(s, dict) else lambda name, s=s: getattr(s, name)
        days = (get("weekdays") or "").split(",") + (get("dates") or "").split(",")
        found |= {(day, get("start_time")) for day in days if day}
    return found


def _same_place(group: Group, item: Prepared) -> bool:
    here, there = group.location, item.location
    if (here is None) != (there is None):
        return False
    if here is None:  # both online or by phone: the same way in, or nothing to tell apart
        org = item.organization["name"] if item.organization else ""
        theirs = {group.join_url, group.website, fold(getattr(group.organization, "name", ""))}
        ours = {item.group["join_url"], item.group["website"], fold(org)}
        theirs -= {None, ""}
        ours -= {None, ""}
        return not theirs or not ours or bool(theirs & ours)
    street = fold(here.address_1 or ""), fold(there["address_1"] or "")
    if all(street):  # the same street address in the same ZIP code or city
        area = {fold(here.postal_code or ""), fold(here.city or "")} - {""}
        return street[0] == street[1] and bool(area & {fold(there["postal_code"] or ""),
                                                       fold(there["city"] or "")})  # fmt: skip
    if None not in (here.latitude, there["latitude"]):
        near = distance_miles(here.latitude, here.longitude, there["latitude"], there["longitude"])
        return near <= SAME_PLACE_MILES
    return False


def _same_time(group: Group, item: Prepared) -> bool:
    theirs, ours = _times(group.schedules), _times(item.schedules)
    return not theirs or not ours or bool(theirs & ours)


class DuplicateFinder:
    """Find, for each new listing of an import, a listing it may duplicate."""

    def __init__(self, session: Session, source: str) -> None:
        self.session = session
        self._names: dict[str, list[int]] = defaultdict(list)
        live = Group.status.in_((Status.PUBLISHED.value, Status.PENDING.value))
        other = or_(Group.source.is_(None), Group.source != source)
        for group_id, name in session.execute(select(Group.id, Group.name).where(live, other)):
            self._names[fold(name)].append(group_id)
        self._new: dict[str, list[Group]] = defaultdict(list)

    def find(self, item: Prepared) -> Group | None:
        """Return a listing ``item`` may duplicate, or None."""
        key = fold(item.name)
        candidates = list(self._new.get(key, ()))
        if self._names.get(key):
            candidates += self.session.scalars(
                select(Group)
                .where(Group.id.in_(self._names[key]))
                .options(selectinload(Group.location), selectinload(Group.schedules))
                .order_by(Group.id)
            )
        return next((g for g in candidates if _same_place(g, item) and _same_time(g, item)), None)

    def remember(self, item: Prepared, group: Group) -> None:
        """Compare later listings of the same import with this new one too."""
        self._new[fold(item.name)].append(group)


class _Described:
    """A listing not yet stored, described as ``DuplicateFinder.find`` reads an import's item."""

    def __init__(self, group: Group) -> None:
        self.name = group.name
        self.location = (
            None if group.location is None else values_of(group.location, LOCATION_FIELDS)
        )
        self.group = {"join_url": group.join_url, "website": group.website}
        org = group.organization
        self.organization = None if org is None else {"name": org.name}
        self.schedules = list(group.schedules)


def possible_duplicate(session: Session, group: Group) -> Group | None:
    """Return a live listing that ``group`` (sent in on the site, not stored) may duplicate.

    The import's rules: the same name (folded), place and a shared meeting time.
    """
    return DuplicateFinder(session, source="").find(_Described(group))
