"""The named SPARQL queries: one ``.rq`` file per competency question, with a documenting header.

A header is the leading comment block of the file::

    # title: Trophic factors and what they promote
    # answers: Which trophic factors do MSCs secrete, and what does each promote?
    # param: disorder = ent:asherman_syndrome | the disorder to restrict to
    # ask: What do MSCs secrete?
    # edges: ?cell ?effect ?target

``ask`` (optional) is the question as a person would put it; the page offers every query that has
one. ``edges`` (optional) names the result columns that hold each row's relation (from, relation,
to), so an answer can be drawn as a graph; a column ``xLabel`` labels the entity in column ``x``.
Each ``param`` names a query variable that callers may bind (as a term, never pasted into
the text), its default (optional, after ``=``) and a description (after ``|``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

__all__ = ["QUERIES_DIR", "NamedQuery", "Param", "UnknownQuery", "list_queries", "load_query"]

QUERIES_DIR = Path(str(files(__name__)))
_HEADER = re.compile(r"#\s*(title|answers|param|ask|edges):\s*(.*)")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*(?P<default>[^|]*?))?\s*\|\s*(?P<doc>.*)"
)


class UnknownQuery(LookupError):
    """No named query has the requested name; ``choices`` lists those that exist."""

    def __init__(self, name: str, choices: list[str]) -> None:
        self.name = name
        self.choices = choices
        super().__init__(f"unknown query {name!r}; choose one of: {', '.join(choices)}")


@dataclass(frozen=True, slots=True)
class Param:
    """A variable of a named query that a caller may bind."""

    name: str
    default: str | None
    description: str


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A named SPARQL query with the question it answers."""

    name: str
    title: str
    question: str
    params: tuple[Param, ...]
    text: str
    ask: str | None = None
    edges: tuple[str, str, str] | None = None

    def bindings(self, given: dict[str, str]) -> dict[str, str]:
        """Merge ``given`` values over the defaults; reject names the query does not declare.

        :raises ValueError: for an undeclared parameter
        """
        declared = {param.name: param for param in self.params}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise ValueError(
                f"query {self.name!r} has no parameter {unknown[0]!r}; "
                f"its parameters: {', '.join(declared) or 'none'}"
            )
        merged = {name: p.default for name, p in declared.items() if p.default}
        merged.update(given)
        return {name: value for name, value in merged.items() if value is not None}


def _parse(name: str, text: str) -> NamedQuery:
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match is None:
            continue
        key, value = match[1], match[2].strip()
        if key == "param":
            param = _PARAM.fullmatch(value)
            if param is None:
                raise ValueError(f"{name}.rq: malformed param line {value!r}")
            params.append(Param(param["name"], (param["default"] or None), param["doc"].strip()))
        else:
            fields[key] = value
    edges = None
    if "edges" in fields:
        columns = tuple(column.removeprefix("?") for column in fields["edges"].split())
        if len(columns) != 3:
            raise ValueError(f"{name}.rq: edges names 3 columns (from, relation, to): {columns}")
        edges = (columns[0], columns[1], columns[2])
    return NamedQuery(
        name,
        fields.get("title", name),
        fields.get("answers", ""),
        tuple(params),
        text,
        ask=fields.get("ask"),
        edges=edges,
    )


def list_queries() -> list[NamedQuery]:
    """Return every named query, sorted by name."""
    return [
        _parse(path.stem, path.read_text(encoding="utf-8"))
        for path in sorted(QUERIES_DIR.glob("*.rq"))
    ]


def load_query(name: str) -> NamedQuery:
    """Return the named query ``name``.

    :raises UnknownQuery: when there is none, listing the names that exist
    """
    path = QUERIES_DIR / f"{name}.rq"
    if not re.fullmatch(r"[a-z0-9_]+", name) or not path.is_file():
        raise UnknownQuery(name, [query.name for query in list_queries()])
    return _parse(name, path.read_text(encoding="utf-8"))
