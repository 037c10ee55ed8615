"""Property-based tests over the OpenAPI document: no 5xx, no response that breaks the schema.

Bounded so a run stays well under two minutes on each backend: a handful of examples per
operation, on a database that holds the demo repair so that id 1 leads somewhere real.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES_PER_OPERATION = 20


@pytest.fixture
def api_schema(web: FastAPI) -> Any:
    with TestClient(web) as client:
        assert client.post("/api/v1/demo").status_code == 201
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", web)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_request_within_its_schema(case: Any) -> None:
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
