"""Run an import from start to end: read the source, check every record, then save in one go.

Nothing is written until every record has been checked, and everything is written in one
transaction: a failure while saving leaves the database exactly as it was.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from directory.geo import Geocoder, OfflineGeocoder, make_geocoder
from directory.models import Status

from .detect import detect, package_version
from .records import InputError, Reading
from .report import ImportReport
from .sources import Opener, Source, load
from .upsert import write_listings
from .validate import Preparer, Rejected

log = logging.getLogger(__name__)

SOURCE_MAX = 100

#: A progress bar maker: ``progress(label, length)`` gives a context with ``update(n)``.
ProgressFactory = Callable[[str, int], Any]


@dataclass(frozen=True)
class ImportOptions:
    """How to import: the format (detected when None), where listings go, what to skip."""

    format: str | None = None
    source: str | None = None
    publish: bool = False
    dry_run: bool = False
    keep_missing: bool = False
    strict: bool = False
    timezone: str | None = None
    topics: tuple[str, ...] = ()
    encoding: str | None = None


class _NoBar:
    def update(self, n: int) -> None:
        pass


@contextlib.contextmanager
def _no_progress(label: str, length: int):
    yield _NoBar()


class _Checked:
    """Sort records into accepted, rejected (kept from archiving) and closed."""

    def __init__(self) -> None:
        self.accepted: list = []
        self.kept: set[str] = set()
        self.closed: dict[str, tuple[str, str]] = {}
        self.first_at: dict[str, str] = {}
        self.unnamed = 0

    def check(self, record, preparer: Preparer, report: ImportReport) -> None:
        """Check one record and note the outcome in ``report``."""
        ref, position = record.ref, record.position
        report.read(position)
        if ref and ref in self.first_at:
            message = f"id {ref} is used twice (first at {self.first_at[ref]})"
            report.add("rejected", position, ref, record.name, message)
            return
        if ref:
            self.first_at[ref] = position
        if record.inactive and ref:
            self.closed[ref] = (position, record.inactive)
            report.add("skipped", position, ref, record.name, record.inactive)
            return
        if record.unreadable:
            self._reject(record, "; ".join(record.problems), report)
            return
        try:
            result = preparer.prepare(record)
        except Exception as error:  # one odd record must not stop the others
            log.exception("could not check the record at %s", position)
            self._reject(record, f"it could not be checked ({type(error).__name__}: {error})",
                         report)  # fmt: skip
            return
        for warning in result.warnings:
            report.warn(position, warning, ref, result.name)
        if isinstance(result, Rejected):
            self._reject(record, "; ".join(result.reasons), report, result.name)
        else:
            self.accepted.append(result)

    def _reject(self, record, message: str, report: ImportReport, name=None) -> None:
        report.add("rejected", record.position, record.ref, name or record.name, message)
        if record.ref:
            self.kept.add(record.ref)  # still in the feed: never archive it for being unreadable
        else:
            self.unnamed += 1


_VERSION_NOTE = {
    "hsds-1.1": "--format {given} was given, but the package has HSDS 1.1 tables "
    "(regular_schedules.csv, physical_addresses.csv, services_at_location.csv): read as HSDS 1.1",
    "hsds-csv": "--format {given} was given, but the package has no HSDS 1.1 tables: "
    "read as HSDS 3.0",
}


def readers() -> dict[str, Callable[[Source, ImportOptions], Reading]]:
    """Return each import format's reader."""
    from . import csv_format, hsds, hsds_tables, meeting_guide

    return {
        "csv": csv_format.read,
        "hsds": hsds.read,
        "hsds-csv": hsds_tables.read,
        "hsds-1.1": hsds_tables.read_v11,
        "meeting-guide": meeting_guide.read,
    }


def default_source(location: str, fmt: str) -> str:
    """Name a source after its format and file or address: "csv:chicago-groups.csv"."""
    parts = urlsplit(location)
    if parts.scheme in ("http", "https"):
        name = parts.netloc + parts.path.rstrip("/")
    else:
        name = Path(location.rstrip("/")).name or location
    return f"{fmt}:{name}"[:SOURCE_MAX]


def _read(location: str, options: ImportOptions, report: ImportReport, opener) -> Reading | None:
    try:
        source = load(location, opener)
        if options.format:
            report.format = package_version(source, options.format)
            if report.format != options.format:
                report.warn("file", _VERSION_NOTE[report.format].format(given=options.format))
        else:
            report.format = detect(source, options.encoding)
        reading = readers()[report.format](source, options)
    except InputError as error:
        report.fail(str(error))
        return None
    except Exception as error:  # an odd file must not crash the command: say what happened
        log.exception("could not read %s", location)
        report.fail(f"{location} could not be read ({type(error).__name__}: {error})")
        return None
    for warning in source.warnings:
        report.warn("file", warning)
    if not reading.records:
        report.fail(f"{location} has no records to import")
        return None
    return reading


def street_geocoder() -> Geocoder | None:
    """Return the site's geocoder (GEOCODER) for street addresses, if it is an online one.

    None for the offline default: the offline geocoder is the gazetteer that already fills
    coordinates from a ZIP code or city, so an import without configuration is unchanged.
    Raises ValueError when the settings are wrong.
    """
    if not has_app_context():
        return None
    geocoder = make_geocoder(current_app.config)
    return None if isinstance(geocoder, OfflineGeocoder) else geocoder


def run_import(
    session: Session,
    location: str,
    options: ImportOptions | None = None,
    *,
    progress: ProgressFactory | None = None,
    opener: Opener | None = None,
) -> ImportReport:
    """Import listings from a file, folder, zip or URL; return what happened to each."""
    options = options or ImportOptions()
    progress = progress or _no_progress
    report = ImportReport(location=location, dry_run=options.dry_run)
    reading = _read(location, options, report, opener)
    if reading is None:
        return report
    report.source = options.source or default_source(location, report.format)
    try:
        geocoder = street_geocoder()
    except ValueError as error:
        report.fail(str(error))
        return report
    preparer = Preparer(session, reading.fields, timezone=options.timezone,
                        topics=tuple(options.topics), geocoder=geocoder)  # fmt: skip
    unknown: list[str] = []
    preparer.terms.strict("topic", list(options.topics), unknown)
    if unknown:  # else every record would be rejected for it
        report.fail(f"--topic: {'; '.join(unknown)}")
        return report
    checked = _Checked()
    with progress("Checking records", len(reading.records)) as bar:
        for record in reading.records:
            bar.update(1)
            checked.check(record, preparer, report)
    if options.strict and report.count("rejected"):
        session.rollback()
        report.fail(f"{report.count('rejected')} records were rejected and --strict was given")
        return report
    _save(session, checked, options, report, progress)
    return report


def _save(session, checked: _Checked, options, report, progress) -> None:
    status = Status.PUBLISHED.value if options.publish else Status.PENDING.value
    try:
        with progress("Saving listings", len(checked.accepted)) as bar:
            write_listings(
                session, checked.accepted, source=report.source, status=status, report=report,
                archive_missing=not options.keep_missing,
                safe_to_archive=bool(checked.accepted) and not checked.unnamed,
                kept_refs=checked.kept, closed_refs=checked.closed,
                advance=bar.update,
            )  # fmt: skip
        if options.dry_run:
            session.rollback()
        else:
            session.commit()
    except Exception as error:  # any failure at all: undo everything, report, don't crash
        session.rollback()
        log.exception("import of %s failed while saving", report.location)
        report.entries = [e for e in report.entries if e.outcome in ("rejected", "skipped")]
        report.conflicts = []  # nothing was kept or changed: the whole import was undone
        report.inferred = []
        report.fail(f"saving failed, so nothing was changed ({type(error).__name__}: {error})")
