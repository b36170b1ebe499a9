"""What request handlers share: settings, store, entity index, query executor, query budget."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import current_app, request

from msckg.graph.entities import EntityIndex
from msckg.graph.executor import Executor
from msckg.graph.network import clear_network_cache
from msckg.graph.store import Store
from msckg.service.ratelimit import QueryBudget
from msckg.service.settings import Settings

__all__ = ["EXTENSION", "Services", "client_key", "services"]

EXTENSION = "msckg"


@dataclass(slots=True)
class Services:
    """The long-lived objects of one app; the entity index is read on first use."""

    settings: Settings
    store: Store
    executor: Executor
    budget: QueryBudget
    _index: EntityIndex | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def index(self) -> EntityIndex:
        """The entity index, read from the store once."""
        with self._lock:
            if self._index is None:
                self._index = EntityIndex.from_store(self.store)
            return self._index

    def replace_backend(self, store: Store, executor: Executor) -> None:
        """Serve ``store`` through ``executor`` from now on (after an update); reread indexes."""
        with self._lock:
            self.store, self.executor, self._index = store, executor, None
        clear_network_cache()

    def close(self) -> None:
        """Stop the query workers and release the store."""
        self.executor.close()
        self.store.close()


def client_key() -> str:
    """The key the query budget counts the current request under: the client's address.

    msckg is served directly, behind no proxy, so ``X-Forwarded-For`` is not trusted.
    """
    return request.remote_addr or "unknown"


def services() -> Services:
    """The services of the app handling the current request."""
    context: Services = current_app.extensions[EXTENSION]
    return context
