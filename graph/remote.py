"""The remote half of the store gateway: a SPARQL 1.1 Query/Update (and Graph Store) endpoint.

:class:`RemoteStore` offers what :class:`msckg.graph.store.GraphStore` offers, over HTTP with
the standard library only, so msckg runs on Virtuoso, Fuseki, GraphDB, Neptune, QLever or an
Oxigraph server. Results are parsed and re-serialized by the engine (pyoxigraph), as locally.
What HTTP cannot do portably is refused by name with :class:`NotImplementedError`.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import io
import itertools
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from http.client import HTTPResponse
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from msckg.graph.errors import QueryTimeout, StoreError
from msckg.graph.guard import names_dataset
from msckg.graph.store import (
    GRAPH_FORMATS,
    LoadReport,
    QueryResult,
    SerializedResult,
    answer_from_result,
    answer_from_triples,
    base_iri_of,
    format_for,
    located_error,
    open_rdf,
    positioned_error,
    rdf_format_of,
    term_from_text,
    written_bytes,
)
from msckg.ontology import PREFIXES

__all__ = ["SKOLEM_BASE", "RemoteStore", "bind_parameters"]

#: Blank nodes of files uploaded in several requests become IRIs here (RDF 1.1 skolem IRIs).
SKOLEM_BASE = "https://w3id.org/msckg/.well-known/genid/"
#: Graphs a store keeps for itself, not part of the dataset msckg sees: Virtuoso's quad-map
#: schema, its copy of the LDP vocabulary and the service description of its /sparql endpoint
#: (named after the ``[URIQA] DefaultHost`` of virtuoso.ini, hence the pattern).
STORE_OWN_GRAPHS = re.compile(
    r"http://www\.openlinksw\.com/schemas/virtrdf#|http://www\.w3\.org/ns/ldp#"
    r"|http://(localuriqaserver|[^/]+:\d+)/sparql"
)
#: Errors by which a store says it stopped a query at its own time limit (Virtuoso: the
#: ``timeout`` parameter's ``SR203 ... killed by SQLCancel``, ``S1T00``; or its estimate
#: against ``MaxQueryCostEstimationTime``).
_STORE_TIMEOUTS = re.compile(
    r"\bSR203\b|\bS1T00\b|\bS1TAT\b|estimated execution time .* exceeds the limit"
)
#: Errors by which a store refuses a request as too long, whatever its status: Virtuoso's
#: SPARQL compiler (``SP030 ... memory exhausted``, ``SP031 ... exceeded 10000 lines``) and its
#: 10 MB limit on a string session (an HTTP 500); HTTP 413 elsewhere.
_TOO_LONG = re.compile(r"\bSP03[01]\b|longer than 10Mb|Payload Too Large|Request Entity Too Large")
JSON_RESULTS = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>\"\"\"(?:[^\\]|\\.)*?\"\"\"|'''(?:[^\\]|\\.)*?'''
                   |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\U0010FFFF]+)
      | (?P<word>[A-Za-z]+)
      | (?P<brace>[{}])""",
    re.VERBOSE | re.DOTALL,
)
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def _scan(text: str) -> Iterator[tuple[str, str, int, int, int]]:
    """Yield ``(kind, value, start, end, depth)`` for variables, words and braces of a query."""
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or ""
        if kind == "brace":
            depth += 1 if match[0] == "{" else -1
        yield kind, match[0], match.start(), match.end(), depth


def query_form(text: str) -> str | None:
    """The query form keyword (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``) of a query.

    >>> query_form("PREFIX a: <http://a/> # ASK\\nconstruct WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    for kind, value, *_ in _scan(text):
        if kind == "word" and value.upper() in _FORMS:
            return value.upper()
    return None


def bind_parameters(text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """Bind query variables to terms in a way any SPARQL 1.1 store understands.

    Inside braces (the pattern, a CONSTRUCT template, EXISTS) each bound variable is replaced
    by its term, serialized by the engine, so filters and nested groups see the value as
    Oxigraph's ``substitutions`` do; a ``BIND`` first in the WHERE clause gives the projection
    (and ``GROUP BY``) the same value. User text never becomes query text.

    A trailing ``VALUES`` clause would give the projection the value too, on Oxigraph; on
    Virtuoso it joins with the unbound variable and leaves no row, hence ``BIND``.

    >>> print(bind_parameters("SELECT ?x WHERE { ?x a ?t }", {"t": ox.NamedNode("http://a/T")}))
    SELECT ?x WHERE { BIND(<http://a/T> AS ?t) ?x a <http://a/T> }

    :raises NotImplementedError: when the query has its own trailing ``VALUES`` clause
    """
    if not bindings:
        return text
    binds = " ".join(f"BIND({term} AS ?{name})" for name, term in bindings.items())
    pieces, last = [], 0
    where = False  # whether the WHERE clause's group was met (and given the BINDs)
    template = query_form(text) == "CONSTRUCT"  # its first group is the template ...
    for kind, value, start, end, depth in _scan(text):
        if kind == "word" and depth == 0 and value.upper() == "VALUES":
            raise NotImplementedError(
                "binding parameters of a query with its own trailing VALUES clause "
                "is not supported by the remote store"
            )
        if kind == "word" and depth == 0 and value.upper() == "WHERE":
            template = False  # ... unless it is CONSTRUCT WHERE { }, or WHERE comes first
        if kind == "brace" and value == "{" and depth == 1 and not where:
            if template:
                template = False
            else:
                where = True
                pieces += [text[last:end], f" {binds}"]
                last = end
        if kind == "var" and depth > 0 and value[1:] in bindings:
            pieces += [text[last:start], str(bindings[value[1:]])]
            last = end
    return "".join([*pieces, text[last:]])  # DESCRIBE <iri> has no WHERE: no BIND


def _graph_variable(text: str) -> bool:
    """Whether a query has ``GRAPH ?var``: it asks which named graphs the dataset holds.

    >>> _graph_variable("SELECT ?g { GRAPH ?g { ?s ?p ?o } }"), _graph_variable("ASK { GRAPH <x:g> {} }")
    (True, False)
    """
    previous = ""
    for kind, value, *_ in _scan(text):
        if kind == "var" and previous.upper() == "GRAPH":
            return True
        previous = value if kind == "word" else ""
    return False


def _prologue() -> str:
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())


def _skolemized(quad: ox.Quad, base: str, graph: ox.NamedNode) -> ox.Quad:
    subject, obj = quad.subject, quad.object
    if isinstance(subject, ox.BlankNode):
        subject = ox.NamedNode(base + subject.value)
    if isinstance(obj, ox.BlankNode):
        obj = ox.NamedNode(base + obj.value)
    return ox.Quad(subject, quad.predicate, obj, graph)


def _rows(result: QueryResult) -> list[dict[str, str]]:
    if not isinstance(result, ox.QuerySolutions):
        raise ValueError("select() needs a SELECT query")
    names = [variable.value for variable in result.variables]
    return [
        {name: solution[name].value for name in names if solution[name] is not None}
        for solution in result
    ]


class RowCapReached(StoreError):
    """The store answered with fewer rows than the query has: its own row limit cut the answer."""


def _cut_message(cap: str) -> str:
    return (
        f"the remote store cut the answer at its row limit ({cap} rows, told by its "
        "X-SPARQL-MaxRows header); raise ResultSetMaxRows in the [SPARQL] section of "
        "virtuoso.ini, or ask for fewer rows"
    )


class _Deadline(io.RawIOBase):
    """Reads a response and raises :class:`QueryTimeout` once the whole request overran."""

    def __init__(self, response: HTTPResponse, deadline: float, timeout: float) -> None:
        self._response = response
        self._deadline = deadline
        self._timeout = timeout

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if time.monotonic() > self._deadline:
            raise QueryTimeout(f"the remote store did not answer within {self._timeout:g} s")
        try:
            return self._response.readinto(buffer)
        except TimeoutError as error:
            raise QueryTimeout(
                f"the remote store did not answer within {self._timeout:g} s"
            ) from error


class _Answer(io.BufferedReader):
    """A response body, and the row limit the store says cut it (``X-SPARQL-MaxRows``).

    Carried with the body, not kept on the store: the service's threads share one store.
    """

    def __init__(self, raw: io.RawIOBase, row_cap: str | None) -> None:
        super().__init__(raw)
        self.row_cap = row_cap


class _BlankNodeLabels(io.RawIOBase):
    """JSON results with Virtuoso's blank node labels (``nodeID://b10069``) made valid (``b10069``).

    The JSON results format leaves a label's form open, RDF's grammar does not, and the engine
    refuses ``nodeID://``. The prefix is dropped where it opens a blank node's value; the last
    bytes of each read wait for the next, so a label split between two reads is found whole.
    """

    _LABEL = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
    _HELD = 256  # longer than any match

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._pending = b""
        self._ready = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._ready and not self._done:
            chunk = self._raw.read(65536)
            text = self._pending + chunk
            self._done = not chunk
            safe = len(text) if self._done else max(0, len(text) - self._HELD)
            end = safe
            pieces, last = [], 0
            for match in self._LABEL.finditer(text):
                if match.start() >= safe:
                    break
                pieces += [text[last : match.start()], match[1]]
                last = match.end()
                end = max(end, last)
            pieces.append(text[last:end])
            self._ready, self._pending = b"".join(pieces), text[end:]
        size = min(len(buffer), len(self._ready))
        buffer[:size] = self._ready[:size]
        self._ready = self._ready[size:]
        return size


class RemoteStore:
    """A SPARQL 1.1 endpoint used as msckg's store.

    :param url: the query endpoint (Oxigraph ``/query``, Fuseki ``/ds/query``, Virtuoso ``/sparql``)
    :param update_url: the update endpoint; default: ``url`` with a final ``/query`` replaced
        by ``/update`` (Oxigraph, Fuseki), else ``url`` itself (Virtuoso, GraphDB)
    :param gsp_url: the Graph Store Protocol endpoint (Oxigraph ``/store``, Fuseki ``/ds/data``);
        without it, graphs are written with SPARQL Update
    :param timeout: seconds one request may take, reading its answer included
    :param user: user name for HTTP authentication
    :param password: password for HTTP authentication
    :param auth: ``basic`` (sent with every request) or ``digest`` (answered on challenge)
    :param union: ``graphs`` to query the merge of all named graphs by listing them as
        ``default-graph-uri`` (portable), ``native`` when the store's default graph already is
        that union (Virtuoso, GraphDB, Fuseki ``unionDefaultGraph``)
    :param chunk_triples: triples per upload request; halved while the store refuses a
        chunk as too long (Virtuoso's SPARQL compiler takes about a thousand triples)
    :param timeout_param: the query parameter by which the store takes a per-query time limit in
        milliseconds, sent with every query so the store stops when msckg gives up (Virtuoso:
        ``timeout``); ``None`` sends none
    """

    path: Path | None = None

    def __init__(
        self,
        url: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        timeout: float = 10.0,
        user: str | None = None,
        password: str | None = None,
        auth: str = "basic",
        union: str = "graphs",
        chunk_triples: int = 50_000,
        timeout_param: str | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"a remote store URL must be http(s), got {url!r}")
        if union not in {"graphs", "native"}:
            raise ValueError(f"unknown union mode {union!r}; choose one of: graphs, native")
        if auth not in {"basic", "digest"}:
            raise ValueError(f"unknown authentication {auth!r}; choose one of: basic, digest")
        self.url = url
        self.update_url = update_url or re.sub(r"/query$", "/update", url)
        self.gsp_url = gsp_url
        self.timeout = timeout
        self.union = union
        self.chunk_triples = chunk_triples
        self.timeout_param = timeout_param
        self._headers: dict[str, str] = {"User-Agent": "msckg"}
        handlers: list[urllib.request.BaseHandler] = []
        self._digest: urllib.request.HTTPDigestAuthHandler | None = None
        if user is not None and auth == "basic":
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"
        elif user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for endpoint in filter(None, (url, self.update_url, gsp_url)):
                passwords.add_password(None, endpoint, user, password or "")
            self._digest = urllib.request.HTTPDigestAuthHandler(passwords)
            handlers.append(self._digest)
        self._opener = urllib.request.build_opener(*handlers)
        self._graphs: tuple[float, list[str]] | None = None

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    # -- HTTP -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _request(
        self,
        url: str,
        *,
        method: str = "GET",
        params: Sequence[tuple[str, str]] = (),
        data: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
    ) -> Iterator[_Answer]:
        """Send one request; yield its body as a stream that honours the deadline."""
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        headers = dict(self._headers)
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 (configured by the operator)
        deadline = time.monotonic() + self.timeout
        try:
            if self._digest is not None:
                # urllib counts each challenge answered and gives up after 5, but resets the
                # count only when the authenticated request succeeds: after 5 refused requests
                # (a chunk too long ...) every later one would fail with 401. One request, one count.
                self._digest.reset_retry_count()
            response = self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            with error:
                detail = error.read(2000).decode("utf-8", errors="replace").strip()
            if _STORE_TIMEOUTS.search(detail):
                raise QueryTimeout(
                    "the remote store gave up on the query at its time limit "
                    f"({self.timeout:g} s, or its own): {detail.splitlines()[0]}"
                ) from None
            raise self._refusal(method, url, error.code, detail) from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise QueryTimeout(
                    f"the remote store did not answer within {self.timeout:g} s"
                ) from error
            raise StoreError(f"{self.url}: cannot reach the store ({error.reason})") from error
        except TimeoutError as error:
            raise QueryTimeout(
                f"the remote store did not answer within {self.timeout:g} s"
            ) from error
        with response:
            # Virtuoso's "anytime" answer: the rows found before its time limit, marked only
            # by this header; a partial answer is not the answer.
            state = response.headers.get("X-SQL-State")
            if state:
                message = response.headers.get("X-SQL-Message", "")
                raise QueryTimeout(
                    f"the remote store stopped the query at its time limit ({self.timeout:g} s) "
                    f"and sent a partial answer ({state} {message}".rstrip()
                    + ")"
                )
            row_cap = response.headers.get("X-SPARQL-MaxRows")
            yield _Answer(_Deadline(response, deadline, self.timeout), row_cap)

    def _refusal(self, method: str, url: str, status: int, detail: str) -> Exception:
        where = url.split("?", 1)[0]
        if status in {401, 403}:
            return StoreError(
                f"{where}: the store refused access (HTTP {status}); check "
                "MSCKG_STORE_USER and MSCKG_STORE_PASSWORD"
            )
        if 400 <= status < 500 or _TOO_LONG.search(detail):
            return ValueError(
                f"the remote store refused the {method} request (HTTP {status}): "
                f"{detail or 'no detail'}"
            )
        return StoreError(f"{where}: the store failed (HTTP {status}): {detail or 'no detail'}")

    def _dataset(
        self,
        default_graphs: Sequence[str],
        named_graphs: Sequence[str],
        union: bool,
        sparql: str = "",
    ) -> list[tuple[str, str]]:
        if self.union == "native" and union and not default_graphs and _graph_variable(sparql):
            # GRAPH ?g would range over the store's own graphs too (Virtuoso's virtrdf# ...):
            # the dataset is named, as in the graphs mode.
            default_graphs = named_graphs = self._all_graphs()
        if not default_graphs and union and self.union == "graphs":
            default_graphs = self._all_graphs()
        if default_graphs and not named_graphs and self.union == "graphs":
            named_graphs = self._all_graphs()
        return [("default-graph-uri", iri) for iri in default_graphs] + [
            ("named-graph-uri", iri) for iri in named_graphs
        ]

    def _all_graphs(self) -> list[str]:
        # Cached briefly: listing graphs on every query would double each query's latency.
        now = time.monotonic()
        if self._graphs is None or now - self._graphs[0] > 30:
            self._graphs = (now, self.named_graphs())
        return self._graphs[1]

    @contextlib.contextmanager
    def _post_query(
        self,
        sparql: str,
        bindings: Mapping[str, str] | None,
        accept: str,
        dataset: list[tuple[str, str]],
    ) -> Iterator[_Answer]:
        terms = {name: term_from_text(value) for name, value in (bindings or {}).items()}
        text = _prologue() + bind_parameters(sparql, terms)
        limit = [(self.timeout_param, str(int(self.timeout * 1000)))] if self.timeout_param else []
        body = urllib.parse.urlencode([("query", text), *dataset, *limit]).encode("utf-8")
        with self._request(
            self.url,
            method="POST",
            data=body,
            accept=accept,
            content_type="application/x-www-form-urlencoded",
        ) as stream:
            if accept == JSON_RESULTS:
                yield _Answer(_BlankNodeLabels(stream), stream.row_cap)
            else:
                yield stream

    def _form(self, sparql: str) -> str:
        """Check the syntax with the local engine (positions kept) and return the query form."""
        form = query_form(sparql)
        if form != "ASK":  # the local engine evaluates ASK at once; the others stay lazy
            try:
                ox.Store().query(sparql, prefixes=PREFIXES)
            except SyntaxError as error:
                raise positioned_error(error, sparql) from None
        return form or "SELECT"

    def _update(self, text: str) -> None:
        body = urllib.parse.urlencode([("update", text)]).encode("utf-8")
        with self._request(
            self.update_url,
            method="POST",
            data=body,
            content_type="application/x-www-form-urlencoded",
        ) as stream:
            stream.read()
        self._graphs = None

    def update(self, sparql: str) -> None:
        """Send a SPARQL 1.1 Update to the update endpoint; msckg's prefixes are predeclared.

        :raises ValueError: when the store refuses it (e.g. a syntax error)
        :raises StoreError: when the store cannot be reached or fails
        """
        self._update(_prologue() + sparql)

    # -- reading ----------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, str] | None = None,
        *,
        union_default_graph: bool = True,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryResult:
        """Evaluate a query on the remote store; see :meth:`GraphStore.query`.

        :raises SyntaxError: for a malformed query, with line and column
        :raises QueryTimeout: when the store did not answer within the timeout
        :raises StoreError: when the store cannot be reached or fails
        :raises ValueError: when the store refuses the query
        """
        form = self._form(sparql)
        # Listing every graph as default-graph-uri would override the query's own FROM.
        union = union_default_graph and not names_dataset(sparql)
        dataset = self._dataset(default_graphs, named_graphs, union, sparql)
        accept = N_TRIPLES if form in {"CONSTRUCT", "DESCRIBE"} else JSON_RESULTS
        with self._post_query(sparql, bindings, accept, dataset) as stream:
            body, row_cap = stream.read(), stream.row_cap
        if row_cap is not None:
            raise RowCapReached(_cut_message(row_cap))
        if accept == JSON_RESULTS:
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        # A graph result becomes the engine's own QueryTriples, through a scratch store.
        scratch = ox.Store()
        scratch.load(body, format=ox.RdfFormat.N_TRIPLES)
        return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")

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
        """Evaluate a query and serialize at most ``row_limit`` rows; see :meth:`GraphStore.answer`.

        The answer is parsed as it streams in; reading stops at the row cap.
        """
        form = self._form(sparql)
        fmt = format_for(form, result_format, graph_format)
        dataset = self._dataset(default_graphs, named_graphs, True, sparql)
        if form in {"CONSTRUCT", "DESCRIBE"}:
            if fmt not in GRAPH_FORMATS:
                raise ValueError(f"a graph result cannot be written as {fmt!r}")
            with self._post_query(sparql, bindings, N_TRIPLES, dataset) as stream:
                triples = ox.parse(stream, format=ox.RdfFormat.N_TRIPLES)
                return answer_from_triples(triples, fmt, row_limit)
        with self._post_query(sparql, bindings, JSON_RESULTS, dataset) as stream:
            result = ox.parse_query_results(stream, format=ox.QueryResultsFormat.JSON)
            answer = answer_from_result(result, result_format, graph_format, row_limit)
        # Cut by the store: more rows exist than were sent, as when msckg's own cap cuts.
        return dataclasses.replace(answer, truncated=True) if stream.row_cap else answer

    def select(
        self, sparql: str, bindings: Mapping[str, str] | None = None
    ) -> list[dict[str, str]]:
        """Run a SELECT query and return its rows as variable -> lexical value (unbound omitted)."""
        return _rows(self.query(sparql, bindings))

    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs in the store, sorted; the store's own (:data:`STORE_OWN_GRAPHS`) left out.

        ``GRAPH ?g { }`` lists them cheaply on most stores; Virtuoso answers it with nothing,
        so an empty answer is checked with a pattern that matches a triple.
        """
        rows = _rows(
            self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", union_default_graph=False)
        )
        if not any("g" in row for row in rows):  # Virtuoso: one row, ?g unbound
            query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
            rows = _rows(self.query(query, union_default_graph=False))
        return sorted(
            row["g"] for row in rows if "g" in row and not STORE_OWN_GRAPHS.fullmatch(row["g"])
        )

    def __len__(self) -> int:
        query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        rows = _rows(self.query(query, union_default_graph=False))
        return sum(int(row["n"]) for row in rows if not STORE_OWN_GRAPHS.fullmatch(row["g"]))

    # -- writing ----------------------------------------------------------------------------

    def _send(self, graph: str, quads: list[ox.Quad], *, replace: bool) -> None:
        """Send one chunk to ``graph``: GSP PUT (replace) or POST, else SPARQL Update."""
        data = written_bytes(
            ox.serialize(
                [ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                format=ox.RdfFormat.N_TRIPLES,
            )
        )
        if self.gsp_url is not None:
            with self._request(
                self.gsp_url,
                method="PUT" if replace else "POST",
                params=[("graph", graph)],
                data=data,
                content_type=N_TRIPLES,
            ) as stream:
                stream.read()
            self._graphs = None
            return
        iri = str(ox.NamedNode(graph))  # the engine checks and writes the IRI
        drop = f"DROP SILENT GRAPH {iri} ;\n" if replace else ""
        triples = f"GRAPH {iri} {{\n{data.decode('utf-8')}}}"
        if any(
            isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads
        ):
            # Virtuoso refuses blank nodes in INSERT DATA ("not allowed in a constant clause");
            # a template evaluated once makes the same fresh nodes on every store.
            self._update(f"{drop}INSERT {{ {triples} }} WHERE {{ }}")
        else:
            self._update(f"{drop}INSERT DATA {{ {triples} }}")

    def _send_fitting(self, graph: str, quads: list[ox.Quad], *, replace: bool) -> int:
        """Send ``quads``, halving a chunk the store refuses as too long; return the requests.

        A store may refuse a long update outright (Virtuoso: ``SP030 ... memory exhausted``
        or ``SP031 ... generated SQL text has exceeded 10000 lines``, at a few thousand
        triples). The smaller size is kept for the rest of the upload; a single triple refused
        is an error of its own, reported as the store said it.
        """
        size = self.chunk_triples
        if len(quads) > size:  # the size was lowered while this chunk was read
            pieces = [quads[start : start + size] for start in range(0, len(quads), size)]
            return sum(
                self._send_fitting(graph, piece, replace=replace and index == 0)
                for index, piece in enumerate(pieces)
            )
        try:
            self._send(graph, quads, replace=replace)
        except ValueError:
            if len(quads) <= 1:
                raise
            half = len(quads) // 2
            self.chunk_triples = min(self.chunk_triples, half)
            first = self._send_fitting(graph, quads[:half], replace=replace)
            return first + self._send_fitting(graph, quads[half:], replace=False)
        return 1

    def _upload(
        self,
        graph: str,
        quads: Iterable[ox.Quad],
        *,
        replace: bool,
        on_commit: Callable[[int, int], None] = lambda _batch, _total: None,
    ) -> tuple[int, int]:
        """Send ``quads`` to ``graph`` in chunks, blank nodes skolemized so chunks agree on them.

        Then count the graph on the store: fewer triples than were sent is an error, never a
        silent loss (see :meth:`_check_stored`).

        :returns: the triples sent and the requests that carried them
        """
        target = ox.NamedNode(graph)
        base = f"{SKOLEM_BASE}{uuid.uuid4().hex}/"
        skolem = (_skolemized(quad, base, target) for quad in quads)
        before = 0 if replace else self._graph_size(graph)
        distinct: set[int] = set()
        total = batches = 0
        while batch := list(itertools.islice(skolem, self.chunk_triples)):
            batches += self._send_fitting(graph, batch, replace=replace and total == 0)
            total += len(batch)
            distinct.update(hash(quad) for quad in batch)
            on_commit(batches, total)
        if total == 0 and replace:
            self._send(graph, [], replace=True)
        self._check_stored(graph, before, len(distinct))
        return total, batches

    def _graph_size(self, graph: str) -> int:
        iri = str(ox.NamedNode(graph))
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {iri} {{ ?s ?p ?o }} }}"
        rows = _rows(self.query(query, union_default_graph=False))
        return int(rows[0]["n"]) if rows else 0

    def _check_stored(self, graph: str, before: int, distinct: int) -> None:
        """Raise :class:`StoreError` when ``graph`` holds fewer triples than an upload sent.

        ``distinct`` triples went to a graph that held ``before``: it must now hold at least
        the larger of the two, and exactly ``distinct`` if it was empty.
        """
        after = self._graph_size(graph)
        expected = max(before, distinct)
        if after < expected:
            raise StoreError(
                f"{self.update_url}: the store kept {after - before} of the {distinct} distinct "
                f"triples sent to <{graph}> (it held {before} before); it dropped the rest "
                "without an error"
            )

    def replace_graph(self, graph: str, ntriples: bytes) -> int:
        """Replace the named graph ``graph`` by the N-Triples ``ntriples``.

        A graph that fits one request keeps its blank nodes; a larger one is sent in chunks
        with its blank nodes skolemized (:data:`SKOLEM_BASE`), so no blank node is split.

        :returns: the number of triples sent
        """
        quads = list(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
        if len(quads) <= self.chunk_triples:
            target = ox.NamedNode(graph)
            whole = [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads]
            try:
                self._send(graph, whole, replace=True)
            except ValueError:
                if len(quads) <= 1:
                    raise
                self.chunk_triples = len(quads) // 2  # too long for one request: chunks
            else:
                self._check_stored(graph, 0, len(set(whole)))
                return len(quads)
        return self._upload(graph, quads, replace=True)[0]

    def add_ntriples(self, data: bytes, graph: str) -> None:
        """Add N-Triples ``data`` to the named graph ``graph``."""
        self._upload(graph, ox.parse(data, format=ox.RdfFormat.N_TRIPLES), replace=False)

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
        """Stream an RDF file into the named graph ``graph``, one request per batch.

        Each request is one transaction on the store. Blank nodes are skolemized
        (:data:`SKOLEM_BASE`), so one spread over several batches stays one node.
        The file is parsed here, so relative IRIs are resolved before they are sent.

        :param base_iri: resolves the file's relative IRIs; by default the file's own
            ``file://`` IRI (see :func:`msckg.graph.store.base_iri_of`)
        :raises SyntaxError: with file, line and column, if the file is malformed
        :raises ValueError: for an unknown format or an invalid base IRI
        """
        fmt = rdf_format_of(path)
        base = base_iri_of(path, base_iri)
        chunk, self.chunk_triples = self.chunk_triples, batch_size
        try:
            with open_rdf(path, on_read) as stream:
                quads = ox.parse(stream, format=fmt, base_iri=base, rename_blank_nodes=True)
                total, batches = self._upload(graph, quads, replace=False, on_commit=on_commit)
        except SyntaxError as error:
            raise located_error(error, path) from None
        finally:
            self.chunk_triples = chunk
        return LoadReport(path, graph, total, batches)

    def load_file(self, path: Path, graph: str | None = None) -> None:
        """Refused: bulk loading into a throw-away store is for the local store only."""
        raise NotImplementedError("load_file is not supported by the remote store; use load_rdf")

    def dump(self, path: Path, graph: str | None = None) -> None:
        """Write one named graph to ``path`` (format from its extension).

        :raises NotImplementedError: for the whole dataset (``graph`` not given)
        """
        if graph is None:
            raise NotImplementedError(
                "dumping the whole dataset is not supported by the remote store; dump one graph"
            )
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        if fmt is None:
            raise ValueError(f"{path}: unknown RDF format for extension {path.suffix!r}")
        iri = str(ox.NamedNode(graph))
        result = self.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri} {{ ?s ?p ?o }} }}",
            union_default_graph=False,
        )
        if not isinstance(result, ox.QueryTriples):
            raise TypeError("a CONSTRUCT query gave no triples")
        ox.serialize(result, path, format=fmt, prefixes=PREFIXES)

    def write_union(self, path: Path) -> int:
        """Refused: the flattened union is written from the local build."""
        raise NotImplementedError("write_union is not supported by the remote store")

    def flush(self) -> None:
        """Nothing to do: every request is committed by the store when it answers."""

    def close(self) -> None:
        """Nothing to release: no connection is kept open between requests."""
