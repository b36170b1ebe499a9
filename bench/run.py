"""Benchmark msckg against the Oxigraph server and rdflib-endpoint in one run, on the same data and queries.

For each size: generate the graph (bench/generate.py, cached in bench/data/), then for each
server time the load (process start until the sentinel answers), five SPARQL query classes
with one keep-alive client (median, p95) and with 4 concurrent clients (queries/s), the peak
memory; then msckg's REST entity, search and path endpoints on the same graph split into
msckg's named graphs (TriG). Writes bench/out/results-<size>.json and prints a summary.

Usage (after ``make install`` and ``bench/.venv`` from bench/requirements.txt)::

    .venv/bin/python bench/run.py --sizes 10k,100k,1m
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from generate import BENCH, MSCKG, RDFS, SENTINEL_ASK, SIZES, write_graph
from harness import Server, free_port, time_concurrent, time_single

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MSCKG_BIN = ROOT / ".venv" / "bin" / "msckg"
PEERS_BIN = HERE / ".venv" / "bin"
SERVERS = ("msckg", "oxigraph", "rdflib-endpoint")
PREFIXES = f"PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\nPREFIX rdfs: <{RDFS}>\nPREFIX msckg: <{MSCKG}>\n"
REGEX_PATTERN = "vorka|kavor"


def data_files(size: str) -> tuple[Path, Path]:
    """The Turtle and TriG files of a size, generated once and reused (same seed, same bytes)."""
    turtle, trig = HERE / "data" / f"g{size}.ttl", HERE / "data" / f"g{size}.trig"
    for path in (turtle, trig):
        if not path.exists():
            partial = path.with_suffix(".partial" + path.suffix)
            write_graph(SIZES[size], partial)
            partial.rename(path)
    return turtle, trig


def pick_terms(turtle: Path) -> dict[str, str]:
    """Choose the query constants from the file: the cell type that secretes most, a deep class, a path target."""
    secretes: Counter[str] = Counter()
    factors: dict[str, list[str]] = {}
    promotes: dict[str, str] = {}
    deepest = ""
    labels: dict[str, str] = {}
    pattern = re.compile(r"^ent:(bench-\d+) msckg:(secretes|promotes) ent:(bench-\d+) \.$")
    label = re.compile(r'^ent:(bench-\d+) rdfs:label "([^"]*)"@en \.$')
    with turtle.open(encoding="utf-8") as stream:
        for line in stream:
            named = label.match(line)
            if named:
                labels[named[1]] = named[2]
                continue
            match = pattern.match(line)
            if match and match[2] == "secretes":
                secretes[match[1]] += 1
                factors.setdefault(match[1], []).append(match[3])
            elif match:
                promotes.setdefault(match[1], match[3])
            elif line.startswith(f"<{BENCH}class/BiologicalProcess-") and "rdfs:subClassOf" in line:
                deepest = line.split(">", 1)[0][1:]
    hub = min(secretes, key=lambda name: (-secretes[name], int(name.split("-")[1])))
    target = next((promotes[f] for f in factors[hub] if f in promotes), factors[hub][-1])
    return {
        "hub": hub,
        "deep_class": deepest,
        "path_target": target,
        "search": labels[hub].split()[0],
    }


def sparql_queries(terms: dict[str, str]) -> dict[str, str]:
    """The five query classes, as full SPARQL that every server accepts."""
    hub = f"<https://w3id.org/msckg/id/{terms['hub']}>"
    return {
        "point": PREFIXES + f"SELECT ?p ?o WHERE {{ {hub} ?p ?o }}",
        "regex": PREFIXES
        + f'SELECT ?s ?label WHERE {{ ?s rdfs:label ?label FILTER(REGEX(?label, "{REGEX_PATTERN}", "i")) }}',
        "two_hop": PREFIXES
        + f"SELECT ?factor ?p ?o WHERE {{ {hub} msckg:secretes ?factor . ?factor ?p ?o }}",
        "group_by": PREFIXES
        + "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s rdf:type ?type } GROUP BY ?type",
        "path_plus": PREFIXES
        + f"SELECT ?super WHERE {{ <{terms['deep_class']}> rdfs:subClassOf+ ?super }}",
    }


def make_server(name: str, data: Path, work: Path) -> Server:
    """The command line of one server on a free loopback port."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = work / f"{name}.log"
    if name == "msckg":
        # Every bench client comes from 127.0.0.1, one client key. Its concurrency stays at the
        # default (2 at once, 8 more waiting their turn: 4 clients must work with it), but its
        # seconds a minute are lifted: minutes of back-to-back load are not one user's minute.
        os.environ.setdefault("MSCKG_QUERY_SECONDS_PER_MINUTE", "1000000")
        command = [
            str(MSCKG_BIN),
            "serve",
            "--data",
            str(data),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ]
        return Server(name, command, base, "/sparql", log)
    if name == "oxigraph":
        location = work / "oxigraph-store"
        prepare = [
            str(PEERS_BIN / "oxigraph"),
            "load",
            "--location",
            str(location),
            "--file",
            str(data),
        ]
        command = [
            str(PEERS_BIN / "oxigraph"),
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
        ]
        return Server(name, command, base, "/query", log, prepare=prepare)
    command = [
        str(PEERS_BIN / "rdflib-endpoint"),
        "serve",
        str(data),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    return Server(name, command, base, "/", log)


def bench_server(
    name: str, data: Path, queries: dict[str, str], work: Path, options: argparse.Namespace
) -> dict:
    """Load, query and measure one server; always stopped at the end."""
    server = make_server(name, data, work)
    result: dict = {"server": name}
    with server:
        result["load_s"] = server.start(SENTINEL_ASK, deadline_s=options.load_deadline)
        print(f"  {name}: loaded in {result['load_s']:.2f} s", file=sys.stderr)
        for query_name, text in queries.items():
            path = server.sparql_url(text)
            timing = time_single(server, path, budget_s=options.budget)
            qps, count = time_concurrent(server, path, duration_s=options.concurrent_s)
            result[query_name] = asdict(timing) | {"qps4": qps, "requests4": count}
            print(
                f"  {name} {query_name}: {timing.median_ms:.2f} ms median, {timing.rows} rows, "
                f"{qps:.0f} q/s x4",
                file=sys.stderr,
            )
    result["peak_rss_main_mib"] = server.peak_main_kib / 1024
    result["peak_rss_tree_mib"] = server.peak_tree_kib / 1024
    result["peak_rss_serving_mib"] = server.peak_serving_kib / 1024
    result["peak_rss_prepare_mib"] = server.peak_prepare_kib / 1024
    return result


def bench_rest(trig: Path, terms: dict[str, str], work: Path, options: argparse.Namespace) -> dict:
    """msckg's REST endpoints on the graph split into msckg's named graphs."""
    server = make_server("msckg", trig, work)
    server.log = work / "msckg-rest.log"
    calls = {
        "search": "/api/entities?" + urllib.parse.urlencode({"q": terms["search"], "limit": 20}),
        "entity": f"/api/entities/ent:{terms['hub']}",
        "paths": "/api/paths?"
        + urllib.parse.urlencode(
            {
                "source": f"ent:{terms['hub']}",
                "target": f"ent:{terms['path_target']}",
                "k": 5,
                "max_length": 4,
            }
        ),
    }
    result: dict = {}
    with server:
        result["load_s"] = server.start(SENTINEL_ASK, deadline_s=options.load_deadline)
        for name, path in calls.items():
            connection = server.connection(timeout=300)
            begin = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            connection.close()
            first_ms = (time.perf_counter() - begin) * 1000
            timing = time_single(server, path, budget_s=options.budget, warmup=1)
            result[name] = asdict(timing) | {"first_ms": first_ms, "path": path}
            print(
                f"  msckg REST {name}: first {first_ms:.0f} ms, then {timing.median_ms:.2f} ms median "
                f"(status {timing.status}, {timing.rows} results)",
                file=sys.stderr,
            )
    result["peak_rss_tree_mib"] = server.peak_tree_kib / 1024
    result["peak_rss_serving_mib"] = server.peak_serving_kib / 1024
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark for the given sizes and write one JSON file per size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k, 100k, 1m")
    parser.add_argument("--servers", default=",".join(SERVERS))
    parser.add_argument(
        "--budget", type=float, default=6.0, help="seconds of single-client runs per query"
    )
    parser.add_argument(
        "--concurrent-s", type=float, default=3.0, help="seconds of 4-client runs per query"
    )
    parser.add_argument("--load-deadline", type=float, default=600.0)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    options = parser.parse_args(argv)
    # A normal exit on SIGTERM, so every server started so far is stopped by its context manager.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    options.out.mkdir(parents=True, exist_ok=True)
    for size in options.sizes.split(","):
        turtle, trig = data_files(size)
        terms = pick_terms(turtle)
        queries = sparql_queries(terms)
        print(
            f"size {size}: {turtle} ({turtle.stat().st_size / 1e6:.1f} MB), terms {terms}",
            file=sys.stderr,
        )
        work = Path(tempfile.mkdtemp(prefix=f"msckg-bench-{size}-"))
        report: dict = {
            "size": size,
            "file": str(turtle),
            "terms": terms,
            "queries": queries,
            "servers": {},
        }
        try:
            for name in options.servers.split(","):
                try:
                    report["servers"][name] = bench_server(name, turtle, queries, work, options)
                except RuntimeError as error:
                    report["servers"][name] = {"server": name, "error": str(error)}
                    print(f"  {name}: {error}", file=sys.stderr)
            if "msckg" in options.servers:
                report["rest"] = bench_rest(trig, terms, work, options)
        finally:
            for log in work.glob("*.log"):
                shutil.copy(log, options.out / f"{size}-{log.name}")
            shutil.rmtree(work, ignore_errors=True)
        (options.out / f"results-{size}.json").write_text(
            json.dumps(report, indent=2), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
