"""The one gateway to the RDF store: open it, load a dataset into it, and query it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from msckg.graph.errors import StoreError
from msckg.ontology import PREFIXES

__all__ = ["GRAPH_FORMATS", "RESULT_FORMATS", "GraphStore", "QueryResult", "open_store", "serialize_result", "term_from_text"]

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

#: Result serializations by the short name users give on the command line.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def serialize_result(result: QueryResult, fmt: str) -> bytes:
    """Serialize a query result with the engine's own writer.

    :param fmt: ``json``, ``xml``, ``csv`` or ``tsv`` for SELECT/ASK; ``turtle``, ``ntriples``,
        ``rdfxml`` for CONSTRUCT/DESCRIBE
    :raises ValueError: when ``fmt`` does not fit the kind of result
    """
    if isinstance(result, ox.QueryTriples):
        if fmt not in GRAPH_FORMATS:
            raise ValueError(f"a graph result cannot be written as {fmt!r}; choose one of: {', '.join(GRAPH_FORMATS)}")
        return result.serialize(format=GRAPH_FORMATS[fmt])
    if fmt not in RESULT_FORMATS:
        raise ValueError(f"a SELECT/ASK result cannot be written as {fmt!r}; choose one of: {', '.join(RESULT_FORMATS)}")
    return result.serialize(format=RESULT_FORMATS[fmt])


def term_from_text(value: str) -> ox.NamedNode | ox.Literal:
    """Turn a CURIE or IRI into a named node, anything else into a plain literal.

    Used to bind user-given parameter values into queries as terms, never as query text.

    >>> term_from_text("ent:VEGF").value
    'https://w3id.org/msckg/id/VEGF'
    >>> term_from_text("VEGF")
    <Literal value=VEGF datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    """
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and " " not in local:
        return ox.NamedNode(PREFIXES[prefix] + local)
    if value.startswith(("http://", "https://")) and " " not in value:
        return ox.NamedNode(value)
    return ox.Literal(value)


class GraphStore:
    """An Oxigraph store, on disk or in memory, that knows msckg's prefixes.

    The default graph of a query is the union of all named graphs (asserted, inferred,
    provenance, ontology), as in Fuseki's ``unionDefaultGraph``; ``GRAPH`` selects one.
    """

    def __init__(self, store: ox.Store, path: Path | None) -> None:
        self._store = store
        self.path = path

    def load_file(self, path: Path, graph: str | None = None) -> None:
        """Bulk-load an RDF file (format from its extension) into the store, into ``graph`` if given."""
        to_graph = ox.NamedNode(graph) if graph else None
        self._store.bulk_load(path=path, format=_format_of(path), to_graph=to_graph)
        self._store.flush()

    def add_ntriples(self, data: bytes, graph: str) -> None:
        """Add N-Triples ``data`` to the named graph ``graph``."""
        self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))

    def flush(self) -> None:
        """Make sure every write so far is on disk."""
        self._store.flush()

    def write_union(self, path: Path) -> int:
        """Write the union of all graphs, without duplicates, to ``path`` (format from its extension).

        :returns: the number of triples written
        """
        triples = list(
            self._store.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                use_default_graph_as_union=True,
            )
        )
        ox.serialize(triples, path, format=_format_of(path), prefixes=PREFIXES)
        return len(triples)

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, str] | None = None,
        *,
        union_default_graph: bool = True,
    ) -> QueryResult:
        """Evaluate a SPARQL query.

        :param sparql: the query text; msckg's prefixes are predeclared
        :param bindings: values for query variables (CURIE/IRI become IRIs, else literals)
        :param union_default_graph: query the union of all graphs when no ``GRAPH`` is given
        :returns: solutions, a boolean, or triples
        :raises SyntaxError: for a malformed query, with the parser's message
        """
        substitutions = {ox.Variable(name): term_from_text(value) for name, value in (bindings or {}).items()}
        return self._store.query(
            sparql,
            prefixes=PREFIXES,
            use_default_graph_as_union=union_default_graph,
            substitutions=substitutions or None,
        )

    def select(self, sparql: str, bindings: Mapping[str, str] | None = None) -> list[dict[str, str]]:
        """Run a SELECT query and return its rows as variable -> lexical value (unbound omitted)."""
        result = self.query(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise ValueError("select() needs a SELECT query")
        names = [variable.value for variable in result.variables]
        return [
            {name: solution[name].value for name in names if solution[name] is not None}
            for solution in result
        ]

    def __len__(self) -> int:
        return len(self._store)

    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs in the store, sorted."""
        return sorted(graph.value for graph in self._store.named_graphs() if isinstance(graph, ox.NamedNode))

    def dump(self, path: Path, graph: str | None = None) -> None:
        """Write the whole dataset (N-Quads, TriG) or one named graph to ``path``."""
        fmt = _format_of(path)
        if graph is None:
            self._store.dump(path, format=fmt, prefixes=PREFIXES)
        else:
            self._store.dump(path, format=fmt, from_graph=ox.NamedNode(graph), prefixes=PREFIXES)

    def close(self) -> None:
        """Release the store (and its lock) now rather than at garbage collection."""
        self._store = ox.Store()


def _format_of(path: Path) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    if fmt is None:
        raise ValueError(f"{path}: unknown RDF format for extension {path.suffix!r}")
    return fmt


def open_store(path: Path | None = None, *, read_only: bool = False) -> GraphStore:
    """Open the on-disk store at ``path`` (created if missing), or an in-memory one for ``None``.

    :param path: the store directory
    :param read_only: open without taking the write lock, so several processes can read at once
    :raises StoreError: when the directory is missing (read-only), locked by a writer, or corrupt
    """
    if path is None:
        return GraphStore(ox.Store(), None)
    if read_only and not path.is_dir():
        raise StoreError(f"{path}: no store here; run 'msckg build' first")
    try:
        store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as error:
        raise StoreError(f"{path}: cannot open the store ({error})") from error
    return GraphStore(store, path)
