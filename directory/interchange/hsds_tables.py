"""Read and write HSDS datapackages: a datapackage.json and one CSV table per kind of record.

Tables are nested into the same service_full shape the JSON reader takes, so one mapping
(``hsds_map``) reads every HSDS version; HSDS 1.1 tables (regular_schedules by weekday,
physical_addresses...) are first renamed into their 3.0 form. Export flattens the JSON
export's services into 3.0 tables.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from directory.models import Group
from directory.schedule import WEEKDAY_CODES

from .hsds import CHUNK_BYTES, FIELDS, services
from .hsds_map import service_record
from .public import ExportContext
from .records import InputError, Reading, guarded
from .sources import Source
from .spreadsheet import GuardedWriter, unguard

#: HSDS 3.0 table -> (file, columns). Nested lists become rows linked by these id columns.
TABLES = {
    "organizations": ("organizations.csv", "id name description email website"),
    "services": ("services.csv", "id organization_id name description url email status "
                 "fees_description assured_date last_modified"),
    "service_at_location": ("service_at_location.csv", "id service_id location_id description"),
    "locations": ("locations.csv", "id location_type url organization_id name description "
                  "latitude longitude"),
    "addresses": ("addresses.csv", "id location_id address_1 address_2 city region "
                  "state_province postal_code country address_type"),
    "phones": ("phones.csv", "id location_id service_id organization_id contact_id number "
               "extension type description"),
    "schedules": ("schedules.csv", "id service_id location_id service_at_location_id valid_from "
                  "valid_to dtstart timezone until count wkst freq interval byday description "
                  "opens_at closes_at notes"),
    "languages": ("languages.csv", "id service_id location_id phone_id name code note"),
    "accessibility": ("accessibility.csv", "id location_id description details url"),
    "contacts": ("contacts.csv", "id organization_id service_id location_id name title email"),
    "attributes": ("attributes.csv", "id link_id taxonomy_term_id link_type link_entity value"),
    "taxonomy_terms": ("taxonomy_terms.csv", "id code name description parent_id taxonomy "
                       "taxonomy_id"),
    "taxonomies": ("taxonomies.csv", "id name description"),
    "cost_options": ("cost_options.csv", "id service_id option currency amount "
                     "amount_description"),
}  # fmt: skip
#: HSDS 1.1 accessibility codes, in words the accessibility vocabulary knows.
V11_ACCESSIBILITY = {
    "wheelchair": "wheelchair accessible", "ramp": "wheelchair accessible",
    "elevator": "elevator", "restroom": "accessible restroom",
    "disabled_parking": "accessible parking", "deaf_interpreter": "sign language interpreter",
}  # fmt: skip


def _table(source: Source, name: str, options) -> list[tuple[int, dict[str, str]]]:
    """Return (line, row) pairs of one table, or nothing when the package lacks it."""
    if name not in source.files:
        return []
    text = source.text(name, options.encoding)
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    rows, line = [], 2  # where the next row starts: the header is line 1
    try:
        for row in reader:
            clean = {(k or "").strip(): unguard((v or "").strip()) for k, v in row.items() if k}
            if any(clean.values()):
                rows.append((line, clean))
            line = reader.line_num + 1
    except csv.Error as error:
        raise InputError(f"{name} line {line}: not readable as CSV ({error})") from None
    return rows


class _Tables:
    """Rows of every table, indexed by the id columns that link them."""

    def __init__(self, source: Source, options, names: dict[str, str]) -> None:
        self.rows = {key: [row for _, row in _table(source, file, options)]
                     for key, file in names.items() if key != "services"}  # fmt: skip
        self.services = _table(source, names["services"], options)

        self._index: dict[tuple[str, str], dict[str, list[dict]]] = {}

    def where(self, table: str, column: str, value: str, **empty: bool) -> list[dict]:
        """Return rows whose ``column`` is ``value`` (and whose named columns are empty)."""
        key = (table, column)
        if key not in self._index:
            index: dict[str, list[dict]] = defaultdict(list)
            for row in self.rows.get(table, []):
                index[row.get(column, "")].append(row)
            self._index[key] = index
        rows = self._index[key].get(value, [])
        return [row for row in rows if all(not row.get(name) for name in empty)]

    def one(self, table: str, value: str) -> dict | None:
        """Return the row with id ``value``."""
        return next(iter(self.where(table, "id", value)), None) if value else None


def _location(tables: _Tables, location_id: str) -> dict:
    location = dict(tables.one("locations", location_id) or {"id": location_id})
    location["addresses"] = tables.where("addresses", "location_id", location_id)
    location["accessibility"] = tables.where("accessibility", "location_id", location_id)
    location["phones"] = tables.where("phones", "location_id", location_id, service_id=True)
    location["languages"] = tables.where("languages", "location_id", location_id, service_id=True)
    return location


def _service(tables: _Tables, row: dict) -> dict:
    sid = row.get("id", "")
    service = dict(row)
    org = tables.one("organizations", row.get("organization_id", ""))
    if org is not None:
        phones = tables.where("phones", "organization_id", org["id"], service_id=True,
                              location_id=True)  # fmt: skip
        service["organization"] = {**org, "phones": phones}
    for key, table in (("phones", "phones"), ("schedules", "schedules"),
                       ("languages", "languages"), ("contacts", "contacts"),
                       ("cost_options", "cost_options")):  # fmt: skip
        service[key] = tables.where(table, "service_id", sid)
    service["attributes"] = []
    for attribute in tables.where("attributes", "link_id", sid):
        term = dict(tables.one("taxonomy_terms", attribute.get("taxonomy_term_id", "")) or {})
        taxonomy = tables.one("taxonomies", term.get("taxonomy_id", ""))
        term.setdefault("taxonomy", taxonomy["name"] if taxonomy else None)
        service["attributes"].append({**attribute, "taxonomy_term": term})
    service["service_at_locations"] = [
        {**link, "location": _location(tables, link.get("location_id", ""))}
        for link in tables.where("service_at_location", "service_id", sid)
    ]
    return service


def _records(tables: _Tables, file_name: str) -> list:
    records = []
    for line, row in tables.services:
        position = f"{file_name} line {line}"
        build = lambda r=row, p=position: service_record(_service(tables, r), p)  # noqa: E731
        records.append(guarded(build, position, row))
    return records


def read(source: Source, options) -> Reading:
    """Read an HSDS 3.0 datapackage (folder, zip or datapackage.json URL)."""
    names = {key: file for key, (file, _) in TABLES.items()}
    if "service_at_locations.csv" in source.files:  # a common misspelling of the table
        names["service_at_location"] = "service_at_locations.csv"
    return Reading(_records(_Tables(source, options, names), "services.csv"), FIELDS)


def read_v11(source: Source, options) -> Reading:
    """Read an HSDS 1.1 datapackage, renaming its tables and columns into the 3.0 shape."""
    names = {
        "organizations": "organizations.csv", "services": "services.csv",
        "service_at_location": "services_at_location.csv", "locations": "locations.csv",
        "addresses": "physical_addresses.csv", "phones": "phones.csv",
        "schedules": "regular_schedules.csv", "languages": "languages.csv",
        "accessibility": "accessibility_for_disabilities.csv", "contacts": "contacts.csv",
        "service_taxonomy": "services_taxonomy.csv", "taxonomy": "taxonomy.csv",
    }  # fmt: skip
    tables = _Tables(source, options, names)
    for org in tables.rows["organizations"]:
        org.setdefault("website", org.get("url", ""))
    for language in tables.rows["languages"]:
        language["name"] = language.get("language", "")
    for feature in tables.rows["accessibility"]:
        code = feature.get("accessibility", "")
        feature["description"] = V11_ACCESSIBILITY.get(code, code.replace("_", " "))
    tables.rows["schedules"] = _weekly(tables)
    tables.rows["attributes"], tables.rows["taxonomy_terms"] = _v11_terms(tables)
    return Reading(_records(tables, "services.csv"), FIELDS)


def _weekly(tables: _Tables) -> list[dict]:
    """Turn 1.1 regular_schedules (one row per weekday, 1 is Monday) into weekly rules."""
    links = {row.get("id"): row.get("service_id") for row in tables.rows["service_at_location"]}
    grouped: dict[tuple, list[str]] = defaultdict(list)
    for row in tables.rows["schedules"]:
        service = row.get("service_id") or links.get(row.get("service_at_location_id"))
        day = row.get("weekday", "")
        code = WEEKDAY_CODES[int(day) - 1] if day.isdigit() and 1 <= int(day) <= 7 else f"?{day}"
        key = (service, row.get("opens_at"), row.get("closes_at"))
        grouped[key].append(code)
    return [
        {"id": f"{service}/{opens}/{closes}", "service_id": service, "freq": "WEEKLY",
         "byday": ",".join(days), "opens_at": opens, "closes_at": closes}
        for (service, opens, closes), days in grouped.items()
    ]  # fmt: skip


def _v11_terms(tables: _Tables) -> tuple[list[dict], list[dict]]:
    terms = [{**row, "taxonomy": row.get("vocabulary")} for row in tables.rows["taxonomy"]]
    links = [{"id": f"{row.get('service_id')}/{row.get('taxonomy_id')}",
              "link_id": row.get("service_id"), "taxonomy_term_id": row.get("taxonomy_id")}
             for row in tables.rows["service_taxonomy"]]  # fmt: skip
    return links, terms


# --- writing -------------------------------------------------------------------------------


class _TableWriter:
    """Flatten services into the 3.0 tables as they come, each table spooled to a file.

    A row shared by many services (an organisation, a place, a taxonomy term) is written the
    first time its id is seen; only those ids are remembered, and a service's own rows are
    told apart within the service, so memory grows with places and organisations at most.
    """

    def __init__(self, folder: Path) -> None:
        self.paths = {key: folder / file_name for key, (file_name, _) in TABLES.items()}
        self._files = {key: open(path, "w", newline="", encoding="utf-8")  # noqa: SIM115
                       for key, path in self.paths.items()}  # fmt: skip
        self._columns = {key: columns.split() for key, (_, columns) in TABLES.items()}
        self._writers = {key: GuardedWriter(stream) for key, stream in self._files.items()}
        for key, writer in self._writers.items():
            writer.writerow(self._columns[key])
        self._shared: dict[str, set[str]] = defaultdict(set)
        self._own: dict[str, set[str]] = defaultdict(set)

    def _put(self, table: str, row: dict, seen: dict[str, set[str]], **links: Any) -> bool:
        if row["id"] in seen[table]:
            return False
        seen[table].add(row["id"])
        merged = {**row, **links}
        self._writers[table].writerow(merged.get(column) for column in self._columns[table])
        return True

    def add(self, service: dict) -> None:
        """Write one service_full's rows into the tables."""
        self._own.clear()
        own, shared = self._own, self._shared
        sid, org = service["id"], service.get("organization")
        if org and self._put("organizations", org, shared):
            for phone in org.get("phones", []):
                self._put("phones", phone, shared, organization_id=org["id"])
        self._put("services", service, own, organization_id=org["id"] if org else None)
        for key in ("phones", "schedules", "languages", "contacts"):
            for row in service.get(key, []):
                self._put(key, row, own, service_id=sid)
        for attribute in service.get("attributes", []):
            term = attribute["taxonomy_term"]
            self._put("taxonomy_terms", term, shared, taxonomy_id=term["taxonomy_detail"]["id"])
            self._put("taxonomies", term["taxonomy_detail"], shared)
            self._put("attributes", attribute, own, link_id=sid, taxonomy_term_id=term["id"])
        for link in service.get("service_at_locations", []):
            location = link["location"]
            self._put("service_at_location", link, own, service_id=sid, location_id=location["id"])
            if self._put("locations", location, shared):
                for row in location.get("addresses", []):
                    self._put("addresses", row, shared, location_id=location["id"])
            for key in ("accessibility", "phones"):
                for row in location.get(key, []):
                    self._put(key, row, own, location_id=location["id"])

    def close(self) -> None:
        """Finish every table file."""
        for stream in self._files.values():
            stream.close()


def descriptor(context: ExportContext) -> dict:
    """Return the datapackage.json of the tables."""
    resources = []
    for key, (file_name, columns) in TABLES.items():
        resources.append({
            "name": key, "path": file_name, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": [{"name": n, "type": "string"} for n in columns.split()]},
        })  # fmt: skip
    return {
        "name": "peer-support-directory", "title": context.title,
        "profile": "tabular-data-package", "version": "3.0", "resources": resources,
    }  # fmt: skip


@contextlib.contextmanager
def package_files(groups: Iterable[Group], context: ExportContext) -> Iterator[dict[str, Path]]:
    """Yield the files of an HSDS 3.0 datapackage, written to a temporary folder, by name."""
    with tempfile.TemporaryDirectory(prefix="hsds-tables-") as folder:
        tables = _TableWriter(Path(folder))
        try:
            for service in services(groups, context):
                tables.add(service)
        finally:
            tables.close()
        files = {TABLES[key][0]: path for key, path in tables.paths.items()}
        package = Path(folder) / "datapackage.json"
        package.write_text(json.dumps(descriptor(context), indent=1), encoding="utf-8")
        files["datapackage.json"] = package
        yield files


def write(groups: Iterable[Group], context: ExportContext) -> Iterator[bytes]:
    """Yield an HSDS 3.0 datapackage as a zip file, a chunk at a time."""
    with package_files(groups, context) as files, tempfile.TemporaryFile() as buffer:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, path in files.items():
                entry = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                with path.open("rb") as source, archive.open(entry, "w") as target:
                    shutil.copyfileobj(source, target, CHUNK_BYTES)
        buffer.seek(0)
        while chunk := buffer.read(CHUNK_BYTES):
            yield chunk
