"""Tell which format a source is in, from its file names and the shape of its content."""

from __future__ import annotations

import json

from .records import InputError
from .sources import Source

IMPORT_FORMATS = ("csv", "hsds", "hsds-csv", "hsds-1.1", "meeting-guide")
#: Tables only an HSDS 1.1 datapackage has (3.0 renamed or replaced them).
HSDS_11_TABLES = ("regular_schedules.csv", "services_at_location.csv", "physical_addresses.csv")
_MEETING_KEYS = ("slug", "day", "time", "conference_url", "formatted_address")
_SERVICE_KEYS = ("service_at_locations", "organization", "status", "schedules")


def _json_format(value: object) -> str | None:
    if isinstance(value, list):
        first = next((item for item in value if isinstance(item, dict)), None)
        return _json_format(first) if first is not None else None
    if not isinstance(value, dict):
        return None
    if "contents" in value or ("services" in value and "name" in value):
        return "hsds"
    if any(key in value for key in _MEETING_KEYS):
        return "meeting-guide"
    if "name" in value and any(key in value for key in _SERVICE_KEYS):
        return "hsds"
    return None


def package_version(source: Source, fmt: str) -> str:
    """Return the datapackage format ``source`` really is, when ``fmt`` names an HSDS one.

    ``hsds-csv`` and ``hsds-1.1`` both name a datapackage; which version it is shows in its
    tables, so a 1.1 package given as ``hsds-csv`` is read as 1.1 (and a 3.0 one given as
    ``hsds-1.1`` as 3.0) instead of losing its schedules and addresses.
    """
    if fmt not in ("hsds-csv", "hsds-1.1") or not source.is_package:
        return fmt
    return "hsds-1.1" if set(source.files) & set(HSDS_11_TABLES) else "hsds-csv"


def detect(source: Source, encoding: str | None = None) -> str:
    """Return the import format of ``source``, or raise InputError saying what it looked like."""
    if source.is_package:
        names = set(source.files)
        if names & set(HSDS_11_TABLES):
            return "hsds-1.1"
        if "services.csv" in names:
            return "hsds-csv"
        raise InputError(f"{source.name} has no services.csv, so it is not an HSDS datapackage")
    head = source.text(encoding=encoding)[:1000].lstrip()
    if head[:1] in ("{", "["):
        data = source.json(encoding)
        if data in ([], {}):
            raise InputError(f"{source.name} has no records to import")
        found = _json_format(data)
        if found is None:
            raise InputError(
                f"{source.name} is JSON but neither HSDS services nor Meeting Guide meetings; "
                "pass --format if it is one of them"
            )
        return found
    if head[:1] in ('"', "-", *"0123456789", "n", "t", "f"):
        try:
            data = json.loads(source.text(encoding=encoding))
        except ValueError:
            return "csv"
        kind = {str: "a string", bool: "true or false", type(None): "null"}.get(
            type(data), "a number"
        )
        raise InputError(
            f"{source.name} is JSON holding only {kind}, not HSDS services or Meeting Guide "
            "meetings"
        )
    return "csv"
