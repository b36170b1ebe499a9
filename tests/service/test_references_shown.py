"""Every view of a statement credits exactly the works its curation row cites (issue 10 §1).

These hold every record against ``graph/curation/statements.tsv``, not one example: a page once
credited 33 claims to all eight works because a query joined an unbound ``?reference``.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from flask.testing import FlaskClient

from msckg.graph.build import validate
from msckg.graph.store import GraphStore
from msckg.graph.validate import Curation
from msckg.queries import load_query


@pytest.fixture(scope="module")
def curation() -> Curation:
    """The shipped curation, validated."""
    return validate()


def _curie(entity_id: str) -> str:
    return f"ent:{entity_id}"


def _all_ids(curation: Curation) -> list[str]:
    return [*curation.entities, *curation.references]


def test_entity_pages_show_each_statement_with_exactly_its_cited_works(
    client: FlaskClient, curation: Curation
) -> None:
    shown: dict[str, set[str]] = {}
    for entity_id in _all_ids(curation):
        response = client.get(f"/api/entities/{_curie(entity_id)}")
        assert response.status_code == 200, entity_id
        for relation in response.json["relations"]:
            for statement in relation["statements"]:
                references = {reference["id"] for reference in statement["references"]}
                wrong = shown.setdefault(statement["id"], references) != references
                assert not wrong, f"{statement['id']} shows different references on two pages"
    expected = {
        f"stmt:{statement.id}": {_curie(ref) for ref in statement.references}
        for statement in curation.statements.values()
    }
    differing = {
        statement: (shown.get(statement), refs)
        for statement, refs in expected.items()
        if shown.get(statement) != refs
    }
    assert not differing, f"references shown differ from curation: {differing}"


def test_each_statement_is_on_its_subject_and_object_pages(
    client: FlaskClient, curation: Curation
) -> None:
    for statement in curation.statements.values():
        for end, direction in ((statement.subject, "out"), (statement.object, "in")):
            body = client.get(f"/api/entities/{_curie(end)}").json
            listed = {
                s["id"]
                for relation in body["relations"]
                if relation["direction"] == direction
                for s in relation["statements"]
            }
            assert f"stmt:{statement.id}" in listed, (statement.id, end)


def test_a_work_lists_exactly_the_statements_it_supports(
    client: FlaskClient, curation: Curation
) -> None:
    supported: dict[str, list[str]] = defaultdict(list)
    for statement in curation.statements.values():
        for reference in statement.references:
            supported[reference].append(f"stmt:{statement.id}")
    assert supported["nateghi2022"], "the shipped curation cites nateghi2022"
    for reference in curation.references:
        body = client.get(f"/api/entities/{_curie(reference)}").json
        assert sorted(s["id"] for s in body["supports"]) == sorted(supported[reference])
        for statement in body["supports"]:
            row = curation.statements[statement["id"].removeprefix("stmt:")]
            assert (statement["subject"]["id"], statement["object"]["id"]) == (
                _curie(row.subject),
                _curie(row.object),
            )
            assert statement["evidence"]["label"] and statement["hedging"]["label"]


def test_an_entity_that_is_not_a_work_supports_nothing(client: FlaskClient) -> None:
    assert client.get("/api/entities/ent:tumorigenicity").json["supports"] == []


def test_supporting_references_query_matches_curation_for_every_entity(
    store: GraphStore, curation: Curation
) -> None:
    query = load_query("supporting_references").text
    dois = {ref.id: ref.doi for ref in curation.references.values()}
    for entity_id in curation.entities:
        rows = store.select(query, {"entity": store_iri(entity_id)})
        cited: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            statement = row["statement"].rsplit("/", 1)[-1]
            cited.setdefault(statement, set())  # listed even when it cites nothing
            if "doi" in row:
                cited[statement].add(row["doi"])
        expected = {
            s.id: {dois[ref] for ref in s.references}
            for s in curation.statements.values()
            if entity_id in (s.subject, s.object)
        }
        assert dict(cited) == expected, entity_id


@pytest.mark.parametrize(
    "name", ["animal_model_only", "reduced_cytokines", "standard_treatment_limits"]
)
def test_a_query_names_only_dois_that_its_statements_cite(
    store: GraphStore, curation: Curation, name: str
) -> None:
    labels = {entity.id: entity.label for entity in curation.entities.values()}
    dois = {ref.id: ref.doi for ref in curation.references.values()}
    cited_by_ends: dict[tuple[str, str], set[str]] = defaultdict(set)
    for statement in curation.statements.values():
        ends = (labels[statement.subject], labels[statement.object])
        cited_by_ends[ends] |= {dois[ref] for ref in statement.references}
    subject_column = "therapyLabel" if name != "animal_model_only" else "subjectLabel"
    object_column = {
        "animal_model_only": "objectLabel",
        "reduced_cytokines": "cytokineLabel",
        "standard_treatment_limits": "limitationLabel",
    }[name]
    rows = store.select(load_query(name).text)
    assert rows, f"{name} answers nothing"
    for row in rows:
        if "reference" in row:
            ends = (row[subject_column], row[object_column])
            assert row["reference"] in cited_by_ends[ends], (name, row)


def store_iri(entity_id: str) -> str:
    """The IRI of a curated entity."""
    from msckg.ontology import ENT

    return str(ENT[entity_id])
