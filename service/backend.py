"""The store and query executor settings ask for: the local build or a remote SPARQL endpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from msckg.graph.build import STORE_DIRNAME
from msckg.graph.executor import DirectExecutor, Executor, QueryExecutor
from msckg.graph.store import Store, open_remote_store, open_store
from msckg.service.settings import Settings

if TYPE_CHECKING:
    from msckg.graph.remote import RemoteStore

__all__ = ["open_backend", "remote_store_from_settings", "store_from_settings"]


def store_from_settings(settings: Settings, *, read_only: bool = True) -> Store:
    """Open the store ``settings`` name: ``settings.store`` (a URL) if set, else the local build.

    :param settings: where the graph is, and for a remote store its endpoints and credentials
    :param read_only: open the local store without its write lock
    :raises StoreError: when the local store is missing, locked or corrupt
    :raises ValueError: for a remote URL that is not http(s) or a bad option
    """
    if settings.store:
        return remote_store_from_settings(settings)
    return open_store(settings.data_dir / STORE_DIRNAME, read_only=read_only)


def remote_store_from_settings(settings: Settings) -> RemoteStore:
    """The remote SPARQL endpoint ``settings.store`` names, with its endpoints and credentials.

    :raises ValueError: when ``settings.store`` is unset, or for a URL that is not http(s) or a
        bad option
    """
    if not settings.store:
        raise ValueError("no remote store is configured (MSCKG_STORE or --store)")
    return open_remote_store(
        settings.store,
        update_url=settings.store_update,
        gsp_url=settings.store_gsp,
        timeout=settings.timeout,
        user=settings.store_user,
        password=settings.store_password,
        auth=settings.store_auth,
        union=settings.store_union,
        timeout_param=settings.store_timeout_param,
    )


def open_backend(settings: Settings) -> tuple[Store, Executor]:
    """The store to serve and what runs queries on it under the timeout.

    A local store gets worker processes that can be killed at the deadline; a remote store
    gets no workers: its HTTP client enforces the deadline.

    :raises StoreError: when the store cannot be opened or a worker cannot start
    """
    store = store_from_settings(settings)
    if store.path is None:
        return store, DirectExecutor(store, timeout=settings.timeout)
    executor = QueryExecutor(store.path, workers=settings.workers, timeout=settings.timeout)
    return store, executor
