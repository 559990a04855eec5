"""Read the page of hits a search shows from the index's stored fields.

Only the listings on the page shown are read; a next meeting that may have passed since
the index computed it is recomputed first (from the listing's schedules), for the hits
and for ordering by next meeting. Whoosh reads are not thread-safe: callers pass the lock.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from directory.search import places
from directory.search.documents import next_meeting
from directory.search.query import Hit
from directory.search.views import View


@lru_cache(maxsize=512)
def _zone(key: str) -> ZoneInfo:
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):  # a bad zone in imported data
        return ZoneInfo("UTC")


def refresh_next(view: View, lock, docs: np.ndarray, now: dt.datetime) -> None:
    """Recompute next meetings that may have passed (or were computed after ``now``)."""
    catalogue = view.catalogue
    moment = now.timestamp()
    stale = docs[(catalogue.computed[docs] > moment) | (catalogue.next[docs] <= moment)]
    if not len(stale):
        return
    with lock:
        for doc in stale.tolist():
            specs = view.searcher.stored_fields(doc)["doc"]["schedules"]
            upcoming = next_meeting(specs, now)
            catalogue.set_next(doc, upcoming.timestamp() if upcoming else math.inf, moment)


def hit(view: View, lock, doc: int, place, local, distance, viewer_zone, now) -> Hit:
    """Return listing ``doc`` as a Hit: its stored fields, next meeting and distance."""
    catalogue = view.catalogue
    refresh_next(view, lock, np.array([doc]), now)
    with lock:
        stored = view.searcher.stored_fields(doc)["doc"]
    upcoming = catalogue.next[doc]
    zone = _zone(viewer_zone or stored["tz"])
    miles = None
    if place is not None and view.located[doc]:
        miles = float(distance[doc])
        if math.isnan(miles):
            miles = float(
                places.miles(place.latitude, place.longitude, catalogue.lat[[doc]],
                             catalogue.lon[[doc]])[0]
            )  # fmt: skip
    verified, listed = stored.get("verified"), stored.get("listed")
    resumes_on = stored.get("resumes_on")
    return Hit(
        id=int(catalogue.gid[doc]),
        name=stored["name"],
        organization=stored["org"],
        format=stored["format"],
        topics=[label for _slug, label in stored["topics"]],
        city=stored["city"],
        region=stored["region"],
        schedule_text=stored["schedule_text"],
        next_meeting=(
            dt.datetime.fromtimestamp(upcoming, tz=zone) if math.isfinite(upcoming) else None
        ),
        distance_miles=None if miles is None else round(miles, 1),
        online=bool(view.placeless[doc] or (local is not None and not local[doc])),
        topic_slugs=[slug for slug, _label in stored["topics"]],
        organization_id=stored.get("org_id"),
        timezone=stored["tz"],
        verified_at=dt.datetime.fromisoformat(verified) if verified else None,
        listed_at=dt.datetime.fromisoformat(listed) if listed else None,
        paused=bool(stored.get("paused")),
        resumes_on=dt.date.fromisoformat(resumes_on) if resumes_on else None,
    )
