"""``msckg mcp`` through the MCP SDK's own client, over stdio and over streamable HTTP (issue 14).

Every tool answer is held to the REST API's answer for the same request (the tools are that
API, handed in-process) and, for an entity, to the curation's statements.tsv. Refusals,
the deadline and the per-client budget are those of the HTTP service.
"""

from __future__ import annotations

import csv
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from conftest import SLOW_TIMEOUT, TrapListener
from flask.testing import FlaskClient
from live_http import fetch, free_port
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult, Tool

from msckg.graph.build import BuildReport
from msckg.graph.curation import CURATION_DIR
from msckg.graph.model import EvidenceContext, Hedging, Polarity
from msckg.graph.remote import RemoteStore
from msckg.queries import list_queries
from msckg.service import limits
from msckg.service.mcp import MCP_PATH, TOOL_NAMES
from msckg.service.settings import Settings

MSCKG = str(Path(sys.executable).parent / "msckg")
README = Path(__file__).resolve().parents[2] / "README.md"
#: A query no engine finishes: the store's triples cubed.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@dataclass
class McpClient:
    """An initialized MCP client session, driven from synchronous tests through a portal."""

    portal: BlockingPortal
    session: ClientSession

    def tools(self) -> list[Tool]:
        return self.portal.call(self.session.list_tools).tools

    def call(self, tool: str, /, **arguments: Any) -> CallToolResult:
        return self.portal.call(self.session.call_tool, tool, arguments)


@contextmanager
def connected(
    transport: Callable[[], AbstractAsyncContextManager[tuple[Any, Any]]],
) -> Iterator[McpClient]:
    """A client session over ``transport`` (the SDK's stdio or streamable HTTP client)."""

    @asynccontextmanager
    async def session() -> AsyncIterator[ClientSession]:
        async with transport() as (read, write), ClientSession(read, write) as opened:
            await opened.initialize()
            yield opened

    with start_blocking_portal() as portal, portal.wrap_async_context_manager(session()) as s:
        yield McpClient(portal, s)


@contextmanager
def stdio_server(command: list[str], env: dict[str, str] | None = None) -> Iterator[McpClient]:
    """``command`` started by the SDK's stdio client, its stderr kept in a temporary file."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errlog:
        params = StdioServerParameters(command=command[0], args=command[1:], env=env)
        try:
            with connected(lambda: stdio_client(params, errlog=errlog)) as client:
                yield client
        except BaseException:
            errlog.seek(0)
            sys.stderr.write(errlog.read())
            raise


@dataclass
class HttpServer:
    """A ``msckg mcp --transport http`` process."""

    url: str
    process: subprocess.Popen[bytes]
    log: IO[bytes]


def start_http_server(command: list[str], port: int, env: dict[str, str]) -> HttpServer:
    """Start ``command`` and wait until its port accepts connections (the graph is open then)."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 (stop_http_server closes it)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"msckg mcp exited: {log.read().decode(errors='replace')}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return HttpServer(f"http://127.0.0.1:{port}{MCP_PATH}", process, log)
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("msckg mcp --transport http did not listen within 60 s")


def stop_http_server(server: HttpServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    server.log.close()


def _clean_env(**extra: str) -> dict[str, str]:
    """This environment without MSCKG_* settings, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MSCKG_")}
    return {**env, **extra}


@pytest.fixture(scope="module")
def stdio(built: BuildReport) -> Iterator[McpClient]:
    """``msckg mcp`` over the shipped graph, spawned by the SDK's stdio client."""
    command = [MSCKG, "mcp", "--data-dir", str(built.out_dir), "--timeout", str(SLOW_TIMEOUT)]
    with stdio_server(command) as client:
        yield client


@pytest.fixture(scope="module")
def http_server(built: BuildReport) -> Iterator[HttpServer]:
    """``msckg mcp --transport http`` on a free loopback port; a client runs one query at once
    and an answer carries at most 5 rows."""
    port = free_port()
    command = [MSCKG, "mcp", "--transport", "http", "--port", str(port)]
    command += ["--data-dir", str(built.out_dir), "--timeout", str(SLOW_TIMEOUT)]
    env = _clean_env(
        MSCKG_MAX_CONCURRENT_QUERIES="1", MSCKG_MAX_QUEUED_QUERIES="0", MSCKG_ROW_LIMIT="5"
    )
    server = start_http_server(command, port, env)
    yield server
    stop_http_server(server)


@pytest.fixture(scope="module")
def http(http_server: HttpServer) -> Iterator[McpClient]:
    """A client of :func:`http_server` through the SDK's streamable HTTP client."""
    with connected(lambda: streamable_http_client(http_server.url)) as client:
        yield client


def _answer(result: CallToolResult) -> Any:
    """A successful tool result's answer; its text content is the same JSON."""
    assert not result.is_error, result.content
    assert result.structured_content is not None
    assert json.loads(result.content[0].text) == result.structured_content  # type: ignore[union-attr]
    return result.structured_content


def _refusal(result: CallToolResult) -> dict[str, Any]:
    """A failed tool result's error body (the REST error body and its HTTP status)."""
    assert result.is_error
    assert result.structured_content is not None
    return result.structured_content


def _text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content)  # type: ignore[union-attr]


def _rest(client: FlaskClient, path: str, **params: str) -> Any:
    reply = client.get(path, query_string=params)
    assert reply.status_code == 200, reply.get_data(as_text=True)[:300]
    return reply.json


# --- the tools and their schemas ------------------------------------------------------------


def _schemas(tools: list[Tool]) -> dict[str, dict[str, Any]]:
    return {tool.name: tool.input_schema for tool in tools}


def test_the_tools_are_listed_with_their_input_schemas(stdio: McpClient) -> None:
    tools = stdio.tools()
    assert (
        [tool.name for tool in tools]
        == list(TOOL_NAMES)
        == [
            "search_entities",
            "get_entity",
            "find_paths",
            "run_named_query",
            "sparql_query",
        ]
    )
    schemas = _schemas(tools)
    properties = {name: list(schema["properties"]) for name, schema in schemas.items()}
    assert properties == {
        "search_entities": ["query", "type", "limit"],
        "get_entity": ["id"],
        "find_paths": [
            "source",
            "target",
            "k",
            "max_length",
            "all_paths",
            "predicates",
            "types",
            "min_evidence",
            "directed",
        ],
        "run_named_query": ["name", "parameters"],
        "sparql_query": ["query"],
    }
    required = {name: schema.get("required", []) for name, schema in schemas.items()}
    assert required == {
        "search_entities": [],
        "get_entity": ["id"],
        "find_paths": ["source", "target"],
        "run_named_query": ["name"],
        "sparql_query": ["query"],
    }
    for tool in tools:
        assert tool.annotations is not None and tool.annotations.read_only_hint, tool.name
        assert tool.description and "query_timeout" in tool.description, tool.name


def test_the_schemas_state_the_limits_the_service_enforces(stdio: McpClient) -> None:
    schemas = _schemas(stdio.tools())
    limit = schemas["search_entities"]["properties"]["limit"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (
        1,
        limits.MAX_SEARCH_LIMIT,
        limits.DEFAULT_SEARCH_LIMIT,
    )
    assert (
        schemas["search_entities"]["properties"]["query"]["maxLength"] == limits.MAX_SEARCH_LENGTH
    )
    paths = schemas["find_paths"]["properties"]
    assert (paths["k"]["maximum"], paths["k"]["default"]) == (limits.MAX_K, limits.DEFAULT_K)
    assert paths["max_length"]["anyOf"][0]["maximum"] == limits.MAX_LENGTH
    assert paths["source"]["maxLength"] == limits.MAX_PARAM_LENGTH
    assert paths["min_evidence"]["enum"] == [e.code for e in EvidenceContext] + [None]
    names = schemas["run_named_query"]["properties"]["name"]["enum"]
    assert names == [q.name for q in list_queries() if q.name != "void_description"]
    defaults = Settings.from_env({}, data_dir=Path("/unused"))
    assert schemas["sparql_query"]["properties"]["query"]["maxLength"] == defaults.max_query_bytes


def test_the_descriptions_quote_the_running_limits(stdio: McpClient) -> None:
    sparql = next(tool for tool in stdio.tools() if tool.name == "sparql_query")
    assert f"within {SLOW_TIMEOUT:g} s" in (sparql.description or "")
    assert "At most 10000 rows" in (sparql.description or "")


def test_a_bad_argument_is_refused_by_the_schema(stdio: McpClient) -> None:
    result = stdio.call("search_entities", query="VEGF", limit=limits.MAX_SEARCH_LIMIT + 1)
    assert result.is_error
    assert "limit" in _text(result) and f"less than or equal to {limits.MAX_SEARCH_LIMIT}" in (
        _text(result)
    )


# --- each tool, held to the REST API and the curation ---------------------------------------


def test_search_finds_vegf_as_the_rest_api_does(stdio: McpClient, client: FlaskClient) -> None:
    found = _answer(stdio.call("search_entities", query="VEGF", limit=5))
    assert found["results"][0]["id"] == "ent:VEGF"
    assert found == _rest(client, "/api/entities", q="VEGF", limit="5")


def test_search_by_type_is_the_rest_search(stdio: McpClient, client: FlaskClient) -> None:
    found = _answer(stdio.call("search_entities", type="GrowthFactor", limit=100))
    assert "ent:VEGF" in {entity["id"] for entity in found["results"]}
    assert found == _rest(client, "/api/entities", type="GrowthFactor", limit="100")


def _curated_statements(entity: str) -> set[tuple[Any, ...]]:
    """The statements.tsv rows about ``entity`` (a bare id), as the entity view shows them."""
    evidence = {e.code: e.term for e in EvidenceContext}
    hedging = {h.code: h.term for h in Hedging}
    polarity = {p.value[0]: p.value[1] for p in Polarity}
    path = CURATION_DIR / "statements.tsv"
    with path.open(encoding="utf-8", newline="") as rows:
        table = list(csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE))
    return {
        (
            f"stmt:{row['id']}",
            f"msckg:{row['predicate']}",
            "out" if row["subject"] == entity else "in",
            f"ent:{row['object'] if row['subject'] == entity else row['subject']}",
            f"msckg:{evidence[row['evidence']]}",
            f"msckg:{hedging[row['hedging']]}",
            f"msckg:{polarity[row['polarity']]}",
            frozenset(f"ent:{ref}" for ref in row["references"].split("|") if ref),
            row["locator"],
            row["paraphrase"],
        )
        for row in table
        if entity in (row["subject"], row["object"])
    }


def _shown_statements(detail: dict[str, Any]) -> set[tuple[Any, ...]]:
    return {
        (
            s["id"],
            relation["predicate"]["id"],
            relation["direction"],
            relation["other"]["id"],
            s["evidence"]["id"],
            s["hedging"]["id"],
            s["polarity"]["id"],
            frozenset(ref["id"] for ref in s["references"]),
            s["locator"],
            s["paraphrase"],
        )
        for relation in detail["relations"]
        for s in relation["statements"]
    }


@pytest.mark.parametrize("entity", ["VEGF", "mesenchymal_stem_cell", "asherman_syndrome"])
def test_an_entity_has_the_statements_of_the_curation(
    stdio: McpClient, client: FlaskClient, entity: str
) -> None:
    detail = _answer(stdio.call("get_entity", id=f"ent:{entity}"))
    assert detail["id"] == f"ent:{entity}"
    expected = _curated_statements(entity)
    assert expected
    assert _shown_statements(detail) == expected
    assert detail == _rest(client, f"/api/entities/ent:{entity}")


def test_an_entity_by_bare_id_is_the_entity_by_curie(stdio: McpClient) -> None:
    assert _answer(stdio.call("get_entity", id="VEGF")) == _answer(
        stdio.call("get_entity", id="ent:VEGF")
    )


def test_an_entity_by_iri_is_the_entity_by_curie(stdio: McpClient) -> None:
    assert _answer(stdio.call("get_entity", id="https://w3id.org/msckg/id/VEGF")) == _answer(
        stdio.call("get_entity", id="ent:VEGF")
    )


def test_an_id_stays_one_id_whatever_it_holds(stdio: McpClient, client: FlaskClient) -> None:
    body = _refusal(stdio.call("get_entity", id="VEGF?x=1#y"))
    rest = client.get("/api/entities/VEGF%3Fx=1%23y")
    assert (body["status"], body["error"]) == (rest.status_code, rest.json["error"])
    assert body["detail"] == rest.json["detail"]
    assert "VEGF?x=1#y" in body["detail"]


def test_an_unknown_entity_names_the_closest_ones(stdio: McpClient, client: FlaskClient) -> None:
    result = stdio.call("get_entity", id="ent:VEGFF")
    body = _refusal(result)
    rest = client.get("/api/entities/ent:VEGFF")
    assert rest.status_code == body["status"] == 404
    assert body["error"] == "not_found"
    assert body["suggestions"] == rest.json["suggestions"]
    assert body["suggestions"][0]["id"] == "ent:VEGF"
    assert "Closest entities: ent:VEGF (VEGF)" in _text(result)


def test_paths_are_the_rest_api_paths(stdio: McpClient, client: FlaskClient) -> None:
    found = _answer(
        stdio.call("find_paths", source="menstrual blood", target="Asherman's syndrome", k=3)
    )
    assert found == _rest(
        client, "/api/paths", source="menstrual blood", target="Asherman's syndrome", k="3"
    )
    assert found["paths"]
    assert {(p["nodes"][0]["id"], p["nodes"][-1]["id"]) for p in found["paths"]} == {
        ("ent:menstrual_blood", "ent:asherman_syndrome")
    }


def test_filtered_paths_are_the_rest_api_paths(stdio: McpClient, client: FlaskClient) -> None:
    arguments = {"source": "ent:mesenchymal_stem_cell", "target": "angiogenesis", "k": 2}
    filters = {"min_evidence": "preclinical_study", "directed": True, "max_length": 3}
    found = _answer(stdio.call("find_paths", **arguments, **filters))
    assert found == _rest(
        client,
        "/api/paths",
        source="ent:mesenchymal_stem_cell",
        target="angiogenesis",
        k="2",
        min_evidence="preclinical_study",
        directed="true",
        max_length="3",
    )
    assert found["paths"]
    for path in found["paths"]:
        for edge in path["edges"]:  # directed: every hop runs from subject to object
            assert [edge["source"], edge["target"]] in [
                [a["id"], b["id"]] for a, b in zip(path["nodes"], path["nodes"][1:], strict=False)
            ]


def test_paths_through_predicates_and_types_are_the_rest_api_paths(
    stdio: McpClient, client: FlaskClient
) -> None:
    found = _answer(
        stdio.call(
            "find_paths",
            source="ent:mesenchymal_stem_cell",
            target="angiogenesis",
            all_paths=True,
            max_length=3,
            predicates=["secretes", "promotes", "hasMember"],
            types=["GrowthFactor", "MoleculeGroup"],
        )
    )
    rest = _rest(
        client,
        "/api/paths",
        source="ent:mesenchymal_stem_cell",
        target="angiogenesis",
        all="true",
        max_length="3",
        predicates="secretes,promotes,hasMember",
        types="GrowthFactor,MoleculeGroup",
    )
    assert found == rest


def test_a_named_query_is_the_rest_named_query(stdio: McpClient, client: FlaskClient) -> None:
    answer = _answer(stdio.call("run_named_query", name="trophic_factors"))
    assert answer == _rest(client, "/api/queries/trophic_factors")
    targets = {row["target"]["value"] for row in answer["results"]["bindings"]}
    assert "https://w3id.org/msckg/id/angiogenesis" in targets


def test_a_named_query_takes_its_parameters(stdio: McpClient, client: FlaskClient) -> None:
    endometriosis = _answer(
        stdio.call(
            "run_named_query",
            name="disorder_profile",
            parameters={"disorder": "ent:endometriosis"},
        )
    )
    assert endometriosis == _rest(
        client, "/api/queries/disorder_profile", disorder="ent:endometriosis"
    )
    disorders = {row["disorder"]["value"] for row in endometriosis["results"]["bindings"]}
    assert disorders == {"https://w3id.org/msckg/id/endometriosis"}
    default = _answer(stdio.call("run_named_query", name="disorder_profile"))
    assert {row["disorder"]["value"] for row in default["results"]["bindings"]} == {
        "https://w3id.org/msckg/id/asherman_syndrome"
    }


def test_an_undeclared_parameter_is_refused_by_name(stdio: McpClient) -> None:
    result = stdio.call("run_named_query", name="disorder_profile", parameters={"disease": "x"})
    body = _refusal(result)
    assert (body["status"], body["error"]) == (400, "bad_request")
    assert "no parameter 'disease'; its parameters: disorder" in body["detail"]


def test_an_unknown_named_query_lists_the_names(stdio: McpClient) -> None:
    body = _refusal(stdio.call("run_named_query", name="no_such_query"))
    assert (body["status"], body["error"]) == (404, "not_found")
    assert "trophic_factors" in body["choices"]


def test_sparql_select_and_ask_are_the_endpoint_answers(
    stdio: McpClient, client: FlaskClient
) -> None:
    select = "SELECT ?label WHERE { ent:VEGF rdfs:label ?label }"
    answer = _answer(stdio.call("sparql_query", query=select))
    rest = client.post(
        "/sparql", data={"query": select}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer == rest.json
    assert [row["label"]["value"] for row in answer["results"]["bindings"]] == ["VEGF"]
    assert _answer(stdio.call("sparql_query", query="ASK { ent:VEGF a msckg:GrowthFactor }")) == {
        "head": {},
        "boolean": True,
    }


def test_a_sparql_syntax_error_says_where(stdio: McpClient) -> None:
    body = _refusal(stdio.call("sparql_query", query="SELECT ?x WHERE { ?x ?y }"))
    assert (body["status"], body["error"]) == (400, "malformed_query")
    assert re.search(r"line 1, column \d+", body["detail"])


# --- refusals, the deadline, the budget -----------------------------------------------------


def test_a_service_query_is_refused_and_nothing_is_fetched(
    stdio: McpClient, trap: TrapListener
) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{trap.url}> {{ ?s ?p ?o }} }}"
    result = stdio.call("sparql_query", query=query)
    body = _refusal(result)
    assert (body["status"], body["error"]) == (400, "service_not_allowed")
    assert _text(result).startswith(
        "service_not_allowed (HTTP 400): SERVICE is not allowed: this endpoint does not fetch "
        "remote data"
    )
    time.sleep(0.5)
    assert trap.connections == 0


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { ent:VEGF rdfs:label 'hacked' }",
        "DELETE WHERE { ent:VEGF rdfs:label ?l }",
        "DROP ALL",
    ],
)
def test_an_update_is_refused_and_changes_nothing(stdio: McpClient, update: str) -> None:
    result = stdio.call("sparql_query", query=update)
    body = _refusal(result)
    assert (body["status"], body["error"]) == (403, "update_not_allowed")
    assert "is not allowed: this endpoint is read-only" in _text(result)
    labels = _answer(stdio.call("sparql_query", query="SELECT ?l WHERE { ent:VEGF rdfs:label ?l }"))
    assert [row["l"]["value"] for row in labels["results"]["bindings"]] == ["VEGF"]


def test_a_runaway_query_ends_at_the_deadline(stdio: McpClient) -> None:
    started = time.monotonic()
    result = stdio.call("sparql_query", query=RUNAWAY)
    elapsed = time.monotonic() - started
    body = _refusal(result)
    assert (body["status"], body["error"]) == (503, "query_timeout")
    assert f"did not finish within {SLOW_TIMEOUT:g} s" in _text(result)
    assert "Retry after" in _text(result)
    assert elapsed < SLOW_TIMEOUT + 2
    # the worker was replaced: the next call is answered
    assert _answer(stdio.call("search_entities", query="VEGF", limit=1))["results"]


def test_the_client_budget_applies_to_tool_calls(mini_built: BuildReport) -> None:
    command = [MSCKG, "mcp", "--data-dir", str(mini_built.out_dir)]
    with stdio_server(command, env={"MSCKG_QUERY_SECONDS_PER_MINUTE": "0.000001"}) as stingy:
        assert _answer(stingy.call("search_entities", query="VEGF"))["results"]
        result = stingy.call("search_entities", query="VEGF")
    body = _refusal(result)
    assert (body["status"], body["error"]) == (429, "rate_limited")
    assert "this client used its 1e-06 s of query time a minute" in body["detail"]
    assert re.search(r"Retry after \d+ s\.", _text(result))


def test_a_remote_store_is_served_as_the_local_one(
    remote_store: RemoteStore, stdio: McpClient
) -> None:
    command = [MSCKG, "mcp", "--store", remote_store.url]
    with stdio_server(command, env={"MSCKG_DATA_DIR": "/nonexistent"}) as remote:
        for tool, arguments in [
            ("search_entities", {"query": "VEGF"}),
            ("get_entity", {"id": "ent:VEGF"}),
            ("find_paths", {"source": "menstrual blood", "target": "Asherman's syndrome"}),
        ]:
            assert _answer(remote.call(tool, **arguments)) == _answer(stdio.call(tool, **arguments))


# --- streamable HTTP ------------------------------------------------------------------------


def test_http_lists_the_same_tools_with_its_own_limits(http: McpClient, stdio: McpClient) -> None:
    over_http = http.tools()
    assert _schemas(over_http) == _schemas(stdio.tools())
    assert list(_schemas(over_http)) == list(TOOL_NAMES)
    # this server lets a client run one query at once, and its descriptions say so
    assert all("1 at once" in (tool.description or "") for tool in over_http)


def test_http_tools_answer_as_the_rest_api(http: McpClient, client: FlaskClient) -> None:
    found = _answer(http.call("search_entities", query="VEGF", limit=5))
    assert found == _rest(client, "/api/entities", q="VEGF", limit="5")
    paths = _answer(http.call("find_paths", source="menstrual blood", target="ent:pregnancy_rate"))
    assert paths == _rest(
        client, "/api/paths", source="menstrual blood", target="ent:pregnancy_rate"
    )
    assert _refusal(http.call("sparql_query", query="CLEAR ALL"))["error"] == "update_not_allowed"


def test_rows_past_the_row_limit_are_cut_and_the_answer_says_so(http: McpClient) -> None:
    result = http.call("sparql_query", query="SELECT ?s WHERE { ?s rdfs:label ?l }")
    answer = _answer(result)
    assert len(answer["results"]["bindings"]) == 5
    assert result.content[1].text == (  # type: ignore[union-attr]
        "Only the first 5 rows are shown: the row limit is 5. "
        "Narrow the query, or page through it with LIMIT and OFFSET."
    )
    under = http.call("sparql_query", query="SELECT ?s WHERE { ?s rdfs:label ?l } LIMIT 4")
    assert len(under.content) == 1


def test_an_http_client_is_charged_by_its_address_and_a_runaway_ends_at_the_deadline(
    http: McpClient, http_server: HttpServer
) -> None:
    started = time.monotonic()
    runaway = http.portal.start_task_soon(
        http.session.call_tool, "sparql_query", {"query": RUNAWAY}
    )
    refused = None
    # A second session from the same address while the runaway holds this client's one slot.
    with connected(lambda: streamable_http_client(http_server.url)) as other:
        while refused is None and not runaway.done():
            result = other.call("search_entities", query="VEGF", limit=1)
            if result.is_error:
                refused = result
            time.sleep(0.1)
    assert refused is not None, "the second call was never refused"
    assert (_refusal(refused)["status"], _refusal(refused)["error"]) == (429, "rate_limited")
    assert "1 query already running for this client" in _text(refused)
    timed_out = runaway.result(timeout=SLOW_TIMEOUT + 10)
    assert time.monotonic() - started < SLOW_TIMEOUT + 2
    assert _refusal(timed_out)["error"] == "query_timeout"


def test_http_refuses_a_foreign_host_header(http_server: HttpServer) -> None:
    reply = fetch(
        http_server.url,
        method="POST",
        data=b"{}",
        headers={
            "Host": "evil.example:80",
            "Content-Type": "application/json",
            "Accept": "application/json, text/event-stream",
        },
    )
    assert reply.status == 421


# --- the command and the README ---------------------------------------------------------------


def test_without_a_built_graph_the_command_says_so(tmp_path: Path) -> None:
    done = subprocess.run(
        [MSCKG, "mcp", "--data-dir", str(tmp_path / "nothing")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=_clean_env(),
    )
    assert done.returncode == 1
    assert done.stderr.startswith("msckg: ")
    assert "msckg build" in done.stderr
    assert done.stdout == ""


def test_without_the_sdk_the_command_names_the_extra() -> None:
    script = (
        "import sys; sys.modules['mcp'] = None\nfrom msckg.service.cli import main\nmain(['mcp'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1
    assert "pip install 'msckg[mcp]'" in done.stderr


def _readme_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## Agents (MCP)", 1)[1].split("\n## ", 1)[0]


def test_the_readme_stdio_config_starts_a_server(built: BuildReport) -> None:
    config = json.loads(re.findall(r"```json\n(.*?)```", _readme_section(), re.DOTALL)[0])
    server = config["mcpServers"]["msckg"]
    bin_dir = str(Path(sys.executable).parent)
    env = {"MSCKG_DATA_DIR": str(built.out_dir), "PATH": bin_dir + os.pathsep + os.environ["PATH"]}
    with stdio_server([server["command"], *server["args"]], env=env) as client:
        assert [tool.name for tool in client.tools()] == list(TOOL_NAMES)
        assert _answer(client.call("get_entity", id="ent:VEGF"))["label"] == "VEGF"


def test_the_readme_http_command_serves_the_readme_url(built: BuildReport) -> None:
    section = _readme_section()
    blocks = re.findall(r"```shell\n(.*?)```", section, re.DOTALL)
    line = next(
        line for block in blocks for line in block.splitlines() if "--transport http" in line
    )
    documented = re.search(r"http://127\.0\.0\.1:\d+/mcp", section)
    assert documented is not None
    port = free_port()
    command = line.split("  #", 1)[0].split()
    command[command.index("--port") + 1] = str(port)
    assert command[0] == "msckg"
    env = _clean_env(MSCKG_DATA_DIR=str(built.out_dir))
    server = start_http_server([MSCKG, *command[1:]], port, env)
    try:
        url = urllib.parse.urlsplit(documented[0])._replace(netloc=f"127.0.0.1:{port}").geturl()
        with connected(lambda: streamable_http_client(url)) as client:
            assert [tool.name for tool in client.tools()] == list(TOOL_NAMES)
    finally:
        stop_http_server(server)
