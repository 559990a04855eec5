"""The per-listing builder: random source, id counters, registries and one group's rows."""

from __future__ import annotations

import datetime as dt
import math
import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.demo.content import _Content
from directory.demo.data import (
    COST_WEIGHTS,
    DURATIONS,
    FACILITATION_WEIGHTS,
    FORMAT_SHARES,
    HOSPITAL_FACILITATION_WEIGHTS,
    MONTH_WEEKS,
    SCHEDULE_WEIGHTS,
    SECOND_SCHEDULE_KINDS,
    SOURCE,
    WEEKDAY_STARTS,
    WEEKDAY_WEIGHTS,
    WEEKEND_STARTS,
    DemoError,
    _counties,
    _cumulative,
    _state_population,
    _words,
)
from directory.demo.places import _Org, _Places
from directory.models import (
    ActorKind,
    AuditAction,
    Group,
    Language,
    Location,
    Organization,
    Schedule,
    TaxonomyTerm,
)


class _Builder(_Places, _Content):
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

    # -- batch-wide choices (the batches are written by ``directory.demo``) ----------------

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
        self.rows["audit"].append({
            "group_id": group_id, "at": created, "action": AuditAction.CREATED.value,
            "actor_kind": ActorKind.COMMAND.value,
            "actor_id": None, "actor_label": "demo", "changes": {"status": [None, "published"]},
            "note": "fictional demo listing",
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
