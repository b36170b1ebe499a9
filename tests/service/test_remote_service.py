"""msckg on a remote store (Oxigraph server, Virtuoso): the CLI (build, load, query, stats, paths) and the service."""

from __future__ import annotations

import json
import os
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from live_http import fetch, start_server, stop_server
from remote_servers import (
    OXIGRAPH_TIMEOUT,
    REMOTE_KINDS,
    RemoteServer,
    start_remote,
    stop_remote,
)

from msckg.graph.build import NAMED_GRAPHS, BuildReport
from msckg.graph.remote import RemoteStore
from msckg.service.app import close_app, create_app
from msckg.service.cli import main
from msckg.service.settings import Settings

MINI_CURATION = Path(__file__).parents[1] / "data" / "curation"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(params=REMOTE_KINDS)
def fresh_remote(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RemoteServer]:
    """An empty remote store (each kind in turn) for one test."""
    server = start_remote(request.param, tmp_path / "remote")
    yield server
    stop_remote(server)


def _local_and_remote(
    runner: CliRunner, built: BuildReport, remote: RemoteStore, server: RemoteServer, *args: str
):
    local = runner.invoke(main, [*args, "--data-dir", str(built.out_dir)])
    far = runner.invoke(
        main,
        [*args, "--store", remote.url],
        env={**server.env, "MSCKG_DATA_DIR": "/nonexistent"},
    )
    assert local.exit_code == 0, local.stderr
    assert far.exit_code == 0, far.stderr
    return local, far


def test_build_with_store_uploads_every_named_graph(
    runner: CliRunner, tmp_path: Path, fresh_remote: RemoteServer
) -> None:
    env = fresh_remote.env
    args = [
        "build",
        "--curation",
        str(MINI_CURATION),
        "--data-dir",
        str(tmp_path / "data"),
        "--reasoner",
        "owlrl",
        "--store",
        fresh_remote.query_url,
    ]
    result = runner.invoke(main, args, env=env)
    assert result.exit_code == 0, result.stderr
    assert f"uploaded to {fresh_remote.query_url}: ontology" in result.stdout
    remote = fresh_remote.open()
    assert remote.named_graphs() == sorted(NAMED_GRAPHS.values())
    # A second build replaces the graphs rather than adding to them, through SPARQL Update too.
    size = len(remote)
    no_gsp = {name: value for name, value in env.items() if name != "MSCKG_STORE_GSP"}
    again = runner.invoke(main, args, env=no_gsp)
    assert again.exit_code == 0, again.stderr
    assert len(remote) == size


def test_build_with_an_unreachable_store_says_so_and_keeps_the_build(
    runner: CliRunner, tmp_path: Path
) -> None:
    args = [
        "build",
        "--curation",
        str(MINI_CURATION),
        "--data-dir",
        str(tmp_path / "data"),
        "--reasoner",
        "owlrl",
        "--store",
        "http://127.0.0.1:9/query",
    ]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert "cannot reach the store" in result.stderr
    assert "the local build is complete" in result.stderr
    assert (tmp_path / "data" / "build.json").exists()


def test_load_then_query_on_the_remote_store(
    runner: CliRunner, tmp_path: Path, fresh_remote: RemoteServer
) -> None:
    source = tmp_path / "extra.ttl"
    source.write_text(
        "<http://example.org/a> <http://example.org/p> <http://example.org/b> , "
        "<http://example.org/c> .\n",
        encoding="utf-8",
    )
    store = ["--store", fresh_remote.query_url]
    env = fresh_remote.env
    loaded = runner.invoke(
        main, ["load", str(source), "--graph", "http://example.org/g", *store], env=env
    )
    assert loaded.exit_code == 0, loaded.stderr
    assert "2 triples into <http://example.org/g> in 1 transaction(s)" in loaded.stdout
    counted = runner.invoke(
        main,
        ["query", "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }", "--format", "csv", *store],
        env=env,
    )
    assert counted.exit_code == 0, counted.stderr
    assert counted.stdout.splitlines() == ["n", "2"]


# Queries without GROUP_CONCAT, whose order and language tag Virtuoso differs on (see test_remote).
@pytest.mark.parametrize("name", ["hedged_claims", "find_entity", "safety_risks"])
def test_named_query_from_the_cli_matches_the_local_store(
    runner: CliRunner,
    built: BuildReport,
    remote_store: RemoteStore,
    remote_server: RemoteServer,
    name: str,
) -> None:
    local, far = _local_and_remote(
        runner, built, remote_store, remote_server, "query", "--name", name, "--format", "json"
    )
    assert json.loads(far.stdout) == json.loads(local.stdout)


def test_stats_match_the_local_store(
    runner: CliRunner, built: BuildReport, remote_store: RemoteStore, remote_server: RemoteServer
) -> None:
    local, far = _local_and_remote(
        runner, built, remote_store, remote_server, "stats", "--format", "json"
    )
    assert json.loads(far.stdout) == json.loads(local.stdout)


def test_a_syntax_error_on_the_remote_store_keeps_line_and_column(
    runner: CliRunner, remote_store: RemoteStore
) -> None:
    result = runner.invoke(
        main, ["query", "SELECT ?s\nWHERE { ?s ?p }", "--store", remote_store.url]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("query:2:")


@pytest.mark.parametrize(
    "args",
    [
        ["path", "bone marrow", "VEGF", "--format", "json"],
        ["path", "menstrual blood", "pregnancy rate", "--k", "3", "--format", "json"],
        ["neighbors", "VEGF", "--format", "json"],
    ],
)
def test_path_analysis_matches_the_local_store(
    runner: CliRunner,
    built: BuildReport,
    remote_store: RemoteStore,
    remote_server: RemoteServer,
    args: list[str],
) -> None:
    local, far = _local_and_remote(runner, built, remote_store, remote_server, *args)
    assert json.loads(far.stdout) == json.loads(local.stdout)


@pytest.fixture(scope="module")
def remote_client(remote_store: RemoteStore, remote_server: RemoteServer) -> Iterator[FlaskClient]:
    settings = Settings.from_env(
        remote_server.env, data_dir=Path("/nonexistent"), store=remote_store.url
    )
    app = create_app(settings)
    app.config["TESTING"] = True
    yield app.test_client()
    close_app(app)


@pytest.mark.parametrize(
    "url",
    [
        "/api/queries/negative_findings",
        "/api/queries/clinical_outcomes?disorder=ent:asherman_syndrome",
        "/api/entities/ent:VEGF",
        "/api/entities?q=vegf",
        "/api/stats",
        "/api/paths?source=bone%20marrow&target=VEGF",
        "/api/neighborhood/VEGF",
    ],
)
def test_rest_answers_as_on_the_local_store(
    client: FlaskClient, remote_client: FlaskClient, url: str
) -> None:
    local, remote = client.get(url), remote_client.get(url)
    assert (remote.status_code, remote.json) == (local.status_code, local.json)


def test_sparql_endpoint_on_the_remote_store(remote_client: FlaskClient) -> None:
    reply = remote_client.get("/sparql", query_string={"query": "ASK { ent:VEGF rdfs:label ?l }"})
    assert reply.status_code == 200
    assert reply.json["boolean"] is True
    csv = remote_client.get(
        "/sparql",
        query_string={"query": "SELECT ?s { ?s ?p ?o } LIMIT 3"},
        headers={"Accept": "text/csv"},
    )
    assert csv.data.decode().splitlines()[0] == "s"
    assert len(csv.data.decode().splitlines()) == 4


def test_the_guard_stands_in_front_of_the_remote_store(remote_client: FlaskClient) -> None:
    reply = remote_client.get(
        "/sparql", query_string={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}
    )
    assert (reply.status_code, reply.json["error"]) == (400, "service_not_allowed")
    update = remote_client.post("/sparql", data={"update": "DROP ALL"})
    assert update.status_code == 403


def test_health_reports_no_workers_for_a_remote_store(remote_client: FlaskClient) -> None:
    body = remote_client.get("/health").json
    assert body["query_workers"] == 0
    assert body["named_graphs"] == sorted(NAMED_GRAPHS.values())


def test_a_silent_remote_store_is_503_after_the_timeout(silent_url: str) -> None:
    app = create_app(
        Settings.from_env({}, data_dir=Path("/nonexistent"), store=silent_url, timeout=0.5)
    )
    try:
        reply = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
    finally:
        close_app(app)
    assert (reply.status_code, reply.json["error"]) == (503, "query_timeout")


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A loopback listener that accepts and never answers."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    listener.close()


def test_msckg_serve_with_store_answers(
    remote_store: RemoteStore, remote_server: RemoteServer, tmp_path: Path
) -> None:
    server = start_server(
        tmp_path / "nothing-here", "--store", remote_store.url, env=remote_server.env
    )
    try:
        reply = fetch(f"{server.url}/api/queries/safety_risks")
    finally:
        stop_server(server)
    assert reply.status == 200
    assert json.loads(reply.body)["results"]["bindings"]


#: A query with no shortcut: every pair of triples is compared as text (~10^8 pairs on the
#: shipped graph), minutes on either server. The local syntax check does not run it.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) }"


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds the process has used so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_runaway_query_ends_on_the_remote_store_within_the_deadline(
    remote_store: RemoteStore, remote_server: RemoteServer, tmp_path: Path
) -> None:
    # Virtuoso stops it at the `timeout` parameter msckg sends; the Oxigraph server at its own
    # --timeout-s, set to the same seconds (it offers no per-query limit).
    deadline = OXIGRAPH_TIMEOUT
    server = start_server(
        tmp_path / "nothing-here",
        "--store",
        remote_store.url,
        "--timeout",
        str(deadline),
        env=remote_server.env,
    )
    try:
        sent = time.monotonic()
        reply = fetch(f"{server.url}/sparql?" + urllib.parse.urlencode({"query": RUNAWAY}))
        answered = time.monotonic() - sent
        assert (reply.status, json.loads(reply.body)["error"]) == (503, "query_timeout")
        assert answered < deadline + 2
        # The remote server must be idle too from deadline + 2 s: an idle server spends no CPU
        # (0 ticks in 2 s); the query still running, even on a loaded machine, spends tenths.
        time.sleep(max(0.0, sent + deadline + 2 - time.monotonic()))
        before = _cpu_seconds(remote_server.process.pid)
        time.sleep(2.0)
        assert _cpu_seconds(remote_server.process.pid) - before < 0.1
    finally:
        stop_server(server)
