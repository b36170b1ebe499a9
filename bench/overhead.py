"""Where the time of one light SPARQL request goes, layer by layer, on the built editorial graph.

Each layer adds one step to the one before, and each is timed over many repetitions (median):

1. ``engine``: ``GraphStore.query`` and iterating the solutions, in this process;
2. ``answer``: ``GraphStore.answer`` (the engine's capped TSV sink, then its conversion to JSON);
3. ``worker``: ``QueryExecutor.run`` (the job pickled to a worker process and the answer back);
4. ``flask``: the Flask test client (routing, guard, negotiation, budget, response);
5. ``http``: a keep-alive HTTP client against ``msckg serve`` (waitress and the socket).

Beside them, ``floor``: the same client against a one-route Flask app on waitress, in this
process, that answers a constant: what any Flask service pays here before doing anything.

The difference between two rows is what that layer costs. Usage (after ``make install``)::

    .venv/bin/python bench/overhead.py --repeat 2000
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from harness import free_port

from msckg.graph.build import STORE_DIRNAME, build
from msckg.graph.curation import CURATION_DIR
from msckg.graph.executor import QueryExecutor, QueryJob
from msckg.graph.store import open_store
from msckg.service.app import close_app, create_app
from msckg.service.settings import Settings

QUERY = "SELECT ?label WHERE { ent:VEGF rdfs:label ?label }"
ACCEPT = "application/sparql-results+json"


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    for _ in range(min(50, repeat)):
        action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _floor_ms(repeat: int) -> float:
    import threading

    import waitress
    from flask import Flask

    app = Flask("floor")
    app.add_url_rule("/x", "x", lambda: {"head": {"vars": []}, "results": {"bindings": []}})
    port = free_port()
    server = waitress.create_server(app, host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get() -> None:
        connection.request("GET", "/x")
        connection.getresponse().read()

    try:
        return _median_ms(get, repeat)
    finally:
        connection.close()
        server.close()


def _serve(data_dir: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [sys.executable, "-m", "msckg.service", "serve", "--data-dir", str(data_dir)]
    process = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                connection.close()
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("msckg serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=2000)
    options = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="msckg-overhead-")) / "data"
    build(data_dir, CURATION_DIR)
    store_path = data_dir / STORE_DIRNAME
    store = open_store(store_path, read_only=True)
    rows: dict[str, float] = {}
    rows["engine"] = _median_ms(lambda: list(store.query(QUERY)), options.repeat)
    rows["answer"] = _median_ms(lambda: store.answer(QUERY), options.repeat)
    with QueryExecutor(store_path, workers=1, timeout=10) as executor:
        rows["worker"] = _median_ms(lambda: executor.run(QueryJob(QUERY)), options.repeat)
    app = create_app(Settings.from_env({}, data_dir=data_dir, query_seconds_per_minute=1e9))
    client = app.test_client()
    rows["flask"] = _median_ms(
        lambda: client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": ACCEPT}),
        options.repeat,
    )
    close_app(app)
    process, port = _serve(data_dir)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        path = "/sparql?" + urllib.parse.urlencode({"query": QUERY})

        def over_http() -> None:
            connection.request("GET", path, headers={"Accept": ACCEPT})
            connection.getresponse().read()

        rows["http"] = _median_ms(over_http, options.repeat)
    finally:
        process.terminate()
        process.wait(30)
    floor = _floor_ms(options.repeat)
    previous = 0.0
    print("| layer | median ms | this layer adds |")
    print("|---|---|---|")
    for layer, value in rows.items():
        print(f"| {layer} | {value:.3f} | {value - previous:+.3f} |")
        previous = value
    print(f"| floor: a one-route Flask app on waitress | {floor:.3f} | |")


if __name__ == "__main__":
    main()
