"""Read curation TSV files into rows that remember their file and line; no judgement on content."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from msckg.graph.model import Source

__all__ = ["COLUMNS", "Row", "read_table"]

#: The columns each curation file must have, in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "entities.tsv": (
        "id",
        "type",
        "label",
        "synonyms",
        "definition",
        "exact_match",
        "close_match",
        "broad_match",
        "narrow_match",
        "related_match",
        "broader",
    ),
    "references.tsv": (
        "id",
        "doi",
        "printed_doi",
        "authors",
        "title",
        "journal",
        "year",
        "volume",
        "pages",
        "cited_as",
    ),
    "statements.tsv": (
        "id",
        "subject",
        "predicate",
        "object",
        "polarity",
        "evidence",
        "hedging",
        "references",
        "condition",
        "population",
        "via",
        "locator",
        "paraphrase",
    ),
}


@dataclass(frozen=True, slots=True)
class Row:
    """One data line of a curation file, as column name -> cell text."""

    cells: dict[str, str]
    source: Source

    def __getitem__(self, column: str) -> str:
        return self.cells[column]


def read_table(
    path: Path, columns: Sequence[str], display: str | None = None
) -> tuple[list[Row], list[str]]:
    """Read a tab-separated curation file.

    Comment lines (``#``) and blank lines are skipped; the first other line must be the header.

    :param path: the file to read
    :param columns: the header it must have, in order
    :param display: how to name the file in messages (defaults to ``path``)
    :returns: the rows, and the problems found as ``file:line: message``
    """
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return [], [f"{name}:0: cannot read file ({error.strerror})"]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        at_line = raw[: error.start].count(b"\n") + 1
        return [], [f"{name}:{at_line}: not valid UTF-8 (byte {raw[error.start]:#04x})"]
    rows: list[Row] = []
    problems: list[str] = []
    header: tuple[str, ...] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = tuple(cell.strip() for cell in cells)
            if header != tuple(columns):
                problems.append(
                    f"{name}:{number}: header must be {' | '.join(columns)} "
                    f"(found {' | '.join(header)})"
                )
                return [], problems
            continue
        if len(cells) != len(columns):
            problems.append(
                f"{name}:{number}: expected {len(columns)} tab-separated columns, "
                f"found {len(cells)}"
            )
            continue
        rows.append(
            Row(dict(zip(columns, (c.strip() for c in cells), strict=True)), Source(name, number))
        )
    if header is None:
        problems.append(f"{name}:1: empty file: no header line")
    return rows, problems
