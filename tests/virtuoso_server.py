"""A real Virtuoso Open Source server (Debian's ``virtuoso-opensource``) on free loopback ports.

Each server gets its own database folder and a ``virtuoso.ini`` written here, listening on
127.0.0.1 only (its SQL port and its HTTP port, both free ports).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

#: The rows one answer may hold (``ResultSetMaxRows``): Virtuoso's default, kept so the tests
#: meet the limit as users do; the shipped graph's answers stay below it.
RESULT_SET_MAX_ROWS = 10_000
#: Seconds one query may run at most (``MaxQueryExecutionTime``), whatever it asks.
MAX_QUERY_EXECUTION_TIME = 60
#: A fresh database's administrator, who may use the authenticated endpoint /sparql-auth.
USER, PASSWORD = "dba", "dba"

INI = """\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {folder}/virtuoso-temp.db
TransactionFile    = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = {folder}
NumberOfBuffers      = {buffers}
MaxDirtyBuffers      = {dirty_buffers}
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {folder}
MaxClientConnections = 10
ServerThreads        = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = {max_seconds}
"""


@dataclass
class VirtuosoServer:
    """A running ``virtuoso-t`` and its SPARQL endpoints."""

    url: str
    folder: Path
    process: subprocess.Popen[bytes]

    @property
    def query_url(self) -> str:
        return f"{self.url}/sparql"

    @property
    def update_url(self) -> str:
        """The endpoint that takes updates, behind HTTP digest authentication."""
        return f"{self.url}/sparql-auth"


def virtuoso_command() -> str:
    """The ``virtuoso-t`` executable on PATH."""
    found = shutil.which("virtuoso-t")
    if found is None:
        raise RuntimeError("virtuoso-t is missing; install: apt-get install -y virtuoso-opensource")
    return found


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_virtuoso(
    folder: Path, *, max_rows: int = RESULT_SET_MAX_ROWS, buffers: int = 10_000
) -> VirtuosoServer:
    """Start ``virtuoso-t`` on a new database in ``folder`` (free loopback ports); wait for it.

    :param max_rows: ``ResultSetMaxRows``, the rows one answer may hold
    :param buffers: ``NumberOfBuffers``, 8 kB pages of cache (10,000: 80 MB)
    """
    folder.mkdir(parents=True, exist_ok=True)
    http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        INI.format(
            folder=folder.resolve(),
            sql_port=free_port(),
            http_port=http_port,
            buffers=buffers,
            dirty_buffers=buffers * 3 // 4,
            max_rows=max_rows,
            max_seconds=MAX_QUERY_EXECUTION_TIME,
        ),
        encoding="utf-8",
    )
    return launch_virtuoso(ini, http_port)


def launch_virtuoso(ini: Path, http_port: int) -> VirtuosoServer:
    """Start ``virtuoso-t -f -c INI`` in the ini file's folder; wait until /sparql answers."""
    folder = ini.parent
    # -f: stay in the foreground, so this process is the server and stopping it stops it.
    process = subprocess.Popen(
        [virtuoso_command(), "-f", "-c", ini.name],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{http_port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = folder / "virtuoso.log"
            text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
            raise RuntimeError(f"virtuoso-t exited with status {process.returncode}:\n{text}")
        try:
            with urllib.request.urlopen(f"{url}/sparql?query=ASK%7B%7D", timeout=2) as reply:
                if reply.status == 200:
                    return VirtuosoServer(url, folder, process)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    stop_virtuoso(VirtuosoServer(url, folder, process))
    raise RuntimeError("virtuoso-t did not answer within 60 s")


def stop_virtuoso(server: VirtuosoServer) -> None:
    """Stop the server started by :func:`start_virtuoso` (SIGTERM: it checkpoints and exits)."""
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
