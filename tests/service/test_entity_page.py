"""What the entity page reads from the REST API, held against the curation and the ontology for
every entity: relations read from the entity's own side, the source and its counts, the scales."""

from __future__ import annotations

from functools import cache

import pytest
from flask.testing import FlaskClient
from rdflib import OWL, RDFS, Graph, URIRef

from msckg.graph.build import validate
from msckg.graph.model import EvidenceContext, Hedging
from msckg.graph.triples import source_publication
from msckg.graph.validate import Curation
from msckg.ontology import CONVERTER, MSCKG, ONTOLOGY_PATH


@cache
def curation() -> Curation:
    return validate()


@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH)


def _curie(iri: URIRef) -> str:
    return CONVERTER.compress(str(iri)) or str(iri)


@cache
def readings() -> tuple[dict[str, str], dict[str, str]]:
    """Each property's label, and how it reads from its object's side, straight from msckg.ttl."""
    graph = ontology()
    labels = {_curie(p): str(label) for p, label in graph.subject_objects(RDFS.label)}
    inverse: dict[str, str] = {}
    for one, other in graph.subject_objects(OWL.inverseOf):
        inverse[_curie(one)] = labels[_curie(other)]
        inverse[_curie(other)] = labels[_curie(one)]
    for prop, label in graph.subject_objects(MSCKG.inverseLabel):
        assert _curie(prop) not in inverse, f"{prop} has a named inverse and an inverseLabel"
        inverse[_curie(prop)] = str(label)
    return labels, inverse


def _every_entity() -> list[str]:
    return [*curation().entities, *curation().references]


def test_every_relation_used_reads_both_ways() -> None:
    labels, inverse = readings()
    used = {f"msckg:{s.predicate}" for s in curation().statements.values()}
    assert used, "no statements"
    assert sorted(used - set(inverse)) == [], "relations with no inverse reading in msckg.ttl"
    assert all(label != labels[p] for p, label in inverse.items() if p in used)


@pytest.mark.parametrize("entity_id", _every_entity())
def test_relations_read_from_the_entitys_side(client: FlaskClient, entity_id: str) -> None:
    labels, inverse = readings()
    expected = set()
    for statement in curation().statements.values():
        predicate = f"msckg:{statement.predicate}"
        if statement.subject == entity_id:
            expected.add(("out", labels[predicate], f"ent:{statement.object}", statement.id))
        if statement.object == entity_id:
            expected.add(("in", inverse[predicate], f"ent:{statement.subject}", statement.id))
    response = client.get(f"/api/entities/ent:{entity_id}")
    assert response.status_code == 200
    body = response.get_json()
    shown = {
        (
            relation["direction"],
            relation["predicate"]["label"]
            if relation["direction"] == "out"
            else relation["predicate"]["inverse_label"],
            relation["other"]["id"],
            statement["id"].removeprefix("stmt:"),
        )
        for relation in body["relations"]
        for statement in relation["statements"]
    }
    assert shown == expected
    # Types come with their ontology labels, so the page never shows a bare CURIE.
    for type_ in body["types"]:
        assert type_["label"] == labels[type_["id"]]


def _named_rows(client: FlaskClient, name: str) -> list[dict[str, str]]:
    response = client.get(f"/api/queries/{name}")
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    return [
        {key: term["value"] for key, term in row.items()}
        for row in response.get_json()["results"]["bindings"]
    ]


def test_the_source_and_its_counts_come_from_the_graph(client: FlaskClient) -> None:
    rows = _named_rows(client, "source_summary")
    editorial = source_publication(curation())
    assert [row["source"] for row in rows] == [f"https://w3id.org/msckg/id/{editorial.id}"]
    row = rows[0]
    assert row["doi"] == editorial.doi
    assert int(row["statements"]) == len(curation().statements)
    assert int(row["entities"]) == len(curation().entities)
    assert int(row["works"]) == len(curation().references) - 1  # all but the editorial itself


def test_the_evidence_scale_explains_every_term_with_its_rank(client: FlaskClient) -> None:
    rows = {(row["scale"], row["label"]): row for row in _named_rows(client, "evidence_scale")}
    statements = list(curation().statements.values())
    for member in EvidenceContext:
        row = rows["evidence", member.code.replace("_", " ")]
        assert int(row["rank"]) == member.rank
        assert row["definition"]
        assert int(row["statements"]) == sum(s.evidence is member for s in statements)
    for level in Hedging:
        row = rows["hedging", level.code.replace("_", " ")]
        assert row["definition"]
        assert int(row["statements"]) == sum(s.hedging is level for s in statements)
    negative = sum(s.polarity.code == "negative" for s in statements)
    assert int(rows["polarity", "negative"]["statements"]) == negative >= 1
