"""GET /api/statements/{id}: a statement explained, as JSON, with 400/404 as JSON errors."""

from __future__ import annotations

from flask.testing import FlaskClient

from msckg.graph.statements import explain_statement
from msckg.graph.store import GraphStore


def test_a_negative_finding_is_explained_and_contradicted_by_nothing(
    client: FlaskClient, store: GraphStore
) -> None:
    response = client.get("/api/statements/S124")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.get_json()
    assert body == explain_statement(store, "stmt:S124")
    assert body["id"] == "stmt:S124"
    assert body["polarity"] == "negative"
    assert body["locator"] == "introduction/p4/s5"
    assert [r["url"] for r in body["references"]] == ["https://doi.org/10.1186/s13287-025-04623-9"]
    # (1 - (0.10 + 0.20)) * 1.0 (established) * 0.8 (negative)
    assert body["belief"]["score"] == body["belief"]["stored"] == 0.56
    assert [t["symbol"] for t in body["belief"]["terms"]] == ["s", "r", "n", "e", "h", "p"]
    # The hopes for MSC therapy in endometriosis (S110, S147) are `proposedFor` claims since
    # issue 12, so nothing asserts the `treats` triple this statement denies (the validator
    # refuses a claim beside its negation).
    assert body["contradicts"] == []
    assert all(o["polarity"] == "negative" for o in body["supports"])


def test_curie_iri_and_bare_id_name_the_same_statement(client: FlaskClient) -> None:
    bodies = [
        client.get(f"/api/statements/{key}").get_json()
        for key in ("S124", "stmt:S124", "https://w3id.org/msckg/statement/S124")
    ]
    assert bodies[0] == bodies[1] == bodies[2]


def test_unknown_statement_is_404_and_malformed_is_400(client: FlaskClient) -> None:
    missing = client.get("/api/statements/S99999")
    assert missing.status_code == 404
    assert missing.get_json()["error"] == "not_found"
    assert missing.get_json()["detail"] == "no statement 'S99999'"
    malformed = client.get("/api/statements/ent:VEGF")
    assert malformed.status_code == 400
    assert "is not a statement id" in malformed.get_json()["detail"]


def test_openapi_describes_the_route(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    operation = document["paths"]["/api/statements/{id}"]["get"]
    assert operation["operationId"] == "getStatement"
    assert set(operation["responses"]) == {"200", "400", "404", "429", "503"}
