"""The one way a request reads the store: as a job, in the client's turn, before its deadline.

Every read (SPARQL, named queries, entity detail, search, paths, neighborhoods, metapaths,
exports, statistics) goes through :func:`run_job`: the client waits for a turn in its own short
queue (429 when that is full or its query seconds are spent), the job runs in a killable worker
(or, for a remote store, a thread whose HTTP client gives up), and the deadline counts from the
request's arrival, queueing included.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, g

from msckg.graph.executor import CallJob, Job
from msckg.service.context import client_key, services
from msckg.service.errors import ApiError

__all__ = ["install_arrival_clock", "request_deadline", "run_call", "run_job"]


def _arrived() -> None:
    g.arrived = time.monotonic()


def install_arrival_clock(app: Flask) -> None:
    """Note when each request arrived, so its deadline counts the time it waits."""
    app.before_request(_arrived)


def request_deadline() -> float:
    """``time.monotonic()`` by which the current request must be answered."""
    arrived = g.get("arrived", time.monotonic())
    return float(arrived) + services().settings.timeout


def run_job(job: Job) -> Any:
    """Run ``job`` for the current client within its budget and the request's deadline.

    :returns: a :class:`~msckg.graph.store.SerializedResult` for a query, the JSON-ready answer
        of a library call
    :raises RateLimited: the client's queue is full or its query seconds are spent (429)
    :raises TurnNotReached: the deadline passed while waiting for the client's turn (503)
    :raises ExecutorBusy: the deadline passed while waiting for a worker (503)
    :raises QueryTimeout: the job ran past the deadline; its worker was replaced (503)
    """
    context = services()
    deadline = request_deadline()
    with context.budget.slot(client_key(), deadline):
        return context.executor.run(job, deadline)


def run_call(name: str, **kwargs: Any) -> Any:
    """Run the library request ``name`` (a key of ``msckg.graph.analysis.REQUESTS``) as a job.

    :raises ApiError: 400 when the request's parameters are out of bounds (a ``ValueError``)
    """
    try:
        return run_job(CallJob.of(name, **kwargs))
    except ValueError as error:
        raise ApiError(400, "bad_request", str(error)) from error
