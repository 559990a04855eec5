"""Generate a deterministic, visibly fictional demo directory quickly, with bulk inserts.

Same ``(count, seed, today)``, same directory: every choice comes from one
``random.Random(seed)`` and ZIP codes, word lists and registries are walked in a fixed order.
``today`` defaults to ``REFERENCE_DATE``, a fixed date, so ``verified_at`` values (spread over
the 18 months before it) do not depend on the day the demo is loaded; pass
``today=date.today()`` for listings that look freshly verified.

Everything generated is marked ``is_demo`` with ``source="demo"`` and
``source_ref="demo-<seed>-<n>"``; organisation names end in "(demo)", phone numbers are in the
reserved 555-0100..555-0199 range and all web and mail addresses are on example.org. Loading a
seed twice raises ``DemoError``; ``remove_demo`` deletes every demo row first (``--replace``).

Rows are written with Core ``INSERT`` executemany in batches, with ids assigned here, so
ORM events do not run: rebuild the search index after generating.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import math
import random
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

import zipcodes
from sqlalchemy import delete, exists, func, insert, select
from sqlalchemy.orm import Session

from directory.models import (
    Group,
    Language,
    Location,
    Organization,
    Schedule,
    TaxonomyTerm,
    group_accessibility,
    group_audience,
    group_language,
    group_topic,
)
from directory.taxonomy import PROJECT_ROOT, load_taxonomy

DEMO_DATA_DIR = PROJECT_ROOT / "data" / "demo"
REFERENCE_DATE = dt.date(2026, 11, 1)
MAX_COUNT = 1_000_000
BATCH_SIZE = 5_000
SOURCE = "demo"

#: Share of groups per format (the rest meet in person); online is rounded up.
FORMAT_SHARES = {"online": 0.13, "hybrid": 0.07, "phone": 0.02}
SPANISH_SHARE, SPANISH_ONLY_SHARE, OTHER_LANGUAGE_SHARE = 0.12, 0.55, 0.03
COST_WEIGHTS = {"free": 78, "donation": 15, "fee": 7}
FACILITATION_WEIGHTS = {"peer": 80, "co": 13, "professional": 7}
HOSPITAL_FACILITATION_WEIGHTS = {"peer": 35, "co": 25, "professional": 40}
SCHEDULE_WEIGHTS = {"weekly": 58, "biweekly": 12, "monthly": 27, "dates": 3}
MONTH_WEEKS = {"2,4": 18, "1,3": 14, "1": 18, "2": 14, "3": 16, "4": 6, "-1": 14}
WEEKDAY_WEIGHTS = {"MO": 16, "TU": 20, "WE": 18, "TH": 18, "FR": 5, "SA": 13, "SU": 10}
WEEKDAY_STARTS = {
    "18:00": 12, "18:30": 14, "19:00": 24, "19:30": 8, "17:30": 4, "20:00": 3, "09:00": 2,
    "10:00": 6, "10:30": 3, "11:00": 2, "12:00": 5, "13:00": 4, "14:00": 4, "15:00": 2,
    "16:00": 2,
}  # fmt: skip
WEEKEND_STARTS = {
    "09:00": 6, "10:00": 16, "10:30": 10, "11:00": 8, "13:00": 6, "14:00": 6, "16:00": 4,
    "18:00": 4, "19:00": 5,
}  # fmt: skip
DURATIONS = {60: 45, 90: 45, 120: 10}
SECOND_SCHEDULE_SHARE = 0.1
SECOND_SCHEDULE_KINDS = {"weekly": 2, "monthly": 1}
JITTER_MILES = 0.8
DAY_NAMES = dict(
    zip(
        WEEKDAY_WEIGHTS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
#: Where each kind of generated row goes, in foreign-key order.
TABLES = {
    "org": Organization.__table__,
    "location": Location.__table__,
    "group": Group.__table__,
    "schedule": Schedule.__table__,
    "topic": group_topic,
    "audience": group_audience,
    "accessibility": group_accessibility,
    "language": group_language,
}

ProgressCallback = Callable[[int], None]


class DemoError(Exception):
    """Demo data cannot be generated as asked."""


# --- shipped data -------------------------------------------------------------------------


@functools.cache
def _words() -> dict:
    """Return the word lists of data/demo/words.toml."""
    with (DEMO_DATA_DIR / "words.toml").open("rb") as file:
        return tomllib.load(file)


@functools.cache
def _state_population() -> dict[str, int]:
    """Return state code -> population in thousands (50 states and DC), in file order."""
    with (DEMO_DATA_DIR / "states.csv").open(encoding="utf-8", newline="") as file:
        return {row["state"]: int(row["population_thousands"]) for row in csv.DictReader(file)}


@dataclass(frozen=True)
class _Zip:
    code: str
    city: str
    state: str
    county: str
    lat: float
    lon: float
    zone: str
    area_code: str


@dataclass(frozen=True)
class _County:
    state: str
    name: str
    zips: tuple[_Zip, ...]


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


@functools.cache
def _counties() -> dict[str, tuple[list[_County], list[float]]]:
    """Return per state its counties (with ZIPs, sorted) and cumulative choice weights.

    Uses active STANDARD ZIPs with coordinates. Counties with more ZIPs are more populous, so
    they are weighted by ZIP count to the power 1.3, which leans toward cities.
    """
    states = _state_population()
    by_county: dict[tuple[str, str], list[_Zip]] = {}
    for record in sorted(zipcodes.list_all(), key=lambda r: r["zip_code"]):
        lat, lon = float(record["lat"] or 0), float(record["long"] or 0)
        if (
            record["zip_code_type"] != "STANDARD"
            or not record["active"]
            or record["state"] not in states
            or lat == 0
            or lon == 0
            or not record["timezone"]
        ):
            continue
        county = record["county"] or record["city"]
        codes = record["area_codes"] or ["555"]
        place = _Zip(record["zip_code"], record["city"], record["state"], county, lat, lon,
                     record["timezone"], codes[0])  # fmt: skip
        by_county.setdefault((record["state"], county), []).append(place)
    result: dict[str, tuple[list[_County], list[float]]] = {}
    for state in states:
        counties = [
            _County(state, name, tuple(zips))
            for (st, name), zips in sorted(by_county.items())
            if st == state
        ]
        result[state] = (counties, list(accumulate(len(c.zips) ** 1.3 for c in counties)))
    return result


def _cumulative(weights: dict) -> tuple[list, list[float]]:
    """Split a weights mapping into choices and cumulative weights for ``Random.choices``."""
    return list(weights), list(accumulate(weights.values()))


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and")).strip("-")


def _lower_first(text: str) -> str:
    """Lowercase a label's first letter unless it starts an acronym ("TDAH")."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


# --- public API ---------------------------------------------------------------------------


def generate_demo(
    session: Session,
    count: int,
    seed: int = 1,
    progress: ProgressCallback | None = None,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Insert ``count`` published, fictional demo groups with their organisations and places.

    Deterministic for ``(count, seed, today)``; ``today`` defaults to ``REFERENCE_DATE``.
    Loads the taxonomy first when it is empty. Calls ``progress(n)`` after each batch with the
    number of groups just written. Flushes but does not commit. Returns counts of
    ``groups``, ``organizations``, ``locations``, ``schedules``, ``online`` groups and
    ``states`` with a located group.
    """
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValueError(f"count must be a whole number, not {count!r}")
    if not 1 <= count <= MAX_COUNT:
        raise ValueError(f"count must be between 1 and {MAX_COUNT:,}; got {count:,}")
    session.flush()
    groups = select(Group.id).where(Group.source == SOURCE, Group.source_ref.like(f"demo-{seed}-%"))
    orgs = select(Organization.id).where(
        Organization.source == SOURCE, Organization.source_ref.like(f"demo-{seed}-org-%")
    )
    if any(session.scalar(query.limit(1)) is not None for query in (groups, orgs)):
        raise DemoError(f"demo data for seed {seed} is already loaded; use --replace")
    if session.scalar(select(TaxonomyTerm.id).limit(1)) is None:
        load_taxonomy(session)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    builder = _Builder(session, rng, seed, today or REFERENCE_DATE)
    return builder.run(count, progress)


def remove_demo(session: Session) -> int:
    """Delete all demo data; return how many demo groups were removed.

    Removes demo groups with their schedules and links, then the demo organisations and the
    demo groups' locations that no remaining group uses. Flushes but does not commit.
    """
    session.flush()
    demo_groups = select(Group.id).where(Group.is_demo.is_(True))
    removed = session.scalar(select(func.count()).select_from(demo_groups.subquery()))
    location_ids = sorted(
        session.scalars(
            select(Group.location_id)
            .where(Group.is_demo.is_(True), Group.location_id.is_not(None))
            .distinct()
        )
    )
    for table in (group_topic, group_audience, group_accessibility, group_language):
        session.execute(delete(table).where(table.c.group_id.in_(demo_groups)))
    schedules = Schedule.__table__
    session.execute(delete(schedules).where(schedules.c.group_id.in_(demo_groups)))
    groups, locations, orgs = Group.__table__, Location.__table__, Organization.__table__
    session.execute(delete(groups).where(groups.c.is_demo.is_(True)))
    unused_location = ~exists().where(groups.c.location_id == locations.c.id)
    for start in range(0, len(location_ids), 5_000):
        chunk = location_ids[start : start + 5_000]
        session.execute(delete(locations).where(locations.c.id.in_(chunk), unused_location))
    session.execute(
        delete(orgs).where(
            orgs.c.is_demo.is_(True), ~exists().where(groups.c.organization_id == orgs.c.id)
        )
    )
    session.expire_all()
    return removed or 0


# --- the generator ------------------------------------------------------------------------


class _Builder:
    """Hold the random source, id counters and registries while groups are generated."""

    def __init__(self, session: Session, rng: random.Random, seed: int, today: dt.date):
        self.session, self.rng, self.seed, self.today = session, rng, seed, today
        self.words = _words()
        self.counties = _counties()
        terms = session.execute(
            select(TaxonomyTerm.vocabulary, TaxonomyTerm.slug, TaxonomyTerm.id,
                   TaxonomyTerm.label_es)
        ).all()  # fmt: skip
        self.term_ids = {(v, slug): term_id for v, slug, term_id, _ in terms}
        self.label_es = {(v, slug): label for v, slug, _, label in terms}
        codes = set(session.scalars(select(Language.code)))
        self.language_names = dict(
            session.execute(select(Language.code, Language.name).order_by(Language.code)).all()
        )
        # Only what the loaded taxonomy has, in the word lists' order.
        self.topics = {
            s: t for s, t in self.words["topics"].items() if ("topic", s) in self.term_ids
        }
        self.audiences = {
            s: a for s, a in self.words["audiences"].items() if ("audience", s) in self.term_ids
        }
        if not self.topics or not self.audiences:
            raise DemoError("the taxonomy has none of the demo topics or audiences")
        self.topic_choice = _cumulative({s: t["weight"] for s, t in self.topics.items()})
        self.audience_choice = _cumulative({s: a["weight"] for s, a in self.audiences.items()})
        self.features = {
            slug: chance
            for slug, chance in self.words["accessibility"].items()
            if ("accessibility", slug) in self.term_ids
        }
        others = {c: w for c, w in self.words["other_languages"].items() if c in codes}
        self.other_language_choice = _cumulative(others) if others else None
        self.has_spanish, self.has_english = "es" in codes, "en" in codes
        self.state_choice = _cumulative(_state_population())
        self.kind_choice = {k: v["weight"] for k, v in self.words["org_kinds"].items()}
        self.ids = {
            name: (session.scalar(select(func.max(model.id))) or 0)
            for name, model in (("org", Organization), ("location", Location),
                                ("group", Group), ("schedule", Schedule))
        }  # fmt: skip
        # The module's weight tables, prepared once; pick_weighted() looks them up by identity.
        self.constant_weights = {
            id(weights): _cumulative(weights)
            for weights in (
                COST_WEIGHTS, FACILITATION_WEIGHTS, HOSPITAL_FACILITATION_WEIGHTS,
                SCHEDULE_WEIGHTS, SECOND_SCHEDULE_KINDS, MONTH_WEEKS, WEEKDAY_WEIGHTS,
                WEEKDAY_STARTS, WEEKEND_STARTS, DURATIONS,
            )
        }  # fmt: skip
        self.org_serial = 0
        # Organisations per county, for reuse; new for every run (the ZIP table is cached).
        self.orgs: dict[tuple[str, str], list[_Org]] = {}
        self.rows: dict[str, list[dict]] = {}
        self.counts = dict.fromkeys(
            ("groups", "organizations", "locations", "schedules", "online"), 0
        )
        self.states: set[str] = set()

    def next_id(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name]

    def pick(self, choice: tuple[list, list[float]]):
        return self.rng.choices(choice[0], cum_weights=choice[1])[0]

    def pick_weighted(self, weights: dict):
        choice = self.constant_weights.get(id(weights)) or _cumulative(weights)
        return self.rng.choices(choice[0], cum_weights=choice[1])[0]

    def phone(self, area_code: str) -> str:
        return f"({area_code}) 555-01{self.rng.randrange(100):02d}"

    def person(self) -> tuple[str, str]:
        people = self.words["people"]
        return self.rng.choice(people["first"]), self.rng.choice(people["last"])

    # -- batches ---------------------------------------------------------------------------

    def run(self, count: int, progress: ProgressCallback | None) -> dict[str, int]:
        formats = self.formats(count)
        located = [i for i, f in enumerate(formats) if f in ("in_person", "hybrid")]
        states = self.located_states(len(located))
        state_of = dict(zip(located, states, strict=True))
        for start in range(0, count, BATCH_SIZE):
            self.rows = {key: [] for key in TABLES}
            stop = min(start + BATCH_SIZE, count)
            for index in range(start, stop):
                state = state_of.get(index) or self.pick(self.state_choice)
                self.group(index + 1, formats[index], state)
            for key, table in TABLES.items():
                if self.rows[key]:
                    self.session.execute(insert(table), self.rows[key])
            if progress is not None:
                progress(stop - start)
        self.sync_sequences()
        return {**self.counts, "states": len(self.states)}

    def formats(self, count: int) -> list[str]:
        """Return each group's format: fixed shares in a shuffled order."""
        online = math.ceil(count * FORMAT_SHARES["online"])
        hybrid = min(round(count * FORMAT_SHARES["hybrid"]), count - online)
        phone = min(round(count * FORMAT_SHARES["phone"]), count - online - hybrid)
        rest = count - online - hybrid - phone
        formats = ["online"] * online + ["hybrid"] * hybrid + ["phone"] * phone
        formats += ["in_person"] * rest
        self.rng.shuffle(formats)
        return formats

    def located_states(self, n: int) -> list[str]:
        """Draw states by population; from 510 places on, every state and DC has one."""
        every = list(_state_population()) if n >= 10 * len(_state_population()) else []
        states = every + [self.pick(self.state_choice) for _ in range(n - len(every))]
        self.rng.shuffle(states)
        return states

    def sync_sequences(self) -> None:
        """Move PostgreSQL id sequences past the ids assigned here."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for model in (Organization, Location, Group, Schedule):
            table = model.__table__
            self.session.execute(
                select(
                    func.setval(
                        func.pg_get_serial_sequence(table.name, "id"),
                        select(func.max(table.c.id)).scalar_subquery(),
                    )
                )
            )

    # -- organisations and places ----------------------------------------------------------

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

    # -- one group -------------------------------------------------------------------------

    def group(self, number: int, fmt: str, state: str) -> None:
        """Generate one group and its rows."""
        rng, text = self.rng, self.words["descriptions"]
        verified = self.verified_at()
        created = verified - dt.timedelta(days=rng.randrange(400))
        county = self.county(state)
        org = self.organization(county, created)
        venue = self.venue(org, county, created) if fmt in ("in_person", "hybrid") else None
        zone = venue.place.zone if venue else org.home.zone
        if venue:
            self.states.add(venue.place.state)
        topics = self.choose_topics()
        audiences = self.choose_audiences(topics[0])
        languages = self.choose_languages()
        spanish_only = languages == ["es"]
        schedules = self.schedules(zone, english=not spanish_only)
        facilitation = self.pick_weighted(
            HOSPITAL_FACILITATION_WEIGHTS if org.kind == "hospital" else FACILITATION_WEIGHTS
        )
        cost = "free" if spanish_only else self.pick_weighted(COST_WEIGHTS)
        online = fmt in ("online", "hybrid")
        registration = rng.random() < (0.6 if cost == "fee" else 0.4 if online else 0.15)
        first, last = self.person()
        area_code = (venue.place if venue else org.home).area_code
        group_id = self.next_id("group")
        visibility = "on_request" if online and rng.random() < 0.25 else "public"
        join_instructions = None
        if fmt == "phone":
            join_instructions = text["join_instructions_phone"].format(
                code=rng.randrange(1000, 10000)
            )
        elif online:
            join_instructions = text[
                "join_instructions_on_request" if visibility == "on_request"
                else "join_instructions_online"
            ]  # fmt: skip
        has_email = rng.random() < 0.85
        self.rows["group"].append({
            "id": group_id, "organization_id": org.id,
            "location_id": venue.id if venue else None,
            "name": self.name(fmt, topics, audiences, languages, schedules[0], venue),
            "description": self.description(
                fmt, facilitation, cost, registration, topics, audiences, languages
            ),
            "format": fmt, "cost": cost,
            "cost_note": rng.choice(text["cost_notes"]) if cost == "fee" else None,
            "facilitation": facilitation, "registration_required": registration,
            "contact_name": f"{first} {last[0]}." if rng.random() < 0.7 else None,
            "contact_email": f"{first}.{last}@example.org".lower() if has_email else None,
            "contact_phone": self.phone(area_code)
            if not has_email or rng.random() < 0.55 else None,
            "website": f"https://example.org/{org.slug}/groups/{number}"
            if rng.random() < 0.35 else None,
            "join_url": f"https://example.org/join/{rng.getrandbits(40):010x}"
            if online else None,
            "join_phone": self.phone(area_code) if fmt == "phone" else None,
            "join_instructions": join_instructions, "join_visibility": visibility,
            "organiser_name": f"{first} {last}",
            "organiser_email": f"{first}.{last}.{number}@example.org".lower(),
            "organiser_phone": self.phone(area_code),
            "timezone": None if venue else zone, "status": "published",
            "verified_at": verified, "source": SOURCE,
            "source_ref": f"demo-{self.seed}-{number}", "is_demo": True,
            "created_at": created, "updated_at": verified,
        })  # fmt: skip
        for schedule in schedules:
            schedule.update(id=self.next_id("schedule"), group_id=group_id)
            self.rows["schedule"].append(schedule)
        links = (
            ("topic", "topic", topics),
            ("audience", "audience", audiences),
            ("accessibility", "accessibility", venue.features if venue else []),
        )
        for key, vocabulary, slugs in links:
            self.rows[key].extend(
                {"group_id": group_id, "term_id": self.term_ids[(vocabulary, slug)]}
                for slug in slugs
            )
        self.rows["language"].extend(
            {"group_id": group_id, "language_code": code} for code in languages
        )
        self.counts["groups"] += 1
        self.counts["schedules"] += len(schedules)
        self.counts["online"] += fmt == "online"

    def verified_at(self) -> dt.datetime:
        """Spread verification over 18 months; about a third is over a year old."""
        rng = self.rng
        days = rng.randrange(365) if rng.random() < 0.65 else rng.randrange(365, 548)
        moment = dt.time(rng.randrange(13, 24), rng.randrange(60))
        return dt.datetime.combine(self.today - dt.timedelta(days=days), moment, dt.UTC)

    def choose_topics(self) -> list[str]:
        topics = [self.pick(self.topic_choice)]
        chance = self.rng.random()
        for _ in range(2 if chance < 0.1 else 1 if chance < 0.4 else 0):
            related = [t for t in self.topics[topics[-1]]["related"] if t in self.topics]
            candidates = [t for t in related if t not in topics]
            if candidates:
                topics.append(self.rng.choice(candidates))
        return topics

    def choose_audiences(self, topic: str) -> list[str]:
        fitting = [a for a in self.topics[topic]["audiences"] if a in self.audiences]
        if fitting and self.rng.random() < 0.35:
            audiences = [self.rng.choice(fitting)]
        else:
            audiences = [self.pick(self.audience_choice)]
        if self.rng.random() < 0.2:
            second = self.pick(self.audience_choice)
            if second not in audiences:
                audiences.append(second)
        return audiences

    def choose_languages(self) -> list[str]:
        chance = self.rng.random()
        if self.has_spanish and chance < SPANISH_SHARE:
            return ["es"] if self.rng.random() < SPANISH_ONLY_SHARE else ["en", "es"]
        if self.other_language_choice and chance < SPANISH_SHARE + OTHER_LANGUAGE_SHARE:
            code = self.pick(self.other_language_choice)
            return [code, "en"] if self.rng.random() < 0.5 else [code]
        return ["en"] if self.has_english else []

    # -- schedules -------------------------------------------------------------------------

    def schedules(self, zone: str, english: bool) -> list[dict]:
        first = self.schedule(zone, self.pick_weighted(SCHEDULE_WEIGHTS), english)
        if first["kind"] == "dates" or self.rng.random() >= SECOND_SCHEDULE_SHARE:
            return [first]
        second = self.schedule(zone, self.pick_weighted(SECOND_SCHEDULE_KINDS), english)
        if second["weekdays"] == first["weekdays"]:
            return [first]
        return [first, second]

    def schedule(self, zone: str, kind: str, english: bool) -> dict:
        rng, today = self.rng, self.today
        day = self.pick_weighted(WEEKDAY_WEIGHTS)
        starts = WEEKEND_STARTS if day in ("SA", "SU") else WEEKDAY_STARTS
        start = dt.time.fromisoformat(self.pick_weighted(starts))
        minutes = start.hour * 60 + start.minute + self.pick_weighted(DURATIONS)
        row = {
            "kind": "weekly" if kind == "biweekly" else kind, "weekdays": day,
            "repeat_interval": 1, "anchor_date": None, "month_weeks": None, "dates": None,
            "start_time": start, "end_time": dt.time(minutes // 60, minutes % 60),
            "timezone": zone, "valid_from": None, "valid_until": None, "note": None,
        }  # fmt: skip
        weekday = list(WEEKDAY_WEIGHTS).index(day)
        if kind == "biweekly":
            base = today - dt.timedelta(days=rng.randrange(14, 700))
            row["repeat_interval"] = 2
            row["anchor_date"] = base + dt.timedelta(days=(weekday - base.weekday()) % 7)
        elif kind == "monthly":
            row["month_weeks"] = self.pick_weighted(MONTH_WEEKS)
        elif kind == "dates":
            day_one = today + dt.timedelta(days=rng.randrange(-14, 45))
            day_one += dt.timedelta(days=(weekday - day_one.weekday()) % 7)
            step = rng.choice((7, 7, 14, 21, 28))
            row["weekdays"] = None
            row["dates"] = ",".join(
                (day_one + dt.timedelta(days=step * n)).isoformat()
                for n in range(rng.randrange(4, 9))
            )
        if kind != "dates" and rng.random() < 0.08:
            row["valid_from"] = today - dt.timedelta(days=rng.randrange(30, 900))
        if kind != "dates" and rng.random() < 0.03:
            row["valid_until"] = today + dt.timedelta(days=rng.randrange(60, 240))
        if english and rng.random() < 0.08:
            row["note"] = rng.choice(self.words["descriptions"]["schedule_notes"])
        return row

    # -- text ------------------------------------------------------------------------------

    def name(self, fmt, topics, audiences, languages, schedule, venue) -> str:
        rng, names = self.rng, self.words["names"]
        audience = self.audiences[audiences[0]]["short"]
        values = {
            "topics": self.short_topics(topics),
            "aud": f"{audience} " if audience else "",
            "city": venue.place.city if venue else "",
            "venue": venue.name if venue else "",
            "flavor": rng.choice(self.words["places"]["flavors"]),
            "day": "", "day_es": "", "part": "",
            "topic_es": _lower_first(self.label_es.get(("topic", topics[0])) or topics[0]),
            "aud_es": _lower_first(self.label_es.get(("audience", audiences[0])) or ""),
        }  # fmt: skip
        if schedule["weekdays"]:
            index = list(WEEKDAY_WEIGHTS).index(schedule["weekdays"])
            hour = schedule["start_time"].hour
            values["day"] = DAY_NAMES[schedule["weekdays"]]
            values["day_es"] = self.words["spanish"]["days"][index]
            part = "morning" if hour < 12 else "afternoon" if hour < 17 else "evening"
            values["part"] = names["parts"][part]
        if languages == ["es"]:
            templates = names["spanish"]
        elif languages and languages[0] not in ("en", "es"):
            templates = [names["other_language"]]
            values["language"] = self.language_names.get(languages[0], languages[0])
        else:
            templates = names["any"] + (names["placed"] if venue else [])
        usable = [
            t for t in templates
            if (venue or "{city}" not in t)
            and (values["day"] or "{day" not in t)
            and (audiences[0] != "peers" or "{aud_es}" not in t)
        ]  # fmt: skip
        name = rng.choice(usable or names["any"][1:2]).format(**values)
        return " ".join(name.split()) + names["format_suffix"][fmt]

    def short_topics(self, topics: list[str]) -> str:
        """Name up to two topics for a group name: "Depression & Bipolar"."""
        shorts = [self.topics[t]["short"] for t in topics[:2]]
        return " & ".join(shorts) if not any("&" in s for s in shorts) else shorts[0]

    def description(self, fmt, facilitation, cost, registration, topics, audiences, languages):
        rng, text = self.rng, self.words["descriptions"]
        if languages == ["es"]:
            values = {
                "topic_es": _lower_first(self.label_es.get(("topic", topics[0])) or topics[0]),
                "aud_es": _lower_first(self.label_es.get(("audience", audiences[0])) or ""),
            }
            sentences = [rng.choice(text["spanish"]).format(**values)]
            sentences += rng.sample(text["spanish_more"], rng.randrange(1, 3))
            return " ".join(sentences)
        audience = self.audiences[audiences[0]]["phrase"]
        opening = rng.choice(text["opening"]).format(
            lead=text["lead"][facilitation], aud=audience, Aud=audience[:1].upper() + audience[1:],
            topic=_join([self.topics[t]["phrase"] for t in topics]),
        )  # fmt: skip
        if registration:
            practical = "practical_registration"
        elif cost != "free":
            practical = f"practical_{cost}"
        elif fmt != "in_person":
            practical = f"practical_{fmt}"
        else:
            practical = rng.choice(("practical_free", "practical_in_person"))
        pools = [text[facilitation], text["general"], text[practical]]
        chosen = sorted(rng.sample(range(3), rng.randrange(1, 3)))
        sentences = [opening, *(rng.choice(pools[i]) for i in chosen)]
        if "es" in languages:
            sentences.append("Meetings are bilingual, in English and Spanish.")
        elif languages and languages[0] != "en":
            language = self.language_names.get(languages[0], languages[0])
            both = " and English" if "en" in languages else ""
            sentences.append(f"Meetings are held in {language}{both}.")
        return " ".join(sentences)
