"""SPARQL Update in a writer process: the store opened read-write for one update, under a deadline.

Read-only Oxigraph stores (the query workers' and the service's) see the store as it was when
they opened it, and opening one while another process writes is undefined behaviour
(``pyoxigraph.Store.read_only``). So the caller closes its read-only handles, runs
:func:`apply_update`, and reopens them: that is when readers see the update. The writer is a
process, not a thread, so an update that runs past the deadline can be killed; its transaction
was never committed, so nothing of it is stored.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from pathlib import Path

from msckg.graph.errors import QueryTimeout, StoreError
from msckg.graph.network import mark_changed
from msckg.graph.store import open_store

__all__ = ["UpdateFailed", "apply_update"]

#: Seconds the writer may take to open the store and to exit, on top of the update's deadline.
_GRACE_SECONDS = 30


class UpdateFailed(RuntimeError):
    """The engine refused or failed the update while applying it; nothing was stored."""


def _write(store_path: str, text: str, connection: Connection) -> None:
    """Writer process body: open the store read-write, apply one update, report, exit."""
    try:
        store = open_store(Path(store_path))
    except StoreError as error:
        connection.send(("store", str(error)))
        return
    connection.send(("ready",))
    try:
        store.update(text)
    except SyntaxError as error:
        connection.send(("syntax", error))
    except (OSError, RuntimeError, ValueError) as error:
        connection.send(("failed", str(error)))
    else:
        connection.send(("ok",))
    finally:
        store.close()


def apply_update(store_path: Path, text: str, *, timeout: float) -> None:
    """Apply the SPARQL Update ``text`` to the store at ``store_path`` in a writer process.

    No other process may have the store open, read-only ones included. Returns once the
    writer has exited, so the store can be reopened at once.

    :param timeout: seconds the update may run; past it the writer is killed, nothing stored
    :raises QueryTimeout: when the update overran ``timeout``
    :raises SyntaxError: for a malformed update, with line and column
    :raises UpdateFailed: when the engine failed applying it
    :raises StoreError: when the store could not be opened read-write (locked, corrupt)
    """
    context = multiprocessing.get_context("spawn")
    parent_end, child_end = context.Pipe()
    process = context.Process(
        target=_write, args=(str(store_path), text, child_end), name="msckg-writer", daemon=True
    )
    process.start()
    child_end.close()
    reply: tuple[object, ...] | None = None
    try:
        # The deadline counts from when the store is open, not from the process start.
        started = parent_end.poll(_GRACE_SECONDS) and parent_end.recv()
        if started and started[0] != "ready":
            reply = started
        elif started and parent_end.poll(timeout):
            reply = parent_end.recv()
    except (EOFError, OSError):
        reply = ("failed", "the writer process died while applying the update")
    finally:
        process.join(timeout=_GRACE_SECONDS if reply is not None else 0)
        if process.is_alive():
            process.kill()
            process.join()
        parent_end.close()
    if reply is None:
        raise QueryTimeout(f"the update did not finish within {timeout:g} s; nothing was stored")
    _raise_for(reply)
    # The name index and the projection are keyed by the build stamp: without this they would
    # keep answering from the store as it was before the update.
    mark_changed(store_path)


def _raise_for(reply: tuple[object, ...]) -> None:
    kind = reply[0]
    if kind == "ok":
        return
    if kind == "syntax" and isinstance(reply[1], SyntaxError):
        raise reply[1]
    if kind == "store":
        raise StoreError(str(reply[1]))
    raise UpdateFailed(str(reply[1]))
