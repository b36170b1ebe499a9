"""The exceptions of msckg, each a subclass of a built-in, so callers catch broadly or narrowly."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "BuildError",
    "CurationError",
    "EntityNotFound",
    "QueryTimeout",
    "StoreError",
    "ToolMissing",
    "UnknownFormat",
]


class CurationError(ValueError):
    """Curation files hold mistakes; ``problems`` lists each as ``path:line: what is wrong``."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the curation files:\n"
            + "\n".join(self.problems)
        )


class BuildError(RuntimeError):
    """The build failed for a reason other than bad curation (e.g. an inconsistent ontology)."""


class StoreError(OSError):
    """The store could not be opened or read: missing, locked or corrupt."""


class QueryTimeout(TimeoutError):
    """The query ran past the deadline (a local worker was killed, or a remote store too slow)."""


class EntityNotFound(LookupError):
    """No entity has the given identifier or name; ``suggestions`` holds the closest labels."""

    def __init__(self, key: str, suggestions: Iterable[str] = ()) -> None:
        self.key = key
        self.suggestions = list(suggestions)
        hint = f"; did you mean: {', '.join(self.suggestions)}" if self.suggestions else ""
        super().__init__(f"no entity {key!r}{hint}")


class UnknownFormat(LookupError):
    """No exporter has the requested format name; ``choices`` lists those that exist."""

    def __init__(self, name: str, choices: Iterable[str]) -> None:
        self.name = name
        self.choices = list(choices)
        super().__init__(
            f"unknown export format {name!r}; choose one of: {', '.join(self.choices)}"
        )


class ToolMissing(RuntimeError):
    """An external program an export needs (e.g. Graphviz ``dot``) is not installed."""
