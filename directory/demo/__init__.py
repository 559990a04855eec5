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

The package: ``data`` (constants, word lists, state and ZIP tables), ``builder`` (one
listing's rows), with ``places`` (organisations, venues) and ``content`` (topics,
schedules, names, descriptions) mixed in; batching and the public API live here.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import delete, exists, func, insert, select
from sqlalchemy.orm import Session

from directory.demo.builder import _Builder
from directory.demo.data import (
    COST_WEIGHTS,
    DAY_NAMES,
    DEMO_DATA_DIR,
    DURATIONS,
    FACILITATION_WEIGHTS,
    FORMAT_SHARES,
    HOSPITAL_FACILITATION_WEIGHTS,
    JITTER_MILES,
    MAX_COUNT,
    MONTH_WEEKS,
    OTHER_LANGUAGE_SHARE,
    REFERENCE_DATE,
    SCHEDULE_WEIGHTS,
    SECOND_SCHEDULE_KINDS,
    SECOND_SCHEDULE_SHARE,
    SOURCE,
    SPANISH_ONLY_SHARE,
    SPANISH_SHARE,
    TABLES,
    WEEKDAY_STARTS,
    WEEKDAY_WEIGHTS,
    WEEKEND_STARTS,
    DemoError,
    ProgressCallback,
)
from directory.models import (
    Group,
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

__all__ = [
    "BATCH_SIZE",
    "COST_WEIGHTS",
    "DAY_NAMES",
    "DEMO_DATA_DIR",
    "DURATIONS",
    "FACILITATION_WEIGHTS",
    "FORMAT_SHARES",
    "HOSPITAL_FACILITATION_WEIGHTS",
    "JITTER_MILES",
    "MAX_COUNT",
    "MONTH_WEEKS",
    "OTHER_LANGUAGE_SHARE",
    "PROJECT_ROOT",
    "REFERENCE_DATE",
    "SCHEDULE_WEIGHTS",
    "SECOND_SCHEDULE_KINDS",
    "SECOND_SCHEDULE_SHARE",
    "SOURCE",
    "SPANISH_ONLY_SHARE",
    "SPANISH_SHARE",
    "TABLES",
    "WEEKDAY_STARTS",
    "WEEKDAY_WEIGHTS",
    "WEEKEND_STARTS",
    "DemoError",
    "ProgressCallback",
    "generate_demo",
    "remove_demo",
]

#: Groups written per ``INSERT`` batch. Read at call time, so tests may monkeypatch it here.
BATCH_SIZE = 5_000


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
    return _run(builder, count, progress)


def _run(builder: _Builder, count: int, progress: ProgressCallback | None) -> dict[str, int]:
    """Generate ``count`` groups with ``builder`` and insert them ``BATCH_SIZE`` at a time."""
    formats = builder.formats(count)
    located = [i for i, f in enumerate(formats) if f in ("in_person", "hybrid")]
    states = builder.located_states(len(located))
    state_of = dict(zip(located, states, strict=True))
    for start in range(0, count, BATCH_SIZE):
        builder.rows = {key: [] for key in TABLES}
        stop = min(start + BATCH_SIZE, count)
        for index in range(start, stop):
            state = state_of.get(index) or builder.pick(builder.state_choice)
            builder.group(index + 1, formats[index], state)
        for key, table in TABLES.items():
            if builder.rows[key]:
                builder.session.execute(insert(table), builder.rows[key])
        if progress is not None:
            progress(stop - start)
    builder.sync_sequences()
    return {**builder.counts, "states": len(builder.states)}


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
