"""What the benchmark scripts share: start and stop a server process, watch its memory, and time SPARQL over HTTP.

Standard library only, so it runs with any Python 3.11. Every server binds 127.0.0.1, every
wait and loop is bounded in count and in time, and :class:`Server` stops its processes on exit.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "Server",
    "Timing",
    "free_port",
    "percentile",
    "proc_rss_kib",
    "time_concurrent",
    "time_single",
]

ACCEPT_JSON = {"Accept": "application/sparql-results+json"}


def free_port() -> int:
    """A loopback TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as stream:
                found += [int(child) for child in stream.read().split()]
    except OSError:
        return []
    return found


def proc_rss_kib(pid: int, field_name: str = "VmRSS") -> int:
    """``VmRSS`` (or ``VmHWM``, the peak) of a process in KiB, 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as stream:
            for line in stream:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        return 0
    return 0


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo and len(pids) < 256:
        current = todo.pop()
        pids.append(current)
        todo += _children(current)
    return pids


@dataclass
class Server:
    """A server process (plus an optional preparation command, e.g. ``oxigraph load``) and its memory peaks.

    ``started`` is taken before the first command runs, so ``ready - started`` is the whole load
    time a user waits for, process start included.
    """

    name: str
    command: list[str]
    base_url: str
    sparql_path: str
    log: Path
    prepare: list[str] | None = None
    started: float = 0.0
    ready: float = 0.0
    peak_tree_kib: int = 0
    #: The process tree's peak once the sentinel answered: serving, without the load.
    peak_serving_kib: int = 0
    peak_main_kib: int = 0
    peak_prepare_kib: int = 0
    process: subprocess.Popen[bytes] | None = None
    _stop_watch: threading.Event = field(default_factory=threading.Event)
    _watcher: threading.Thread | None = None

    def start(self, sentinel_ask: str, deadline_s: float) -> float:
        """Run ``prepare`` (if any), start the server, poll ``sentinel_ask`` until it is true.

        :returns: seconds from the first process start until the sentinel answered
        :raises RuntimeError: when a process fails or the deadline passes
        """
        self.started = time.monotonic()
        with self.log.open("ab") as log:
            if self.prepare:
                prep = subprocess.Popen(self.prepare, stdout=log, stderr=subprocess.STDOUT)
                self._watch(prep.pid, prepare=True)
                _, status, usage = os.wait4(prep.pid, 0)
                prep.returncode = os.waitstatus_to_exitcode(status)
                self._stop_watch.set()
                self.peak_prepare_kib = max(self.peak_prepare_kib, usage.ru_maxrss)
                if prep.returncode != 0:
                    raise RuntimeError(
                        f"{self.name}: {self.prepare[:2]} exited {prep.returncode}; see {self.log}"
                    )
                self._stop_watch = threading.Event()
            self.process = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._watch(self.process.pid)
        until = self.started + deadline_s
        while time.monotonic() < until:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}; see {self.log}"
                )
            try:
                if self.ask(sentinel_ask, timeout=5):
                    self.ready = time.monotonic()
                    return self.ready - self.started
            except (OSError, http.client.HTTPException, ValueError):
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{self.name}: the sentinel did not answer within {deadline_s:.0f} s")

    def _watch(self, pid: int, prepare: bool = False) -> None:
        def sample() -> None:
            while not self._stop_watch.wait(0.2):
                total = sum(proc_rss_kib(member) for member in _tree(pid))
                if prepare:
                    self.peak_prepare_kib = max(self.peak_prepare_kib, total)
                else:
                    self.peak_tree_kib = max(self.peak_tree_kib, total)
                    if self.ready:
                        self.peak_serving_kib = max(self.peak_serving_kib, total)
                    self.peak_main_kib = max(self.peak_main_kib, proc_rss_kib(pid, "VmHWM"))

        self._watcher = threading.Thread(target=sample, daemon=True)
        self._watcher.start()

    def connection(
        self, timeout: float = 120, client: int | None = None
    ) -> http.client.HTTPConnection:
        """A new keep-alive connection to the server.

        :param client: send from loopback address ``127.0.0.(2 + client)``, so that each
            simulated user is its own client to msckg's per-client limits, as real users are
        """
        host, port = self.base_url.removeprefix("http://").split(":")
        source = None if client is None else (f"127.0.0.{2 + client % 250}", 0)
        return http.client.HTTPConnection(host, int(port), timeout=timeout, source_address=source)

    def sparql_url(self, query: str) -> str:
        """The GET path of a SPARQL query."""
        return f"{self.sparql_path}?{urllib.parse.urlencode({'query': query})}"

    def ask(self, query: str, timeout: float = 30) -> bool:
        """Run an ASK on a fresh connection; ``False`` for anything but a 200 ``true``."""
        connection = self.connection(timeout)
        try:
            connection.request("GET", self.sparql_url(query), headers=ACCEPT_JSON)
            response = connection.getresponse()
            body = response.read()
            return response.status == 200 and json.loads(body).get("boolean") is True
        finally:
            connection.close()

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 15 s) and its process group."""
        self._stop_watch.set()
        if self.process is None or self.process.poll() is not None:
            return
        self.peak_main_kib = max(self.peak_main_kib, proc_rss_kib(self.process.pid, "VmHWM"))
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


@dataclass(frozen=True, slots=True)
class Timing:
    """Latencies of one query on one server: single client and 4 concurrent clients."""

    rows: int
    status: int
    samples: int
    median_ms: float
    p95_ms: float
    qps4: float = 0.0
    requests4: int = 0


def _get(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    connection.request("GET", path, headers=ACCEPT_JSON)
    response = connection.getresponse()
    return response.status, response.read()


def _rows(body: bytes) -> int:
    try:
        data = json.loads(body)
    except ValueError:
        return -1
    if isinstance(data, dict) and isinstance(data.get("results"), dict):
        return len(data["results"]["bindings"])
    if isinstance(data, dict):
        for key in ("results", "paths"):
            if isinstance(data.get(key), list):
                return len(data[key])
    return 1


def time_single(
    server: Server, path: str, *, max_runs: int = 200, budget_s: float = 8.0, warmup: int = 2
) -> Timing:
    """Time ``path`` on one keep-alive connection: ``warmup`` runs, then up to ``max_runs`` within ``budget_s``.

    At least three timed runs happen whatever the budget (each bounded by the socket timeout).
    """
    connection = server.connection()
    try:
        status, body = 0, b""
        for _ in range(warmup):
            status, body = _get(connection, path)
        latencies: list[float] = []
        begin = time.perf_counter()
        while len(latencies) < max_runs and (
            len(latencies) < 3 or time.perf_counter() - begin < budget_s
        ):
            start = time.perf_counter()
            status, body = _get(connection, path)
            latencies.append((time.perf_counter() - start) * 1000)
    finally:
        connection.close()
    return Timing(
        _rows(body),
        status,
        len(latencies),
        statistics.median(latencies),
        percentile(latencies, 0.95),
    )


def time_concurrent(
    server: Server,
    path: str,
    *,
    clients: int = 4,
    duration_s: float = 4.0,
    max_requests: int = 20_000,
) -> tuple[float, int]:
    """Queries per second of ``clients`` threads, each on its own keep-alive connection, for ``duration_s``.

    :returns: completed requests per second (until the last one finished) and how many completed
    """
    done = [0] * clients
    stop_at = time.perf_counter() + duration_s

    def client(index: int) -> None:
        connection = server.connection()
        try:
            while time.perf_counter() < stop_at and sum(done) < max_requests:
                status, _ = _get(connection, path)
                if status == 200:
                    done[index] += 1
        except (OSError, http.client.HTTPException):
            return
        finally:
            connection.close()

    begin = time.perf_counter()
    threads = [
        threading.Thread(target=client, args=(index,), daemon=True) for index in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration_s + 180)
    elapsed = time.perf_counter() - begin
    return sum(done) / elapsed, sum(done)
