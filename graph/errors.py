"""The exceptions of msckg, each a subclass of a built-in, so callers catch broadly or narrowly."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "BuildError",
    "CurationError",
    "EntityNotFound",
    "FormatNotAcceptable",
    "ProjectionNotReady",
    "QuerySyntaxError",
    "QueryTimeout",
    "StoreError",
    "TooBroad",
    "ToolFailed",
    "ToolMissing",
    "UnknownFormat",
]

# Every exception here may cross a process boundary (a worker process answers a request and
# the server renders its error), so each one that takes more than its message pickles its own
# constructor arguments with ``__reduce__``: the default would call it with the message alone.


class CurationError(ValueError):
    """Curation files hold mistakes; ``problems`` lists each as ``path:line: what is wrong``."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the curation files:\n"
            + "\n".join(self.problems)
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problems,))


class BuildError(RuntimeError):
    """The build failed for a reason other than bad curation (e.g. an inconsistent ontology)."""


class StoreError(OSError):
    """The store could not be opened or read: missing, locked or corrupt."""


class QueryTimeout(TimeoutError):
    """The query ran past the deadline (a local worker was killed, or a remote store too slow)."""


class EntityNotFound(LookupError):
    """No entity has the given identifier or name.

    ``suggestions`` holds the closest entities, closest first, each as ``{"id": CURIE,
    "label": label}``: the one shape of an unknown entity everywhere (REST, CLI, web page).
    """

    def __init__(self, key: str, suggestions: Iterable[Mapping[str, str]] = ()) -> None:
        self.key = key
        self.suggestions = [{"id": s["id"], "label": s["label"]} for s in suggestions]
        labels = ", ".join(s["label"] for s in self.suggestions)
        hint = f"; did you mean: {labels}" if labels else ""
        super().__init__(f"no entity {key!r}{hint}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.key, self.suggestions))


class TooBroad(ValueError):
    """An analysis would visit more of the graph than one request may (see ``MAX_VISITED``).

    A ``ValueError``: the request asks too much, so it is answered like other bad parameters.
    """


class ProjectionNotReady(RuntimeError):
    """The whole-graph projection is still being built; ask again in ``retry_after`` seconds."""

    def __init__(self, retry_after: int, detail: str = "") -> None:
        self.retry_after = retry_after
        self.detail = detail
        super().__init__(
            f"the whole-graph projection is being built{': ' + detail if detail else ''}; "
            f"retry in {retry_after} s"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.retry_after, self.detail))


class FormatNotAcceptable(ValueError):
    """The client accepts no format for the query's result (``solutions``, ``boolean``, ``triples``).

    Raised once the query has parsed, so a malformed query is reported as such whatever
    formats the client accepts.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(f"no acceptable format for a {kind} result")


class UnknownFormat(LookupError):
    """No exporter has the requested format name; ``choices`` lists those that exist."""

    def __init__(self, name: str, choices: Iterable[str]) -> None:
        self.name = name
        self.choices = list(choices)
        super().__init__(
            f"unknown export format {name!r}; choose one of: {', '.join(self.choices)}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, self.choices))


class ToolMissing(RuntimeError):
    """An external program an export needs (e.g. Graphviz ``dot``) is not installed."""


class QuerySyntaxError(SyntaxError):
    """A malformed SPARQL query or update, explained in plain words.

    ``msg`` says what is wrong, ``lineno`` and ``offset`` (1-based, in characters) say where,
    ``text`` is that line, ``filename`` names where the query came from (``query`` unless a
    caller knows better), ``problem`` is a short machine-readable kind (``unknown_prefix``,
    ``missing_dot`` ...), ``details`` holds what the message names (e.g. the declared prefixes)
    and ``engine_message`` keeps the parser's own words.
    """

    def __init__(
        self,
        message: str,
        line: int | None = None,
        column: int | None = None,
        problem: str = "syntax",
        details: Mapping[str, object] | None = None,
        source_line: str | None = None,
        origin: str = "query",
        engine_message: str = "",
    ) -> None:
        super().__init__(message, (origin, line, column, source_line))
        self.problem = problem
        self.details = dict(details or {})
        self.engine_message = engine_message

    def __reduce__(self) -> tuple[type[QuerySyntaxError], tuple[object, ...]]:
        # Crosses the pipe from a query worker whole, position and details included.
        return (
            type(self),
            (
                self.msg,
                self.lineno,
                self.offset,
                self.problem,
                self.details,
                self.text,
                self.filename,
                self.engine_message,
            ),
        )

    def __str__(self) -> str:
        if self.lineno is None:
            return self.msg
        return f"line {self.lineno}, column {self.offset}: {self.msg}"

    def located(self, origin: str) -> QuerySyntaxError:
        """The same error, said to come from ``origin`` (a file path, a query name)."""
        return QuerySyntaxError(
            self.msg,
            self.lineno,
            self.offset,
            self.problem,
            self.details,
            self.text,
            origin,
            self.engine_message,
        )

    def fields(self) -> dict[str, object]:
        """The error as JSON-ready fields: ``line``, ``column``, ``problem`` and the details."""
        return {"line": self.lineno, "column": self.offset, "problem": self.problem, **self.details}


class ToolFailed(RuntimeError):
    """An external program an export needs failed, or ran past its time."""
