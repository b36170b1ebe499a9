"""What request handlers share: settings, store, query executor, query budget."""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess

from flask import current_app, request

from msckg.graph.executor import Executor
from msckg.graph.network import clear_network_cache
from msckg.graph.projection import caches_are_current, refresh_caches
from msckg.graph.store import Store
from msckg.service.ratelimit import QueryBudget
from msckg.service.settings import Settings

__all__ = ["EXTENSION", "Services", "client_key", "services"]

EXTENSION = "msckg"


@dataclass(slots=True)
class Services:
    """The long-lived objects of one app.

    The server process keeps the store open only for what describes the service (``/health``,
    the service description, VoID); every read a client asks for runs as a job.
    """

    settings: Settings
    store: Store
    executor: Executor
    budget: QueryBudget
    #: The store's size, counted once it is opened rather than per request (counting is linear
    #: in the store); a remote store is counted in the background: ``None`` until known.
    triples: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _projector: BaseProcess | None = None

    def __post_init__(self) -> None:
        self._count_in_background(self.store)
        self._project_in_background(self.store)

    def _project_in_background(self, store: Store) -> None:
        """Build the name index and the whole-graph projection in a process of their own,
        unless they are current.

        Whole-graph analysis (centrality, whole-graph exports) answers 503 with Retry-After
        until the projection is there; nothing else waits for it. A request that needs names
        before the index is rebuilt builds it itself (in its worker, under its deadline).
        """
        if store.path is None or caches_are_current(store.path):
            return
        process = multiprocessing.get_context("spawn").Process(
            target=refresh_caches, args=(store.path,), name="msckg-projection", daemon=True
        )
        process.start()
        self._projector = process

    def _stop_projecting(self) -> None:
        if self._projector is not None and self._projector.is_alive():
            self._projector.terminate()
            self._projector.join(timeout=5)

    def _count_in_background(self, store: Store) -> None:
        if store.path is not None:
            self.triples = len(store)
            return

        def count() -> None:
            try:
                size = len(store)
            except (OSError, RuntimeError):  # a store that cannot say: /health says null
                return
            with self._lock:
                if self.store is store:
                    self.triples = size

        threading.Thread(target=count, name="msckg-count-triples", daemon=True).start()

    def replace_backend(self, store: Store, executor: Executor) -> None:
        """Serve ``store`` through ``executor`` from now on (after an update)."""
        with self._lock:
            self.store, self.executor, self.triples = store, executor, None
            self._count_in_background(store)
            self._stop_projecting()
            self._project_in_background(store)
        clear_network_cache()

    def close(self) -> None:
        """Stop the query workers and the projection builder, and release the store."""
        self._stop_projecting()
        self.executor.close()
        self.store.close()


def client_key() -> str:
    """The key the query budget counts the current request under: the client's address.

    msckg is served directly, behind no proxy, so ``X-Forwarded-For`` is not trusted.
    """
    return request.remote_addr or "unknown"


def services() -> Services:
    """The services of the app handling the current request."""
    services_: Services = current_app.extensions[EXTENSION]
    return services_
