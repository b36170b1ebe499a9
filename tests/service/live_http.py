"""Live ``msckg serve`` processes for tests, and a small urllib client that never raises."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path


@dataclass
class Reply:
    """What the server answered."""

    status: int
    headers: Message
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


def fetch(
    url: str,
    *,
    method: str = "GET",
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> Reply:
    """Send one request and return the reply, whatever its status."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.headers, error.read())


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    """A running ``msckg serve`` process; its stderr (the access log) goes to the file ``log``."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        """What the server wrote to stderr so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_server(data_dir: Path, *extra: str, env: dict[str, str] | None = None) -> LiveServer:
    """Start ``msckg serve`` on a free loopback port and wait until ``/health`` answers.

    Its stderr goes to a file, not a pipe: a pipe nobody reads would fill with access-log
    lines and block the server.
    """
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "msckg.service",
        "serve",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        *extra,
    ]
    log = Path(tempfile.mkstemp(prefix="msckg-serve-", suffix=".log")[1])
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, **(env or {})},
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"msckg serve exited: {log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return LiveServer(url, port, process, log)
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
    server.log.unlink(missing_ok=True)
