"""Fixtures of the service tests: an app with a test client, live ``msckg serve`` processes, a trap listener."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from msckg.graph.build import BuildReport, build
from msckg.service.app import close_app, create_app
from msckg.service.settings import Settings

MINI_CURATION = Path(__file__).parents[1] / "data" / "curation"
#: A label a curator could type by mistake or malice; the page must show it as text.
HOSTILE_LABEL = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    """A running ``msckg serve`` process."""

    url: str
    port: int
    process: subprocess.Popen[bytes]


def start_server(data_dir: Path, *extra: str, env: dict[str, str] | None = None) -> LiveServer:
    """Start ``msckg serve`` on a free loopback port and wait until ``/health`` answers."""
    port = free_port()
    command = [sys.executable, "-m", "msckg.service", "serve", "--port", str(port), "--data-dir", str(data_dir), *extra]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"msckg serve exited: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return LiveServer(url, port, process)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("msckg serve did not answer /health within 60 s")


def stop_server(server: LiveServer) -> None:
    """Stop the server process started by :func:`start_server`."""
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    if server.process.stderr:
        server.process.stderr.close()


@pytest.fixture(scope="session")
def service_settings(built: BuildReport) -> Settings:
    """Settings for the shipped graph, environment ignored."""
    return Settings.from_env({}, data_dir=built.out_dir)


@pytest.fixture(scope="session")
def app(service_settings: Settings) -> Iterator[Flask]:
    """The app over the shipped graph, with its query workers."""
    application = create_app(service_settings)
    application.config["TESTING"] = True
    yield application
    close_app(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of :func:`app`."""
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(built: BuildReport) -> Iterator[LiveServer]:
    """``msckg serve`` over the shipped graph on a free loopback port."""
    server = start_server(built.out_dir)
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def hostile_built(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The mini curation set plus an entity whose label is HTML, built once."""
    curation = tmp_path_factory.mktemp("hostile-curation")
    for path in MINI_CURATION.glob("*.tsv"):
        shutil.copy(path, curation / path.name)
    with (curation / "entities.tsv").open("a", encoding="utf-8") as entities:
        entities.write(f"html_label\tGrowthFactor\t{HOSTILE_LABEL}\t\tA test entity whose label is markup.\t\t\n")
    return build(tmp_path_factory.mktemp("hostile") / "data", curation)


class TrapListener:
    """A loopback TCP listener that counts connections: any count above 0 means the server fetched a URL."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port = int(self.socket.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.socket.close()


@pytest.fixture
def trap() -> Iterator[TrapListener]:
    """A listener that must see no connection."""
    listener = TrapListener()
    yield listener
    listener.close()
