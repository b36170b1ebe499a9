"""Settings of msckg, built once from options over ``MSCKG_*`` environment variables over defaults."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

__all__ = ["Settings", "default_data_dir"]


def default_data_dir(environ: Mapping[str, str]) -> Path:
    """``$MSCKG_DATA_DIR``, else ``$XDG_DATA_HOME/msckg``, else ``~/.local/share/msckg``."""
    if environ.get("MSCKG_DATA_DIR"):
        return Path(environ["MSCKG_DATA_DIR"])
    base = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "msckg"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, passed down explicitly; nothing reads the environment at import.

    Per client (remote address), at most ``max_concurrent_queries`` requests run at once,
    ``max_queued_queries`` more wait their turn (within the timeout), and they may spend
    ``query_seconds_per_minute`` seconds of query time a minute (the Wikidata Query Service
    model); beyond that the client gets 429 with ``Retry-After``.
    SPARQL Update needs ``read_only=False`` (``--allow-update``) and an ``update_token``.
    ``SERVICE`` (in queries and updates) and ``LOAD`` reach only IRIs in ``fetch_allow_list``
    (an entry ending in ``/`` or ``#`` allows every IRI under it); by default none.
    """

    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    #: The port of ``msckg mcp --transport http``, beside ``msckg serve``'s.
    mcp_port: int = 8001
    timeout: float = 10.0
    row_limit: int = 10_000
    read_only: bool = True
    #: One more worker than one client may use at once, so no single client holds them all.
    workers: int = 3
    max_query_bytes: int = 100 * 1024
    max_body_bytes: int = 1024 * 1024
    max_depth: int = 200
    #: A SPARQL 1.1 query endpoint used instead of the local store (``--store``).
    store: str | None = None
    store_update: str | None = None
    store_gsp: str | None = None
    store_user: str | None = None
    store_password: str | None = field(default=None, repr=False)
    store_auth: str = "basic"
    store_union: str = "graphs"
    #: The query parameter by which the store takes a per-query limit in ms (Virtuoso: timeout).
    store_timeout_param: str | None = None
    max_concurrent_queries: int = 2
    max_queued_queries: int = 8
    #: Threads that handle requests; most of them wait on a worker or a client's turn, so
    #: there are many more of them than workers, and /health never waits behind a queue.
    server_threads: int = 32
    query_seconds_per_minute: float = 60.0
    shutdown_grace: float = 30.0
    update_token: str | None = field(default=None, repr=False)
    fetch_allow_list: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings: explicit ``overrides`` (``None`` values ignored) over ``MSCKG_*`` variables.

        >>> Settings.from_env({"MSCKG_PORT": "9000"}, data_dir=Path("/tmp/x")).port
        9000
        """
        environ = os.environ if environ is None else environ
        # each value is converted for its field (or given as one by the caller)
        values: dict[str, Any] = {"data_dir": default_data_dir(environ)}
        for setting in fields(cls):
            raw = environ.get(f"MSCKG_{setting.name.upper()}")
            if raw is None or setting.name == "data_dir":
                continue
            values[setting.name] = _convert(setting.name, raw)
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)


def _convert(name: str, raw: str) -> object:
    converters: dict[str, Callable[[str], object]] = {
        "port": int,
        "mcp_port": int,
        "timeout": float,
        "row_limit": int,
        "read_only": _boolean,
        "host": str,
        "workers": int,
        "max_query_bytes": int,
        "max_body_bytes": int,
        "max_depth": int,
        "store": str,
        "store_update": str,
        "store_gsp": str,
        "store_user": str,
        "store_password": str,
        "store_auth": str,
        "store_union": str,
        "store_timeout_param": str,
        "max_concurrent_queries": int,
        "max_queued_queries": int,
        "server_threads": int,
        "query_seconds_per_minute": float,
        "shutdown_grace": float,
        "update_token": str,
        "fetch_allow_list": _iri_list,
    }
    try:
        return converters[name](raw)
    except (KeyError, ValueError) as error:
        raise ValueError(
            f"environment variable MSCKG_{name.upper()}: invalid value {raw!r}"
        ) from error


def _iri_list(raw: str) -> tuple[str, ...]:
    """IRIs separated by spaces or commas: ``"http://a.org/, http://b.org/x"`` gives two."""
    return tuple(item for item in raw.replace(",", " ").split() if item)


def _boolean(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(raw)
