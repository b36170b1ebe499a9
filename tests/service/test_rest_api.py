"""The REST API: statuses, content types, the OpenAPI document, no 500 for any parameter."""

from __future__ import annotations

import re
import string

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

ALLOWED_STATUSES = {200, 400, 404, 406, 413, 503}


def test_search_finds_vegf_first(client: FlaskClient) -> None:
    response = client.get("/api/entities", query_string={"q": "vegf"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    first = response.json["results"][0]
    assert (first["id"], first["label"]) == ("ent:VEGF", "VEGF")
    assert {"iri", "types", "synonyms"} <= set(first)


def test_search_respects_type_and_limit(client: FlaskClient) -> None:
    results = client.get(
        "/api/entities", query_string={"q": "", "type": "Publication", "limit": 3}
    ).json["results"]
    assert len(results) == 3
    assert all("msckg:Publication" in r["types"] for r in results)


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "101"}, {"limit": "ten"}, {"type": "Spaceship"}, {"q": "x" * 201}],
)
def test_bad_search_parameters_get_400(client: FlaskClient, params: dict[str, str]) -> None:
    response = client.get("/api/entities", query_string=params)
    assert response.status_code == 400
    assert set(response.json) >= {"error", "detail"}


@pytest.mark.parametrize("key", ["ent:VEGF", "VEGF", "https://w3id.org/msckg/id/VEGF"])
def test_entity_by_curie_iri_or_id(client: FlaskClient, key: str) -> None:
    response = client.get(f"/api/entities/{key}")
    assert response.status_code == 200
    body = response.json
    assert body["label"] == "VEGF"
    assert {"definition", "types", "synonyms", "xrefs", "relations"} <= set(body)
    statement = body["relations"][0]["statements"][0]
    assert statement["evidence"]["label"]
    assert statement["hedging"]["label"]


def test_unknown_entity_gets_404_with_suggestions(client: FlaskClient) -> None:
    response = client.get("/api/entities/ent:VEGFF")
    assert response.status_code == 404
    assert response.json["error"] == "not_found"
    assert "VEGF" in [s["label"] for s in response.json["suggestions"]]


def test_malformed_entity_id_gets_400(client: FlaskClient) -> None:
    assert client.get("/api/entities/ent:%3Cscript%3E").status_code == 400


def test_named_queries_are_listed_with_questions_and_params(client: FlaskClient) -> None:
    queries = client.get("/api/queries").json["queries"]
    by_name = {q["name"]: q for q in queries}
    assert "entity_statements" in by_name
    assert by_name["entity_statements"]["params"][0]["name"] == "entity"
    assert all(q["question"] for q in queries)


def test_a_named_query_runs_with_a_bound_parameter(client: FlaskClient) -> None:
    response = client.get("/api/queries/entity_statements", query_string={"entity": "ent:VEGF"})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert response.json["results"]["bindings"]


def test_a_construct_named_query_answers_json_ld(client: FlaskClient) -> None:
    response = client.get("/api/queries/void_description")
    assert (response.status_code, response.mimetype) == (200, "application/ld+json")


def test_named_query_errors(client: FlaskClient) -> None:
    unknown = client.get("/api/queries/no_such_query")
    assert unknown.status_code == 404
    assert "entity_statements" in unknown.json["choices"]
    assert (
        client.get("/api/queries/entity_statements", query_string={"bogus": "1"}).status_code == 400
    )
    assert (
        client.get("/api/queries/entity_statements", headers={"Accept": "text/csv"}).status_code
        == 406
    )


def test_stats_and_health(client: FlaskClient) -> None:
    stats = client.get("/api/stats").json
    assert {"graphs", "classes", "predicates"} <= set(stats)
    health = client.get("/health").json
    assert health["status"] == "ok"
    assert health["triples"] > 0


def test_openapi_document_is_valid_and_lists_every_route(app, client: FlaskClient) -> None:
    document = client.get("/openapi.json").json
    validate(document)
    documented = {re.sub(r"\{[^}]*\}", "{}", path) for path in document["paths"]}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.endswith("static") or rule.rule == "/":
            continue
        path = re.sub(r"<[^>]*>", "{}", rule.rule)
        assert path in documented, f"{rule.rule} is not in the OpenAPI document"


def test_unknown_path_gets_json_404(client: FlaskClient) -> None:
    response = client.get("/api/nothing")
    assert response.status_code == 404
    assert response.json["error"] == "not_found"


_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))
    | st.sampled_from(list(string.punctuation)),
    max_size=300,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=_TEXT,
    type_=st.one_of(st.none(), _TEXT),
    limit=st.one_of(st.none(), _TEXT, st.integers(-5, 200).map(str)),
)
def test_search_never_fails_with_500(
    client: FlaskClient, q: str, type_: str | None, limit: str | None
) -> None:
    params = {
        "q": q,
        **({"type": type_} if type_ is not None else {}),
        **({"limit": limit} if limit is not None else {}),
    }
    response = client.get("/api/entities", query_string=params)
    assert response.status_code in ALLOWED_STATUSES
    assert response.is_json


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(key=_TEXT.filter(bool))
def test_entity_lookup_never_fails_with_500(client: FlaskClient, key: str) -> None:
    response = client.get(
        "/api/entities/" + key.replace("%", "%25").replace("?", "%3F").replace("#", "%23")
    )
    assert response.status_code in ALLOWED_STATUSES | {308}


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(["entity_statements", "entity_card"]), value=_TEXT)
def test_named_query_parameters_never_fail_with_500(
    client: FlaskClient, name: str, value: str
) -> None:
    response = client.get(f"/api/queries/{name}", query_string={"entity": value})
    assert response.status_code in ALLOWED_STATUSES
    assert response.is_json


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=_TEXT)
def test_sparql_text_never_fails_with_500(client: FlaskClient, query: str) -> None:
    response = client.post("/sparql", data={"query": query})
    assert response.status_code in ALLOWED_STATUSES | {403}
