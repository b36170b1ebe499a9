"""Every failure as JSON ``{"error", "detail"}`` with its status; no blanket catch."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from msckg.graph.errors import (
    EntityNotFound,
    ProjectionNotReady,
    QuerySyntaxError,
    StoreError,
    ToolFailed,
    ToolMissing,
    UnknownFormat,
)
from msckg.graph.executor import ExecutorBusy, QueryEvaluationError, QueryTimeout, WorkerCrashed
from msckg.graph.guard import (
    QueryRefused,
    QueryTooLong,
    UpdateRefused,
)
from msckg.graph.writer import UpdateFailed
from msckg.queries import UnknownQuery
from msckg.service.ratelimit import RateLimited, TurnNotReached
from msckg.service.requestlog import current_request_id

__all__ = ["ApiError", "error_response", "register_error_handlers"]

#: Seconds a client should wait before retrying after a 503.
RETRY_AFTER = "2"


class ApiError(Exception):
    """A request the service refuses: ``status``, a short ``error`` code and a human ``detail``."""

    def __init__(self, status: int, error: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.error = error
        self.detail = detail
        self.extra = extra


def error_response(status: int, error: str, detail: str, **extra: Any) -> Response:
    """Build the JSON error response every failure uses.

    :param status: the HTTP status
    :param error: a short machine-readable code (``query_timeout``, ``not_found`` ...)
    :param detail: what went wrong, for a human
    :returns: the response, its body carrying the request id when there is a request
    """
    body: dict[str, Any] = {"error": error, "detail": detail, **extra}
    request_id = current_request_id()
    if request_id is not None:
        body["request_id"] = request_id
    response = jsonify(body)
    response.status_code = status
    if status == 503:
        response.headers["Retry-After"] = RETRY_AFTER
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="msckg update"'
    return response


def _refused(error: QueryRefused) -> Response:
    if isinstance(error, QueryTooLong):
        return error_response(413, error.reason, str(error))
    if isinstance(error, UpdateRefused):
        return error_response(403, error.reason, str(error))
    return error_response(400, error.reason, str(error))


def _syntax(error: SyntaxError) -> Response:
    # The message, line and column come from msckg.graph.syntax; here they are only rendered.
    where = f" at line {error.lineno}, column {error.offset}" if error.lineno else ""
    fields = error.fields() if isinstance(error, QuerySyntaxError) else {}
    return error_response(
        400, "malformed_query", f"SPARQL syntax error{where}: {error.msg}", **fields
    )


def _http(error: HTTPException) -> Response:
    code = error.code or 400
    name = (error.name or "error").lower().replace(" ", "_")
    response = error_response(code, name, error.description or error.name or "")
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _rate_limited(error: RateLimited) -> Response:
    response = error_response(429, "rate_limited", f"{error}; retry in {error.retry_after} s")
    response.headers["Retry-After"] = str(error.retry_after)
    return response


def _not_ready(error: ProjectionNotReady) -> Response:
    response = error_response(503, "not_ready", str(error))
    response.headers["Retry-After"] = str(error.retry_after)
    return response


def register_error_handlers(app: Flask) -> None:
    """Install the JSON error handlers on ``app``."""
    app.register_error_handler(
        ApiError, lambda e: error_response(e.status, e.error, e.detail, **e.extra)
    )
    app.register_error_handler(QueryRefused, _refused)
    app.register_error_handler(RateLimited, _rate_limited)
    app.register_error_handler(SyntaxError, _syntax)
    app.register_error_handler(
        QueryTimeout,
        lambda e: error_response(503, "query_timeout", f"{e}; simplify it or add a LIMIT"),
    )
    app.register_error_handler(ExecutorBusy, lambda e: error_response(503, "busy", str(e)))
    app.register_error_handler(
        WorkerCrashed, lambda e: error_response(503, "worker_crashed", str(e))
    )
    app.register_error_handler(UpdateFailed, lambda e: error_response(400, "update_failed", str(e)))
    app.register_error_handler(
        QueryEvaluationError, lambda e: error_response(400, "evaluation_failed", str(e))
    )
    app.register_error_handler(
        EntityNotFound,
        lambda e: error_response(404, "not_found", str(e), suggestions=e.suggestions),
    )
    app.register_error_handler(
        UnknownFormat, lambda e: error_response(404, "not_found", str(e), choices=e.choices)
    )
    for tool_error in (ToolMissing, ToolFailed):
        app.register_error_handler(
            tool_error, lambda e: error_response(503, "export_unavailable", str(e))
        )
    app.register_error_handler(ProjectionNotReady, _not_ready)
    app.register_error_handler(TurnNotReached, lambda e: error_response(503, "busy", str(e)))
    app.register_error_handler(
        UnknownQuery, lambda e: error_response(404, "not_found", str(e), choices=e.choices)
    )
    app.register_error_handler(
        StoreError, lambda e: error_response(503, "store_unavailable", str(e))
    )
    app.register_error_handler(HTTPException, _http)
