"""Organisations and meeting places for demo groups, reused within a county."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from directory.demo.data import JITTER_MILES, SOURCE, _County, _slugify, _Zip


@dataclass
class _Org:
    id: int
    kind: str
    name: str
    slug: str
    home: _Zip
    venues: list[_Venue] = field(default_factory=list)


@dataclass
class _Venue:
    id: int
    place: _Zip
    name: str
    room: str | None
    features: list[str]


class _Places:
    """Counties, organisations and venues; mixed into ``_Builder``, which holds the state."""

    def county(self, state: str) -> _County:
        counties, weights = self.counties[state]
        return self.rng.choices(counties, cum_weights=weights)[0]

    def organization(self, county: _County, stamp: dt.datetime) -> _Org:
        """Reuse one of the county's organisations, or found a new one."""
        orgs = self.orgs.setdefault((county.state, county.name), [])
        if orgs and self.rng.random() >= max(0.07, 0.7 / (len(orgs) + 1)):
            kinds = self.words["org_kinds"]
            return self.rng.choices(orgs, weights=[kinds[o.kind]["reuse"] for o in orgs])[0]
        taken = [o.kind for o in orgs]
        kinds = {
            kind: weight
            for kind, weight in self.kind_choice.items()
            if not self.words["org_kinds"][kind]["per_area"]
            or taken.count(kind) < self.words["org_kinds"][kind]["per_area"]
        }
        kind = self.pick_weighted(kinds)
        spec = self.words["org_kinds"][kind]
        home = self.rng.choice(county.zips)
        area = county.name if self.rng.random() < 0.4 and county.name != home.city else home.city
        first, last = self.person()
        name = self.rng.choice(spec["names"]).format(
            area=area, flavor=self.rng.choice(self.words["places"]["flavors"]),
            first=first, last=last,
        )  # fmt: skip
        self.org_serial += 1
        slug = _slugify(name.removesuffix(" (demo)"))[:48].strip("-")
        org = _Org(self.next_id("org"), kind, name, slug, home)
        orgs.append(org)
        self.rows["org"].append({
            "id": org.id, "name": name, "kind": kind,
            "description": spec["description"].format(area=f"{area}, {home.state}")
            + " (Fictional demo organisation.)",
            "website": f"https://example.org/{slug}", "phone": self.phone(home.area_code),
            "email": f"{slug[:40].strip('-')}@example.org", "source": SOURCE,
            "source_ref": f"demo-{self.seed}-org-{self.org_serial}", "is_demo": True,
            "created_at": stamp, "updated_at": stamp,
        })  # fmt: skip
        self.counts["organizations"] += 1
        return org

    def venue(self, org: _Org, county: _County, stamp: dt.datetime) -> _Venue:
        """Reuse one of the organisation's meeting places, or add one in its county."""
        own_building = org.kind in ("hospital", "community")
        if org.venues and self.rng.random() < (0.85 if own_building else 0.55):
            return self.rng.choice(org.venues)
        places = self.words["places"]
        place = org.home if own_building and not org.venues else self.rng.choice(county.zips)
        if own_building and not org.venues:
            name = org.name.removesuffix(" (demo)")
        else:
            name = self.rng.choice(places["venues"]).format(
                flavor=self.rng.choice(places["flavors"]), city=place.city,
                saint=self.rng.choice(places["saints"]),
                denomination=self.rng.choice(places["denominations"]),
            )  # fmt: skip
        rooms = places["hospital_rooms"] if org.kind == "hospital" else places["rooms"]
        room = self.rng.choice(rooms) if self.rng.random() < 0.8 else None
        features = [slug for slug, chance in self.features.items() if self.rng.random() < chance]
        if "wheelchair" not in features:
            features = [f for f in features if f not in ("step-free", "accessible-restroom")]
        venue = _Venue(self.next_id("location"), place, name, room, features)
        org.venues.append(venue)
        radius = JITTER_MILES * math.sqrt(self.rng.random())
        angle = self.rng.random() * 2 * math.pi
        lat = place.lat + radius * math.cos(angle) / 69.0
        lon = place.lon + radius * math.sin(angle) / (69.17 * math.cos(math.radians(place.lat)))
        address_2 = self.rng.choice(places["address_2"]) if self.rng.random() < 0.12 else None
        self.rows["location"].append({
            "id": venue.id, "name": name, "room": room,
            "address_1": f"{self.rng.randrange(100, 9900, 10) + self.rng.randrange(10)} "
            f"{self.rng.choice(places['streets'])} {self.rng.choice(places['street_types'])}",
            "address_2": address_2, "city": place.city, "region": place.state,
            "postal_code": place.code, "country": "US", "latitude": round(lat, 6),
            "longitude": round(lon, 6), "timezone": place.zone,
            "created_at": stamp, "updated_at": stamp,
        })  # fmt: skip
        self.counts["locations"] += 1
        return venue
