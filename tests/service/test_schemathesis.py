"""schemathesis against /openapi.json: every operation, its default checks (no 500s included).

The one documented server error: ``/api/export/{format}`` answers 503 ``export_unavailable`` for
the formats its 503 response lists (``x-formats``, those drawn by an external program) when that
program is missing. Exactly that answer, for exactly those formats, is not counted as a failure;
its body is still checked against the documented error schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from live_http import LiveServer
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import positive_data_acceptance

from msckg.graph.exports import FORMATS
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
EXPORT = "/api/export/{format}"


def _documented_unavailable(schema: schemathesis.BaseSchema) -> set[str]:
    """The formats the served document says may answer 503 for want of a program."""
    return set(schema.raw_schema["paths"][EXPORT]["get"]["responses"]["503"]["x-formats"])


def _is_documented_unavailable(
    served_schema: schemathesis.BaseSchema, path: str, case: schemathesis.Case, response
) -> bool:
    return (
        path == EXPORT
        and response.status_code == 503
        and case.path_parameters["format"] in _documented_unavailable(served_schema)
        and response.json().get("error") == "export_unavailable"
    )


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


def test_the_document_names_exactly_the_formats_drawn_by_a_program(
    served_schema: schemathesis.BaseSchema,
) -> None:
    drawn = {name for name, exporter in FORMATS.items() if exporter.program}
    assert drawn == {"svg", "png"}
    assert _documented_unavailable(served_schema) == drawn


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
        response = case.call(base_url=live_server.url)
        excluded = list(UNDESCRIBABLE.get(path, []))
        if _is_documented_unavailable(served_schema, path, case, response):
            excluded.append(not_a_server_error)
        case.validate_response(response, excluded_checks=excluded)

    check()
