"""Check Meeting Guide JSON against the specification's schemas (copies in the fixtures)."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource

SCHEMAS = Path(__file__).resolve().parents[2] / "fixtures" / "interchange" / "meeting-guide"
SCHEMAS = SCHEMAS / "schema"
#: Where meeting.schema.json says its parts live; served here from the local copies.
SPEC = "https://raw.githubusercontent.com/code4recovery/spec/refs/heads/main/schema/"


def schema(name: str) -> dict:
    """Return one of the vendored schemas."""
    return json.loads((SCHEMAS / name).read_text())


def meeting_guide_errors(data) -> list[str]:
    """Return every way ``data`` breaks the Meeting Guide feed schema (empty when valid)."""
    registry = Registry().with_resources(
        (SPEC + name, Resource.from_contents(schema(name)))
        for name in ("meeting.schema.json", "meeting-type.schema.json")
    )
    validator = Draft7Validator(
        schema("feed.schema.json"), registry=registry, format_checker=FormatChecker()
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
