"""The API's OpenAPI document (``/api/v1/openapi.json``) and a page that reads it (``/api``).

The document is spectree's, generated from the models in ``web.api_schema`` and the views
they decorate. The page is rendered on the server from that same document (operations,
their parameters with types, limits and descriptions, their answers, and every schema), so
it says nothing the document does not; it needs no script and loads nothing from elsewhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, jsonify, render_template
from markupsafe import Markup, escape

from directory.web.api_schema import spec

bp = Blueprint("api_docs", __name__)

#: How long browsers and caches may keep the document (it changes only with a deploy).
MAX_AGE_SECONDS = 3600
_METHODS = ("get", "put", "post", "delete", "patch")
_REF = "#/components/schemas/"
#: `code` in a description, as Markdown (which OpenAPI descriptions are) writes it, or
#: ``code`` as the docstrings that become descriptions do.
_CODE = re.compile(r"``?([^`]+)``?")


@dataclass(frozen=True)
class Words:
    """A piece of a type in words; ``schema`` names the schema it links to, if any."""

    text: str
    schema: str | None = None


@dataclass(frozen=True)
class Row:
    """A parameter or a property: its name, type in words, limits and description."""

    name: str
    type: tuple[Words, ...]
    required: bool
    limits: tuple[str, ...]
    description: Markup
    where: str = ""


@dataclass(frozen=True)
class Answer:
    """One status an operation may answer with."""

    status: str
    description: Markup
    type: tuple[Words, ...]


@dataclass(frozen=True)
class Operation:
    """One method on one path."""

    anchor: str
    method: str
    path: str
    summary: Markup
    description: Markup
    parameters: tuple[Row, ...]
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Schema:
    """One component schema with its properties."""

    name: str
    description: Markup
    properties: tuple[Row, ...]


def document() -> dict[str, Any]:
    """Return the OpenAPI 3.1 document (generated once per process, from the code)."""
    return spec.spec


def prose(text: str | None) -> Markup:
    """Return a description as HTML: escaped, with its `code` spans as <code>."""
    parts = _CODE.split(text or "")
    return Markup("").join(
        Markup("<code>%s</code>") % part if odd else escape(part)
        for odd, part in ((number % 2 == 1, part) for number, part in enumerate(parts))
    )


def type_words(schema: Mapping[str, Any]) -> tuple[Words, ...]:
    """Return a schema's type in words: 'integer', 'list of Hit', 'Place or null'..."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(_REF)
        return (Words(name, name),)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            parts: list[Words] = []
            for number, option in enumerate(schema[key]):
                if number:
                    parts.append(Words(" or "))
                parts.extend(type_words(option))
            return tuple(parts)
    kind = schema.get("type")
    if kind == "array":
        return (Words("list of "), *type_words(schema.get("items", {})))
    if kind == "object" and isinstance(schema.get("additionalProperties"), Mapping):
        return (Words("map of names to "), *type_words(schema["additionalProperties"]))
    if kind is None:
        return (Words("any"),)
    text = "null" if kind == "null" else str(kind)
    if schema.get("format"):
        text += f" ({schema['format']})"
    return (Words(text),)


def limits(schema: Mapping[str, Any]) -> tuple[str, ...]:
    """Return a schema's limits in words: range, length, allowed values and default."""
    found = []
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        found.append(f"from {low:g} to {high:g}")
    elif low is not None:
        found.append(f"at least {low:g}")
    elif high is not None:
        found.append(f"at most {high:g}")
    if "maxLength" in schema:
        found.append(f"at most {schema['maxLength']} characters")
    items = schema.get("items", {})
    if "enum" in schema or "enum" in items:
        values = schema.get("enum") or items["enum"]
        found.append("one of: " + ", ".join(str(value) for value in values))
    if "maxLength" in items:
        found.append(f"each at most {items['maxLength']} characters")
    if schema.get("default") not in (None, []):
        found.append(f"default: {json.dumps(schema['default'])}")
    return tuple(found)


def _row(name: str, schema: Mapping[str, Any], required: bool, where: str = "") -> Row:
    return Row(
        name=name,
        type=type_words(schema),
        required=required,
        limits=limits(schema),
        description=prose(schema.get("description")),
        where=where,
    )


def _answers(responses: Mapping[str, Any]) -> Iterator[Answer]:
    for status in sorted(responses):
        answer = responses[status]
        content = answer.get("content", {}).get("application/json", {})
        kind = type_words(content["schema"]) if "schema" in content else ()
        yield Answer(status, prose(answer.get("description")), kind)


def operations(doc: Mapping[str, Any]) -> list[Operation]:
    """Return every operation of ``doc``, in the order of its paths."""
    found = []
    for path, item in doc.get("paths", {}).items():
        for method in _METHODS:
            if method not in item:
                continue
            operation = item[method]
            parameters = tuple(
                _row(
                    p["name"],
                    {**p.get("schema", {}), "description": p.get("description", "")},
                    p.get("required", False),
                    p["in"],
                )
                for p in operation.get("parameters", [])
            )
            found.append(
                Operation(
                    anchor=operation.get("operationId", f"{method}-{path}"),
                    method=method.upper(),
                    path=path,
                    summary=prose(operation.get("summary")),
                    description=prose(operation.get("description")),
                    parameters=parameters,
                    answers=tuple(_answers(operation.get("responses", {}))),
                )
            )
    return found


def schemas(doc: Mapping[str, Any]) -> list[Schema]:
    """Return every component schema of ``doc``, by name."""
    found = []
    for name, schema in sorted(doc.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", ()))
        properties = tuple(
            _row(prop, prop_schema, prop in required)
            for prop, prop_schema in schema.get("properties", {}).items()
        )
        found.append(Schema(name, prose(schema.get("description")), properties))
    return found


@bp.get("/api/v1/openapi.json")
def openapi_document() -> Response:
    """Return the API's OpenAPI 3.1 document, readable from any origin."""
    response = jsonify(document())
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE_SECONDS
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/api")
def reference() -> str:
    """Show the API's reference, read from its OpenAPI document."""
    doc = document()
    return render_template(
        "api/docs.html",
        info=doc["info"],
        about=prose(doc["info"].get("description")),
        operations=operations(doc),
        schemas=schemas(doc),
    )
