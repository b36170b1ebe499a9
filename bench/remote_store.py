"""msckg's REST search, entity detail and paths on Virtuoso (``--store``) against the local store.

The benchmark graph (bench/generate.py, as TriG split into msckg's named graphs) is written
one N-Triples file per graph, loaded into a fresh Virtuoso (``tests/virtuoso_server.py``) with
``msckg load --store``, each load timed; then ``msckg serve --store`` on Virtuoso and
``msckg serve --data`` on the same TriG answer the REST calls of bench/run.py, timed the same
way (first call, then the median and p95 of a keep-alive client). Writes
bench/out/remote-<size>.json and prints a summary.

Usage (after ``make install``, with ``virtuoso-t`` on PATH)::

    .venv/bin/python bench/remote_store.py --size 1m
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import asdict
from pathlib import Path

import pyoxigraph as ox
from generate import SENTINEL_ASK
from harness import Server, free_port, time_single
from run import HERE, MSCKG_BIN, ROOT, data_files, pick_terms

sys.path.insert(0, str(ROOT / "tests"))
from virtuoso_server import PASSWORD, USER, start_virtuoso, stop_virtuoso

#: Where the default graph's triples go (only the sentinel): a store holds named graphs.
DEFAULT_GRAPH = "urn:msckg-bench:default-graph"


def split_graphs(trig: Path, work: Path) -> dict[str, Path]:
    """One N-Triples file per graph of ``trig``."""
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(path=trig, format=ox.RdfFormat.TRIG):
        name = quad.graph_name
        graph = name.value if isinstance(name, ox.NamedNode) else DEFAULT_GRAPH
        graphs.setdefault(graph, []).append(quad.triple)
    files = {}
    for index, (graph, triples) in enumerate(sorted(graphs.items())):
        files[graph] = work / f"graph-{index}.nt"
        ox.serialize(triples, files[graph], format=ox.RdfFormat.N_TRIPLES)
    return files


def rest_calls(terms: dict[str, str]) -> dict[str, str]:
    """The REST calls of bench/run.py's ``bench_rest``."""
    return {
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


def time_rest(server: Server, calls: dict[str, str], budget: float, deadline: float) -> dict:
    """Start ``server``, then time each call: its first answer, then a keep-alive client."""
    result: dict = {}
    with server:
        result["start_s"] = server.start(SENTINEL_ASK, deadline_s=deadline)
        for name, path in calls.items():
            connection = server.connection(timeout=300)
            begin = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            connection.close()
            first_ms = (time.perf_counter() - begin) * 1000
            timing = time_single(server, path, budget_s=budget, warmup=1)
            result[name] = asdict(timing) | {"first_ms": first_ms, "path": path}
            print(
                f"  {server.name} {name}: first {first_ms:.0f} ms, then {timing.median_ms:.2f} ms "
                f"median (status {timing.status}, {timing.rows} results)",
                file=sys.stderr,
            )
    result["peak_rss_tree_mib"] = server.peak_tree_kib / 1024
    return result


def main(argv: list[str] | None = None) -> int:
    """Load the graph into Virtuoso, then time the REST calls on it and on the local store."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", default="1m", help="10k, 100k or 1m")
    parser.add_argument("--budget", type=float, default=6.0, help="seconds of runs per call")
    parser.add_argument("--timeout", type=float, default=120.0, help="msckg serve --timeout")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument(
        "--stores", default="virtuoso,local", help="which to time: virtuoso, local or both"
    )
    options = parser.parse_args(argv)
    options.out.mkdir(parents=True, exist_ok=True)
    # One client address for every call: its seconds a minute lifted, as bench/run.py does.
    os.environ.setdefault("MSCKG_QUERY_SECONDS_PER_MINUTE", "1000000")
    turtle, trig = data_files(options.size)
    terms = pick_terms(turtle)
    calls = rest_calls(terms)
    work = Path(tempfile.mkdtemp(prefix=f"msckg-remote-{options.size}-"))
    report: dict = {"size": options.size, "file": str(trig), "terms": terms}
    if "virtuoso" in options.stores:
        report["virtuoso"], report["loads"] = time_virtuoso(trig, calls, work, options)
    if "local" in options.stores:
        report["local"] = time_local(trig, calls, work, options)
    out = options.out / f"remote-{options.size}-{options.stores.replace(',', '-')}.json"
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"written {out}; work files in {work}", file=sys.stderr)
    return 0


def time_virtuoso(
    trig: Path, calls: dict[str, str], work: Path, options: argparse.Namespace
) -> tuple[dict, list[dict]]:
    """Load the graph into a fresh Virtuoso with ``msckg load --store``, then time the calls."""
    loads: list[dict] = []
    files = split_graphs(trig, work)
    # Answers as large as the whole graph's labels: the row limit well above them.
    virtuoso = start_virtuoso(work / "virtuoso", max_rows=5_000_000, buffers=100_000)
    env = {
        "MSCKG_STORE": virtuoso.query_url,
        "MSCKG_STORE_UPDATE": virtuoso.update_url,
        "MSCKG_STORE_USER": USER,
        "MSCKG_STORE_PASSWORD": PASSWORD,
        "MSCKG_STORE_AUTH": "digest",
        "MSCKG_STORE_UNION": "native",
        "MSCKG_STORE_TIMEOUT_PARAM": "timeout",
    }
    try:
        for graph, path in files.items():
            command = [str(MSCKG_BIN), "load", str(path), "--graph", graph]
            begin = time.monotonic()
            done = subprocess.run(
                command, env={**os.environ, **env}, capture_output=True, text=True, check=False
            )
            seconds = time.monotonic() - begin
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
            line = done.stdout.strip().splitlines()[-1]
            loads.append({"graph": graph, "seconds": seconds, "msckg": line})
            print(f"  load {graph}: {seconds:.1f} s; {line}", file=sys.stderr)
        os.environ.update(env)
        port = free_port()
        remote = Server(
            "msckg-on-virtuoso",
            [
                str(MSCKG_BIN),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--timeout",
                str(options.timeout),
            ],
            f"http://127.0.0.1:{port}",
            "/sparql",
            work / "msckg-remote.log",
        )
        timings = time_rest(remote, calls, options.budget, 600)
        for name in env:
            if name.startswith("MSCKG_STORE"):
                del os.environ[name]
    finally:
        stop_virtuoso(virtuoso)
    return timings, loads


def time_local(trig: Path, calls: dict[str, str], work: Path, options: argparse.Namespace) -> dict:
    """``msckg serve --data`` on the same TriG (a local store), the same calls timed."""
    port = free_port()
    local = Server(
        "msckg-local",
        [
            str(MSCKG_BIN),
            "serve",
            "--data",
            str(trig),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--timeout",
            str(options.timeout),
        ],
        f"http://127.0.0.1:{port}",
        "/sparql",
        work / "msckg-local.log",
    )
    return time_rest(local, calls, options.budget, 600)


if __name__ == "__main__":
    raise SystemExit(main())
