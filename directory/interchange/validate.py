"""Check a read listing and turn it into exactly what would be stored, or the reasons it can't.

Shared by every importer: contacts, choices and lengths are checked here; places get their
coordinates from the offline gazetteer when they have none and their time zone from their
coordinates; schedules are checked by ``directory.schedule``; names become taxonomy terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session

from directory import geo, schedule
from directory.folding import fold
from directory.models import (
    Cost,
    Facilitation,
    Format,
    Group,
    JoinVisibility,
    Organization,
    OrgKind,
    Schedule,
)

from . import values
from .places import length_problems, locate, no_zone_reason
from .records import ListingRecord, OrganizationRecord
from .state import (
    ALWAYS,
    GROUP_FIELDS,
    ORGANIZATION_FIELDS,
    SCHEDULE_FIELDS,
    TERM_FIELDS,
    values_of,
)
from .terms import TermResolver

_CONTACTS = {
    "contact_email": values.email, "organiser_email": values.email,
    "website": values.url, "join_url": values.url,
}  # fmt: skip
_PHONES = ("contact_phone", "join_phone", "organiser_phone")
#: Columns stored as text: a list or object there rejects the record, a number becomes text.
_TEXT = ("name", "description", "cost_note", "contact_name", "join_instructions",
         "organiser_name")  # fmt: skip
_CHOICES = {
    "format": (values.FORMAT_WORDS, "format"),
    "cost": (values.COST_WORDS, "cost"),
    "facilitation": (values.FACILITATION_WORDS, "facilitation"),
    "join_visibility": (values.VISIBILITY_WORDS, "join visibility"),
}
_ORG_KINDS = tuple(kind.value for kind in OrgKind)
REF_MAX = 200
_DEFAULTS = {
    "description": "", "cost": Cost.FREE.value, "facilitation": Facilitation.PEER.value,
    "registration_required": False, "join_visibility": JoinVisibility.PUBLIC.value,
}  # fmt: skip


@dataclass
class Prepared:
    """A listing ready to store: column values, terms and the fields its format expresses."""

    position: str
    ref: str
    name: str
    fields: frozenset[str]
    group: dict[str, Any]
    location: dict[str, Any] | None
    schedules: list[dict[str, Any]]
    terms: dict[str, list]
    organization: dict[str, Any] | None
    warnings: list[str] = field(default_factory=list)

    def state(self) -> dict[str, Any]:
        """Return the same description ``state.group_state`` gives of a stored listing."""
        fields = self.fields | ALWAYS
        result = {name: self.group[name] for name in GROUP_FIELDS if name in fields}
        if "location" in fields:
            result["location"] = self.location
        if "schedules" in fields:
            result["schedules"] = self.schedules
        for name in (*TERM_FIELDS, "languages"):
            if name in fields:
                key = "code" if name == "languages" else "slug"
                result[name] = sorted(getattr(item, key) for item in self.terms[name])
        if "organization" in fields:
            result["organization"] = (
                None
                if self.organization is None
                else {name: self.organization[name] for name in ORGANIZATION_FIELDS}
            )
        return result


@dataclass
class Rejected:
    """A listing that cannot be stored, with every reason found."""

    position: str
    ref: str | None
    name: str | None
    reasons: list[str]
    warnings: list[str] = field(default_factory=list)


class Preparer:
    """Validate the listings of one import against the database's taxonomy and places."""

    def __init__(
        self,
        session: Session,
        fields: frozenset[str],
        *,
        timezone: str | None = None,
        topics: tuple[str, ...] = (),
        geocoder: geo.Geocoder | None = None,
    ) -> None:
        self.fields = fields
        self.geocoder = geocoder
        self.default_timezone = timezone
        self.extra_topics = list(topics)
        self.terms = TermResolver(session)

    def prepare(self, record: ListingRecord) -> Prepared | Rejected:
        """Return the listing as it would be stored, or every reason it cannot be."""
        problems, warnings = list(record.problems), list(record.warnings)
        if not record.ref:
            problems.append("it has no id")
        elif len(record.ref) > REF_MAX:
            problems.append(f"its id is longer than {REF_MAX} characters")
        named_at = len(problems)
        group = self._group(record, problems, warnings)
        name = group["name"]
        if not name and "name must be text" not in problems:
            problems.insert(named_at, "it has no name")
        region = (record.place.country if record.place else None) or "US"
        for column in _PHONES:
            group[column] = self._optional(values.phone, record, column, warnings, region)
        before = len(problems)
        place, zone = self._place(record, problems, warnings)
        group["format"] = self._format(group, place, record, problems)
        if group["format"] in (Format.ONLINE, Format.PHONE):
            place = None
        elif place is None and group["format"] is not None:
            problems.append("an in-person or hybrid group needs an address or coordinates")
        if zone is None and len(problems) == before:  # else bad coordinates or zone say why
            problems.append(no_zone_reason(record.place))
        group["timezone"] = zone if place is None else None
        schedules = self._schedules(record, zone, problems)
        terms = self._terms(record, problems, warnings)
        organization = self._organization(record.organization, problems, warnings)
        problems += length_problems(Group, group, "")
        if problems:
            return Rejected(record.position, record.ref, name, problems, warnings)
        return Prepared(
            record.position, record.ref, name, self.fields, group, place, schedules, terms,
            organization, warnings,
        )  # fmt: skip

    # --- the listing's own values --------------------------------------------------------

    def _group(self, record: ListingRecord, problems: list[str], warnings: list[str]) -> dict:
        group: dict[str, Any] = {}
        for column in GROUP_FIELDS:
            raw = getattr(record, column)
            if column in _CHOICES:
                words_, noun = _CHOICES[column]
                try:
                    raw = values.choice(raw, words_, noun)
                except ValueError as error:
                    problems.append(str(error))
                    raw = None
            elif column in _CONTACTS:
                raw = self._optional(_CONTACTS[column], record, column, warnings)
            elif column in _TEXT:
                try:
                    raw = values.scalar_text(
                        raw,
                        column.replace("_", " "),
                        multiline=column in ("description", "join_instructions"),
                    )
                except ValueError as error:
                    problems.append(str(error))
                    raw = None
            if raw is None:
                raw = _DEFAULTS.get(column)
            group[column] = raw
        return group

    @staticmethod
    def _optional(check, record: ListingRecord, column: str, warnings: list[str], *args):
        try:
            return check(getattr(record, column), column.replace("_", " "), *args)
        except ValueError as error:
            # The organiser's contact is private: the report, printed and kept, never shows it.
            private = column.startswith("organiser_") and isinstance(error, values.ValueProblem)
            warnings.append(f"{error.privately() if private else error}; left out")
            return None

    def _format(self, group: dict, place: dict | None, record: ListingRecord, problems) -> Any:
        if group["format"]:
            return group["format"]
        joinable = group["join_url"] or group["join_phone"]
        if place is not None:
            return Format.HYBRID.value if joinable else Format.IN_PERSON.value
        if group["join_url"]:
            return Format.ONLINE.value
        if group["join_phone"]:
            return Format.PHONE.value
        if record.place is not None and record.place.approximate:
            return Format.ONLINE.value
        if not problems:
            problems.append("it has no address and no way to join online or by phone")
        return None

    # --- where it meets and its time zone ------------------------------------------------

    def _place(self, record: ListingRecord, problems: list[str], warnings: list[str]) -> tuple:
        """Return (location values or None, the listing's time zone)."""
        if record.timezone is not None and not isinstance(record.timezone, str):
            problems.append("time zone must be text")
            return None, None
        zone = record.timezone if geo.valid_timezone(record.timezone or "") else None
        if record.timezone and zone is None:
            problems.append(f"unknown time zone {record.timezone!r}")
        zones = [s.get("timezone") for s in record.schedules if s.get("timezone")]
        zone = zone or next(iter(zones), None)
        fallback = record.fallback_timezone or self.default_timezone
        if record.place is None:
            return None, zone or fallback
        return locate(record.place, zone, fallback, problems, warnings, self.geocoder)

    # --- schedules, terms and organisation -------------------------------------------------

    def _schedules(self, record: ListingRecord, zone: str | None, problems: list[str]) -> list:
        prepared = []
        for number, raw in enumerate(record.schedules, 1):
            fields = {name: raw.get(name) for name in SCHEDULE_FIELDS}
            fields["interval"] = fields["interval"] or 1
            fields["timezone"] = fields["timezone"] or zone
            if fields["timezone"] is None:
                continue  # reported once, as "no time zone"
            found = schedule.problems(SimpleNamespace(**fields))
            prefix = "schedule" if len(record.schedules) == 1 else f"schedule {number}"
            problems += [f"{prefix}: {message}" for message in found]
            if not found:
                fields["weekdays"] = _ordered(fields["weekdays"], schedule.WEEKDAY_CODES)
                fields["month_weeks"] = _ordered(
                    fields["month_weeks"], [str(n) for n in schedule.ORDINALS]
                )
                problems += length_problems(Schedule, fields, f"{prefix}: ")
                prepared.append(fields)
        return prepared

    def _terms(self, record: ListingRecord, problems: list[str], warnings: list[str]) -> dict:
        resolve = self.terms
        topics = record.topics + [t for t in self.extra_topics if t not in record.topics]
        terms = {
            "topics": resolve.strict("topic", topics, problems),
            "audiences": resolve.strict("audience", record.audiences, problems),
            "accessibility": resolve.strict("accessibility", record.accessibility, problems),
            "languages": resolve.strict("language", record.languages, problems),
        }
        loose = resolve.loose_terms(record.loose_terms, warnings)
        scanned = resolve.scan_accessibility(record.accessibility_text)
        for name, extra in (
            ("topics", loose["topic"]),
            ("audiences", loose["audience"]),
            ("accessibility", loose["accessibility"] + scanned),
            ("languages", resolve.loose_languages(record.loose_languages, warnings)),
        ):
            terms[name] += [item for item in extra if item not in terms[name]]
        return terms

    @staticmethod
    def _organization(org: OrganizationRecord | None, problems, warnings) -> dict | None:
        if org is None:
            return None
        try:
            name = values.scalar_text(org.name, "organisation name")
            description = values.scalar_text(org.description, "organisation description",
                                             multiline=True)  # fmt: skip
            kind = fold(values.scalar_text(org.kind, "organisation type") or "")
        except ValueError as error:
            warnings.append(f"{error}; its organisation is left out")
            return None
        if not name:
            warnings.append("its organisation has no name; left out")
            return None
        if kind and kind not in _ORG_KINDS:
            warnings.append(f"organisation type {org.kind!r} is not one of {', '.join(_ORG_KINDS)}")
        data = {
            "name": name,
            "description": description,
            "kind": kind if kind in _ORG_KINDS else values.guess_org_kind(name),
        }
        for column, check in (("website", values.url), ("email", values.email),
                              ("phone", values.phone)):  # fmt: skip
            try:
                data[column] = check(getattr(org, column), f"organisation {column}")
            except ValueError as error:
                warnings.append(f"{error}; left out")
                data[column] = None
        problems += length_problems(Organization, data, "organisation ")
        # Without an id, a name alone would merge different organisations that share it
        # (two "Memorial Hospital"s); a contact tells them apart.
        contact = data["website"] or data["email"] or data["phone"] or ""
        data["ref"] = values.text(org.ref) or f"name:{fold(name)}|{fold(contact)}"[:200]
        return values_of(data, (*ORGANIZATION_FIELDS, "ref"))


def _ordered(text: str | None, order) -> str | None:
    if not text:
        return text
    items = {item.strip().upper() for item in text.split(",") if item.strip()}
    return ",".join(sorted(items, key=list(order).index))
