"""The overview's data and the questions a person asks (issue 14), held against the curation:
the mechanism map, the evidence chart's counts, the statements behind a bar, every question."""

from __future__ import annotations

from collections import Counter

import pytest
from flask.testing import FlaskClient
from test_entity_page import curation

from msckg.graph.model import EvidenceContext, Hedging
from msckg.queries import list_queries

ENTITY = "https://w3id.org/msckg/id/"
ASKED = [query for query in list_queries() if query.ask]


def _rows(client: FlaskClient, url: str) -> list[dict[str, str]]:
    response = client.get(url, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_json()
    return [
        {key: term["value"] for key, term in row.items()}
        for row in response.get_json()["results"]["bindings"]
    ]


def test_a_dozen_questions_are_asked_as_a_person_would() -> None:
    assert len(ASKED) >= 12
    for query in ASKED:
        assert query.ask.endswith("?") and len(query.ask) <= 60, query.name
        assert query.ask != query.question


def test_the_query_list_gives_each_question_and_its_edge_columns(client: FlaskClient) -> None:
    listed = {q["name"]: q for q in client.get("/api/queries").get_json()["queries"]}
    for query in list_queries():
        assert listed[query.name]["ask"] == query.ask
        assert listed[query.name]["edges"] == (list(query.edges) if query.edges else None)


@pytest.mark.parametrize("query", ASKED, ids=lambda q: q.name)
def test_every_question_answers_and_its_relations_can_be_drawn(client: FlaskClient, query) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(client, f"/api/queries/{query.name}")
    assert rows, f"{query.name} answers nothing"
    if query.edges:
        source, relation, target = query.edges
        for row in rows:
            assert row[source].startswith(ENTITY) and row[target].startswith(ENTITY), row
            assert row[relation], row


def test_the_mechanism_map_is_the_positive_statements_along_its_relations(
    client: FlaskClient,
) -> None:
    rows = _rows(client, "/api/queries/mechanism_map")
    positive = Counter(
        (s.subject, s.predicate, s.object)
        for s in curation().statements.values()
        if s.polarity.code == "positive"
    )
    ranks: dict[tuple[str, str, str], int] = {}
    for s in curation().statements.values():
        key = (s.subject, s.predicate, s.object)
        if s.polarity.code == "positive":
            ranks[key] = max(ranks.get(key, 0), s.evidence.rank)
    layers = {1: set(), 2: set(), 3: set(), 4: set(), 5: set()}
    for row in rows:
        key = (
            row["subject"].removeprefix(ENTITY),
            row["predicate"].rsplit("/", 1)[-1],
            row["object"].removeprefix(ENTITY),
        )
        assert int(row["statements"]) == positive[key], key
        assert int(row["strongest"]) == ranks[key], key
        layers[int(row["subjectLayer"])].add(key[0])
        layers[int(row["objectLayer"])].add(key[2])
    entities = curation().entities
    assert {entities[e].type for e in layers[1]} == {"CellSource"}
    assert "mesenchymal_stem_cell" in layers[2]
    molecules = {"GrowthFactor", "Cytokine", "ProinflammatoryCytokine", "Molecule", "MoleculeGroup"}
    assert "VEGF" in layers[3] and {entities[e].type for e in layers[3]} <= molecules
    assert layers[4] and layers[5]
    assert all(entities[e].type == "Outcome" for e in layers[5])


def test_the_chart_counts_and_the_statements_behind_each_bar(client: FlaskClient) -> None:
    statements = list(curation().statements.values())
    profile = _rows(client, "/api/queries/evidence_profile")
    assert sum(int(row["statements"]) for row in profile) == len(statements)
    for row in profile:
        evidence = next(e for e in EvidenceContext if e.term == row["evidenceTerm"].rsplit("/")[-1])
        hedging = next(h for h in Hedging if h.term == row["hedgingTerm"].rsplit("/")[-1])
        expected = sorted(
            s.id for s in statements if s.evidence is evidence and s.hedging is hedging
        )
        assert int(row["statements"]) == len(expected)
        behind = _rows(
            client,
            f"/api/queries/statements_by_evidence?evidence=msckg:{evidence.term}"
            f"&hedging=msckg:{hedging.term}",
        )
        assert sorted(r["statement"].rsplit("/", 1)[-1] for r in behind) == expected
