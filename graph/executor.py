"""Killable execution of read jobs: worker processes holding the store read-only, and a deadline.

A job is either a SPARQL query (:class:`QueryJob`) or a call of one library request of
:data:`msckg.graph.analysis.REQUESTS` (:class:`CallJob`: paths, entity detail, search,
exports ...). Both run the same way: in a worker that is killed if the deadline passes.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Protocol

from msckg.graph.errors import FormatNotAcceptable, QueryTimeout, StoreError
from msckg.graph.store import SerializedResult, Store, open_store

__all__ = [
    "CallJob",
    "DirectExecutor",
    "Executor",
    "ExecutorBusy",
    "Job",
    "QueryEvaluationError",
    "QueryExecutor",
    "QueryJob",
    "QueryTimeout",
    "WorkerCrashed",
]


_STARTUP_SECONDS = 60


class ExecutorBusy(TimeoutError):
    """Every worker stayed busy until the deadline; the query never started."""


class WorkerCrashed(RuntimeError):
    """The worker process died while evaluating the query (e.g. a native stack overflow)."""


class QueryEvaluationError(RuntimeError):
    """The engine gave up on the query while evaluating it (not a syntax error)."""


@dataclass(frozen=True, slots=True)
class QueryJob:
    """One query to evaluate, with everything the worker needs to serialize its answer."""

    text: str
    bindings: tuple[tuple[str, str], ...] = ()
    #: ``None``: the client accepts no format for this kind of result (found out after parsing)
    result_format: str | None = "json"
    graph_format: str | None = "turtle"
    row_limit: int = 10_000
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def answer_on(self, store: Store) -> SerializedResult:
        """Evaluate the job on ``store`` and serialize its answer with the engine."""
        return store.answer(
            self.text,
            dict(self.bindings),
            result_format=self.result_format,
            graph_format=self.graph_format,
            row_limit=self.row_limit,
            default_graphs=self.default_graphs,
            named_graphs=self.named_graphs,
        )


@dataclass(frozen=True, slots=True)
class CallJob:
    """One library request, ``REQUESTS[name](store, **kwargs)``, with picklable arguments."""

    name: str
    kwargs: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, name: str, **kwargs: Any) -> CallJob:
        """The job that calls request ``name`` with ``kwargs``."""
        return cls(name, tuple(sorted(kwargs.items())))

    def answer_on(self, store: Store) -> Any:
        """Run the request on ``store`` and return its JSON-ready answer."""
        from msckg.graph.analysis import REQUESTS

        return REQUESTS[self.name](store, **dict(self.kwargs))


#: What an executor runs.
Job = QueryJob | CallJob


class Executor(Protocol):
    """What runs query jobs under the deadline: :class:`QueryExecutor` for a local store,
    :class:`DirectExecutor` for a remote one."""

    #: how many queries may run at once (0: no workers are kept)
    size: int

    def available(self) -> int:
        """How many workers are idle and ready right now."""
        ...

    def run(self, job: Job, deadline: float | None = None) -> Any:
        """Run ``job`` before ``deadline`` and return its answer."""
        ...

    def close(self) -> None:
        """Stop whatever runs the queries."""
        ...


def _evaluate(store: Store, job: Job) -> tuple[Any, ...]:
    if isinstance(job, CallJob):
        try:
            return ("ok", job.answer_on(store))
        except Exception as error:  # carried to the caller and raised there as it is
            return ("raised", error)
    try:
        result = job.answer_on(store)
    except SyntaxError as error:
        return ("syntax", error)
    except FormatNotAcceptable as error:
        return ("not_acceptable", error.kind)
    except ValueError as error:
        return ("invalid", str(error))
    except (OSError, RuntimeError) as error:
        return ("evaluation", str(error))
    return ("ok", result)


def _send(connection: Connection, reply: tuple[Any, ...]) -> None:
    """Send ``reply``; an answer or error that does not pickle is sent as an evaluation error."""
    try:
        connection.send(reply)
    except (TypeError, AttributeError, ValueError) as error:  # pickling failed; nothing sent
        connection.send(("evaluation", f"the answer could not be sent back: {error}"))


def _serve(store_path: str, connection: Connection) -> None:
    """Worker process body: open the store read-only, say so, answer jobs until the pipe closes."""
    # A supervisor may signal the whole process group; the parent drains in-flight queries and
    # then closes our pipe, so the worker must outlive SIGTERM/SIGINT rather than die mid-query.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        store = open_store(Path(store_path), read_only=True)
    except StoreError as error:
        connection.send(("store", str(error)))
        return
    connection.send(("ready",))
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        _send(connection, _evaluate(store, job))


@dataclass(eq=False, slots=True)
class _Worker:
    process: BaseProcess
    connection: Connection

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        if not self.connection.closed:
            self.connection.close()


class QueryExecutor:
    """Evaluate queries in worker processes under a deadline; a worker that overruns is replaced.

    pyoxigraph's ``Store.query`` cannot be cancelled, so a thread cannot stop a runaway
    query; a process can be killed. Each worker opens the on-disk store read-only.

    :param store_path: the on-disk store directory
    :param workers: how many queries may run at once
    :param timeout: seconds a query may take, waiting for a free worker included
    :raises StoreError: when a worker cannot open the store
    """

    def __init__(self, store_path: Path, *, workers: int = 2, timeout: float = 10.0) -> None:
        if workers < 1:
            raise ValueError("an executor needs at least one worker")
        self.store_path = store_path
        self.timeout = timeout
        self.size = workers
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._closed = threading.Event()
        self._live: set[_Worker] = set()
        self._lock = threading.Lock()
        starting = [self._spawn() for _ in range(workers)]
        try:
            for worker in starting:
                self._await_ready(worker)
                self._idle.put(worker)
        except StoreError:
            self.close()
            raise

    def _spawn(self) -> _Worker:
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(
            target=_serve,
            args=(str(self.store_path), child_end),
            name="msckg-query-worker",
            daemon=True,
        )
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        with self._lock:
            self._live.add(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        """Wait until ``worker`` has opened the store.

        :raises StoreError: when it could not, or did not say so within a minute
        """
        reply: tuple[object, ...] = ("store", "the query worker did not start within 60 s")
        try:
            if worker.connection.poll(_STARTUP_SECONDS):
                reply = worker.connection.recv()
        except (EOFError, OSError):
            reply = ("store", "the query worker died while starting")
        if reply[0] != "ready":
            self._discard(worker)
            raise StoreError(str(reply[1]))

    def _discard(self, worker: _Worker) -> None:
        # Whoever takes a worker out of the live set kills it: close() may race a replacement
        # thread, and closing a pipe twice could close an unrelated, reused descriptor.
        with self._lock:
            if worker not in self._live:
                return
            self._live.discard(worker)
        worker.kill()

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        if self._closed.is_set():
            return
        replacement = self._spawn()
        try:
            self._await_ready(replacement)
        except StoreError:
            return
        if self._closed.is_set():  # closed while the replacement was starting
            self._discard(replacement)
            return
        self._idle.put(replacement)

    def available(self) -> int:
        """How many workers are idle and ready right now."""
        return self._idle.qsize()

    def run(self, job: Job, deadline: float | None = None) -> Any:
        """Run ``job`` in a worker and return its answer.

        :param job: a query (answered as :class:`SerializedResult`) or a library call
        :param deadline: ``time.monotonic()`` by which the answer must be back, waiting for a
            free worker included; default: :attr:`timeout` from now
        :returns: the serialized result of a query, the JSON-ready answer of a call
        :raises ExecutorBusy: when no worker became free before the deadline
        :raises QueryTimeout: when the job overran the deadline (its worker is replaced)
        :raises WorkerCrashed: when the worker died while evaluating
        :raises SyntaxError: for a malformed query, with the parser's line and column
        :raises FormatNotAcceptable: when the job has no format for the kind of result
        :raises ValueError: for a format that does not fit the result
        :raises QueryEvaluationError: when the engine failed during evaluation
        :raises Exception: whatever a library call raised (``EntityNotFound`` ...), as it raised it
        """
        if self._closed.is_set():
            raise ExecutorBusy("the query executor is shut down")
        if deadline is None:
            deadline = time.monotonic() + self.timeout
        try:
            worker = self._idle.get(timeout=max(deadline - time.monotonic(), 0.0))
        except queue.Empty:
            raise ExecutorBusy(
                f"every query worker stayed busy until the {self.timeout:g} s deadline"
            ) from None
        reply: tuple[Any, ...] | None = None
        try:
            worker.connection.send(job)
            if worker.connection.poll(max(deadline - time.monotonic(), 0.0)):
                reply = worker.connection.recv()
        except (EOFError, OSError) as error:
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            raise WorkerCrashed("the query worker died while evaluating the query") from error
        if reply is None:
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            raise QueryTimeout(f"the request did not finish within {self.timeout:g} s")
        self._idle.put(worker)
        return _unpack(reply)

    def close(self) -> None:
        """Kill every worker; later calls to :meth:`run` raise :class:`ExecutorBusy`."""
        self._closed.set()
        with self._lock:
            workers, self._live = list(self._live), set()
        for worker in workers:
            worker.kill()

    def __enter__(self) -> QueryExecutor:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class DirectExecutor:
    """Run each job in a thread of this process, for a store that enforces its own deadline.

    A remote store's HTTP client gives up on each request at the timeout, so no worker process
    is needed; a library call (several requests) is still given up on at the deadline, and
    its thread ends after the request it is waiting on.
    """

    size = 0

    def __init__(self, store: Store, *, timeout: float = 10.0, threads: int = 8) -> None:
        self.store = store
        self.timeout = timeout
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="msckg-remote-job")

    def available(self) -> int:
        """No workers are kept: always 0."""
        return 0

    def run(self, job: Job, deadline: float | None = None) -> Any:
        """Run ``job`` on the store; exceptions as :meth:`QueryExecutor.run` raises them.

        :raises QueryTimeout: when the store did not answer in time
        :raises StoreError: when the store cannot be reached or failed
        """
        if deadline is None:
            deadline = time.monotonic() + self.timeout
        future = self._pool.submit(job.answer_on, self.store)
        try:
            return future.result(timeout=max(deadline - time.monotonic(), 0.0))
        except FutureTimeout:
            future.cancel()
            raise QueryTimeout(f"the request did not finish within {self.timeout:g} s") from None

    def close(self) -> None:
        """Stop taking jobs; running ones finish their current request."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def _unpack(reply: tuple[Any, ...]) -> Any:
    kind = reply[0]
    if kind == "ok":
        return reply[1]
    if kind == "raised":
        raise reply[1]
    if kind == "syntax" and isinstance(reply[1], SyntaxError):
        raise reply[1]
    if kind == "not_acceptable":
        raise FormatNotAcceptable(str(reply[1]))
    if kind == "invalid":
        raise ValueError(str(reply[1]))
    raise QueryEvaluationError(str(reply[1]))
