"""The guard refuses SERVICE, updates, deep or long queries, and passes look-alikes."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msckg.graph.guard import (
    LoadRefused,
    QueryRefused,
    QueryTooDeep,
    QueryTooLong,
    ServiceRefused,
    UpdateRefused,
    check_query,
    check_update,
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


ALLOWED = ("http://data.example.org/rdf/", "http://sparql.example.org/query")


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <http://127.0.0.1:9/x.ttl>",
        "load silent <http://127.0.0.1:9/x.ttl> INTO GRAPH <http://g>",
        r"LOAD <http://data.example.org/rdf/\u0078.ttl>",
        r"\u004cOAD <http://127.0.0.1:9/x.ttl>",
        "PREFIX d: <http://data.example.org/rdf/> LOAD d:x.ttl",
        "LOAD <http://data.example.org/rdf.evil.test/x.ttl>",
        "LOAD <http://data.example.org/rdfx>",
        "INSERT DATA { <http://a> <http://b> 1 } ; LOAD <http://127.0.0.1:9/>",
    ],
)
def test_load_is_refused_unless_the_allow_list_names_the_iri(update: str) -> None:
    with pytest.raises(LoadRefused):
        check_update(update, allow_list=ALLOWED)


@pytest.mark.parametrize(
    "update",
    [
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "INSERT { ?s ?p ?o } WHERE { VALUES ?u { <http://sparql.example.org/query> } "
        "SERVICE ?u { ?s ?p ?o } }",
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://sparql.example.org/query/more> { ?s ?p ?o } }",
    ],
)
def test_service_in_an_update_is_refused_unless_allowed(update: str) -> None:
    with pytest.raises(ServiceRefused):
        check_update(update, allow_list=ALLOWED)


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <http://data.example.org/rdf/x.ttl>",
        "LOAD SILENT <http://data.example.org/rdf/sub/x.ttl> INTO GRAPH <http://g>",
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://sparql.example.org/query> { ?s ?p ?o } }",
        "INSERT DATA { ent:a rdfs:label 'LOAD <http://127.0.0.1:9/>' }",
        "DELETE WHERE { ?s ex:loadService ?o }",
        "DROP ALL",
    ],
)
def test_allowed_iris_and_plain_updates_pass(update: str) -> None:
    assert check_update(update, allow_list=ALLOWED).form is None


def test_an_allowed_service_passes_in_a_query_too() -> None:
    query = "SELECT * WHERE { SERVICE <http://sparql.example.org/query> { ?s ?p ?o } }"
    assert check_query(query, allow_list=ALLOWED).form == "SELECT"
    with pytest.raises(ServiceRefused):
        check_query(query)
    with pytest.raises(UpdateRefused):
        check_query("LOAD <http://data.example.org/rdf/x.ttl>", allow_list=ALLOWED)


def test_updates_have_the_same_size_and_depth_limits() -> None:
    with pytest.raises(QueryTooLong):
        check_update("INSERT DATA { <http://a> <http://b> '" + "x" * 200 + "' }", max_length=100)
    with pytest.raises(QueryTooDeep):
        check_update("INSERT DATA " + "{" * 300, max_depth=200)
