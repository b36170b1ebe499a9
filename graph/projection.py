"""The whole-graph networkx projection for whole-graph analysis, built off the request path.

Centrality and whole-graph exports need every entity and relation. Projecting a large store
takes long (tens of seconds at a million triples), so no request builds it: ``msckg build``
writes it as part of the build, and otherwise (``serve --data``, a load, an update) the service
starts :func:`build_projection` in a background process (the CLI runs it before such a command),
which writes the projection pickled beside the store (``projection.pickle`` in the data folder),
into a temporary file renamed into place, tagged with the build it projects
(:func:`msckg.graph.network.build_stamp`). :func:`load_projection` reads it for one request
and keeps nothing, so worker processes do not each hold a copy; until the file of the current
build is there it raises :class:`msckg.graph.errors.ProjectionNotReady`.

A remote store has no folder to cache in: its projection is read through the store, reused for
:data:`msckg.graph.network.REMOTE_CACHE_SECONDS`, as before.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import networkx as nx

from msckg.graph.errors import ProjectionNotReady
from msckg.graph.network import build_stamp, load_network, network_from_store
from msckg.graph.store import Store, open_store
from msckg.graph.textindex import build_text_index, text_index_is_current

__all__ = [
    "PROJECTION_FILENAME",
    "RETRY_AFTER_SECONDS",
    "build_projection",
    "caches_are_current",
    "load_projection",
    "projection_is_current",
    "projection_path",
    "refresh_caches",
]

#: The projection file's name, in the folder that holds the store.
PROJECTION_FILENAME = "projection.pickle"
#: Seconds a client is told to wait while the projection is being built.
RETRY_AFTER_SECONDS = 10


def projection_path(store_path: Path) -> Path:
    """Where the projection of the store at ``store_path`` is cached."""
    return store_path.parent / PROJECTION_FILENAME


def build_projection(store_path: Path) -> Path:
    """Project the store at ``store_path`` and cache the projection beside it, atomically.

    Run it in a process of its own (it reads the whole asserted graph); opens the store
    read-only, so it runs beside the server's workers.

    :returns: the projection file
    :raises StoreError: when the store cannot be opened
    """
    store = open_store(store_path, read_only=True)
    try:
        stamp = build_stamp(store_path)
        graph = network_from_store(store)
    finally:
        store.close()
    path = projection_path(store_path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    with partial.open("wb") as stream:
        # The stamp first, on its own, so checking it does not read the whole graph.
        pickle.dump(stamp, stream, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(graph, stream, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)
    return path


def caches_are_current(store_path: Path) -> bool:
    """Whether the name index and the projection beside ``store_path`` are of its current build."""
    return text_index_is_current(store_path) and projection_is_current(store_path)


def refresh_caches(store_path: Path) -> None:
    """Rebuild what is stale beside the store: the name index first (search and every entity
    lookup need it, and it takes seconds), then the projection (minutes on a large store).

    Run it in a process of its own, as :func:`build_projection`.
    """
    if not text_index_is_current(store_path):
        build_text_index(store_path)
    if not projection_is_current(store_path):
        build_projection(store_path)


def projection_is_current(store_path: Path) -> bool:
    """Whether the projection cached beside ``store_path`` is of the store's current build."""
    path = projection_path(store_path)
    try:
        with path.open("rb") as stream:
            # The file is written by build_projection beside the store, never taken from a user.
            stamp = pickle.load(stream)  # noqa: S301
    except (FileNotFoundError, EOFError, pickle.UnpicklingError):
        return False
    return bool(stamp == build_stamp(store_path))


def load_projection(store: Store) -> nx.MultiDiGraph[str]:
    """The whole projection of ``store``: from the cache file of its build, for a local store.

    An in-memory store is projected on the spot; a remote store as
    :func:`msckg.graph.network.load_network` does.

    :raises ProjectionNotReady: when the cache of the store's current build is not written yet
    """
    if store.path is None:
        return load_network(store)
    path = projection_path(store.path)
    try:
        with path.open("rb") as stream:
            # The file is written by build_projection beside the store, never taken from a user.
            stamp = pickle.load(stream)  # noqa: S301
            if stamp != build_stamp(store.path):
                raise ProjectionNotReady(
                    RETRY_AFTER_SECONDS, "the graph changed since the last one"
                )
            graph: nx.MultiDiGraph[str] = pickle.load(stream)  # noqa: S301
    except FileNotFoundError:
        raise ProjectionNotReady(RETRY_AFTER_SECONDS) from None
    return graph
