"""Every read request is a job: under the deadline, charged to the client, CORS everywhere.

Issue 11: an analysis request past the deadline gets 503 and its worker is replaced; analysis
routes are rate-limited like SPARQL; a client over its concurrency waits in a short queue; the
OpenAPI document states the limits the handlers enforce.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import DENSE_PROCESSES, SLOW_TIMEOUT
from flask import Flask
from flask.testing import FlaskClient
from live_http import LiveServer, fetch

from msckg.graph.build import BuildReport
from msckg.service import limits
from msckg.service.app import close_app, create_app
from msckg.service.settings import Settings

SEVEN_PROCESSES = ",".join(["BiologicalProcess"] * 7)

#: One request of each kind that reads the store, as a path with its query string.
READS = [
    "/api/entities?q=vegf",
    "/api/entities/ent:vegf",
    "/api/stats",
    "/api/paths?source=msc&target=angiogenesis",
    "/api/neighborhood/ent:msc?radius=1",
    "/api/metapaths?source=msc&target=angiogenesis&pattern=CellType,GrowthFactor,BiologicalProcess",
    "/api/export/graphml?focus=ent:msc&radius=1",
    "/api/export/graphml",
    "/api/queries/safety_risks",
    "/sparql?query=ASK%20%7B%7D",
]


def _wait_for_idle_pool(server: LiveServer) -> dict[str, int]:
    deadline = time.monotonic() + 60
    health: dict[str, int] = {}
    while time.monotonic() < deadline:
        health = json.loads(fetch(f"{server.url}/health").body)
        if health["idle_workers"] == health["query_workers"]:
            return health
        time.sleep(0.05)
    return health


def test_an_analysis_request_past_the_deadline_is_503_and_the_next_is_served(
    dense_server: LiveServer,
) -> None:
    _wait_for_idle_pool(dense_server)
    started = time.monotonic()
    query = urllib.parse.urlencode({"source": "p0", "target": "p1", "pattern": SEVEN_PROCESSES})
    reply = fetch(f"{dense_server.url}/api/metapaths?{query}")
    elapsed = time.monotonic() - started
    assert reply.status == 503, reply.body[:300]
    assert json.loads(reply.body)["error"] == "query_timeout"
    assert reply.headers["Retry-After"]
    assert elapsed < SLOW_TIMEOUT + 2
    health = _wait_for_idle_pool(dense_server)
    assert health["idle_workers"] == health["query_workers"] >= 1
    served = fetch(f"{dense_server.url}/api/paths?source=p0&target=p{DENSE_PROCESSES - 1}")
    assert served.status == 200
    assert json.loads(served.body)["paths"]


@pytest.fixture
def stingy_app(mini_built: BuildReport) -> Iterator[Flask]:
    """An app whose clients may spend almost no query time: the second request is over."""
    settings = Settings.from_env({}, data_dir=mini_built.out_dir, query_seconds_per_minute=1e-6)
    application = create_app(settings)
    yield application
    close_app(application)


@pytest.mark.parametrize("path", READS)
def test_every_read_is_charged_to_the_client(stingy_app: Flask, path: str) -> None:
    client = stingy_app.test_client()
    first = client.get(path)
    assert first.status_code == 200, first.get_data(as_text=True)[:300]
    second = client.get(path)
    assert second.status_code == 429
    assert second.json["error"] == "rate_limited"
    assert int(second.headers["Retry-After"]) >= 1


def _queued_app(mini_built: BuildReport, queued: int) -> Flask:
    settings = Settings.from_env(
        {}, data_dir=mini_built.out_dir, max_concurrent_queries=1, max_queued_queries=queued
    )
    return create_app(settings)


def _burst(app: Flask, requests: int) -> list[int]:
    def one(_: int) -> int:
        return app.test_client().get("/api/paths?source=msc&target=angiogenesis").status_code

    with ThreadPoolExecutor(requests) as pool:
        return list(pool.map(one, range(requests)))


def test_a_notebook_with_eight_threads_waits_its_turn_instead_of_429(
    mini_built: BuildReport,
) -> None:
    app = _queued_app(mini_built, queued=8)
    try:
        statuses = _burst(app, 8)
    finally:
        close_app(app)
    assert statuses == [200] * 8


def test_a_full_queue_is_429(mini_built: BuildReport) -> None:
    app = _queued_app(mini_built, queued=0)
    try:
        statuses = _burst(app, 8)
    finally:
        close_app(app)
    assert 200 in statuses
    assert 429 in statuses
    assert set(statuses) <= {200, 429}


@pytest.mark.parametrize("path", [*READS, "/api/queries", "/health", "/openapi.json"])
def test_cors_headers_are_on_every_api_route(mini_client: FlaskClient, path: str) -> None:
    response = mini_client.get(path)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "path",
    ["/api/paths?source=nothing&target=msc", "/api/entities?limit=0", "/api/export/nope"],
)
def test_cors_headers_are_on_errors_too(mini_client: FlaskClient, path: str) -> None:
    response = mini_client.get(path)
    assert response.status_code in {400, 404}
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def _parameter(document: dict, path: str, name: str) -> dict:
    operation = document["paths"][path]["get"]
    return next(p for p in operation["parameters"] if p["name"] == name)["schema"]


def test_the_openapi_document_states_the_limits_the_handlers_enforce(
    mini_client: FlaskClient,
) -> None:
    document = mini_client.get("/openapi.json").json
    search = "/api/entities"
    assert _parameter(document, search, "q")["maxLength"] == limits.MAX_SEARCH_LENGTH
    assert _parameter(document, search, "limit")["maximum"] == limits.MAX_SEARCH_LIMIT
    assert _parameter(document, search, "limit")["default"] == limits.DEFAULT_SEARCH_LIMIT
    assert _parameter(document, "/api/paths", "k")["maximum"] == limits.MAX_K
    assert _parameter(document, "/api/paths", "k")["default"] == limits.DEFAULT_K
    assert _parameter(document, "/api/paths", "max_length")["maximum"] == limits.MAX_LENGTH
    radius = _parameter(document, "/api/neighborhood/{id}", "radius")
    assert (radius["maximum"], radius["default"]) == (limits.MAX_RADIUS, limits.DEFAULT_RADIUS)
    assert _parameter(document, "/api/metapaths", "damping")["maximum"] == limits.MAX_DAMPING
    assert _parameter(document, "/api/entities/{id}", "id")["maxLength"] == (
        limits.MAX_PARAM_LENGTH
    )
    graph_iri = _parameter(document, "/sparql", "default-graph-uri")["items"]
    assert graph_iri["maxLength"] == limits.MAX_GRAPH_IRI_LENGTH


@pytest.mark.parametrize(
    "path",
    [
        f"/api/entities?q={'x' * (limits.MAX_SEARCH_LENGTH + 1)}",
        f"/api/entities?limit={limits.MAX_SEARCH_LIMIT + 1}",
        f"/api/paths?source=msc&target=vegf&k={limits.MAX_K + 1}",
        f"/api/paths?source=msc&target=vegf&max_length={limits.MAX_LENGTH + 1}",
        f"/api/neighborhood/ent:msc?radius={limits.MAX_RADIUS + 1}",
        f"/api/export/graphml?radius={limits.MAX_RADIUS + 1}",
        f"/api/metapaths?source=msc&target=vegf&pattern=CellType,GrowthFactor"
        f"&damping={limits.MAX_DAMPING + 0.5}",
        f"/api/entities/{'x' * (limits.MAX_PARAM_LENGTH + 1)}",
        "/sparql?query=ASK%7B%7D&default-graph-uri=http://a.org/"
        + "x" * limits.MAX_GRAPH_IRI_LENGTH,
    ],
)
def test_one_past_each_limit_is_400(mini_client: FlaskClient, path: str) -> None:
    response = mini_client.get(path)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.json["error"] == "bad_request"


def test_the_service_rebuilds_a_stale_name_index_and_projection_without_a_request(
    mini_built: BuildReport, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """After a load or update, or on a store built before the index existed, no request has to
    pay for (or, on a large store, time out in) building the name index."""
    import shutil

    from msckg.graph.build import STORE_DIRNAME
    from msckg.graph.projection import PROJECTION_FILENAME, caches_are_current
    from msckg.graph.textindex import INDEX_FILENAME

    data_dir = tmp_path_factory.mktemp("stale-caches") / "data"
    shutil.copytree(mini_built.out_dir, data_dir)
    (data_dir / PROJECTION_FILENAME).unlink()
    (data_dir / INDEX_FILENAME).unlink()
    app = create_app(Settings.from_env({}, data_dir=data_dir))
    try:
        deadline = time.monotonic() + 120
        while not caches_are_current(data_dir / STORE_DIRNAME) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert caches_are_current(data_dir / STORE_DIRNAME)
    finally:
        close_app(app)


def test_whole_graph_analysis_waits_for_the_projection_and_nothing_else_does(
    mini_built: BuildReport, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import shutil

    from msckg.graph.projection import PROJECTION_FILENAME

    data_dir = tmp_path_factory.mktemp("fresh-projection") / "data"
    shutil.copytree(mini_built.out_dir, data_dir)
    (data_dir / PROJECTION_FILENAME).unlink(missing_ok=True)
    app = create_app(Settings.from_env({}, data_dir=data_dir))
    try:
        client = app.test_client()
        statuses = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            # Focused reads never wait for the projection.
            assert client.get("/api/neighborhood/ent:msc").status_code == 200
            response = client.get("/api/export/graphml")
            statuses.append(response.status_code)
            if response.status_code == 200:
                break
            assert response.status_code == 503
            assert response.json["error"] == "not_ready"
            assert int(response.headers["Retry-After"]) >= 1
            time.sleep(0.2)
        assert statuses[-1] == 200
        assert b"<graphml" in response.data
    finally:
        close_app(app)


def test_paths_accept_every_name_that_search_finds(client: FlaskClient) -> None:
    from msckg.graph.build import validate

    curation = validate()
    names = sorted({name for e in curation.entities.values() for name in (e.label, *e.synonyms)})
    for name in names:
        found = client.get("/api/entities", query_string={"q": name, "limit": 1}).json["results"]
        assert found, name
        response = client.get(
            "/api/paths", query_string={"source": name, "target": found[0]["id"], "k": 1}
        )
        assert response.status_code == 200, (name, response.json)
        assert response.json["source"] == found[0]["id"], name


def test_an_unknown_entity_has_one_error_shape_on_every_route(client: FlaskClient) -> None:
    for path in (
        "/api/entities/ent:Ashermans",
        "/api/paths?source=Ashermans&target=VEGF",
        "/api/neighborhood/Ashermans",
        "/api/metapaths?source=Ashermans&target=VEGF&pattern=Disorder,GrowthFactor",
        "/api/export/graphml?focus=Ashermans",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json["error"] == "not_found"
        suggestions = response.json["suggestions"]
        assert suggestions, path
        assert all(set(s) == {"id", "label"} and s["id"] and s["label"] for s in suggestions)
