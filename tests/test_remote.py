"""RemoteStore against real servers (Oxigraph, Virtuoso): the same answers as locally, writes, refusals."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from remote_servers import RemoteServer
from virtuoso_server import RESULT_SET_MAX_ROWS

from msckg.graph.errors import QueryTimeout, StoreError
from msckg.graph.remote import SKOLEM_BASE, RemoteStore, bind_parameters
from msckg.graph.store import GRAPH_FORMATS, RESULT_FORMATS, GraphStore, open_remote_store
from msckg.queries import list_queries

QUERIES = list_queries()


def _rows(body: bytes) -> list[bytes]:
    lines = body.splitlines()
    return [lines[0], *sorted(lines[1:])]


#: ``(GROUP_CONCAT(... ; separator="s") AS ?name)``: the separator and the column.
_CONCAT = re.compile(
    r'GROUP_CONCAT\((?:[^()]|\([^()]*\))*?separator\s*=\s*"([^"]*)"\s*\)\s+AS\s+\?(\w+)',
    re.IGNORECASE,
)


def _facts(text: str, body: bytes) -> list[tuple[object, ...]]:
    """TSV rows with each GROUP_CONCAT cell read as the set of values it joins.

    SPARQL leaves GROUP_CONCAT's order open, and Virtuoso differs from Oxigraph in two more
    ways: it drops the language tag its values share, and it writes "" where no value joins
    (Oxigraph leaves the cell unbound). Read as sets of values, the cells hold the same facts.
    """
    concats = {name: separator for separator, name in _CONCAT.findall(text)}
    result = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
    assert isinstance(result, ox.QuerySolutions)
    names = [variable.value for variable in result.variables]
    rows = []
    for solution in result:
        row: list[object] = []
        for name in names:
            term = solution[name]
            if name in concats:
                joined = term.value if term is not None else ""
                row.append(frozenset(joined.split(concats[name])) if joined else frozenset())
            else:
                row.append(str(term) if term is not None else None)
        rows.append(tuple(row))
    return sorted(rows, key=repr)


#: Named queries Virtuoso 7.2 answers wrongly, whatever the query's wording (see the README).
VIRTUOSO_WRONG = {
    "cell_sources": "Virtuoso 7.2 loses an OPTIONAL group holding a transitive path (broader+) "
    "that shares a variable with the outer pattern: the source-specific cell types are missing",
    "mechanism_map": "Virtuoso 7.2 refuses the query with SQ074 (HTTP 500); the layers are "
    "computed with EXISTS inside IF in BIND; a rewording that Virtuoso accepts is still to find",
}


@pytest.mark.parametrize("named", QUERIES, ids=[q.name for q in QUERIES])
def test_named_query_with_defaults_answers_as_locally(
    named, store: GraphStore, remote_store: RemoteStore, remote_server: RemoteServer
) -> None:
    if remote_server.kind == "virtuoso" and named.name in VIRTUOSO_WRONG:
        pytest.xfail(VIRTUOSO_WRONG[named.name])
    bindings = named.bindings({})
    local = store.answer(named.text, bindings, result_format="tsv", graph_format="ntriples")
    remote = remote_store.answer(named.text, bindings, result_format="tsv", graph_format="ntriples")
    assert (remote.kind, remote.count, remote.truncated) == (local.kind, local.count, False)
    if local.kind == "triples":  # blank node labels differ between stores
        assert isomorphic(
            Graph().parse(data=local.body, format="nt"),
            Graph().parse(data=remote.body, format="nt"),
        )
    elif remote_server.kind == "virtuoso" and _CONCAT.search(named.text):
        assert _facts(named.text, remote.body) == _facts(named.text, local.body)
    else:
        assert _rows(remote.body) == _rows(local.body)


def test_virtuoso_wrong_answers_are_still_wrong(
    store: GraphStore, remote_store: RemoteStore, remote_server: RemoteServer
) -> None:
    """The day Virtuoso answers them right, VIRTUOSO_WRONG and the README shrink."""
    if remote_server.kind != "virtuoso":
        pytest.skip("Virtuoso's own wrong answers")
    for name in VIRTUOSO_WRONG:
        named = next(q for q in QUERIES if q.name == name)
        bindings = named.bindings({})
        local = store.answer(named.text, bindings, result_format="tsv")
        try:
            remote = remote_store.answer(named.text, bindings, result_format="tsv")
        except StoreError:  # refused outright (mechanism_map): still wrong
            continue
        assert _facts(named.text, remote.body) != _facts(named.text, local.body), name


def test_a_parameter_used_only_in_a_nested_filter_is_bound(remote_store: RemoteStore) -> None:
    rows = remote_store.select(
        next(q for q in QUERIES if q.name == "find_entity").text, {"name": "vegf"}
    )
    assert {row["entity"] for row in rows} == {"https://w3id.org/msckg/id/VEGF"}
    assert {row["name"] for row in rows} == {"vegf"}


def test_bound_parameters_become_terms_and_a_bind_first_in_the_where_clause() -> None:
    import pyoxigraph as ox

    text = 'SELECT ?e WHERE { ?e rdfs:label ?n FILTER(?n != "?n") } # ?n'
    bound = bind_parameters(text, {"n": ox.Literal('x" } DROP ALL #')})
    assert bound == (
        'SELECT ?e WHERE { BIND("x\\" } DROP ALL #" AS ?n) ?e rdfs:label "x\\" } DROP ALL #" '
        'FILTER("x\\" } DROP ALL #" != "?n") } # ?n'
    )


def test_a_construct_template_is_bound_and_the_bind_goes_into_its_where_clause() -> None:
    import pyoxigraph as ox

    text = "CONSTRUCT { ?x ex:p ?t } WHERE { ?x a ?t }"
    bound = bind_parameters(text, {"t": ox.NamedNode("http://a/T")})
    assert bound == (
        "CONSTRUCT { ?x ex:p <http://a/T> } WHERE { BIND(<http://a/T> AS ?t) ?x a <http://a/T> }"
    )


def test_a_grouped_query_projects_the_bound_value(remote_store: RemoteStore) -> None:
    # A trailing VALUES joined with the unbound ?cell gave no row on Virtuoso.
    rows = remote_store.select(
        "SELECT ?cell (COUNT(?source) AS ?n) WHERE { ?cell msckg:isolatedFrom ?source } "
        "GROUP BY ?cell",
        {"cell": "ent:mesenchymal_stem_cell"},
    )
    assert [row["cell"] for row in rows] == ["https://w3id.org/msckg/id/mesenchymal_stem_cell"]
    assert int(rows[0]["n"]) > 0


def test_a_query_with_its_own_trailing_values_cannot_take_parameters() -> None:
    import pyoxigraph as ox

    with pytest.raises(NotImplementedError, match="trailing VALUES"):
        bind_parameters("SELECT ?a { ?a ?b ?c } VALUES ?a { 1 }", {"b": ox.Literal("x")})


def test_a_binding_is_a_term_not_query_text(remote_store: RemoteStore) -> None:
    result = remote_store.answer(
        "SELECT ?entity ?label WHERE { ?entity rdfs:label ?label }", {"entity": '"> } ; DROP ALL #'}
    )
    assert json.loads(result.body)["results"]["bindings"] == []
    assert len(remote_store) > 0


@pytest.mark.parametrize("fmt", list(RESULT_FORMATS))
def test_select_results_in_every_format(remote_store: RemoteStore, fmt: str) -> None:
    result = remote_store.answer(
        "SELECT ?name WHERE { ent:VEGF rdfs:label|skos:altLabel ?name }", result_format=fmt
    )
    assert (result.kind, result.format) == ("solutions", fmt)
    assert b"VEGF" in result.body


@pytest.mark.parametrize("fmt", list(GRAPH_FORMATS))
def test_describe_results_in_every_format(remote_store: RemoteStore, fmt: str) -> None:
    result = remote_store.answer("DESCRIBE ent:VEGF", graph_format=fmt)
    assert result.kind == "triples"
    assert b"VEGF" in result.body


def test_ask_is_a_boolean(remote_store: RemoteStore) -> None:
    result = remote_store.answer("ASK { ent:VEGF rdfs:label ?l }", result_format="xml")
    assert result.kind == "boolean"
    assert b"<boolean>true</boolean>" in result.body


def test_the_row_cap_keeps_exactly_the_limit(remote_store: RemoteStore) -> None:
    select = remote_store.answer("SELECT * WHERE { ?s ?p ?o }", row_limit=7)
    assert select.truncated
    assert len(json.loads(select.body)["results"]["bindings"]) == 7
    construct = remote_store.answer(
        "CONSTRUCT WHERE { ?s ?p ?o }", graph_format="ntriples", row_limit=5
    )
    assert (construct.count, construct.truncated, construct.body.count(b"\n")) == (5, True, 5)


def test_default_graph_uri_replaces_the_union(remote_store: RemoteStore) -> None:
    void_only = remote_store.answer(
        "ASK { ent:VEGF rdfs:label ?l }", default_graphs=["https://w3id.org/msckg/graph/void"]
    )
    assert json.loads(void_only.body)["boolean"] is False


def test_syntax_error_keeps_line_and_column(store: GraphStore, remote_store: RemoteStore) -> None:
    bad = "SELECT ?s\nWHERE { ?s ?p }"
    with pytest.raises(SyntaxError) as local:
        store.query(bad)
    with pytest.raises(SyntaxError) as remote:
        remote_store.query(bad)
    assert (remote.value.msg, remote.value.lineno, remote.value.offset) == (
        local.value.msg,
        2,
        local.value.offset,
    )


def test_stats_and_graphs_match_the_local_store(
    store: GraphStore, remote_store: RemoteStore
) -> None:
    from msckg.graph.stats import graph_stats

    assert remote_store.named_graphs() == store.named_graphs()
    assert len(remote_store) == len(store)
    assert graph_stats(remote_store).as_dict() == graph_stats(store).as_dict()


def test_entity_detail_matches_the_local_store(
    store: GraphStore, remote_store: RemoteStore
) -> None:
    from msckg.graph.entities import EntityIndex, entity_detail

    local = entity_detail(store, "ent:VEGF", EntityIndex.from_store(store))
    remote = entity_detail(remote_store, "ent:VEGF", EntityIndex.from_store(remote_store))
    assert remote == local


@pytest.fixture
def scratch_graph(remote_server: RemoteServer) -> Iterator[str]:
    """A graph IRI for a test to load into, dropped from the shared server afterwards."""
    graph = "http://example.org/graph/scratch"
    yield graph
    remote_server.open().update(f"DROP SILENT GRAPH <{graph}>")


def test_load_rdf_skolemizes_blank_nodes_shared_across_batches(
    tmp_path: Path, remote_server: RemoteServer, scratch_graph: str
) -> None:
    source = tmp_path / "people.ttl"
    source.write_text(
        "@prefix ex: <http://example.org/> .\n"
        "ex:a ex:knows _:x . ex:b ex:knows _:x . ex:c ex:knows _:x .\n"
        '_:x ex:name "x" .\n',
        encoding="utf-8",
    )
    remote = remote_server.open(gsp_url=None)  # no GSP: SPARQL Update
    graph = scratch_graph
    commits: list[tuple[int, int]] = []
    report = remote.load_rdf(
        source, graph, batch_size=2, on_commit=lambda b, t: commits.append((b, t))
    )
    assert (report.triples, report.batches, commits[-1]) == (4, 2, (2, 4))
    rows = remote.select(
        "PREFIX ex: <http://example.org/> "
        f'SELECT DISTINCT ?x WHERE {{ GRAPH <{graph}> {{ ?who ex:knows ?x . ?x ex:name "x" }} }}'
    )
    assert len(rows) == 1
    assert rows[0]["x"].startswith(SKOLEM_BASE)


@pytest.mark.parametrize(
    ("base_iri", "document"),
    [(None, "file"), ("http://example.org/base/doc", "http://example.org/base/doc")],
)
def test_load_rdf_resolves_relative_iris_before_upload(
    tmp_path: Path,
    remote_server: RemoteServer,
    scratch_graph: str,
    base_iri: str | None,
    document: str,
) -> None:
    source = tmp_path / "doc.ttl"
    source.write_text("<#me> <http://example.org/p> <> .\n", encoding="utf-8")
    if document == "file":
        document = f"file://{source}"
    graph = scratch_graph
    remote = remote_server.open()
    remote.load_rdf(source, graph, base_iri=base_iri)
    rows = remote.select(f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert rows == [{"s": f"{document}#me", "o": document}]


def test_load_rdf_refuses_an_invalid_base_iri(tmp_path: Path, remote_server: RemoteServer) -> None:
    source = tmp_path / "doc.ttl"
    source.write_text("<#me> <http://example.org/p> <> .\n", encoding="utf-8")
    with pytest.raises(ValueError, match="invalid base IRI 'doc': No scheme found"):
        remote_server.open().load_rdf(source, "http://example.org/g", base_iri="doc")


@pytest.mark.parametrize("where", ["local", "remote"])
def test_from_names_the_default_graph_instead_of_the_union(
    where: str, store: GraphStore, remote_store: RemoteStore
) -> None:
    # W3C test construct/constructwhere04: the union default graph overrode FROM.
    target = store if where == "local" else remote_store
    count = "SELECT (COUNT(*) AS ?n) {} WHERE {{ {} }}"
    in_from = target.select(count.format("FROM graph:inferred", "?s ?p ?o"))
    in_graph = target.select(count.format("", "GRAPH graph:inferred { ?s ?p ?o }"))
    in_union = target.select(count.format("", "?s ?p ?o"))
    assert in_from == in_graph
    assert int(in_from[0]["n"]) < int(in_union[0]["n"])


def test_a_malformed_file_reports_file_and_line(
    tmp_path: Path, remote_server: RemoteServer
) -> None:
    source = tmp_path / "bad.nt"
    source.write_text(
        "<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n", encoding="utf-8"
    )
    with pytest.raises(SyntaxError) as caught:
        remote_server.open().load_rdf(source, "http://example.org/bad")
    assert (caught.value.filename, caught.value.lineno) == (str(source), 2)


@pytest.mark.parametrize("operation", ["write_union", "load_file", "dump"])
def test_unsupported_operations_are_refused_by_name(
    remote_store: RemoteStore, tmp_path: Path, operation: str
) -> None:
    with pytest.raises(
        NotImplementedError,
        match=operation.replace("_", ".") if operation != "dump" else "dumping the whole dataset",
    ):
        getattr(remote_store, operation)(tmp_path / "out.nq")


def test_dump_writes_one_named_graph(remote_store: RemoteStore, tmp_path: Path) -> None:
    path = tmp_path / "void.ttl"
    remote_store.dump(path, "https://w3id.org/msckg/graph/void")
    assert len(Graph().parse(path)) > 0


def test_an_unreachable_store_is_a_store_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StoreError, match="cannot reach the store"):
        open_remote_store(f"http://127.0.0.1:{port}/query").select("SELECT * { ?s ?p ?o }")


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A listener that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    stop.set()
    thread.join(timeout=2)
    for connection in held:
        connection.close()
    listener.close()


def test_a_silent_store_times_out(silent_server: str) -> None:
    remote = open_remote_store(silent_server, timeout=0.5, union="native")
    with pytest.raises(QueryTimeout, match=r"within 0\.5 s"):
        remote.answer("SELECT * { ?s ?p ?o }")


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError, match="http"):
        open_remote_store("file:///etc/passwd")
    with pytest.raises(ValueError, match="choose one of: graphs, native"):
        open_remote_store("http://127.0.0.1:1/query", union="all")


#: Three rows per triple of the union: more rows than Virtuoso's ResultSetMaxRows (10,000).
_TRIPLED = "SELECT ?i ?s ?p ?o WHERE { VALUES ?i { 1 2 3 } ?s ?p ?o }"


def test_an_answer_cut_by_the_stores_row_limit_is_an_error_not_a_short_answer(
    remote_store: RemoteStore, remote_server: RemoteServer
) -> None:
    counted = remote_store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    rows = 3 * int(counted[0]["n"])
    assert rows > RESULT_SET_MAX_ROWS
    if remote_server.kind == "oxigraph":  # no limit of its own
        assert len(remote_store.select(_TRIPLED)) == rows
        return
    with pytest.raises(StoreError) as cut:
        remote_store.select(_TRIPLED)
    assert str(cut.value) == (
        f"the remote store cut the answer at its row limit ({RESULT_SET_MAX_ROWS} rows, told by "
        "its X-SPARQL-MaxRows header); raise ResultSetMaxRows in the [SPARQL] section of "
        "virtuoso.ini, or ask for fewer rows"
    )
    # On /sparql the answer is marked truncated, as when msckg's own row cap cuts it.
    answer = remote_store.answer(_TRIPLED, row_limit=2 * rows)
    assert (answer.count, answer.truncated) == (RESULT_SET_MAX_ROWS, True)


def test_a_load_longer_than_the_store_takes_in_one_update_is_split_and_complete(
    tmp_path: Path, remote_server: RemoteServer, scratch_graph: str
) -> None:
    source = tmp_path / "many.nt"
    source.write_text(
        "".join(f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\n' for i in range(5000)),
        encoding="utf-8",
    )
    remote = remote_server.open(gsp_url=None)  # SPARQL Update, whose length Virtuoso limits
    report = remote.load_rdf(source, scratch_graph, batch_size=5000)
    assert report.triples == 5000
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{scratch_graph}> {{ ?s ?p ?o }} }}"
    assert remote.select(count) == [{"n": "5000"}]
    # Virtuoso refuses 5,000 triples in one INSERT DATA (SP030/SP031): the chunk was halved.
    if remote_server.kind == "virtuoso":
        assert report.batches > 1
    else:
        assert report.batches == 1


def test_refused_updates_do_not_use_up_the_authentication(
    remote_server: RemoteServer, scratch_graph: str
) -> None:
    # urllib's digest handler gave up after 5 challenges not followed by a success, so after
    # 5 refused requests every later one failed with 401.
    remote = remote_server.open()
    for _ in range(6):
        with pytest.raises(ValueError, match="refused the POST request"):
            remote.update(f"INSERT DATA {{ GRAPH <{scratch_graph}> {{ <http://a> <http://b> }} }}")
    remote.update(
        f"INSERT DATA {{ GRAPH <{scratch_graph}> {{ <http://a> <http://b> <http://c> }} }}"
    )
    assert remote.select(f"SELECT ?o WHERE {{ GRAPH <{scratch_graph}> {{ ?s ?p ?o }} }}") == [
        {"o": "http://c"}
    ]


def test_blank_nodes_in_results_answer_as_locally(
    store: GraphStore, remote_store: RemoteStore
) -> None:
    # Virtuoso labels them nodeID://b10069 in JSON results, which the engine refused.
    query = "SELECT ?s ?p WHERE { GRAPH graph:void { ?s ?p ?o FILTER(isBlank(?s)) } }"
    local = [row["p"] for row in store.select(query)]
    remote = [row["p"] for row in remote_store.select(query)]
    assert local
    assert sorted(remote) == sorted(local)


def test_a_query_virtuoso_estimates_too_long_is_a_timeout(
    remote_store: RemoteStore, remote_server: RemoteServer
) -> None:
    if remote_server.kind != "virtuoso":
        pytest.skip("Virtuoso's MaxQueryCostEstimationTime; the Oxigraph server runs the query")
    with pytest.raises(QueryTimeout, match=r"estimated execution time \d+ \(sec\) exceeds"):
        remote_store.select("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
