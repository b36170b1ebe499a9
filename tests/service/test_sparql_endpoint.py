"""The SPARQL endpoint: methods, negotiation, statuses, description, CORS, refusals."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from flask.testing import FlaskClient
from live_http import LiveServer, fetch
from rdflib import Graph, URIRef

SELECT = "SELECT ?label WHERE { ent:VEGF rdfs:label ?label }"
DESCRIBE = "DESCRIBE ent:VEGF"
ASK = "ASK { ent:VEGF rdfs:label ?label }"
RESULT_TYPES = {
    "application/sparql-results+json": "application/sparql-results+json",
    "application/json": "application/sparql-results+json",
    "application/sparql-results+xml": "application/sparql-results+xml",
    "text/csv": "text/csv",
    "text/tab-separated-values": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def test_get_query_answers_json_by_default(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": SELECT})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert response.json["results"]["bindings"][0]["label"]["value"] == "VEGF"


def test_post_form_and_post_sparql_query_give_the_same_answer(client: FlaskClient) -> None:
    form = client.post("/sparql", data={"query": SELECT})
    direct = client.post("/sparql", data=SELECT.encode(), content_type="application/sparql-query")
    assert form.status_code == direct.status_code == 200
    assert form.data == direct.data


@pytest.mark.parametrize(("accept", "served"), list(RESULT_TYPES.items()))
@pytest.mark.parametrize("query", [SELECT, ASK])
def test_select_and_ask_negotiate_every_result_format(
    client: FlaskClient, query: str, accept: str, served: str
) -> None:
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == served
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize(("accept", "rdflib_format"), list(GRAPH_TYPES.items()))
@pytest.mark.parametrize("query", [DESCRIBE, "CONSTRUCT WHERE { ent:VEGF rdfs:label ?l }"])
def test_construct_and_describe_negotiate_every_rdf_format(
    client: FlaskClient, query: str, accept: str, rdflib_format: str
) -> None:
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == accept
    graph = Graph().parse(data=response.data, format=rdflib_format)
    assert len(graph) > 0


@pytest.mark.parametrize(
    ("query", "accept"), [(SELECT, "text/turtle"), (DESCRIBE, "text/csv"), (SELECT, "image/png")]
)
def test_unacceptable_formats_get_406(client: FlaskClient, query: str, accept: str) -> None:
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    assert response.json["error"] == "not_acceptable"


def test_named_graphs_are_queryable_with_graph(client: FlaskClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    graphs = {
        b["g"]["value"]
        for b in client.get("/sparql", query_string={"query": query}).json["results"]["bindings"]
    }
    assert {
        f"https://w3id.org/msckg/graph/{name}" for name in ("asserted", "inferred", "provenance")
    } <= graphs


def test_default_graph_uri_and_named_graph_uri_are_honoured(client: FlaskClient) -> None:
    provenance = "https://w3id.org/msckg/graph/provenance"
    restricted = client.get(
        "/sparql", query_string={"query": ASK, "default-graph-uri": provenance}
    ).json["boolean"]
    assert restricted is False
    named = client.get(
        "/sparql",
        query_string={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": provenance,
        },
    ).json["results"]["bindings"]
    assert [b["g"]["value"] for b in named] == [provenance]


def test_malformed_query_gets_400_with_the_parser_message(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.json["error"] == "malformed_query"
    assert "expected" in response.json["detail"]


@pytest.mark.parametrize(
    ("kwargs", "status", "error"),
    [
        ({"data": {"update": "DROP ALL"}}, 403, "update_not_allowed"),
        (
            {
                "data": b"INSERT DATA { <a:a> <a:b> <a:c> }",
                "content_type": "application/sparql-update",
            },
            403,
            "update_not_allowed",
        ),
        ({"data": {"query": "LOAD <http://127.0.0.1:9/x.ttl>"}}, 403, "update_not_allowed"),
        (
            {"data": b"\xff\xfe\xfd", "content_type": "application/sparql-query"},
            400,
            "bad_encoding",
        ),
        ({"data": b"{}", "content_type": "application/json"}, 415, "unsupported_media_type"),
        ({"data": {"other": "x"}}, 400, "bad_request"),
    ],
)
def test_bad_posts_get_specific_errors(
    client: FlaskClient, kwargs: dict, status: int, error: str
) -> None:
    response = client.post("/sparql", **kwargs)
    assert (response.status_code, response.json["error"]) == (status, error)


def test_query_in_both_url_and_body_is_refused(client: FlaskClient) -> None:
    response = client.post("/sparql?query=ASK%7B%7D", data={"query": ASK})
    assert response.status_code == 400


def test_query_given_twice_is_refused(client: FlaskClient) -> None:
    response = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert response.status_code == 400


def test_bad_graph_iri_is_refused(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": ASK, "default-graph-uri": "not an iri"})
    assert response.status_code == 400


def test_overlong_query_and_body_get_413(client: FlaskClient, app) -> None:
    limit = app.extensions["msckg"].settings.max_query_bytes
    long_query = "ASK {}" + " " * limit
    assert client.post("/sparql", data={"query": long_query}).status_code == 413
    huge = b"ASK {}" + b" " * (app.config["MAX_CONTENT_LENGTH"] + 1)
    assert (
        client.post("/sparql", data=huge, content_type="application/sparql-query").status_code
        == 413
    )


def test_deep_nesting_gets_400_and_the_server_lives(client: FlaskClient) -> None:
    response = client.post("/sparql", data={"query": "SELECT * WHERE " + "{" * 5000})
    assert (response.status_code, response.json["error"]) == (400, "query_too_deep")
    assert client.get("/health").status_code == 200


def test_unsupported_method_gets_405_json(client: FlaskClient) -> None:
    response = client.delete("/sparql")
    assert response.status_code == 405
    assert response.json["error"] == "method_not_allowed"


def test_row_cap_is_flagged(app, client: FlaskClient) -> None:
    services = app.extensions["msckg"]
    limit = services.settings.row_limit
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT " + str(limit + 5)
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["X-Msckg-Truncated"].startswith("true")
    assert len(response.data.decode().strip().split("\r\n")) == limit + 1


@pytest.mark.parametrize("accept", list(GRAPH_TYPES))
def test_service_description_on_get_without_query(client: FlaskClient, accept: str) -> None:
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200
    graph = Graph().parse(data=response.data, format=GRAPH_TYPES[accept])
    sd = "http://www.w3.org/ns/sparql-service-description#"
    rows = graph.query(
        f"SELECT ?endpoint ?void WHERE {{ ?s a <{sd}Service> ; <{sd}endpoint> ?endpoint ; "
        f"<{sd}defaultDataset> ?d . "
        "?d <http://www.w3.org/2000/01/rdf-schema#seeAlso> ?void }"
    )
    endpoint, void = next(iter(rows))
    assert str(endpoint).endswith("/sparql")
    assert str(void).endswith("/.well-known/void")


def test_browser_get_without_query_is_sent_to_the_editor(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/#sparql")


def test_void_description_is_served(client: FlaskClient) -> None:
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.data, format="turtle")
    assert any(str(o).endswith("Dataset") for o in graph.objects())


VOID_ENDPOINT = "http://rdfs.org/ns/void#sparqlEndpoint"
SD_ENDPOINT = "http://www.w3.org/ns/sparql-service-description#endpoint"


def _objects(url: str, predicate: str, headers: dict[str, str] | None = None) -> list[str]:
    reply = fetch(url, headers={"Accept": "text/turtle", **(headers or {})})
    assert reply.status == 200
    graph = Graph().parse(data=reply.body, format="turtle")
    return sorted(str(o) for o in graph.objects(None, URIRef(predicate)))


def test_void_names_the_endpoint_of_the_server_it_came_from(live_server: LiveServer) -> None:
    assert live_server.port != 8000
    endpoint = f"{live_server.url}/sparql"
    assert _objects(f"{live_server.url}/.well-known/void", VOID_ENDPOINT) == [endpoint]
    assert _objects(f"{live_server.url}/sparql", VOID_ENDPOINT) == [endpoint]
    assert _objects(f"{live_server.url}/sparql", SD_ENDPOINT) == [endpoint]


def test_void_names_the_host_the_client_asked_for(live_server: LiveServer) -> None:
    host = {"Host": f"localhost:{live_server.port}"}
    endpoint = f"http://localhost:{live_server.port}/sparql"
    assert _objects(f"{live_server.url}/.well-known/void", VOID_ENDPOINT, host) == [endpoint]
    assert _objects(f"{live_server.url}/sparql", SD_ENDPOINT, host) == [endpoint]


def test_the_built_void_graph_names_no_endpoint(client: FlaskClient) -> None:
    query = f"ASK {{ GRAPH graph:void {{ ?dataset <{VOID_ENDPOINT}> ?endpoint }} }}"
    assert client.get("/sparql", query_string={"query": query}).json["boolean"] is False


def test_cors_headers_and_preflight(client: FlaskClient) -> None:
    assert (
        client.get("/sparql", query_string={"query": ASK}).headers["Access-Control-Allow-Origin"]
        == "*"
    )
    preflight = client.options(
        "/sparql",
        headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


SERVICE_VARIANTS = [
    "SELECT * WHERE {{ SERVICE <{trap}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{trap}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ VALUES ?u {{ <{trap}> }} SERVICE ?u {{ ?s ?p ?o }} }}",
    "PREFIX t: <{trap}> SELECT * WHERE {{ OPTIONAL {{ SERVICE t: {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ \\u0053ERVICE <{trap}> {{ ?s ?p ?o }} }} }} }}",
]


@pytest.mark.parametrize("template", SERVICE_VARIANTS)
def test_service_is_refused_and_nothing_is_fetched(live_server, trap, template: str) -> None:
    query = template.format(trap=trap.url)
    reply = fetch(f"{live_server.url}/sparql?" + urllib.parse.urlencode({"query": query}))
    assert reply.status == 400
    assert json.loads(reply.body)["error"] == "service_not_allowed"
    assert trap.connections == 0


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * FROM <{trap}> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <{trap}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "ASK {{ ?s ?p <{trap}> }}",
        "LOAD <{trap}data.ttl>",
    ],
)
def test_iris_in_queries_are_never_dereferenced(live_server, trap, template: str) -> None:
    query = template.format(trap=trap.url)
    reply = fetch(f"{live_server.url}/sparql?" + urllib.parse.urlencode({"query": query}))
    assert reply.status in {200, 403}
    reply = fetch(
        f"{live_server.url}/sparql?"
        + urllib.parse.urlencode({"query": SELECT, "default-graph-uri": trap.url})
    )
    assert reply.status == 200
    assert trap.connections == 0


@pytest.mark.parametrize(
    "query",
    [
        "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:inService ?o }",
        'SELECT * WHERE { ?s ?p "service" }',
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # SERVICE <http://127.0.0.1:9/> {}",
    ],
)
def test_look_alikes_of_service_are_answered(client: FlaskClient, query: str) -> None:
    assert client.get("/sparql", query_string={"query": query}).status_code == 200
