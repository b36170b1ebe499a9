"""A real Oxigraph server (the ``oxigraph`` CLI from PyPI) on a free loopback port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path


@dataclass
class OxigraphServer:
    """A running ``oxigraph serve`` and its SPARQL endpoints."""

    url: str
    process: subprocess.Popen[bytes]

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.url}/update"

    @property
    def gsp_url(self) -> str:
        return f"{self.url}/store"


def oxigraph_command() -> str:
    """The ``oxigraph`` executable beside this Python, else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError(
            "the oxigraph CLI is missing; install the test extra: pip install -e '.[test]'"
        )
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_oxigraph(location: Path, *, timeout_s: int | None = None) -> OxigraphServer:
    """Start ``oxigraph serve --location LOCATION`` on a free loopback port; wait for it.

    :param timeout_s: ``--timeout-s``, the seconds the server lets one query run
    """
    port = _free_port()
    limit = ["--timeout-s", str(timeout_s)] if timeout_s is not None else []
    process = subprocess.Popen(
        [
            oxigraph_command(),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            *limit,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=2) as reply:
                if reply.status == 200:
                    return OxigraphServer(url, process)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    process.kill()
    process.wait()
    raise RuntimeError("oxigraph serve did not answer within 30 s")


def stop_oxigraph(server: OxigraphServer) -> None:
    """Stop the server started by :func:`start_oxigraph`."""
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
