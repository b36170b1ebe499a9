"""Request ids and the access log: every response says its id; every request is logged once."""

from __future__ import annotations

import logging
import re
import secrets
import time

from flask import Flask, Response, g, has_request_context, request

__all__ = ["LOGGER_NAME", "REQUEST_ID_HEADER", "current_request_id", "install_request_log"]

REQUEST_ID_HEADER = "X-Request-Id"
LOGGER_NAME = "msckg.access"
#: A client's own id is echoed only when it is short and plain, so it cannot forge log lines.
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_log = logging.getLogger(LOGGER_NAME)


def current_request_id() -> str | None:
    """The id of the request being handled, or ``None`` outside a request."""
    if not has_request_context():
        return None
    request_id: str | None = g.get("request_id")
    return request_id


def _start() -> None:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if _SANE_ID.fullmatch(given) else secrets.token_hex(8)
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    request_id = g.get("request_id") or secrets.token_hex(8)
    response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("request_started")
    duration_ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    _log.info(
        "%s %s %s %s %d %.1fms",
        request_id,
        request.remote_addr or "-",
        request.method,
        request.path,
        response.status_code,
        duration_ms,
    )
    return response


def install_request_log(app: Flask) -> None:
    """Give every request of ``app`` an id (``X-Request-Id``, echoed if sane) and log it.

    The log line is ``ID CLIENT METHOD PATH STATUS DURATION`` on the ``msckg.access`` logger;
    ``msckg serve`` sends it to stderr.
    """
    app.before_request(_start)
    app.after_request(_finish)
