"""``msckg mcp``: the read API as Model Context Protocol tools, over stdio or streamable HTTP.

Each tool is one request to the REST API, handed in-process (no socket) to the app
``msckg serve`` runs, built by :func:`msckg.service.app.create_app`. So a tool call goes through
the same parameter checks, query guard, deadline, row cap and per-client query budget as an
HTTP request, and fails with the same ``{"error", "detail"}`` body: there is no second path to
keep in step. This module adds no domain logic: it names the tools, describes them for a model
(limits read from :mod:`msckg.service.limits` and the settings), and turns an answer or an error
body into a tool result. The MCP SDK (the ``mcp`` extra) is imported here only.
"""

# No ``from __future__ import annotations``: the SDK reads each tool's signature to make its
# input schema, and the bounds in those annotations are computed where the tool is defined
# (the evidence codes, the settings' query size), which a string annotation could not see.

import json
import sys
import urllib.parse
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import anyio
from flask import Flask
from mcp.server.mcpserver import Context, MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response

from msckg import __version__
from msckg.graph.build import NAMED_GRAPHS
from msckg.graph.model import EvidenceContext, Hedging
from msckg.ontology import PREFIXES
from msckg.queries import NamedQuery, list_queries
from msckg.service.limits import (
    DEFAULT_K,
    DEFAULT_SEARCH_LIMIT,
    MAX_K,
    MAX_LENGTH,
    MAX_PARAM_LENGTH,
    MAX_SEARCH_LENGTH,
    MAX_SEARCH_LIMIT,
)
from msckg.service.settings import Settings

__all__ = [
    "MCP_PATH",
    "STDIO_CLIENT",
    "TOOL_NAMES",
    "Transport",
    "build_server",
    "run_server",
]

#: The path of the streamable HTTP endpoint.
MCP_PATH = "/mcp"
#: The client key the query budget counts a stdio client under: the one process at the pipe's
#: other end. An HTTP client is counted under its address, as its REST requests are.
STDIO_CLIENT = "mcp-stdio"
#: The tools, in the order they are listed.
TOOL_NAMES = ("search_entities", "get_entity", "find_paths", "run_named_query", "sparql_query")

Transport = Literal["stdio", "http"]

_JSON = "application/json"
_SPARQL_ACCEPT = "application/sparql-results+json, text/turtle;q=0.5"
_READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)


@dataclass(frozen=True, slots=True)
class _Backend:
    """The app the tools send their requests to, alive for as long as the server runs."""

    app: Flask


class _Tools:
    """The tools: each builds one REST request, sends it to the app, returns its answer."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.backend: _Backend | None = None

    def answer(
        self,
        ctx: Context[Any, Any],
        path: str,
        *,
        query: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
        accept: str = _JSON,
    ) -> CallToolResult:
        """Send a GET (or, with ``form``, a POST) to the app as the calling client."""
        if self.backend is None:  # the lifespan opens it before any request is read
            raise RuntimeError("the MCP server has not opened the graph yet")
        environ = EnvironBuilder(
            path=path,
            method="POST" if form is not None else "GET",
            query_string={k: v for k, v in (query or {}).items() if v != ""},
            data=form,
            headers=[("Accept", accept)],
            environ_base={"REMOTE_ADDR": _client_key(ctx)},
        ).get_environ()
        response = Response.from_app(self.backend.app, environ, buffered=True)
        return _tool_result(response, self.settings.row_limit)


def _segment(value: str) -> str:
    """``value`` as a path segment: ``?``, ``#`` and ``%`` escaped, an IRI's ``:`` and ``/`` kept."""
    return urllib.parse.quote(value, safe=":/")


def _client_key(ctx: Context[Any, Any]) -> str:
    """Whom the query budget charges: an HTTP client's address, else the stdio client."""
    request = ctx.request_context.request
    client = getattr(request, "client", None)
    host = getattr(client, "host", None)
    return host if isinstance(host, str) and host else STDIO_CLIENT


def _tool_result(response: Response, row_limit: int) -> CallToolResult:
    """The tool result of the app's response: its body, and a note when rows were cut."""
    text = response.get_data(as_text=True)
    body: Any = json.loads(text) if (response.mimetype or "").endswith("json") else None
    if response.status_code >= 400:
        return _error_result(response, body)
    content = [TextContent(type="text", text=text)]
    if response.headers.get("X-Msckg-Truncated"):
        rows = response.headers.get("X-Msckg-Rows", str(row_limit))
        content.append(
            TextContent(
                type="text",
                text=f"Only the first {rows} rows are shown: the row limit is {row_limit}. "
                "Narrow the query, or page through it with LIMIT and OFFSET.",
            )
        )
    return CallToolResult(
        content=list(content), structured_content=body if isinstance(body, dict) else None
    )


def _error_result(response: Response, body: Any) -> CallToolResult:
    """An error body as the model reads it: code, status, what went wrong, what to do."""
    if not isinstance(body, dict):
        body = {"error": "error", "detail": response.get_data(as_text=True)}
    status = response.status_code
    lines = [f"{body.get('error', 'error')} (HTTP {status}): {body.get('detail', '')}"]
    suggestions = body.get("suggestions") or []
    if suggestions:
        closest = ", ".join(f"{s['id']} ({s['label']})" for s in suggestions)
        lines.append(f"Closest entities: {closest}.")
    if "choices" in body:
        lines.append(f"Choices: {', '.join(body['choices'])}.")
    retry = response.headers.get("Retry-After")
    if retry and status in {429, 503}:
        lines.append(f"Retry after {retry} s.")
    return CallToolResult(
        content=[TextContent(type="text", text="\n".join(lines))],
        structured_content={**body, "status": status},
        is_error=True,
    )


def _limits(settings: Settings) -> str:
    return (
        f"Each call must finish within {settings.timeout:g} s, or it is stopped and fails with "
        "query_timeout. Calls share this client's query budget: "
        f"{settings.max_concurrent_queries} at once and {settings.query_seconds_per_minute:g} "
        "s of query time a minute; over it, a call fails with rate_limited and says when to retry."
    )


def _instructions(settings: Settings) -> str:
    return (
        "A read-only knowledge graph of mesenchymal stem cell (MSC) therapy for Asherman's "
        "syndrome and endometriosis. Entities (cells, cell sources, factors, processes, "
        "disorders, outcomes, works) have CURIE ids such as ent:VEGF. Relations between them "
        "rest on statements, each with an evidence context (from weakest to strongest: "
        f"{', '.join(e.code for e in sorted(EvidenceContext, key=lambda e: e.rank))}), a hedging "
        f"word ({', '.join(h.code for h in Hedging)}), a polarity, a locator in the source "
        "editorial and references with DOIs. Cite statements by their id "
        "(stmt:S056) and say how strong their evidence is. Start with search_entities to find "
        "ids, then get_entity or find_paths; run_named_query answers the curated questions; "
        f"sparql_query is for anything else. {_limits(settings)}"
    )


def _graph_queries() -> list[NamedQuery]:
    """The named queries a tool may run: all but the one describing the service itself."""
    return [named for named in list_queries() if named.name != "void_description"]


def _named_query_lines() -> str:
    lines = []
    for named in _graph_queries():
        params = "; ".join(
            f"{p.name}{f' (default {p.default})' if p.default else ''}: {p.description}"
            for p in named.params
        )
        lines.append(
            f"- {named.name}: {named.question}" + (f" Parameters: {params}." if params else "")
        )
    return "\n".join(lines)


def build_server(settings: Settings) -> MCPServer[_Backend]:
    """The MCP server over the graph ``settings`` name; the graph is opened when it starts.

    :param settings: where the graph is and the limits to enforce (the same as ``msckg serve``)
    """
    from msckg.service.app import close_app, create_app

    tools = _Tools(settings)

    @asynccontextmanager
    async def open_graph(_server: MCPServer[_Backend]) -> AsyncIterator[_Backend]:
        # The app is made here, after the stdio transport has claimed stdout, so the query
        # workers it starts can never write into the protocol stream.
        app = await anyio.to_thread.run_sync(create_app, settings)
        tools.backend = _Backend(app)
        try:
            yield tools.backend
        finally:
            tools.backend = None
            await anyio.to_thread.run_sync(close_app, app)

    server: MCPServer[_Backend] = MCPServer(
        "msckg",
        title="MSC therapy knowledge graph",
        instructions=_instructions(settings),
        version=__version__,
        lifespan=open_graph,
    )
    for name, make in _TOOL_FACTORIES.items():
        fn, description = make(tools)
        server.add_tool(fn, name=name, description=description, annotations=_READ_ONLY)
    return server


_Factory = Callable[[_Tools], tuple[Callable[..., CallToolResult], str]]


def _search_entities(tools: _Tools) -> tuple[Callable[..., CallToolResult], str]:
    def search_entities(
        ctx: Context[Any, Any],
        query: Annotated[
            str,
            Field(
                max_length=MAX_SEARCH_LENGTH,
                description="Words of a label or synonym (TNF-alpha finds TNF-α); empty lists "
                "entities by label.",
            ),
        ] = "",
        type: Annotated[
            str | None,
            Field(
                max_length=MAX_SEARCH_LENGTH,
                description="Keep only entities of this class, e.g. GrowthFactor or "
                "msckg:CellSource.",
            ),
        ] = None,
        limit: Annotated[
            int, Field(ge=1, le=MAX_SEARCH_LIMIT, description="The most entities to return.")
        ] = DEFAULT_SEARCH_LIMIT,
    ) -> CallToolResult:
        return tools.answer(
            ctx, "/api/entities", query={"q": query, "type": type or "", "limit": str(limit)}
        )

    description = (
        "Find entities by label or synonym, best match first (case, punctuation and Greek "
        "spelling do not matter). Returns {results: [{id, iri, label, types, synonyms}]}, at "
        f"most `limit` ({DEFAULT_SEARCH_LIMIT} by default, {MAX_SEARCH_LIMIT} at most). The id "
        "(a CURIE such as ent:VEGF) is what get_entity, find_paths and the named queries take. "
        + _limits(tools.settings)
    )
    return search_entities, description


def _get_entity(tools: _Tools) -> tuple[Callable[..., CallToolResult], str]:
    def get_entity(
        ctx: Context[Any, Any],
        id: Annotated[
            str,
            Field(
                min_length=1,
                max_length=MAX_PARAM_LENGTH,
                description="The entity's CURIE (ent:VEGF), full IRI or bare id (VEGF).",
            ),
        ],
    ) -> CallToolResult:
        return tools.answer(ctx, f"/api/entities/{_segment(id.strip())}")

    description = (
        "One entity with everything the graph says about it: id, label, definition, types, "
        "synonyms, cross-references (HGNC, CL, MONDO ...), and `relations`: each relation "
        "(direction in/out, predicate, the other entity) with its statements (id, evidence, "
        "hedging, polarity, references with DOIs, locator in the editorial, paraphrase, "
        "belief). A work (publication) also lists the statements it `supports`. Takes a CURIE, "
        "IRI or bare id, not a name: search_entities finds ids by name; an unknown id fails "
        "with not_found and the closest entities. " + _limits(tools.settings)
    )
    return get_entity, description


def _find_paths(tools: _Tools) -> tuple[Callable[..., CallToolResult], str]:
    evidence_codes = [member.code for member in EvidenceContext]

    def find_paths(
        ctx: Context[Any, Any],
        source: Annotated[
            str,
            Field(
                min_length=1,
                max_length=MAX_PARAM_LENGTH,
                description="Where paths start: CURIE, IRI, bare id, label or synonym.",
            ),
        ],
        target: Annotated[
            str,
            Field(
                min_length=1,
                max_length=MAX_PARAM_LENGTH,
                description="Where paths end: CURIE, IRI, bare id, label or synonym.",
            ),
        ],
        k: Annotated[int, Field(ge=1, le=MAX_K, description="How many shortest paths.")] = (
            DEFAULT_K
        ),
        max_length: Annotated[
            int | None, Field(ge=1, le=MAX_LENGTH, description="The longest path, in edges.")
        ] = None,
        all_paths: Annotated[
            bool,
            Field(description="Every simple path up to max_length (4 by default) instead."),
        ] = False,
        predicates: Annotated[
            tuple[str, ...],
            Field(description="Follow only these predicates (e.g. secretes, promotes)."),
        ] = (),
        types: Annotated[
            tuple[str, ...],
            Field(description="Pass only through entities of these classes (e.g. GrowthFactor)."),
        ] = (),
        min_evidence: Annotated[
            str | None,
            Field(
                json_schema_extra={"enum": [*evidence_codes, None]},
                description="Only edges with a positive statement at least this strong.",
            ),
        ] = None,
        directed: Annotated[
            bool,
            Field(
                description="Follow edges from subject to object only (MSCs secrete VEGF, not "
                "the reverse)."
            ),
        ] = False,
    ) -> CallToolResult:
        query = {
            "source": source,
            "target": target,
            "k": str(k),
            "max_length": "" if max_length is None else str(max_length),
            "all": "true" if all_paths else "",
            "predicates": ",".join(predicates),
            "types": ",".join(types),
            "min_evidence": min_evidence or "",
            "directed": "true" if directed else "",
        }
        return tools.answer(ctx, "/api/paths", query=query)

    description = (
        "Paths between two entities through the relation graph: the k shortest "
        f"({DEFAULT_K} by default, {MAX_K} at most, each at most {MAX_LENGTH} edges), or every "
        "simple path up to max_length. Returns {paths: [{nodes, edges, length, score}]} where "
        "every edge carries its statements (evidence, hedging, references) and the score rates "
        "the path's weakest and combined evidence; with no path, an empty list and the reason. "
        "A path is a chain of separate claims, not evidence that its ends are linked. "
        + _limits(tools.settings)
    )
    return find_paths, description


def _run_named_query(tools: _Tools) -> tuple[Callable[..., CallToolResult], str]:
    def run_named_query(
        ctx: Context[Any, Any],
        name: Annotated[
            str,
            Field(
                json_schema_extra={"enum": [named.name for named in _graph_queries()]},
                description="The named query to run.",
            ),
        ],
        parameters: Annotated[
            dict[str, Annotated[str, Field(max_length=MAX_PARAM_LENGTH)]] | None,
            Field(
                description='Values of the query\'s parameters, e.g. {"disorder": '
                '"ent:endometriosis"}; values are bound as RDF terms (CURIEs, IRIs).'
            ),
        ] = None,
    ) -> CallToolResult:
        return tools.answer(ctx, f"/api/queries/{_segment(name)}", query=parameters)

    description = (
        "Run one of the curated SPARQL queries, each answering a competency question. "
        "SELECT queries return SPARQL 1.1 JSON results ({head: {vars}, results: {bindings}}); "
        f"at most {tools.settings.row_limit} rows. An undeclared parameter fails with "
        "bad_request. " + _limits(tools.settings) + "\nThe queries:\n" + _named_query_lines()
    )
    return run_named_query, description


def _sparql_query(tools: _Tools) -> tuple[Callable[..., CallToolResult], str]:
    def sparql_query(
        ctx: Context[Any, Any],
        query: Annotated[
            str,
            Field(
                min_length=1,
                max_length=tools.settings.max_query_bytes,
                description="A SPARQL 1.1 SELECT or ASK query.",
            ),
        ],
    ) -> CallToolResult:
        return tools.answer(ctx, "/sparql", form={"query": query}, accept=_SPARQL_ACCEPT)

    description = (
        "Run a read-only SPARQL 1.1 query on the graph. SELECT and ASK return SPARQL 1.1 JSON "
        "results (CONSTRUCT and DESCRIBE return Turtle). These prefixes are predeclared: "
        f"{', '.join(f'{prefix}:' for prefix in PREFIXES)}. The named graphs are "
        f"{', '.join(f'graph:{name}' for name in NAMED_GRAPHS)}; the default graph is their "
        f"union. At most {tools.settings.row_limit} rows (a note says when rows were "
        "cut). Updates (INSERT, DELETE, LOAD ...) and SERVICE are refused. "
        + _limits(tools.settings)
    )
    return sparql_query, description


_TOOL_FACTORIES: dict[str, _Factory] = {
    "search_entities": _search_entities,
    "get_entity": _get_entity,
    "find_paths": _find_paths,
    "run_named_query": _run_named_query,
    "sparql_query": _sparql_query,
}


def run_server(settings: Settings, transport: Transport) -> None:
    """Serve the tools until the client disconnects (stdio) or SIGTERM/Ctrl-C (HTTP).

    :param settings: the graph, the limits, and for HTTP ``host`` and ``mcp_port``
    :param transport: ``stdio`` (the client starts this process) or ``http`` (streamable HTTP
        at ``http://host:mcp_port/mcp``, with DNS-rebinding checks for a loopback host)
    :raises StoreError: when there is no built store to serve (checked before serving)
    """
    from msckg.service.backend import store_from_settings

    store_from_settings(settings).close()
    server = build_server(settings)
    if transport == "stdio":
        server.run("stdio")
        return
    print(  # noqa: T201 (the one line saying where to connect, on stderr)
        f"msckg: MCP server for {settings.store or settings.data_dir} at "
        f"http://{settings.host}:{settings.mcp_port}{MCP_PATH} (streamable HTTP); "
        "Ctrl-C or SIGTERM stops",
        file=sys.stderr,
    )
    server.run(
        "streamable-http", host=settings.host, port=settings.mcp_port, streamable_http_path=MCP_PATH
    )
