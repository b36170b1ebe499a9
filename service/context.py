"""What request handlers share: settings, the read-only store, entity index, query executor."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import current_app

from msckg.graph.entities import EntityIndex
from msckg.graph.executor import QueryExecutor
from msckg.graph.store import GraphStore
from msckg.service.settings import Settings

__all__ = ["EXTENSION", "Services", "services"]

EXTENSION = "msckg"


@dataclass(slots=True)
class Services:
    """The long-lived objects of one app; the entity index is read on first use."""

    settings: Settings
    store: GraphStore
    executor: QueryExecutor
    _index: EntityIndex | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def index(self) -> EntityIndex:
        """The entity index, read from the store once."""
        with self._lock:
            if self._index is None:
                self._index = EntityIndex.from_store(self.store)
            return self._index

    def close(self) -> None:
        """Stop the query workers and release the store."""
        self.executor.close()
        self.store.close()


def services() -> Services:
    """The services of the app handling the current request."""
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]
