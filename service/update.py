"""SPARQL Update at ``/sparql``: off unless ``--allow-update``; then token, guard, one writer.

While an update runs no query does: requests hold a shared gate, an update waits for them to
finish and holds it alone. The query workers and the service's store are read-only Oxigraph
handles, which never see later writes, so they are closed before the writer process opens
the store and reopened after it exits: the next query sees the update.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, Response, current_app, g, jsonify, request

from msckg.graph.executor import ExecutorBusy
from msckg.graph.guard import UpdateRefused, check_update
from msckg.graph.writer import apply_update
from msckg.service.backend import open_backend
from msckg.service.context import services
from msckg.service.errors import ApiError
from msckg.service.settings import Settings

__all__ = [
    "ReadWriteGate",
    "check_update_settings",
    "install_update",
    "is_update_request",
    "request_gate_of",
    "run_update",
]

UPDATE_MEDIA_TYPE = "application/sparql-update"
_GATE = "msckg.update_gate"
_UNSUPPORTED = ("using-graph-uri", "using-named-graph-uri")


class ReadWriteGate:
    """Many readers or one writer; a waiting writer keeps new readers out, so it is not starved."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0

    def acquire_shared(self) -> None:
        """Enter as a reader; waits while a writer holds or waits for the gate."""
        with self._condition:
            self._condition.wait_for(lambda: not self._writing and not self._waiting)
            self._readers += 1

    def release_shared(self) -> None:
        """Leave as a reader."""
        with self._condition:
            self._readers -= 1
            self._condition.notify_all()

    @contextmanager
    def exclusive(self, timeout: float) -> Iterator[None]:
        """Hold the gate alone for the body.

        :raises ExecutorBusy: when readers still hold it after ``timeout`` seconds
        """
        with self._condition:
            self._waiting += 1
            try:
                free = self._condition.wait_for(
                    lambda: not self._writing and not self._readers, timeout
                )
            finally:
                self._waiting -= 1
                self._condition.notify_all()
            if not free:
                raise ExecutorBusy(f"queries kept running for {timeout:g} s; the update waited")
            self._writing = True
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


def check_update_settings(settings: Settings, local: bool) -> None:
    """Refuse to start with updates allowed but no token, or on a store msckg does not write.

    :raises ValueError: saying what is missing
    """
    if settings.read_only:
        return
    if not settings.update_token:
        raise ValueError(
            "--allow-update needs a bearer token: set MSCKG_UPDATE_TOKEN or --update-token-file"
        )
    if not local:
        raise ValueError("--allow-update works on the local store only, not with --store")


def is_update_request() -> bool:
    """Whether the request is a SPARQL Update by the protocol (POST, body or ``update=`` form)."""
    if request.method != "POST":
        return False
    if request.mimetype == UPDATE_MEDIA_TYPE:
        return True
    return request.mimetype == "application/x-www-form-urlencoded" and "update" in request.form


def _hold_shared() -> None:
    request_gate = request_gate_of()
    if request_gate is not None:
        request_gate.acquire_shared()
        g.gate_held = True


def _release_shared(_error: BaseException | None = None) -> None:
    request_gate = request_gate_of()
    if request_gate is not None and g.pop("gate_held", False):
        request_gate.release_shared()


def request_gate_of() -> ReadWriteGate | None:
    """The gate of the current app, ``None`` when it is read-only."""
    gate: ReadWriteGate | None = current_app.extensions.get(_GATE)
    return gate


def install_update(app: Flask, settings: Settings) -> None:
    """With updates allowed, make every request of ``app`` hold the gate while it runs."""
    if settings.read_only:
        return
    app.extensions[_GATE] = ReadWriteGate()
    app.before_request(_hold_shared)
    app.teardown_request(_release_shared)


def _authorize(token: str) -> None:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(401, "unauthorized", "SPARQL Update needs 'Authorization: Bearer TOKEN'")
    if not hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8")):
        raise ApiError(403, "forbidden", "the bearer token is not the update token")


def _update_text() -> str:
    for name in _UNSUPPORTED:
        if name in request.args or name in request.form:
            raise ApiError(400, "bad_request", f"the parameter {name!r} is not supported")
    if "query" in request.args or "query" in request.form:
        raise ApiError(400, "bad_request", "give either a query or an update, not both")
    if request.mimetype == UPDATE_MEDIA_TYPE:
        try:
            return request.get_data(cache=False).decode("utf-8")
        except UnicodeDecodeError as error:
            raise ApiError(
                400, "bad_encoding", f"the update body is not UTF-8 ({error.reason})"
            ) from error
    values = request.form.getlist("update")
    if len(values) != 1:
        raise ApiError(400, "bad_request", f"give 'update' once, not {len(values)} times")
    return values[0]


def run_update() -> Response:
    """Apply the SPARQL Update of the current request, then let queries see it.

    :raise 401: no bearer token
    :raise 403: updates not allowed, a wrong token, or ``LOAD`` from an IRI not allowed
    :raise 400: malformed update, ``SERVICE`` not allowed, unsupported parameter
    :raise 503: the update ran past the timeout (nothing stored) or queries kept the gate
    """
    context = services()
    settings = context.settings
    request_gate = request_gate_of()
    if settings.read_only or request_gate is None or not settings.update_token:
        raise UpdateRefused("SPARQL Update is not allowed: this endpoint is read-only")
    _authorize(settings.update_token)
    text = _update_text()
    check_update(
        text,
        max_length=settings.max_query_bytes,
        max_depth=settings.max_depth,
        allow_list=settings.fetch_allow_list,
    )
    path = context.store.path
    if path is None:
        raise UpdateRefused("SPARQL Update works on the local store only")
    _release_shared()
    with request_gate.exclusive(settings.timeout + 5):
        context.close()
        try:
            apply_update(path, text, timeout=settings.timeout)
        finally:
            context.replace_backend(*open_backend(settings))
    return jsonify({"status": "updated"})
