"""The one gateway to the RDF store: open it, load a dataset into it, and query it."""

from __future__ import annotations

import gzip
import io
import itertools
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol, cast

import pyoxigraph as ox

from msckg.graph.errors import FormatNotAcceptable, QuerySyntaxError, StoreError
from msckg.graph.guard import names_dataset
from msckg.graph.syntax import explain_syntax_error
from msckg.ontology import PREFIXES

if TYPE_CHECKING:
    from msckg.graph.remote import RemoteStore

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "GraphStore",
    "LoadReport",
    "QueryResult",
    "SerializedResult",
    "Store",
    "Table",
    "answer_from_result",
    "answer_from_triples",
    "base_iri_of",
    "canonical_files",
    "check_base_iri",
    "check_rdf_file",
    "format_for",
    "located_error",
    "named_node",
    "open_rdf",
    "open_remote_store",
    "open_store",
    "positioned_error",
    "rdf_format_of",
    "serialize_result",
    "table_from_result",
    "term_from_text",
    "written_bytes",
]

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
    "jsonld": ox.RdfFormat.JSON_LD,
}


@dataclass(frozen=True, slots=True)
class SerializedResult:
    """A query result written out by the engine, and whether the row cap cut it short."""

    kind: str
    format: str
    body: bytes
    count: int | None
    truncated: bool


class _LineCappedWriter:
    """A binary sink that keeps at most ``limit`` lines after a header and stops the writer beyond."""

    def __init__(self, limit: int, header_lines: int) -> None:
        self.limit = limit + header_lines
        self.chunks: list[bytes] = []
        self.lines = 0
        self.overflowed = False

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.lines += data.count(b"\n")
        if self.lines > self.limit:
            self.overflowed = True
            raise BufferError("row cap reached")
        return len(data)

    def flush(self) -> None:
        return None

    def kept(self) -> tuple[bytes, int]:
        lines = b"".join(self.chunks).split(b"\n")
        if self.overflowed:
            lines = lines[: self.limit]
        else:
            lines = lines[:-1] if lines and lines[-1] == b"" else lines
        return b"".join(line + b"\n" for line in lines), len(lines)


def _write_capped(result: QueryResult, row_limit: int) -> tuple[bytes, int, bool]:
    """Write SELECT results as TSV or triples as N-Triples (one line each), stopping after ``row_limit``."""
    header_lines = 1 if isinstance(result, ox.QuerySolutions) else 0
    writer = _LineCappedWriter(row_limit, header_lines)
    # the engine only calls write() and flush() on its output
    sink = cast("IO[bytes]", writer)
    try:
        if isinstance(result, ox.QueryTriples):
            result.serialize(sink, format=ox.RdfFormat.N_TRIPLES)
        else:
            result.serialize(sink, format=ox.QueryResultsFormat.TSV)
    except BufferError:
        if not writer.overflowed:
            raise
    body, lines = writer.kept()
    return body, lines - header_lines, writer.overflowed


def serialize_result(result: QueryResult, fmt: str) -> bytes:
    """Serialize a query result with the engine's own writer.

    :param fmt: ``json``, ``xml``, ``csv`` or ``tsv`` for SELECT/ASK; ``turtle``, ``ntriples``,
        ``rdfxml`` for CONSTRUCT/DESCRIBE
    :raises ValueError: when ``fmt`` does not fit the kind of result
    """
    if isinstance(result, ox.QueryTriples):
        if fmt not in GRAPH_FORMATS:
            raise ValueError(
                f"a graph result cannot be written as {fmt!r}; choose one of: {', '.join(GRAPH_FORMATS)}"
            )
        return written_bytes(result.serialize(format=GRAPH_FORMATS[fmt]))
    if fmt not in RESULT_FORMATS:
        raise ValueError(
            f"a SELECT/ASK result cannot be written as {fmt!r}; choose one of: {', '.join(RESULT_FORMATS)}"
        )
    return written_bytes(result.serialize(format=RESULT_FORMATS[fmt]))


def written_bytes(serialized: bytes | None) -> bytes:
    """The bytes the engine returns when it is given no output (its stubs say ``bytes | None``)."""
    if serialized is None:
        raise TypeError("the engine wrote to an output instead of returning bytes")
    return serialized


def answer_from_result(
    result: QueryResult, result_format: str | None, graph_format: str | None, row_limit: int
) -> SerializedResult:
    """Serialize ``result`` with the engine, keeping at most ``row_limit`` solutions or triples.

    :param result_format: the format for SELECT and ASK, ``None`` if the client accepts none
    :param graph_format: the format for CONSTRUCT and DESCRIBE, ``None`` if the client accepts none
    :raises FormatNotAcceptable: when the format for this kind of result is ``None``
    :raises ValueError: for a format that does not fit the result
    """
    fmt = format_for(result, result_format, graph_format)
    if isinstance(result, ox.QueryBoolean):
        return SerializedResult("boolean", fmt, serialize_result(result, fmt), None, False)
    if isinstance(result, ox.QuerySolutions) and fmt not in RESULT_FORMATS:
        raise ValueError(f"a SELECT/ASK result cannot be written as {fmt!r}")
    if isinstance(result, ox.QueryTriples) and fmt not in GRAPH_FORMATS:
        raise ValueError(f"a graph result cannot be written as {fmt!r}")
    body, count, truncated = _write_capped(result, row_limit)
    if isinstance(result, ox.QuerySolutions):
        if fmt != "tsv":
            solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
            body = serialize_result(solutions, fmt)
        return SerializedResult("solutions", fmt, body, count, truncated)
    if fmt != "ntriples":
        triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        body = written_bytes(ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=PREFIXES))
    return SerializedResult("triples", fmt, body, count, truncated)


def format_for(
    result: QueryResult | str, result_format: str | None, graph_format: str | None
) -> str:
    """The format for a result (or a query form: ``SELECT``, ``ASK`` ...) of that kind.

    :param result_format: the format for SELECT and ASK results, ``None`` if none is acceptable
    :param graph_format: the format for CONSTRUCT and DESCRIBE results, likewise
    :raises FormatNotAcceptable: naming the kind of result, when its format is ``None``
    """
    if isinstance(result, str):
        graph = result in {"CONSTRUCT", "DESCRIBE"}
        kind = "triples" if graph else "boolean" if result == "ASK" else "solutions"
    else:
        graph = isinstance(result, ox.QueryTriples)
        boolean = isinstance(result, ox.QueryBoolean)
        kind = "triples" if graph else "boolean" if boolean else "solutions"
    fmt = graph_format if graph else result_format
    if fmt is None:
        raise FormatNotAcceptable(kind)
    return fmt


def answer_from_triples(
    triples: Iterable[ox.Triple | ox.Quad], graph_format: str, row_limit: int
) -> SerializedResult:
    """Serialize at most ``row_limit`` of ``triples`` (read no further) in ``graph_format``.

    :raises ValueError: for an unknown graph format
    """
    if graph_format not in GRAPH_FORMATS:
        raise ValueError(f"a graph result cannot be written as {graph_format!r}")
    kept = [
        ox.Triple(t.subject, t.predicate, t.object)
        for t in itertools.islice(triples, row_limit + 1)
    ]
    truncated = len(kept) > row_limit
    kept = kept[:row_limit]
    body = written_bytes(ox.serialize(kept, format=GRAPH_FORMATS[graph_format], prefixes=PREFIXES))
    return SerializedResult("triples", graph_format, body, len(kept), truncated)


def positioned_error(error: SyntaxError, text: str, *, update: bool = False) -> QuerySyntaxError:
    """Explain the engine's syntax error about ``text`` (see :mod:`msckg.graph.syntax`).

    :param error: what the engine raised (``error at LINE:COLUMN: expected ...``)
    :param text: the query or update as given, msckg's prefixes being predeclared
    :param update: whether ``text`` is a SPARQL Update
    :returns: the error with the line and column of the mistake and a plain message
    """
    return explain_syntax_error(text, error.msg or str(error), predeclared=PREFIXES, update=update)


@dataclass(frozen=True, slots=True)
class Table:
    """A query result as text cells for display: columns and rows, or a boolean, or Turtle."""

    columns: list[str]
    rows: list[list[str]]
    boolean: bool | None = None
    turtle: str | None = None


def table_from_result(result: QueryResult, shorten: Callable[[str], str] = str) -> Table:
    """Turn a query result into display cells; IRIs pass through ``shorten`` (e.g. to CURIEs)."""
    if isinstance(result, ox.QueryBoolean):
        return Table([], [], boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        return Table(
            [], [], turtle=written_bytes(result.serialize(format=ox.RdfFormat.TURTLE)).decode()
        )
    columns = [variable.value for variable in result.variables]
    rows = []
    for solution in result:
        cells = []
        for name in columns:
            term = solution[name]
            if term is None:
                cells.append("")
            elif isinstance(term, ox.NamedNode):
                cells.append(shorten(term.value))
            else:
                cells.append(term.value)
        rows.append(cells)
    return Table(columns, rows)


def named_node(iri: str) -> ox.NamedNode:
    """The IRI as an RDF term, checked by the engine's IRI parser.

    >>> named_node("https://w3id.org/msckg/id/VEGF")
    <NamedNode value=https://w3id.org/msckg/id/VEGF>

    :raises ValueError: for a string that is not a valid absolute IRI
    """
    return ox.NamedNode(iri)


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


class Store(Protocol):
    """What msckg asks of a store: :class:`GraphStore` (local Oxigraph) and
    :class:`msckg.graph.remote.RemoteStore` (any SPARQL 1.1 endpoint) both provide it.

    An operation a backend cannot do raises :class:`NotImplementedError` naming it.
    """

    path: Path | None

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, str] | None = None,
        *,
        union_default_graph: bool = True,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryResult:
        """Evaluate a query; the default graph is the union of the named graphs."""
        ...

    def answer(
        self,
        sparql: str,
        bindings: Mapping[str, str] | None = None,
        *,
        result_format: str | None = "json",
        graph_format: str | None = "turtle",
        row_limit: int = 10_000,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> SerializedResult:
        """Evaluate a query and serialize at most ``row_limit`` rows of its result."""
        ...

    def select(
        self, sparql: str, bindings: Mapping[str, str] | None = None
    ) -> list[dict[str, str]]:
        """Run a SELECT query; rows as variable -> lexical value."""
        ...

    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs, sorted."""
        ...

    def __len__(self) -> int: ...

    def load_rdf(
        self,
        path: Path,
        graph: str,
        *,
        batch_size: int = 100_000,
        on_read: Callable[[int], None] = ...,
        on_commit: Callable[[int, int], None] = ...,
        base_iri: str | None = None,
    ) -> LoadReport:
        """Stream an RDF file into a named graph in batches; ``base_iri`` resolves relative IRIs."""
        ...

    def add_ntriples(self, data: bytes, graph: str) -> None:
        """Add N-Triples to a named graph."""
        ...

    def dump(self, path: Path, graph: str | None = None) -> None:
        """Write the dataset or one named graph to a file."""
        ...

    def flush(self) -> None:
        """Make every write so far durable."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...


class GraphStore:
    """An Oxigraph store, on disk or in memory, that knows msckg's prefixes.

    The default graph of a query is the union of all named graphs (asserted, inferred,
    provenance, ontology), as in Fuseki's ``unionDefaultGraph``; ``GRAPH`` selects one.
    """

    def __init__(self, store: ox.Store, path: Path | None) -> None:
        self._store = store
        self.path = path

    def load_file(
        self, path: Path, graph: str | None = None, *, base_iri: str | None = None
    ) -> None:
        """Bulk-load an RDF file (format from its extension, ``.gz`` too) into the store, fast and not atomic.

        Triples go to ``graph`` if given, else to the default graph; quads keep their graph.
        For a store that is thrown away if the load fails (``msckg serve --data``); use
        :meth:`load_rdf` where a failed load must leave the store as it was.

        :param base_iri: resolves the file's relative IRIs; by default the file's own
            ``file://`` IRI (see :func:`base_iri_of`)
        :raises SyntaxError: with file, line and column, if the file is malformed
        :raises ValueError: for an unknown format or an invalid base IRI
        """
        fmt = rdf_format_of(path)
        base = base_iri_of(path, base_iri)
        to_graph = ox.NamedNode(graph) if graph else None
        try:
            if path.suffix in _COMPRESSED:
                with open_rdf(path, lambda _: None) as stream:
                    self._store.bulk_load(stream, format=fmt, base_iri=base, to_graph=to_graph)
            else:
                self._store.bulk_load(path=path, format=fmt, base_iri=base, to_graph=to_graph)
        except SyntaxError as error:
            raise located_error(error, path) from None
        self._store.flush()

    def load_rdf(
        self,
        path: Path,
        graph: str,
        *,
        batch_size: int = 100_000,
        on_read: Callable[[int], None] = lambda _: None,
        on_commit: Callable[[int, int], None] = lambda _batch, _total: None,
        base_iri: str | None = None,
    ) -> LoadReport:
        """Stream an RDF file into the named graph ``graph`` in transactional batches.

        The file is parsed as a stream (never held in memory whole). Each batch is one
        transaction: if the process dies, every batch whose ``on_commit`` ran is stored and
        no batch is stored in part. Call :func:`check_rdf_file` first to refuse a file with
        a syntax error before anything is written.

        :param on_read: called with the number of (compressed) bytes read, for progress
        :param on_commit: called with the batch number and the triples stored so far, after
            each commit
        :param base_iri: resolves the file's relative IRIs; by default the file's own
            ``file://`` IRI (see :func:`base_iri_of`)
        :raises SyntaxError: with file, line and column, if the file is malformed
        :raises ValueError: for an unknown format or an invalid base IRI
        """
        fmt = rdf_format_of(path)
        base = base_iri_of(path, base_iri)
        target = ox.NamedNode(graph)
        total = batches = 0
        with open_rdf(path, on_read) as stream:
            quads = ox.parse(stream, format=fmt, base_iri=base, rename_blank_nodes=True)
            while True:
                try:
                    batch = [
                        ox.Quad(q.subject, q.predicate, q.object, target)
                        for q in itertools.islice(quads, batch_size)
                    ]
                except SyntaxError as error:
                    raise located_error(error, path) from None
                if not batch:
                    break
                self._store.extend(batch)
                batches += 1
                total += len(batch)
                on_commit(batches, total)
        self._store.flush()
        return LoadReport(path, graph, total, batches)

    def add_ntriples(self, data: bytes, graph: str) -> None:
        """Add N-Triples ``data`` to the named graph ``graph``."""
        self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))

    def replace_graph(self, graph: str, ntriples: bytes) -> int:
        """Replace the named graph ``graph`` by the N-Triples ``ntriples`` in one transaction.

        :returns: the number of triples it now holds
        """
        target = ox.NamedNode(graph)
        quads = [
            ox.Quad(q.subject, q.predicate, q.object, target)
            for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
        ]
        self._store.update(f"DROP SILENT GRAPH {target}")
        self._store.extend(quads)
        return len(quads)

    def update(self, sparql: str) -> None:
        """Apply a SPARQL 1.1 Update in one transaction, then flush: all of it is stored, or none.

        Nothing checks what it fetches here: run it through ``guard.check_update`` first.

        :param sparql: the update; msckg's prefixes are predeclared
        :raises SyntaxError: for a malformed update, with line and column
        :raises OSError: when the store cannot be written
        """
        try:
            self._store.update(sparql, prefixes=PREFIXES)
        except SyntaxError as error:
            raise positioned_error(error, sparql, update=True) from None
        self._store.flush()

    def flush(self) -> None:
        """Make sure every write so far is on disk."""
        self._store.flush()

    def write_union(self, path: Path) -> int:
        """Write the union of all graphs, without duplicates, to ``path`` (format from its extension).

        :returns: the number of triples written
        """
        union = self._store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
            use_default_graph_as_union=True,
        )
        if not isinstance(union, ox.QueryTriples):
            raise TypeError("a CONSTRUCT query gave no triples")
        triples = list(union)
        ox.serialize(triples, path, format=_format_of(path), prefixes=PREFIXES)
        return len(triples)

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, str] | None = None,
        *,
        union_default_graph: bool = True,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryResult:
        """Evaluate a SPARQL query.

        :param sparql: the query text; msckg's prefixes are predeclared
        :param bindings: values for query variables (CURIE/IRI become IRIs, else literals)
        :param union_default_graph: query the union of all graphs when no ``GRAPH`` is given,
            unless the query names its own default graph with ``FROM``
        :param default_graphs: IRIs of the graphs whose merge is the default graph (protocol
            ``default-graph-uri``); given, they replace the union and the query's ``FROM``
        :param named_graphs: IRIs of the only graphs ``GRAPH`` may see (protocol ``named-graph-uri``)
        :returns: solutions, a boolean, or triples
        :raises SyntaxError: for a malformed query, with the parser's message
        """
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): term_from_text(value) for name, value in (bindings or {}).items()
        }
        try:
            return self._store.query(
                sparql,
                prefixes=PREFIXES,
                # The engine's union would override the query's own FROM.
                use_default_graph_as_union=(
                    union_default_graph and not default_graphs and not names_dataset(sparql)
                ),
                default_graph=[ox.NamedNode(iri) for iri in default_graphs] or None,
                named_graphs=[ox.NamedNode(iri) for iri in named_graphs] or None,
                substitutions=substitutions or None,
            )
        except SyntaxError as error:
            raise positioned_error(error, sparql) from None

    def answer(
        self,
        sparql: str,
        bindings: Mapping[str, str] | None = None,
        *,
        result_format: str | None = "json",
        graph_format: str | None = "turtle",
        row_limit: int = 10_000,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> SerializedResult:
        """Evaluate a query and serialize its result with the engine, keeping at most ``row_limit`` rows.

        The engine writes solutions as TSV and triples as N-Triples (one line each) into a sink
        that stops evaluation once the cap is passed; the engine then converts that to the
        requested format. No result is rebuilt row by row in Python.

        :param result_format: a key of :data:`RESULT_FORMATS`, used for SELECT and ASK
        :param graph_format: a key of :data:`GRAPH_FORMATS`, used for CONSTRUCT and DESCRIBE
        :param row_limit: the most solutions or triples returned
        :returns: the serialized result, with ``truncated`` set when the cap cut it
        :raises SyntaxError: for a malformed query
        :raises FormatNotAcceptable: when the format for the kind of result is ``None``
        :raises ValueError: for an unknown format
        :raises OSError: when the store cannot be read
        """
        result = self.query(
            sparql, bindings, default_graphs=default_graphs, named_graphs=named_graphs
        )
        return answer_from_result(result, result_format, graph_format, row_limit)

    def select(
        self, sparql: str, bindings: Mapping[str, str] | None = None
    ) -> list[dict[str, str]]:
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
        return sorted(
            graph.value for graph in self._store.named_graphs() if isinstance(graph, ox.NamedNode)
        )

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


_COMPRESSED = {".gz"}


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What one file's load added."""

    path: Path
    graph: str
    triples: int
    batches: int


class _CountingReader(io.RawIOBase):
    """Wraps a binary file and counts the bytes read from it, for progress reporting."""

    def __init__(
        self,
        raw: io.BufferedIOBase,
        on_read: Callable[[int], None],
        underlying: io.BufferedIOBase | None = None,
    ) -> None:
        self._raw = raw
        self._on_read = on_read
        # a decompressor given a file object does not close it; the file is closed here
        self._underlying = underlying

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._raw.close()
        if self._underlying is not None:
            self._underlying.close()
        super().close()

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._on_read(len(data))
        return len(data)


def rdf_format_of(path: Path) -> ox.RdfFormat:
    """The RDF format of a file from its extension, looking through a ``.gz`` suffix.

    :raises ValueError: naming the extension and the formats that are known
    """
    name = path.name[: -len(path.suffix)] if path.suffix in _COMPRESSED else path.name
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    fmt = ox.RdfFormat.from_extension(extension)
    if fmt is None:
        known = "ttl, nt, nq, trig, rdf, owl, xml, jsonld, n3 (optionally .gz)"
        raise ValueError(
            f"{path}: unknown RDF format for extension {extension!r}; use one of: {known}"
        )
    return fmt


def open_rdf(path: Path, on_read: Callable[[int], None]) -> IO[bytes]:
    """Open an RDF file (gzip or not) as a binary stream that reports the bytes read on disk."""
    on_disk = path.open("rb")
    if path.suffix not in _COMPRESSED:
        return io.BufferedReader(_CountingReader(on_disk, on_read))
    # Count compressed bytes, so progress compares with the file size on disk.
    last = [0]

    def compressed_progress(_: int) -> None:
        position = on_disk.tell()
        on_read(position - last[0])
        last[0] = position

    unzipped = gzip.GzipFile(fileobj=on_disk, mode="rb")
    return io.BufferedReader(_CountingReader(unzipped, compressed_progress, underlying=on_disk))


def check_base_iri(iri: str) -> str:
    """Return ``iri`` if it can be the base of relative IRIs (absolute, with a scheme).

    >>> check_base_iri("https://example.org/data/")
    'https://example.org/data/'
    >>> check_base_iri("data/")
    Traceback (most recent call last):
    ...
    ValueError: invalid base IRI 'data/': No scheme found in an absolute IRI

    :raises ValueError: naming the IRI and what is wrong with it
    """
    try:
        ox.NamedNode(iri)  # the engine's own IRI check, as its parsers apply to a base
    except ValueError as error:
        raise ValueError(f"invalid base IRI {iri!r}: {error}") from None
    return iri


def base_iri_of(path: Path, base_iri: str | None = None) -> str:
    """The IRI a file's relative IRIs resolve against: ``base_iri`` if given, else the file's own.

    A file's own IRI is its absolute ``file://`` URI, as RDF/XML ``rdf:resource=""`` or
    Turtle ``<>`` mean "this document" (RFC 3986 section 5.1.3).

    >>> base_iri_of(Path("/data/w3c/sq05.rdf"))
    'file:///data/w3c/sq05.rdf'
    >>> base_iri_of(Path("/data/w3c/sq05.rdf"), "http://example.org/sq05")
    'http://example.org/sq05'

    :raises ValueError: for an invalid ``base_iri``
    """
    if base_iri is not None:
        return check_base_iri(base_iri)
    # abspath, not resolve(): the path as the user named it, "." and ".." removed.
    return Path(os.path.abspath(path)).as_uri()


def check_rdf_file(
    path: Path,
    on_read: Callable[[int], None] = lambda _: None,
    *,
    base_iri: str | None = None,
) -> int:
    """Parse a whole RDF file without storing it, to find syntax errors before anything is written.

    :param base_iri: resolves the file's relative IRIs; by default the file's own
        ``file://`` IRI (see :func:`base_iri_of`)
    :returns: the number of triples or quads it holds
    :raises SyntaxError: with ``filename``, ``lineno`` and ``offset`` of the first error
    :raises ValueError: for an unknown format or an invalid base IRI
    """
    fmt = rdf_format_of(path)
    base = base_iri_of(path, base_iri)
    count = 0
    with open_rdf(path, on_read) as stream:
        try:
            for _ in ox.parse(stream, format=fmt, base_iri=base):
                count += 1
        except SyntaxError as error:
            raise located_error(error, path) from None
    return count


def located_error(error: SyntaxError, path: Path) -> SyntaxError:
    """Copy a parser error into a ``SyntaxError`` with ``filename``, ``lineno`` and ``offset``."""
    line, column = error.lineno, error.offset
    if line is None:
        match = re.search(r"(\d+):(\d+)", error.msg or "")
        line, column = (int(match[1]), int(match[2])) if match else (0, 0)
    return SyntaxError(error.msg, (str(path), line, column, None))


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
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except (OSError, RuntimeError) as error:  # RocksDB reports corruption as RuntimeError
        raise StoreError(f"{path}: cannot open the store ({error})") from error
    return GraphStore(store, path)


def open_remote_store(url: str, **options: Any) -> RemoteStore:
    """Use the SPARQL 1.1 endpoint at ``url`` as the store (Virtuoso, Fuseki, Oxigraph server ...).

    :param url: the query endpoint
    :param options: see :class:`msckg.graph.remote.RemoteStore` (update and GSP endpoints,
        timeout, credentials, how the default graph is the union of the named graphs)
    :raises ValueError: for a URL that is not http(s) or an unknown option value
    """
    from msckg.graph.remote import RemoteStore

    return RemoteStore(url, **options)


def _serialized(terms: Sequence[ox.Quad] | Sequence[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    data = ox.serialize(terms, format=fmt, prefixes=PREFIXES)
    if data is None:  # only when given an output file, which this never does
        raise StoreError(f"Oxigraph wrote no {fmt} bytes")
    return data


def canonical_files(nquads: Path, void_graph: str) -> dict[str, bytes]:
    """The dataset in ``nquads`` with its blank nodes relabelled by RDF Dataset Canonicalization
    (RDFC-1.0) and its quads sorted, so that equal datasets give equal bytes.

    :param nquads: an N-Quads file (as a build writes)
    :param void_graph: the IRI of the named graph written alone as ``void.ttl``
    :returns: ``msckg.nq``, ``msckg.trig`` and ``void.ttl`` by file name
    """
    dataset = ox.Dataset(ox.parse(path=nquads, format=ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    quads = sorted(
        dataset, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
    )
    lines = _serialized(quads, ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    void = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in quads
        if q.graph_name == ox.NamedNode(void_graph)
    ]
    return {
        "msckg.nq": b"".join(sorted(lines)),
        "msckg.trig": _serialized(quads, ox.RdfFormat.TRIG),
        "void.ttl": _serialized(void, ox.RdfFormat.TURTLE),
    }
