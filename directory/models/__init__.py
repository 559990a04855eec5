"""Define the directory's tables: organisations, groups, places, schedules, taxonomy, audit."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    event,
    false,
    inspect,
    or_,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from directory.extensions import Base

from .accounts import Moderator, moderator_organization
from .audit import ActorKind, AuditAction, AuditRecord
from .base import TimestampMixin, UTCDateTime, _one_of, _sorted, utcnow
from .review import Submission
from .upkeep import (
    ChangeOutcome,
    ChangeRequest,
    ProblemReport,
    Reminder,
    ReportKind,
    TrustedOrganiser,
)

__all__ = [
    "ActorKind", "AuditAction", "AuditRecord", "ChangeOutcome", "ChangeRequest", "Cost",
    "DuplicateFlag", "Facilitation", "Format", "Group", "JoinVisibility", "Language",
    "Location", "Moderator", "OrgKind", "Organization", "ProblemReport", "Reminder",
    "ReportKind", "Schedule", "Status", "Submission", "TaxonomyTerm", "TimestampMixin",
    "TrustedOrganiser", "UTCDateTime", "Vocabulary", "group_accessibility", "group_audience",
    "group_language", "group_topic", "moderator_organization", "utcnow",
]  # fmt: skip


class Status(enum.StrEnum):
    """Where a listing is in its life."""

    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    ARCHIVED = "archived"
    #: The organiser closed it for good: its page says so and points to similar groups.
    CLOSED = "closed"


class Format(enum.StrEnum):
    """How a group meets."""

    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"
    PHONE = "phone"


class Cost(enum.StrEnum):
    """What attending costs."""

    FREE = "free"
    DONATION = "donation"
    FEE = "fee"


class Facilitation(enum.StrEnum):
    """Who leads the meetings."""

    PEER = "peer"
    PROFESSIONAL = "professional"
    CO = "co"


class OrgKind(enum.StrEnum):
    """The kind of organisation that hosts groups."""

    NAMI = "nami"
    DBSA = "dbsa"
    MHA = "mha"
    HOSPITAL = "hospital"
    COMMUNITY = "community"
    INDEPENDENT = "independent"
    OTHER = "other"


class Vocabulary(enum.StrEnum):
    """The taxonomy's vocabularies."""

    TOPIC = "topic"
    AUDIENCE = "audience"
    ACCESSIBILITY = "accessibility"


class JoinVisibility(enum.StrEnum):
    """How an online group's joining details are shown."""

    PUBLIC = "public"
    ON_REQUEST = "on_request"


SCHEDULE_KINDS = ("weekly", "monthly", "dates")


def _association(name: str, right: str, right_column: str, *extra: Column) -> Table:
    return Table(
        name,
        Base.metadata,
        Column(
            "group_id",
            ForeignKey("support_group.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column(
            right_column,
            ForeignKey(
                f"{right}.id" if right != "language" else "language.code", ondelete="CASCADE"
            ),
            primary_key=True,
        ),
        *extra,
    )


def _inferred() -> Column:
    """Say whether a listing's topic or audience was inferred from its words, not given.

    On the link itself, so it goes with the link: the relationships below write links as
    given (false), and ``services.inference`` marks the ones it inferred.
    """
    return Column("inferred", Boolean, nullable=False, default=False, server_default=false())


group_topic = _association("group_topic", "taxonomy_term", "term_id", _inferred())
group_audience = _association("group_audience", "taxonomy_term", "term_id", _inferred())
group_accessibility = _association("group_accessibility", "taxonomy_term", "term_id")
group_language = _association("group_language", "language", "language_code")


class Organization(TimestampMixin, Base):
    """A network or host that runs groups (HSDS organization)."""

    __tablename__ = "organization"
    __table_args__ = (
        UniqueConstraint("source", "source_ref"),
        _one_of("kind", _sorted(OrgKind)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=OrgKind.OTHER.value)
    description: Mapped[str | None] = mapped_column(Text)
    # The organisation's public contact (HSDS organization), shown in the API and feeds; a
    # person's own address belongs in a group's private organiser_* fields instead.
    website: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    source: Mapped[str | None] = mapped_column(String(100))
    source_ref: Mapped[str | None] = mapped_column(String(200))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Its organisers' edits publish at once (still audited), with no moderator's review.
    trusted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    groups: Mapped[list[Group]] = relationship(back_populates="organization")

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.name!r}>"


class TaxonomyTerm(Base):
    """A topic, audience or accessibility feature with its plain-language label."""

    __tablename__ = "taxonomy_term"
    __table_args__ = (
        UniqueConstraint("vocabulary", "slug"),
        _one_of("vocabulary", _sorted(Vocabulary)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vocabulary: Mapped[str] = mapped_column(String(20))
    slug: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(120))
    label_es: Mapped[str | None] = mapped_column(String(120))
    synonyms: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str | None] = mapped_column(Text)

    @property
    def synonym_list(self) -> list[str]:
        """Return the synonyms as a list."""
        return [s.strip() for s in self.synonyms.split("|") if s.strip()]

    def __repr__(self) -> str:
        return f"<TaxonomyTerm {self.vocabulary}:{self.slug}>"


class Language(Base):
    """A language a group meets in, by ISO 639-1 code."""

    __tablename__ = "language"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    native_name: Mapped[str | None] = mapped_column(String(80))

    def __repr__(self) -> str:
        return f"<Language {self.code}>"


class Location(TimestampMixin, Base):
    """A physical meeting place (HSDS location with its address)."""

    __tablename__ = "location"
    __table_args__ = (
        CheckConstraint(
            "latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", name="latitude_range"
        ),
        CheckConstraint(
            "longitude IS NULL OR (longitude >= -180 AND longitude <= 180)", name="longitude_range"
        ),
        CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="coordinates_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    room: Mapped[str | None] = mapped_column(String(120))
    address_1: Mapped[str | None] = mapped_column(String(200))
    address_2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(60))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2), default="US")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    timezone: Mapped[str] = mapped_column(String(64))

    groups: Mapped[list[Group]] = relationship(back_populates="location")

    @property
    def one_line(self) -> str:
        """Return the address on one line."""
        parts = [self.address_1, self.address_2, self.city]
        tail = " ".join(p for p in (self.region, self.postal_code) if p)
        return ", ".join(p for p in [*parts, tail] if p)


class Group(TimestampMixin, Base):
    """A peer support group (HSDS service) and how to take part."""

    __tablename__ = "support_group"
    __table_args__ = (
        UniqueConstraint("source", "source_ref"),
        _one_of("status", _sorted(Status)),
        _one_of("format", _sorted(Format)),
        _one_of("cost", _sorted(Cost)),
        _one_of("facilitation", _sorted(Facilitation)),
        _one_of("join_visibility", _sorted(JoinVisibility)),
        CheckConstraint(
            "format IN ('online', 'phone') OR location_id IS NOT NULL",
            name="place_for_in_person",
        ),
        CheckConstraint(
            "location_id IS NOT NULL OR timezone IS NOT NULL", name="timezone_for_online"
        ),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("location.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(20), default=Format.IN_PERSON.value)
    cost: Mapped[str] = mapped_column(String(20), default=Cost.FREE.value)
    cost_note: Mapped[str | None] = mapped_column(String(200))
    facilitation: Mapped[str] = mapped_column(String(20), default=Facilitation.PEER.value)
    registration_required: Mapped[bool] = mapped_column(Boolean, default=False)
    # Public contact, shown on the listing.
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(500))
    # How to join an online or phone group, shown as the organiser chose.
    join_url: Mapped[str | None] = mapped_column(String(500))
    join_phone: Mapped[str | None] = mapped_column(String(40))
    join_instructions: Mapped[str | None] = mapped_column(Text)
    join_visibility: Mapped[str] = mapped_column(String(20), default=JoinVisibility.PUBLIC.value)
    # Private organiser contact: moderators only, never on a public page or feed.
    organiser_name: Mapped[str | None] = mapped_column(String(120))
    organiser_email: Mapped[str | None] = mapped_column(String(254))
    organiser_phone: Mapped[str | None] = mapped_column(String(40))
    # Time zone of a group without a place (online, phone).
    timezone: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default=Status.PENDING.value, index=True)
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # Paused by its organiser: still listed, "Not meeting until" resumes_on (None: until
    # the organiser says it meets again). A date in the past means it meets again.
    paused_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    resumes_on: Mapped[dt.date | None] = mapped_column(Date)
    # Part of every manage link: a moderator raises it to make the links sent so far useless.
    manage_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    source: Mapped[str | None] = mapped_column(String(100))
    source_ref: Mapped[str | None] = mapped_column(String(200))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Fields a moderator corrected, by their names in interchange.state ("name", "location",
    # "topics"): a re-import keeps them. Always replaced, never changed in place, so the ORM
    # notices.
    corrected_fields: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")

    organization: Mapped[Organization | None] = relationship(back_populates="groups")
    location: Mapped[Location | None] = relationship(back_populates="groups")
    schedules: Mapped[list[Schedule]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Schedule.id"
    )
    topics: Mapped[list[TaxonomyTerm]] = relationship(secondary=group_topic)
    audiences: Mapped[list[TaxonomyTerm]] = relationship(secondary=group_audience)
    accessibility: Mapped[list[TaxonomyTerm]] = relationship(secondary=group_accessibility)
    languages: Mapped[list[Language]] = relationship(secondary=group_language)

    @property
    def effective_timezone(self) -> str:
        """Return the zone the group's times are in: its place's, or its own."""
        if self.location is not None:
            return self.location.timezone
        return self.timezone or "UTC"

    def paused_on(self, day: dt.date) -> bool:
        """Return whether the organiser has paused the group on ``day`` (a local date)."""
        return self.paused_at is not None and (self.resumes_on is None or day < self.resumes_on)

    @property
    def is_online(self) -> bool:
        """Return whether the group can be joined without travelling."""
        return self.format in (Format.ONLINE, Format.PHONE, Format.HYBRID)

    def __repr__(self) -> str:
        return f"<Group {self.id} {self.name!r} {self.status}>"


class Schedule(Base):
    """When a group meets: a recurrence rule in a time zone (see ``directory.schedule``)."""

    __tablename__ = "schedule"
    __table_args__ = (
        _one_of("kind", SCHEDULE_KINDS),
        CheckConstraint("repeat_interval >= 1 AND repeat_interval <= 52", name="interval_range"),
        CheckConstraint("end_time IS NULL OR end_time > start_time", name="end_after_start"),
        CheckConstraint(
            "valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from",
            name="valid_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("support_group.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="weekly")
    weekdays: Mapped[str | None] = mapped_column(String(30))
    # "interval" is an SQL keyword, so the column has another name.
    interval: Mapped[int] = mapped_column("repeat_interval", Integer, default=1)
    anchor_date: Mapped[dt.date | None] = mapped_column(Date)
    month_weeks: Mapped[str | None] = mapped_column(String(20))
    dates: Mapped[str | None] = mapped_column(Text)
    start_time: Mapped[dt.time] = mapped_column(Time)
    end_time: Mapped[dt.time | None] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(300))

    group: Mapped[Group] = relationship(back_populates="schedules")


@event.listens_for(Schedule, "before_insert")
@event.listens_for(Schedule, "before_update")
def _validate_schedule(_mapper, _connection, target: Schedule) -> None:
    """Refuse a schedule that cannot produce meetings, whoever writes it (pages rely on it)."""
    from directory.schedule import validate

    validate(target)


class DuplicateFlag(Base):
    """A listing an import found to look like another one (same name, place and time).

    Moderators decide: merge, keep both, or reject; deleting either listing removes the flag.
    """

    __tablename__ = "duplicate_flag"
    __table_args__ = (
        UniqueConstraint("group_id", "duplicate_of_id"),
        CheckConstraint("group_id <> duplicate_of_id", name="not_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("support_group.id", ondelete="CASCADE"), index=True
    )
    duplicate_of_id: Mapped[int] = mapped_column(
        ForeignKey("support_group.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[Group] = relationship(foreign_keys=[group_id])
    duplicate_of: Mapped[Group] = relationship(foreign_keys=[duplicate_of_id])


#: Columns of a place or an organisation that no listing shows: a change to them alone
#: leaves its groups' updated_at as it was.
UNSHOWN_COLUMNS = frozenset({"created_at", "updated_at", "trusted"})


def _changed_in_place(item: Location | Organization) -> bool:
    """Say whether a stored place or organisation has a shown column changed (not a link)."""
    state = inspect(item)
    if not state.persistent:
        return False
    return any(
        state.attrs[column.key].history.has_changes()
        for column in state.mapper.column_attrs
        if column.key not in UNSHOWN_COLUMNS
    )


@event.listens_for(Session, "before_flush")
def _touch_changed_groups(session: Session, _context, _instances) -> None:
    """Move a group's updated_at when it, its schedules, its terms, place or organisation change.

    Feeds and the search index tell what changed from updated_at, and a schedule edit, a new
    topic or an edited address leaves the group's own columns as they were. The groups of an
    edited place or organisation are touched with one UPDATE, however many there are (an
    organisation may host thousands), never by loading them.
    """
    now = utcnow()
    places: set[int] = set()
    organizations: set[int] = set()
    for item in (*session.new, *session.dirty, *session.deleted):
        if isinstance(item, Schedule):
            group = item.group
            if group is not None and group not in session.deleted:
                group.updated_at = now
        elif isinstance(item, Group) and item in session.dirty and session.is_modified(item):
            item.updated_at = now
        elif isinstance(item, Location) and item in session.dirty and _changed_in_place(item):
            places.add(item.id)
        elif isinstance(item, Organization) and item in session.dirty and _changed_in_place(item):
            organizations.add(item.id)
    if places or organizations:
        using = []
        if places:
            using.append(Group.location_id.in_(sorted(places)))
        if organizations:
            using.append(Group.organization_id.in_(sorted(organizations)))
        session.execute(
            update(Group).where(or_(*using)).values(updated_at=now),
            execution_options={"synchronize_session": "evaluate"},
        )
