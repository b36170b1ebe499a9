"""A malformed query is a 400 whatever the client accepts, and every error body is JSON."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from live_http import fetch
from SPARQLWrapper import JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from msckg.graph.syntax import PROBLEMS
from msckg.ontology import PREFIXES

ACCEPTS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/turtle",
    "application/ld+json",
    "*/*",
    "image/png",
    None,
]
MISSING_DOT = "SELECT * WHERE {\n  ?s a msckg:Disorder\n  ?s rdfs:label ?label\n}"


def _send(client: FlaskClient, how: str, query: str, accept: str | None):
    headers = {"Accept": accept} if accept is not None else {}
    if how == "GET":
        return client.get("/sparql", query_string={"query": query}, headers=headers)
    if how == "POST form":
        return client.post("/sparql", data={"query": query}, headers=headers)
    return client.post(
        "/sparql",
        data=query.encode("utf-8"),
        content_type="application/sparql-query",
        headers=headers,
    )


@pytest.mark.parametrize("how", ["GET", "POST form", "POST sparql-query"])
@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize(
    ("query", "line", "column", "problem"),
    [
        ("SELEKT nonsense", 1, 1, "unknown_query_form"),
        ("SELECT * WHERE { ?s ?p }", 1, 23, "incomplete_triple"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT x", 1, 49, "unexpected"),
        (MISSING_DOT, 2, 22, "missing_dot"),
    ],
)
def test_a_malformed_query_is_400_with_line_and_column_whatever_the_accept_header(
    client: FlaskClient,
    how: str,
    accept: str | None,
    query: str,
    line: int,
    column: int,
    problem: str,
) -> None:
    response = _send(client, how, query, accept)
    assert response.status_code == 400, response.data
    assert response.mimetype == "application/json"
    body = response.json
    assert body["error"] == "malformed_query"
    assert (body["line"], body["column"], body["problem"]) == (line, column, problem)
    assert body["detail"].startswith(f"SPARQL syntax error at line {line}, column {column}: ")


def test_a_missing_dot_names_the_line_and_what_was_expected(client: FlaskClient) -> None:
    body = client.get("/sparql", query_string={"query": MISSING_DOT}).json
    assert body["detail"] == (
        "SPARQL syntax error at line 2, column 22: expected '.' after 'msckg:Disorder' to end "
        "the triple pattern: '?s' on line 3 starts another one"
    )
    assert "OPTIONAL" not in body["detail"]


def test_an_unknown_prefix_is_named_with_the_declared_ones(client: FlaskClient) -> None:
    query = "PREFIX ex: <http://example.org/>\nSELECT * WHERE {\n  ?s foo:bar ex:o\n}"
    body = client.get("/sparql", query_string={"query": query}).json
    assert (body["line"], body["column"], body["problem"]) == (3, 6, "unknown_prefix")
    assert body["prefix"] == "foo:"
    # The query's own prefixes first, then those the service predeclares.
    assert body["declared_prefixes"][0] == "ex:"
    assert sorted(body["declared_prefixes"][1:]) == sorted(f"{name}:" for name in PREFIXES)
    assert "unknown prefix 'foo:'" in body["detail"]
    assert "Prefix not found" not in body["detail"]
    assert "\\u{" not in body["detail"]


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "text/turtle"),
        ("ASK { ?s ?p ?o }", "application/rdf+xml"),
        ("DESCRIBE ent:VEGF", "text/csv"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "application/sparql-results+json"),
    ],
)
def test_a_well_formed_query_in_an_unacceptable_format_is_still_406(
    client: FlaskClient, query: str, accept: str
) -> None:
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    assert response.mimetype == "application/json"
    assert response.json["error"] == "not_acceptable"
    assert accept not in response.json["available"]


@pytest.mark.parametrize("accept", ["text/turtle", "text/csv", "text/html", "application/xml"])
@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/sparql", {"query_string": {"query": "SELECT * WHERE { ?s ?p }"}}, 400),
        ("POST", "/sparql", {"data": {"update": "DROP ALL"}}, 403),
        ("POST", "/sparql", {"data": "x", "content_type": "text/plain"}, 415),
        ("GET", "/sparql", {"query_string": {"query": "SELECT * { ?s ?p ?o }" * 10_000}}, 413),
        ("GET", "/no/such/page", {}, 404),
        ("GET", "/api/entities/ent:NoSuchThing", {}, 404),
        ("DELETE", "/sparql", {}, 405),
    ],
)
def test_error_bodies_are_json_whatever_the_client_asked_for(
    client: FlaskClient, accept: str, method: str, path: str, kwargs: dict, status: int
) -> None:
    response = client.open(path, method=method, headers={"Accept": accept}, **kwargs)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert json.loads(response.data)["error"]


def test_sparqlwrapper_gets_a_bad_query_error_with_line_and_column(live_server) -> None:
    """SPARQLWrapper sends Accept: application/sparql-results+json; it must see 400, not 406."""
    client = SPARQLWrapper(f"{live_server.url}/sparql")
    client.setQuery("SELECT * WHERE {\n  ?s ?p\n}")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed) as caught:
        client.query()
    shown = str(caught.value)  # SPARQLWrapper quotes the response body
    assert '"line":2,"column":8,"problem":"incomplete_triple"' in shown
    assert "has no object" in shown
    reply = fetch(
        f"{live_server.url}/sparql?query=SELEKT%20nonsense",
        headers={"Accept": "application/sparql-results+json"},
    )
    assert reply.status == 400
    assert reply.content_type == "application/json"
    assert (json.loads(reply.body)["line"], json.loads(reply.body)["column"]) == (1, 1)


def test_the_openapi_document_describes_the_syntax_error_fields(client: FlaskClient) -> None:
    error = client.get("/openapi.json").json["components"]["schemas"]["Error"]["properties"]
    assert set(error["problem"]["enum"]) == set(PROBLEMS)
    assert {"line", "column", "prefix", "declared_prefixes"} <= set(error)
