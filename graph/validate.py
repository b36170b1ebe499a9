"""Check curation rows and turn them into Entities, References and Statements, or list problems."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from msckg.graph.errors import CurationError
from msckg.graph.model import (
    Entity,
    EvidenceContext,
    Hedging,
    Locator,
    Polarity,
    Reference,
    Statement,
)
from msckg.graph.reader import COLUMNS, Row, read_table
from msckg.ontology import XREFS_VERIFIED_PATH
from msckg.ontology.schema import Schema, load_schema

__all__ = ["Curation", "load_verified_xrefs", "read_curation", "validate_rows"]

ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
STATEMENT_ID_PATTERN = re.compile(r"S\d{3,}")
DOI_PATTERN = re.compile(r"10\.\d{4,9}/[^\s|]+")
LOCATOR_PATTERN = re.compile(r"(abstract|introduction|conclusion)/p([1-9]\d*)/s([1-9]\d*)")
#: Local-identifier syntax of each standard ontology we cross-reference.
CURIE_PATTERNS: dict[str, re.Pattern[str]] = {
    "MONDO": re.compile(r"\d{7}"),
    "HP": re.compile(r"\d{7}"),
    "CL": re.compile(r"\d{7}"),
    "UBERON": re.compile(r"\d{7}"),
    "GO": re.compile(r"\d{7}"),
    "ECO": re.compile(r"\d{7}"),
    "BFO": re.compile(r"\d{7}"),
    "RO": re.compile(r"\d{7}"),
    "NCIT": re.compile(r"C\d+"),
    "HGNC": re.compile(r"\d+"),
    "biolink": re.compile(r"[a-z][a-z0-9_]*"),
}

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Curation:
    """The validated content: entities, references and statements, keyed by id in file order."""

    entities: dict[str, Entity]
    references: dict[str, Reference]
    statements: dict[str, Statement]


def load_verified_xrefs(path: Path = XREFS_VERIFIED_PATH) -> frozenset[str]:
    """Return the CURIEs recorded as checked in their source ontology's own files."""
    if not path.exists():
        return frozenset()
    with path.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["curie"] for row in csv.DictReader(handle, delimiter="\t"))


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def _parse_enum(
    row: Row, column: str, parse: Callable[[str], T], choices: Iterable[str], problems: list[str]
) -> T | None:
    try:
        return parse(row[column])
    except ValueError:
        problems.append(
            f"{row.source}: unknown {column} {row[column]!r}; choose one of: {', '.join(choices)}"
        )
        return None


def _check_id(
    row: Row, pattern: re.Pattern[str], seen: dict[str, Row], kind: str, problems: list[str]
) -> bool:
    ident = row["id"]
    if not pattern.fullmatch(ident):
        problems.append(f"{row.source}: malformed {kind} id {ident!r} (expected {pattern.pattern})")
        return False
    if ident in seen:
        problems.append(
            f"{row.source}: duplicate {kind} id {ident!r} (first at {seen[ident].source})"
        )
        return False
    seen[ident] = row
    return True


def _check_required(row: Row, columns: Iterable[str], problems: list[str]) -> bool:
    missing = [column for column in columns if not row[column]]
    for column in missing:
        problems.append(f"{row.source}: empty column {column!r}")
    return not missing


def _check_curies(
    row: Row, column: str, verified: frozenset[str], problems: list[str]
) -> tuple[str, ...]:
    good = []
    for curie in _split(row[column]):
        prefix, sep, local = curie.partition(":")
        pattern = CURIE_PATTERNS.get(prefix)
        if not sep or pattern is None or not pattern.fullmatch(local):
            problems.append(
                f"{row.source}: malformed CURIE {curie!r} in column {column!r} "
                f"(expected PREFIX:ID with PREFIX one of: {', '.join(CURIE_PATTERNS)})"
            )
        elif curie not in verified:
            problems.append(
                f"{row.source}: cross-reference {curie!r} in column {column!r} is not recorded as "
                f"verified in ontology/xrefs_verified.tsv"
            )
        else:
            good.append(curie)
    return tuple(good)


def _entities(
    rows: list[Row], schema: Schema, verified: frozenset[str], problems: list[str]
) -> dict[str, Entity]:
    seen: dict[str, Row] = {}
    entities: dict[str, Entity] = {}
    for row in rows:
        ok = _check_id(row, ID_PATTERN, seen, "entity", problems)
        ok &= _check_required(row, ("type", "label", "definition"), problems)
        if row["type"] and row["type"] not in schema.classes:
            problems.append(
                f"{row.source}: unknown entity type {row['type']!r}; choose one of: "
                f"{', '.join(sorted(schema.classes))}"
            )
            ok = False
        exact = _check_curies(row, "exact_match", verified, problems)
        close = _check_curies(row, "close_match", verified, problems)
        if ok:
            entities[row["id"]] = Entity(
                row["id"],
                row["type"],
                row["label"],
                _split(row["synonyms"]),
                row["definition"],
                exact,
                close,
                row.source,
            )
    return entities


def _references(rows: list[Row], problems: list[str]) -> dict[str, Reference]:
    seen: dict[str, Row] = {}
    references: dict[str, Reference] = {}
    for row in rows:
        ok = _check_id(row, ID_PATTERN, seen, "reference", problems)
        ok &= _check_required(row, ("doi", "authors", "title", "journal", "year"), problems)
        if row["doi"] and not DOI_PATTERN.fullmatch(row["doi"]):
            problems.append(f"{row.source}: malformed DOI {row['doi']!r} (expected 10.NNNN/suffix)")
            ok = False
        if row["year"] and not re.fullmatch(r"\d{4}", row["year"]):
            problems.append(f"{row.source}: malformed year {row['year']!r} (expected four digits)")
            ok = False
        if row["cited_as"] and not row["cited_as"].isdigit():
            problems.append(
                f"{row.source}: malformed cited_as {row['cited_as']!r} (expected a number)"
            )
            ok = False
        if ok:
            references[row["id"]] = Reference(
                row["id"],
                row["doi"],
                row["authors"],
                row["title"],
                row["journal"],
                int(row["year"]),
                row["volume"],
                row["pages"],
                int(row["cited_as"]) if row["cited_as"] else None,
                row.source,
            )
    return references


def _statements(
    rows: list[Row],
    entities: Mapping[str, Entity],
    entity_ids: frozenset[str],
    references: Mapping[str, Reference],
    reference_ids: frozenset[str],
    schema: Schema,
    problems: list[str],
) -> dict[str, Statement]:
    seen: dict[str, Row] = {}
    statements: dict[str, Statement] = {}
    for row in rows:
        ok = _check_id(row, STATEMENT_ID_PATTERN, seen, "statement", problems)
        ok &= _check_required(
            row, ("subject", "predicate", "object", "locator", "paraphrase"), problems
        )
        for column in ("subject", "object"):
            if row[column] and row[column] not in entity_ids:
                problems.append(
                    f"{row.source}: unknown entity {row[column]!r} in column {column!r}"
                )
                ok = False
        relation = schema.relations.get(row["predicate"])
        if row["predicate"] and relation is None:
            problems.append(
                f"{row.source}: unknown predicate {row['predicate']!r}; choose one of: "
                f"{', '.join(sorted(schema.relations))}"
            )
            ok = False
        if relation is not None:
            for column, allowed in (("subject", relation.domain), ("object", relation.range)):
                entity = entities.get(row[column])
                if entity is not None and not schema.fits(entity.type, allowed):
                    problems.append(
                        f"{row.source}: {column} {row[column]!r} is a {entity.type}, but "
                        f"{relation.name!r} needs one of: {', '.join(sorted(allowed or ()))}"
                    )
                    ok = False
        polarity = _parse_enum(
            row, "polarity", Polarity.from_code, (p.code for p in Polarity), problems
        )
        evidence = _parse_enum(
            row, "evidence", EvidenceContext.from_code, (e.code for e in EvidenceContext), problems
        )
        hedging = _parse_enum(
            row, "hedging", Hedging.from_code, (h.code for h in Hedging), problems
        )
        cited = _split(row["references"])
        for ref in cited:
            if ref not in reference_ids:
                problems.append(f"{row.source}: unknown reference {ref!r} in column 'references'")
                ok = False
        condition = row["condition"] or None
        if condition is not None:
            entity = entities.get(condition)
            if condition not in entity_ids:
                problems.append(f"{row.source}: unknown entity {condition!r} in column 'condition'")
                ok = False
            elif entity is not None and not schema.fits(entity.type, frozenset({"Disorder"})):
                problems.append(
                    f"{row.source}: condition {condition!r} is a {entity.type}, "
                    "but must be a Disorder"
                )
                ok = False
        match = LOCATOR_PATTERN.fullmatch(row["locator"])
        if row["locator"] and match is None:
            problems.append(
                f"{row.source}: malformed locator {row['locator']!r} "
                f"(expected section/pN/sM, section one of abstract, introduction, conclusion)"
            )
            ok = False
        if ok and match and polarity and evidence and hedging:
            statements[row["id"]] = Statement(
                row["id"],
                row["subject"],
                row["predicate"],
                row["object"],
                polarity,
                evidence,
                hedging,
                cited,
                condition,
                Locator(match[1], int(match[2]), int(match[3])),
                row["paraphrase"],
                row.source,
            )
    return statements


def validate_rows(
    tables: Mapping[str, list[Row]],
    schema: Schema | None = None,
    verified_xrefs: frozenset[str] | None = None,
) -> tuple[Curation, list[str]]:
    """Validate rows of the three curation tables.

    :param tables: rows by file name (``entities.tsv``, ``references.tsv``, ``statements.tsv``)
    :param schema: what the ontology allows (the shipped ontology by default)
    :param verified_xrefs: CURIEs allowed as cross-references (the verified list by default)
    :returns: the records that passed, and every problem as ``file:line: message``
    """
    schema = schema or load_schema()
    verified = load_verified_xrefs() if verified_xrefs is None else verified_xrefs
    problems: list[str] = []
    entities = _entities(tables["entities.tsv"], schema, verified, problems)
    references = _references(tables["references.tsv"], problems)
    # Ids that exist but failed other checks still count as known, so one mistake is reported once.
    entity_ids = frozenset(row["id"] for row in tables["entities.tsv"])
    reference_ids = frozenset(row["id"] for row in tables["references.tsv"])
    statements = _statements(
        tables["statements.tsv"], entities, entity_ids, references, reference_ids, schema, problems
    )
    return Curation(entities, references, statements), problems


def read_curation(directory: Path, display_root: Path | None = None) -> Curation:
    """Read and validate the curation files of ``directory``.

    :param directory: folder holding entities.tsv, references.tsv and statements.tsv
    :param display_root: paths in messages are shown relative to this folder, when they are under it
    :returns: the validated content
    :raises CurationError: listing every problem found, one ``file:line: message`` per line
    """
    tables: dict[str, list[Row]] = {}
    problems: list[str] = []
    for name, columns in COLUMNS.items():
        path = directory / name
        shown = str(path)
        if display_root is not None and path.resolve().is_relative_to(display_root.resolve()):
            shown = str(path.resolve().relative_to(display_root.resolve()))
        rows, found = read_table(path, columns, shown)
        tables[name] = rows
        problems += found
    if problems:
        # Cross-file checks on a half-read set would only echo the reading problems.
        raise CurationError(problems)
    curation, found = validate_rows(tables)
    problems += found
    if problems:
        raise CurationError(problems)
    return curation
