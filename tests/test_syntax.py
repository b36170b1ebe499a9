"""Malformed queries and updates are explained where the mistake is, in words to act on."""

from __future__ import annotations

import pickle

import pytest

from msckg.graph.errors import QuerySyntaxError
from msckg.graph.store import GraphStore
from msckg.graph.syntax import PROBLEMS, explain_syntax_error
from msckg.ontology import PREFIXES

MISSING_DOT = "SELECT * WHERE {\n  ?s a msckg:Disorder\n  ?s rdfs:label ?label\n}"

# (query, line, column, problem, words the message must hold)
CASES = [
    (
        "SELEKT nonsense",
        1,
        1,
        "unknown_query_form",
        ["a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE", "'SELEKT'", "SELECT?"],
    ),
    (
        "PREFIX ex: <http://example.org/>\ndescrbe ex:a",
        2,
        1,
        "unknown_query_form",
        ["not 'descrbe'", "did you mean DESCRIBE?"],
    ),
    (
        MISSING_DOT,
        2,
        22,
        "missing_dot",
        ["expected '.' after 'msckg:Disorder'", "'?s' on line 3 starts another one"],
    ),
    (
        'SELECT * WHERE {\n  ?s rdfs:label "VEGF"@en\n  ?s ?p ?o .\n}',
        2,
        26,
        "missing_dot",
        ["""expected '.' after '"VEGF"@en'"""],
    ),
    (
        "SELECT * WHERE {\n  ?s ?p ?o\n  FILTER(?o)\n  ?a ?b ?c\n  ?d ?e ?f }",
        4,
        11,
        "missing_dot",
        ["after '?c'", "on line 5"],
    ),
    (
        "SELECT * WHERE {\n  ?s ?p\n}",
        2,
        8,
        "incomplete_triple",
        ["'?s ?p' has no object", "before '}'"],
    ),
    (
        "SELECT * WHERE { ?s foo:bar ?o }",
        1,
        21,
        "unknown_prefix",
        ["unknown prefix 'foo:'", "'foo:bar'", "ent:", "msckg:", "rdfs:"],
    ),
    (
        'SELECT * WHERE {\n  ?s ?p "open\n}',
        2,
        9,
        "unclosed_string",
        ["string is not closed", 'expected " before the end of its line'],
    ),
    (
        "ASK {\n  ?s ?p ?o",
        2,
        11,
        "unbalanced_brackets",
        ["'{' opened on line 1, column 5 is never closed", "expected '}'"],
    ),
    (
        "SELECT * WHERE { ?s ?p ?o ) }",
        1,
        27,
        "unbalanced_brackets",
        ["')' cannot close '{'"],
    ),
    (
        "PREFIX ex <http://example.org/> SELECT * {}",
        1,
        8,
        "bad_prefix_declaration",
        ["PREFIX needs a name ending in ':'", "found 'ex'"],
    ),
    ("BASE base\nSELECT * {}", 1, 6, "bad_base_declaration", ["BASE needs an IRI", "'base'"]),
    ("SELECT (1 AS ?x) ?x {}", 1, 23, "invalid", ["a variable is selected twice"]),
    (
        "SELECT * WHERE { ?s ?p ?o } LIMIT x",
        1,
        35,
        "unexpected",
        ["unexpected 'x'", "OFFSET"],
    ),
    ("", 1, 1, "empty", ["the query is empty"]),
]


def _raised(store: GraphStore, text: str) -> QuerySyntaxError:
    with pytest.raises(QuerySyntaxError) as caught:
        store.query(text)
    return caught.value


@pytest.mark.parametrize(("text", "line", "column", "problem", "words"), CASES)
def test_the_store_explains_where_and_what(
    store: GraphStore, text: str, line: int, column: int, problem: str, words: list[str]
) -> None:
    error = _raised(store, text)
    assert (error.lineno, error.offset, error.problem) == (line, column, problem), str(error)
    for word in words:
        assert word in error.msg
    assert error.text == text.split("\n")[line - 1]
    assert "\\u{" not in error.msg  # no Unicode ranges from the parser's grammar


def test_an_unknown_prefix_lists_the_declared_ones_query_first(store: GraphStore) -> None:
    text = "PREFIX ex: <http://example.org/>\nSELECT * WHERE {\n  ?s ex:p nope:o\n}"
    error = _raised(store, text)
    assert (error.lineno, error.offset) == (3, 11)
    declared = error.details["declared_prefixes"]
    assert error.details["prefix"] == "nope:"
    assert declared[0] == "ex:"
    assert sorted(declared[1:]) == sorted(f"{name}:" for name in PREFIXES)
    assert error.msg.startswith("unknown prefix 'nope:'")


def test_a_prefix_declared_in_the_query_is_not_reported(store: GraphStore) -> None:
    error = _raised(store, "PREFIX ex: <http://example.org/>\nSELECT * { ?s ex:p ?o ?x }")
    assert error.problem == "missing_dot"


def test_an_update_is_explained_as_an_update() -> None:
    error = explain_syntax_error(
        "INSRT DATA { ent:a rdfs:label 'a' }", "error at 1:1: expected ADD", update=True
    )
    assert error.problem == "unknown_query_form"
    assert error.msg.startswith("an update starts with ADD, CLEAR")
    assert "did you mean INSERT?" in error.msg


def test_the_error_keeps_everything_through_pickling() -> None:
    error = explain_syntax_error(
        "SELECT * { ?s foo:p ?o }",
        "error at 1:20: expected one of Prefix not found, ['%']",
        predeclared=["ent"],
    )
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 (our own bytes: the worker pipe)
    assert isinstance(copy, QuerySyntaxError)
    assert (
        copy.fields()
        == error.fields()
        == {
            "line": 1,
            "column": 15,
            "problem": "unknown_prefix",
            "prefix": "foo:",
            "declared_prefixes": ["ent:"],
        }
    )
    assert (copy.msg, copy.text, copy.filename) == (error.msg, error.text, "query")


def test_a_message_without_a_position_is_kept_as_it_is() -> None:
    error = explain_syntax_error("SELECT", "something odd")
    assert (error.msg, error.lineno, error.offset) == ("something odd", None, None)
    assert str(error) == "something odd"


def test_every_kind_of_problem_is_documented_and_tested() -> None:
    tested = {problem for _text, _line, _column, problem, _words in CASES}
    assert tested | {"syntax"} == set(PROBLEMS)  # "syntax": a message without a position
