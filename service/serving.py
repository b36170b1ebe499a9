"""Run the app on waitress until SIGTERM or Ctrl-C, then drain: finish in-flight requests, stop."""

from __future__ import annotations

import logging
import signal
import threading
import time
from typing import Any

from flask import Flask
from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server
from waitress.trigger import trigger as Trigger  # noqa: N812

__all__ = ["serve_until_stopped"]

_log = logging.getLogger("msckg.serve")
#: Seconds between checks of the stop flag while serving; the trigger wakes the loop sooner.
_POLL_SECONDS = 1.0


def _of_type(connections: dict[int, Any], kind: type) -> list[Any]:
    return [dispatcher for dispatcher in list(connections.values()) if isinstance(dispatcher, kind)]


def _busy(server: Any, connections: dict[int, Any]) -> bool:
    """Whether a request is being handled or a response is still being sent."""
    tasks = server.task_dispatcher
    if tasks.active_count or tasks.queue:
        return True
    return any(
        channel.requests or channel.total_outbufs_len
        for channel in _of_type(connections, HTTPChannel)
    )


def serve_until_stopped(
    app: Flask, *, host: str, port: int, threads: int, max_body_bytes: int, grace: float
) -> None:
    """Serve ``app`` until SIGTERM or SIGINT, then stop accepting and drain for up to ``grace`` s.

    Requests already received are answered; new connections are refused once the signal
    arrives. Returns when every request is answered or ``grace`` has passed.

    :param grace: the most seconds to wait for in-flight requests after the signal
    """
    # One listener, or several when the host name resolves to several addresses; all share a map.
    connections: dict[int, Any] = {}
    server = create_server(
        app,
        map=connections,
        host=host,
        port=port,
        threads=threads,
        max_request_body_size=max_body_bytes,
        ident="msckg",
    )
    stopping = threading.Event()

    def _stop(_signum: int, _frame: object) -> None:
        stopping.set()
        for wake in _of_type(connections, Trigger):
            wake.pull_trigger()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while not stopping.is_set():
            wasyncore.loop(timeout=_POLL_SECONDS, map=connections, count=1)
        _log.info("stop requested: no new connections; finishing requests in flight")
        for listener in _of_type(connections, BaseWSGIServer):
            wasyncore.dispatcher.close(listener)  # the listening socket, not the trigger
        deadline = time.monotonic() + grace
        while _busy(server, connections) and time.monotonic() < deadline:
            wasyncore.loop(timeout=0.05, map=connections, count=1)
        if _busy(server, connections):
            _log.warning("gave up on requests still running after %g s", grace)
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
        wasyncore.close_all(connections)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
