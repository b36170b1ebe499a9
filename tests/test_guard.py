"""The guard refuses SERVICE, updates, deep or long queries, and passes look-alikes."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msckg.graph.guard import (
    QueryRefused,
    QueryTooDeep,
    QueryTooLong,
    ServiceRefused,
    UpdateRefused,
    check_query,
)

SERVICE_QUERIES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "select * where { service <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?u { <http://127.0.0.1:9/> } SERVICE ?u { ?s ?p ?o } }",
    "PREFIX trap: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE trap: { ?s ?p ?o } }",
    "SELECT * WHERE { OPTIONAL { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * WHERE { { ?a ?b ?c } UNION { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } }",
    r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    r"SELECT * WHERE { SERVIC\u0045 <http://127.0.0.1:9/> { ?s ?p ?o } }",
    r"SELECT * WHERE { \U00000053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 1.SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
    "SELECT * WHERE {SERVICE<http://127.0.0.1:9/>{?s ?p ?o}}",
    "SELECT * WHERE { ?s ?p ?o .\nSERVICE <http://127.0.0.1:9/> { } }",
]

HARMLESS_QUERIES = [
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:inService ?o }",
    'SELECT * WHERE { ?s ?p "service" }',
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" }',
    "SELECT * WHERE { ?s ?p 'SERVICE' }",
    'SELECT * WHERE { ?s ?p """a\nSERVICE <http://x/> {}\n""" }',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { }",
    "# SERVICE\nSELECT * WHERE { ?s ?p ?o }",
    "SELECT ?service WHERE { ?service ?p ?o }",
    "SELECT * WHERE { ?s ?p <http://example.org/SERVICE> }",
    'SELECT * WHERE { ?s ?p "x"@service }',
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:load ?o }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
    'SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(?o, "insert data")) }',
]

UPDATES = [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "load silent <http://127.0.0.1:9/data.ttl> into graph <http://g>",
    "DROP ALL",
    "CLEAR DEFAULT",
    "CREATE GRAPH <http://g>",
    "ADD <http://a> TO <http://b>",
    "MOVE DEFAULT TO <http://b>",
    "COPY <http://a> TO <http://b>",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("query", SERVICE_QUERIES)
def test_service_is_refused_in_every_disguise(query: str) -> None:
    with pytest.raises(ServiceRefused):
        check_query(query)


@pytest.mark.parametrize("query", HARMLESS_QUERIES)
def test_look_alikes_of_service_and_updates_pass(query: str) -> None:
    assert check_query(query).form == "SELECT"


@pytest.mark.parametrize("query", UPDATES)
def test_updates_and_load_are_refused(query: str) -> None:
    with pytest.raises(UpdateRefused):
        check_query(query)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX ex: <http://e/> SELECT * {}", "SELECT"),
        ("ASK {}", "ASK"),
        ("construct where { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://e/a>", "DESCRIBE"),
        ("not sparql at all", None),
    ],
)
def test_query_form_is_recognised(query: str, form: str | None) -> None:
    assert check_query(query).form == form


@pytest.mark.parametrize("opener", ["{", "(", "[", "<<"])
def test_nesting_beyond_the_limit_is_refused_before_parsing(opener: str) -> None:
    with pytest.raises(QueryTooDeep):
        check_query("SELECT * WHERE " + opener * 5000, max_depth=200)


def test_nesting_within_the_limit_passes() -> None:
    query = "SELECT * WHERE " + "{ " * 150 + "?s ?p ?o" + " }" * 150
    assert check_query(query, max_depth=200).depth == 150


def test_escaped_braces_count_towards_depth() -> None:
    with pytest.raises(QueryTooDeep):
        check_query("SELECT * WHERE " + r"\u007B" * 300, max_depth=200)


def test_overlong_query_is_refused() -> None:
    with pytest.raises(QueryTooLong):
        check_query("SELECT * WHERE { ?s ?p ?o }" + " " * 2000, max_length=1000)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("SERVICEservice{}()[]<>\"'#\\u0053 \n?:.ab")), max_size=80
    )
)
def test_the_guard_never_fails_other_than_by_refusing(text: str) -> None:
    with contextlib.suppress(QueryRefused):
        check_query(text)
