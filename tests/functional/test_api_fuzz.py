"""Fuzz the JSON API from its own OpenAPI document (schemathesis), in-process over WSGI.

Cases are drawn from every operation in /api/v1/openapi.json, made from its parameters'
schemas: valid ones, then ones the document says are invalid, with a fixed seed
(derandomized) and a budget that keeps the run under a minute on two cores. Each answer must
not be a server error and must match what the document says of its status code, content
type and schema.

(schemathesis's own ``@schema.parametrize`` with a fixture-made schema does not run under
pytest 9, so the operations' strategy is drawn from inside an ordinary Hypothesis test.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.unit.search.fixed_directory import build_directory

#: Cases per generation mode, drawn across all the operations.
EXAMPLES = 100
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(configured_app):
    """Return the API's document, loaded from an app (rate limits off) on a small directory."""
    app = configured_app(RATELIMIT_ENABLED=False)
    build_directory()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.parametrize(
    "mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_api_answers_every_case_as_its_document_says(api_schema, mode, data):
    case = data.draw(api_schema.as_strategy(generation_mode=mode), label="case")
    case.call_and_validate(checks=CHECKS)
