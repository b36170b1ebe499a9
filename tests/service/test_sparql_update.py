"""SPARQL Update: refused when read-only, 401/403 without the token, applied and seen with it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TrapListener
from flask import Flask
from flask.testing import FlaskClient
from live_http import fetch, start_server, stop_server
from optional_tools import requires_tool

from msckg.graph.build import BuildReport
from msckg.service.app import close_app, create_app
from msckg.service.cli import main
from msckg.service.settings import Settings

TOKEN = "correct-horse-battery-staple"  # noqa: S105 - a test token
MARK = "ASK { ent:VEGF rdfs:comment 'added over the protocol' }"
INSERT = "INSERT DATA { ent:VEGF rdfs:comment 'added over the protocol' }"
DELETE = "DELETE DATA { ent:VEGF rdfs:comment 'added over the protocol' }"


@pytest.fixture(scope="module")
def writable_app(built: BuildReport, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app with updates allowed, over a copy of the build (the shared one stays as built)."""
    data_dir = tmp_path_factory.mktemp("writable") / "data"
    shutil.copytree(built.out_dir, data_dir)
    settings = Settings.from_env(
        {}, data_dir=data_dir, read_only=False, update_token=TOKEN, workers=1, timeout=60.0
    )
    app = create_app(settings)
    yield app
    close_app(app)


def _ask(client: FlaskClient, query: str) -> bool:
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200, response.data
    return bool(json.loads(response.data)["boolean"])


def _update(client: FlaskClient, text: str, token: str | None = TOKEN, **headers: str):  # type: ignore[no-untyped-def]
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.post(
        "/sparql", data=text.encode(), content_type="application/sparql-update", headers=headers
    )


def test_the_default_server_refuses_updates_with_or_without_a_token(client: FlaskClient) -> None:
    response = _update(client, INSERT)
    assert response.status_code == 403
    assert response.json["error"] == "update_not_allowed"
    assert not _ask(client, MARK)


def test_an_update_without_a_token_gets_401(writable_app: Flask) -> None:
    client = writable_app.test_client()
    response = _update(client, INSERT, token=None)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json["error"] == "unauthorized"
    basic = _update(client, INSERT, token=None, Authorization="Basic dXNlcjpwYXNz")
    assert basic.status_code == 401
    assert not _ask(client, MARK)


@pytest.mark.parametrize("token", ["wrong", TOKEN + "x", TOKEN[:-1], "\u00e9t\u00e9", " "])
def test_an_update_with_a_wrong_token_gets_403_and_changes_nothing(
    writable_app: Flask, token: str
) -> None:
    client = writable_app.test_client()
    response = _update(client, INSERT, token=token)
    assert response.status_code in {401, 403}
    assert response.json["error"] in {"unauthorized", "forbidden"}
    form = client.post(
        "/sparql", data={"update": INSERT}, headers={"Authorization": f"Bearer {token}"}
    )
    assert form.status_code in {401, 403}
    assert not _ask(client, MARK)


def test_load_and_service_are_refused_with_the_token_and_nothing_is_fetched(
    writable_app: Flask, trap: TrapListener
) -> None:
    client = writable_app.test_client()
    load = _update(client, f"LOAD <{trap.url}x.ttl> INTO GRAPH <{trap.url}g>")
    assert load.status_code == 403
    assert load.json["error"] == "load_not_allowed"
    service = _update(
        client, f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{trap.url}> {{ ?s ?p ?o }} }}"
    )
    assert service.status_code == 400
    assert service.json["error"] == "service_not_allowed"
    assert trap.connections == 0


def test_an_allowed_insert_is_seen_by_the_next_query_and_a_delete_removes_it(
    writable_app: Flask,
) -> None:
    client = writable_app.test_client()
    triples = client.get("/health").json["triples"]
    assert not _ask(client, MARK)
    response = _update(client, INSERT)
    assert response.status_code == 200, response.data
    assert response.json["status"] == "updated"
    assert _ask(client, MARK)
    assert client.get("/health").json["triples"] == triples + 1
    by_form = client.post(
        "/sparql", data={"update": DELETE}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert by_form.status_code == 200
    assert not _ask(client, MARK)
    assert client.get("/health").json["triples"] == triples


NEW_FACTOR = """
INSERT DATA { GRAPH graph:asserted {
  ent:zeta_test_factor a msckg:GrowthFactor ; rdfs:label "zeta test factor" .
  ent:mesenchymal_stem_cell msckg:secretes ent:zeta_test_factor .
} }"""


def test_search_entities_and_paths_see_an_update_at_once(writable_app: Flask) -> None:
    """The name index and the expansion answer from the updated store, not the built one."""
    client = writable_app.test_client()
    paths = {"source": "mesenchymal stem cell", "target": "zeta test factor", "max_length": 1}
    assert client.get("/api/entities", query_string={"q": "zeta test"}).json["results"] == []
    assert client.get("/api/paths", query_string=paths).status_code == 404
    assert _update(client, NEW_FACTOR).status_code == 200
    found = client.get("/api/entities", query_string={"q": "zeta test"}).json["results"]
    assert [(hit["id"], hit["label"]) for hit in found] == [
        ("ent:zeta_test_factor", "zeta test factor")
    ]
    detail = client.get("/api/entities/ent:zeta_test_factor")
    assert detail.status_code == 200, detail.data
    assert detail.json["label"] == "zeta test factor"
    answer = client.get("/api/paths", query_string=paths)
    assert answer.status_code == 200, answer.data
    assert [[node["id"] for node in path["nodes"]] for path in answer.json["paths"]] == [
        ["ent:mesenchymal_stem_cell", "ent:zeta_test_factor"]
    ]
    assert _update(client, NEW_FACTOR.replace("INSERT", "DELETE")).status_code == 200
    assert client.get("/api/entities", query_string={"q": "zeta test"}).json["results"] == []


def test_a_malformed_update_gets_400_and_the_service_still_answers(writable_app: Flask) -> None:
    client = writable_app.test_client()
    response = _update(client, "INSERT DATA { ent:VEGF rdfs:comment }")
    assert response.status_code == 400
    assert response.json["error"] == "malformed_query"
    assert _ask(client, "ASK { ent:VEGF rdfs:label ?l }")


@pytest.mark.parametrize(
    "data",
    [
        {"update": INSERT, "query": "ASK {}"},
        {"update": INSERT, "using-graph-uri": "http://example.org/g"},
    ],
)
def test_odd_update_requests_get_400(writable_app: Flask, data: dict[str, str]) -> None:
    client = writable_app.test_client()
    response = client.post("/sparql", data=data, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400
    assert not _ask(client, MARK)


def test_serve_refuses_allow_update_without_a_token(built: BuildReport, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["serve", "--allow-update", "--data-dir", str(built.out_dir)],
        env={"MSCKG_UPDATE_TOKEN": ""},
    )
    assert result.exit_code == 1
    assert "token" in result.output
    empty = tmp_path / "token"
    empty.write_text("\n", encoding="utf-8")
    result = runner.invoke(
        main,
        [
            "serve",
            "--allow-update",
            "--update-token-file",
            str(empty),
            "--data-dir",
            str(built.out_dir),
        ],
    )
    assert result.exit_code == 1
    assert "empty" in result.output


README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_update_example() -> str:
    blocks = re.findall(r"```text\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    examples = [line for block in blocks for line in block.splitlines() if "Bearer $TOKEN" in line]
    assert len(examples) == 1, examples
    return examples[0]


@requires_tool("curl")
def test_the_readme_update_example_works_on_a_live_server(
    built: BuildReport, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(built.out_dir, data_dir)
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    server = start_server(data_dir, "--allow-update", "--update-token-file", str(token_file))
    try:
        example = _readme_update_example().replace("http://127.0.0.1:8000", server.url)
        done = subprocess.run(
            ["bash", "-c", "curl -sS --fail " + example.removeprefix("curl ")],  # noqa: S607
            capture_output=True,
            timeout=120,
            check=False,
            env={**os.environ, "TOKEN": TOKEN},
        )
        assert done.returncode == 0, done.stderr.decode()
        assert json.loads(done.stdout)["status"] == "updated"
        ask = "ASK { GRAPH graph:asserted { ent:VEGF rdfs:comment 'checked' } }"
        reply = fetch(f"{server.url}/sparql?" + urllib.parse.urlencode({"query": ask}))
        assert json.loads(reply.body)["boolean"] is True
        unauthorized = fetch(
            f"{server.url}/sparql",
            method="POST",
            data=b"DROP ALL",
            headers={"Content-Type": "application/sparql-update"},
        )
        assert unauthorized.status == 401
    finally:
        stop_server(server)
