"""GraphStore.answer: engine serializations in every format, bound terms, the row cap."""

from __future__ import annotations

import json

import pytest

from msckg.graph.store import GRAPH_FORMATS, RESULT_FORMATS, GraphStore

LABELS = "SELECT ?name WHERE { ent:VEGF rdfs:label|skos:altLabel ?name }"


@pytest.mark.parametrize("fmt", list(RESULT_FORMATS))
def test_select_results_in_every_format(store: GraphStore, fmt: str) -> None:
    result = store.answer(LABELS, result_format=fmt)
    assert result.kind == "solutions"
    assert b"VEGF" in result.body
    assert not result.truncated


@pytest.mark.parametrize("fmt", list(GRAPH_FORMATS))
def test_describe_results_in_every_format(store: GraphStore, fmt: str) -> None:
    result = store.answer("DESCRIBE ent:VEGF", graph_format=fmt)
    assert result.kind == "triples"
    assert b"VEGF" in result.body


def test_ask_is_a_boolean(store: GraphStore) -> None:
    result = store.answer("ASK { ent:VEGF rdfs:label ?l }")
    assert (result.kind, json.loads(result.body)["boolean"]) == ("boolean", True)


def test_the_cap_keeps_exactly_the_limit(store: GraphStore) -> None:
    result = store.answer("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", row_limit=7)
    assert result.truncated
    assert len(json.loads(result.body)["results"]["bindings"]) == 7


def test_literals_with_newlines_and_quotes_survive_the_cap(store: GraphStore) -> None:
    query = 'SELECT ?x WHERE { VALUES ?x { "line\\none \\"quoted\\""@en "tab\\there" } }'
    result = store.answer(query, row_limit=10)
    values = [b["x"]["value"] for b in json.loads(result.body)["results"]["bindings"]]
    assert values == ['line\none "quoted"', "tab\there"]


def test_a_binding_is_a_term_not_query_text(store: GraphStore) -> None:
    hostile = '"> } ; DROP ALL #'
    result = store.answer(
        "SELECT ?entity ?label WHERE { ?entity rdfs:label ?label }", {"entity": hostile}
    )
    assert json.loads(result.body)["results"]["bindings"] == []


def test_default_graph_uri_replaces_the_union(store: GraphStore) -> None:
    everything = store.answer(
        "ASK { ent:VEGF rdfs:label ?l }", default_graphs=["https://w3id.org/msckg/graph/void"]
    )
    assert json.loads(everything.body)["boolean"] is False
