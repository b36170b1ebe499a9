"""Bounded load test of ``msckg serve``: 16 clients mixing SPARQL, search, entity and path requests, plus a hostile query now and then.

Loopback only; stops by itself after ``--seconds``. Reports counts by status for each kind of
request, the timeouts, p50/p99 latency of the normal requests, ``/health`` during the run, and
the server's memory (idle, peak). Writes bench/out/loadtest.json and prints a summary.

Usage::

    .venv/bin/python bench/loadtest.py --size 100k --clients 16 --seconds 60 --hostile-every 10
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

from generate import SENTINEL_ASK
from harness import Server, percentile, proc_rss_kib
from run import HERE, data_files, make_server, pick_terms, sparql_queries

#: Sent in turn: the first is cut by the row cap, the second (an aggregate, so no row comes
#: out before the end) can only be stopped by the query timeout.
HOSTILE = (
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
)


def _requests(server: Server, terms: dict[str, str]) -> dict[str, str]:
    queries = sparql_queries(terms)
    mix = {
        f"sparql_{name}": server.sparql_url(queries[name])
        for name in ("point", "two_hop", "path_plus", "regex")
    }
    mix["search"] = "/api/entities?" + urllib.parse.urlencode({"q": terms["search"], "limit": 20})
    mix["entity"] = f"/api/entities/ent:{terms['hub']}"
    mix["paths"] = "/api/paths?" + urllib.parse.urlencode(
        {
            "source": f"ent:{terms['hub']}",
            "target": f"ent:{terms['path_target']}",
            "k": 5,
            "max_length": 4,
        }
    )
    return mix


def _send(connection: http.client.HTTPConnection, path: str) -> tuple[int, str]:
    connection.request(
        "GET", path, headers={"Accept": "application/sparql-results+json, application/json"}
    )
    response = connection.getresponse()
    body = response.read()
    error = ""
    if response.status >= 400:
        try:
            error = str(json.loads(body).get("error", ""))
        except ValueError:
            error = "not json"
    return response.status, error


def run_load(server: Server, terms: dict[str, str], options: argparse.Namespace) -> dict:
    """Drive the server for ``options.seconds``; every thread stops by itself at the end."""
    mix = _requests(server, terms)
    names = sorted(mix)
    results: list[tuple[str, int, str, float]] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + options.seconds

    def record(kind: str, status: int, error: str, seconds: float) -> None:
        with lock:
            results.append((kind, status, error, seconds))

    def client(seed: int) -> None:
        rng = random.Random(seed)
        connection = server.connection(timeout=options.request_timeout, client=seed)
        while time.monotonic() < stop_at:
            kind = rng.choice(names)
            begin = time.perf_counter()
            try:
                status, error = _send(connection, mix[kind])
            except (OSError, http.client.HTTPException) as failure:
                status, error = 0, type(failure).__name__
                connection.close()
                connection = server.connection(timeout=options.request_timeout, client=seed)
            record(kind, status, error, time.perf_counter() - begin)
        connection.close()

    def hostile() -> None:
        sent = 0
        while time.monotonic() + options.hostile_every <= stop_at + 1:
            path = server.sparql_url(HOSTILE[sent % len(HOSTILE)])
            sent += 1
            connection = server.connection(timeout=options.request_timeout)
            begin = time.perf_counter()
            try:
                status, error = _send(connection, path)
            except (OSError, http.client.HTTPException) as failure:
                status, error = 0, type(failure).__name__
            finally:
                connection.close()
            record("hostile", status, error, time.perf_counter() - begin)
            time.sleep(max(0.0, options.hostile_every - (time.perf_counter() - begin)))

    health: Counter[int] = Counter()
    rss: list[int] = []

    def watch() -> None:
        while time.monotonic() < stop_at:
            connection = server.connection(timeout=5)
            try:
                status, _ = _send(connection, "/health")
            except (OSError, http.client.HTTPException):
                status = 0
            finally:
                connection.close()
            health[status] += 1
            rss.append(server.peak_tree_kib)
            time.sleep(1)

    threads = [
        threading.Thread(target=client, args=(n,), daemon=True) for n in range(options.clients)
    ]
    threads += [
        threading.Thread(target=hostile, daemon=True),
        threading.Thread(target=watch, daemon=True),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=options.seconds + options.request_timeout + 30)
    return _summary(results, health, options)


def _summary(
    results: list[tuple[str, int, str, float]], health: Counter[int], options: argparse.Namespace
) -> dict:
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    latencies: dict[str, list[float]] = defaultdict(list)
    for kind, status, error, seconds in results:
        by_kind[kind][f"{status} {error}".strip()] += 1
        latencies[kind].append(seconds * 1000)
    normal = [ms for kind, values in latencies.items() if kind != "hostile" for ms in values]
    return {
        "clients": options.clients,
        "seconds": options.seconds,
        "hostile_every_s": options.hostile_every,
        "requests": len(results),
        "throughput_rps": len(normal) / options.seconds,
        "by_kind": {kind: dict(counts) for kind, counts in sorted(by_kind.items())},
        "p50_ms": percentile(normal, 0.50) if normal else None,
        "p99_ms": percentile(normal, 0.99) if normal else None,
        "per_kind_ms": {
            kind: {"p50": percentile(v, 0.5), "p99": percentile(v, 0.99)}
            for kind, v in sorted(latencies.items())
        },
        "health": {str(status): count for status, count in health.items()},
    }


def main(argv: list[str] | None = None) -> int:
    """Start ``msckg serve --data`` on the TriG graph of ``--size``, load it, stop it, write the summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--hostile-every", type=float, default=10)
    parser.add_argument("--request-timeout", type=float, default=60)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "loadtest.json")
    options = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    turtle, trig = data_files(options.size)
    terms = pick_terms(turtle)
    work = Path(tempfile.mkdtemp(prefix="msckg-loadtest-"))
    server = make_server("msckg", trig, work)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    try:
        summary = _measure(server, terms, options)
    finally:
        if server.log.exists():
            shutil.copy(server.log, options.out.with_suffix(".log"))
        shutil.rmtree(work, ignore_errors=True)
    options.out.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(json.dumps(summary, indent=2))
    return 0


def _measure(server: Server, terms: dict[str, str], options: argparse.Namespace) -> dict:
    """Start the server, warm it, drive it, stop it; the summary with load time and memory."""
    with server:
        load_s = server.start(SENTINEL_ASK, deadline_s=300)
        # Warm the caches a first request fills (entity index, path projection), then read idle memory.
        connection = server.connection(timeout=300)
        for path in _requests(server, terms).values():
            _send(connection, path)
        connection.close()
        time.sleep(1)
        idle_kib = server.peak_tree_kib
        summary = run_load(server, terms, options)
        summary |= {
            "size": options.size,
            "load_s": load_s,
            "idle_rss_tree_mib": idle_kib / 1024,
            "peak_rss_tree_mib": server.peak_tree_kib / 1024,
            "peak_rss_main_mib": max(
                server.peak_main_kib, proc_rss_kib(server.process.pid, "VmHWM")
            )
            / 1024,
        }
    summary["server_stopped"] = server.process.poll() is not None
    return summary


if __name__ == "__main__":
    sys.exit(main())
