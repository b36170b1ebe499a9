"""The remote stores the suite runs against, behind one shape: the Oxigraph server and Virtuoso.

Each kind is started on free loopback ports with its own database folder; a test reaches it
through :class:`RemoteServer`: the options of :func:`msckg.graph.store.open_remote_store`, the
same settings as ``MSCKG_STORE_*`` variables for the command line, and the server's process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from optional_tools import requires_tool
from oxigraph_server import start_oxigraph, stop_oxigraph
from virtuoso_server import PASSWORD, USER, start_virtuoso, stop_virtuoso

from msckg.graph.remote import RemoteStore
from msckg.graph.store import open_remote_store

#: Seconds the Oxigraph server lets a query run (``--timeout-s``): it offers no per-query limit,
#: so the operator sets msckg's ``--timeout`` on the server too (see the README).
OXIGRAPH_TIMEOUT = 5

#: Seconds one request to a test server may take: uploads of a few thousand triples and
#: queries share a loaded 2-core machine with other test runs (the runaway-query test sets its own).
REQUEST_TIMEOUT = 60

#: The kinds of remote store, as pytest parameters: Virtuoso's tests skip where it is missing.
REMOTE_KINDS = [
    pytest.param("oxigraph", id="oxigraph"),
    pytest.param("virtuoso", id="virtuoso", marks=requires_tool("virtuoso")),
]


@dataclass
class RemoteServer:
    """A running remote store: how msckg reaches it, and its process (to watch or stop)."""

    kind: str
    query_url: str
    #: Keyword options of open_remote_store, besides the URL.
    options: dict[str, Any]
    #: The same options as the environment variables the command line reads.
    env: dict[str, str]
    process: Any = field(repr=False)
    handle: Any = field(repr=False)

    def open(self, **extra: Any) -> RemoteStore:
        """A RemoteStore on this server (``extra`` overrides its options)."""
        return open_remote_store(self.query_url, **{**self.options, **extra})


def start_remote(kind: str, folder: Path) -> RemoteServer:
    """Start a remote store of ``kind`` (``oxigraph`` or ``virtuoso``) with its data in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "oxigraph":
        oxigraph = start_oxigraph(folder / "db", timeout_s=OXIGRAPH_TIMEOUT)
        return RemoteServer(
            kind,
            oxigraph.query_url,
            {"gsp_url": oxigraph.gsp_url, "timeout": REQUEST_TIMEOUT},
            {"MSCKG_STORE_GSP": oxigraph.gsp_url, "MSCKG_TIMEOUT": str(REQUEST_TIMEOUT)},
            oxigraph.process,
            oxigraph,
        )
    if kind == "virtuoso":
        virtuoso = start_virtuoso(folder / "virtuoso")
        return RemoteServer(
            kind,
            virtuoso.query_url,
            {
                "update_url": virtuoso.update_url,
                "user": USER,
                "password": PASSWORD,
                "auth": "digest",
                "union": "native",
                "timeout_param": "timeout",
                "timeout": REQUEST_TIMEOUT,
            },
            {
                "MSCKG_STORE_UPDATE": virtuoso.update_url,
                "MSCKG_STORE_USER": USER,
                "MSCKG_STORE_PASSWORD": PASSWORD,
                "MSCKG_STORE_AUTH": "digest",
                "MSCKG_STORE_UNION": "native",
                "MSCKG_STORE_TIMEOUT_PARAM": "timeout",
                "MSCKG_TIMEOUT": str(REQUEST_TIMEOUT),
            },
            virtuoso.process,
            virtuoso,
        )
    raise ValueError(f"unknown remote store kind {kind!r}")


def stop_remote(server: RemoteServer) -> None:
    """Stop a server started by :func:`start_remote`."""
    if server.kind == "oxigraph":
        stop_oxigraph(server.handle)
    else:
        stop_virtuoso(server.handle)
