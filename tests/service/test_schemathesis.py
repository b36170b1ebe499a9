"""schemathesis against /openapi.json: every operation, its default checks (no 500s included)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from live_http import LiveServer
from schemathesis.specs.openapi.checks import positive_data_acceptance

from msckg.service.openapi import openapi_document
from msckg.service.sparql import GRAPH_MEDIA_TYPES

#: Examples per operation: enough to find the classic 500s, bounded so the suite stays quick.
MAX_EXAMPLES = 25
#: Every operation of the document, as (method, path); the document itself comes from the server.
OPERATIONS = [
    (method.upper(), path)
    for path, item in openapi_document("http://localhost", list(GRAPH_MEDIA_TYPES))["paths"].items()
    for method in item
]

#: A string the schema allows is not a valid SPARQL query; no JSON Schema can say which are, so
#: the check "schema-valid requests are accepted" cannot hold there. Every other check runs.
UNDESCRIBABLE = {"/sparql": [positive_data_acceptance]}


@pytest.fixture(scope="session")
def served_schema(live_server: LiveServer) -> schemathesis.BaseSchema:
    """The OpenAPI document as the live server serves it."""
    return schemathesis.openapi.from_url(f"{live_server.url}/openapi.json")


def test_the_served_document_lists_every_operation(served_schema: schemathesis.BaseSchema) -> None:
    served = {
        (method.upper(), path)
        for path, item in served_schema.raw_schema["paths"].items()
        for method in item
    }
    assert served == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_operation_meets_its_openapi_description(
    served_schema: schemathesis.BaseSchema, live_server: LiveServer, method: str, path: str
) -> None:
    operation = served_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        database=None,
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(
            base_url=live_server.url, excluded_checks=UNDESCRIBABLE.get(path, [])
        )

    check()
