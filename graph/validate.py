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
from msckg.graph.truthy import FIRM_HEDGING, Triple, is_firm, triple_of
from msckg.ontology import XREF_SENSES_PATH, XREFS_VERIFIED_PATH
from msckg.ontology.schema import Schema, load_schema

__all__ = [
    "Curation",
    "XrefSense",
    "load_verified_xrefs",
    "load_xref_senses",
    "read_curation",
    "validate_rows",
]

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

#: The entity columns of cross-references, and the SKOS mapping each becomes.
MATCH_COLUMNS = ("exact_match", "close_match", "broad_match", "narrow_match", "related_match")
#: Where a reviewed verdict puts an identifier (``other_sense``: nowhere).
VERDICT_COLUMNS: dict[str, str | None] = {
    "broad": "broad_match",
    "narrow": "narrow_match",
    "related": "related_match",
    "other_sense": None,
}

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class XrefSense:
    """A reviewed use of an identifier for an entity whose label in its source means otherwise."""

    entity: str
    curie: str
    label_in_source: str
    verdict: str
    why: str
    where: str


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


def load_xref_senses(path: Path = XREF_SENSES_PATH) -> dict[tuple[str, str], XrefSense]:
    """Return the reviewed list: (entity id, CURIE) -> why it is no exact or close match."""
    if not path.exists():
        return {}
    senses = {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for number, row in enumerate(rows, start=2):
            sense = XrefSense(
                row["entity"],
                row["curie"],
                row["label_in_source"],
                row["verdict"],
                row["why"],
                f"ontology/{path.name}:{number}",
            )
            senses[(sense.entity, sense.curie)] = sense
    return senses


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


def _check_senses(
    row: Row,
    matches: Mapping[str, tuple[str, ...]],
    senses: Mapping[tuple[str, str], XrefSense],
    problems: list[str],
) -> None:
    """A reviewed identifier may only stand in the column its verdict names."""
    for column, curies in matches.items():
        for curie in curies:
            sense = senses.get((row["id"], curie))
            if sense is None or VERDICT_COLUMNS.get(sense.verdict) == column:
                continue
            wanted = VERDICT_COLUMNS.get(sense.verdict)
            advice = f"move it to {wanted!r}" if wanted else "remove it"
            problems.append(
                f"{row.source}: {curie} ({sense.label_in_source!r}) in column {column!r} was "
                f"reviewed as {sense.verdict} for {row['id']!r}: {sense.why}; {advice} "
                f"(see {sense.where})"
            )


def _check_names(rows: list[Row], problems: list[str]) -> None:
    """One name, one entity: a label or synonym may name only one entity."""
    owner: dict[str, Row] = {}
    for row in rows:
        names = {row["label"].casefold(): row["label"]} if row["label"] else {}
        for synonym in _split(row["synonyms"]):
            names.setdefault(synonym.casefold(), synonym)
        for key, name in names.items():
            first = owner.setdefault(key, row)
            if first is not row:
                problems.append(
                    f"{row.source}: name {name!r} of {row['id']!r} already names "
                    f"{first['id']!r} ({first.source}); a name may name one entity only"
                )


def _entities(
    rows: list[Row],
    schema: Schema,
    verified: frozenset[str],
    senses: Mapping[tuple[str, str], XrefSense],
    problems: list[str],
) -> dict[str, Entity]:
    seen: dict[str, Row] = {}
    entities: dict[str, Entity] = {}
    _check_names(rows, problems)
    for row in rows:
        ok = _check_id(row, ID_PATTERN, seen, "entity", problems)
        ok &= _check_required(row, ("type", "label", "definition"), problems)
        if row["type"] and row["type"] not in schema.classes:
            problems.append(
                f"{row.source}: unknown entity type {row['type']!r}; choose one of: "
                f"{', '.join(sorted(schema.classes))}"
            )
            ok = False
        matches = {
            column: _check_curies(row, column, verified, problems) for column in MATCH_COLUMNS
        }
        _check_senses(row, matches, senses, problems)
        if ok:
            entities[row["id"]] = Entity(
                row["id"],
                row["type"],
                row["label"],
                _split(row["synonyms"]),
                row["definition"],
                matches["exact_match"],
                matches["close_match"],
                matches["broad_match"],
                matches["narrow_match"],
                matches["related_match"],
                _split(row["broader"]),
                row.source,
            )
    return entities


def _kinds(schema: Schema, class_name: str) -> frozenset[str]:
    """The top-level classes (children of Entity) an entity of ``class_name`` belongs to."""
    ancestors = schema.classes.get(class_name, frozenset())
    return frozenset(
        name
        for name in ancestors
        if name in schema.classes and schema.classes[name] - {name} <= {"Entity"}
    )


def _check_broader(
    entities: Mapping[str, Entity], entity_ids: frozenset[str], schema: Schema, problems: list[str]
) -> None:
    """A broader entity exists, is of the same kind, and no entity is (indirectly) its own kind."""
    for entity in entities.values():
        for parent_id in entity.broader:
            parent = entities.get(parent_id)
            if parent_id not in entity_ids:
                problems.append(
                    f"{entity.source}: unknown entity {parent_id!r} in column 'broader'"
                )
            elif parent is not None and not _kinds(schema, entity.type) & _kinds(
                schema, parent.type
            ):
                problems.append(
                    f"{entity.source}: broader {parent_id!r} is a {parent.type}, but "
                    f"{entity.id!r} is a {entity.type}; a kind is of the same class as its whole"
                )
        seen, todo = set(), list(entity.broader)
        while todo:
            current = todo.pop()
            if current == entity.id:
                problems.append(
                    f"{entity.source}: {entity.id!r} is broader than itself via 'broader'"
                )
                break
            if current not in seen and current in entities:
                seen.add(current)
                todo.extend(entities[current].broader)


def _references(rows: list[Row], problems: list[str]) -> dict[str, Reference]:
    seen: dict[str, Row] = {}
    references: dict[str, Reference] = {}
    for row in rows:
        ok = _check_id(row, ID_PATTERN, seen, "reference", problems)
        ok &= _check_required(row, ("doi", "authors", "title", "journal", "year"), problems)
        if row["doi"] and not DOI_PATTERN.fullmatch(row["doi"]):
            problems.append(f"{row.source}: malformed DOI {row['doi']!r} (expected 10.NNNN/suffix)")
            ok = False
        if row["printed_doi"] and row["printed_doi"] == row["doi"]:
            problems.append(
                f"{row.source}: printed_doi equals doi; leave it empty unless the printed form "
                "differs from the DOI that resolves"
            )
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
                row["printed_doi"],
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
        population = _split(row["population"])
        for group in population:
            entity = entities.get(group)
            if group not in entity_ids:
                problems.append(f"{row.source}: unknown entity {group!r} in column 'population'")
                ok = False
            elif entity is not None and not schema.fits(entity.type, frozenset({"PatientGroup"})):
                problems.append(
                    f"{row.source}: population {group!r} is a {entity.type}, "
                    "but must be a PatientGroup"
                )
                ok = False
        via = _split(row["via"])
        for mechanism in via:
            if mechanism not in entity_ids:
                problems.append(f"{row.source}: unknown entity {mechanism!r} in column 'via'")
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
                population,
                via,
                Locator(match[1], int(match[2]), int(match[3])),
                row["paraphrase"],
                row.source,
            )
    return statements


def _describe(statement: Statement) -> str:
    return f"{statement.subject} {statement.predicate} {statement.object}"


def _check_hedged_as_settled(
    statements: Iterable[Statement], schema: Schema, problems: list[str]
) -> None:
    """A plain triple is never carried by suggested or hypothesized statements alone."""
    carried: dict[Triple, list[Statement]] = {}
    for statement in statements:
        if statement.polarity is Polarity.POSITIVE:
            carried.setdefault(triple_of(statement), []).append(statement)
    tentative = ", ".join(sorted(name for name, rel in schema.relations.items() if rel.tentative))
    firm = " or ".join(sorted(h.code for h in FIRM_HEDGING))
    for group in carried.values():
        if any(is_firm(statement, schema) for statement in group):
            continue
        for statement in group:
            problems.append(
                f"{statement.source}: {statement.id} claims {_describe(statement)!r} only as "
                f"{statement.hedging.code}, but {statement.predicate!r} reads as settled and no "
                f"{firm} statement carries it; use a tentative relation ({tentative})"
            )


def _check_negations(statements: Iterable[Statement], problems: list[str]) -> None:
    """A triple is never both asserted and denied."""
    denials: dict[Triple, Statement] = {}
    assertions: list[Statement] = []
    for statement in statements:
        if statement.polarity is Polarity.NEGATIVE:
            denials.setdefault(triple_of(statement), statement)
        else:
            assertions.append(statement)
    for statement in assertions:
        denial = denials.get(triple_of(statement))
        if denial is not None:
            problems.append(
                f"{statement.source}: {statement.id} asserts {_describe(statement)!r}, which "
                f"{denial.id} ({denial.source}) denies; a claim and its negation cannot both "
                "stand: say the hoped-for or investigational claim with its own relation "
                "(proposedFor, studiedToTreat, ...)"
            )


def _check_collective(statements: Iterable[Statement], problems: list[str]) -> None:
    """What a sentence says of a group as a whole is not given to each member.

    A group is an entity with ``hasMember`` statements. A statement about a member is refused
    when its sentence says the same of the group, or of another member of the group.
    """
    statements = list(statements)
    members: dict[str, set[str]] = {}
    for statement in statements:
        if statement.predicate == "hasMember" and statement.polarity is Polarity.POSITIVE:
            members.setdefault(statement.subject, set()).add(statement.object)

    def said_at(statement: Statement) -> tuple[str, str, str, str]:
        return (
            str(statement.locator),
            statement.predicate,
            statement.object,
            statement.polarity.code,
        )

    subjects: dict[tuple[str, str, str, str], set[str]] = {}
    for statement in statements:
        subjects.setdefault(said_at(statement), set()).add(statement.subject)
    for statement in statements:
        others = subjects[said_at(statement)] - {statement.subject}
        for group, its_members in sorted(members.items()):
            if statement.subject in its_members and (group in others or others & its_members):
                problems.append(
                    f"{statement.source}: {statement.id} gives {statement.subject!r} "
                    f"'{statement.predicate} {statement.object}', which {statement.locator} says "
                    f"of the group {group!r} as a whole; state it once, on {group!r}"
                )


def _check_conditions(
    statements: Iterable[Statement],
    entities: Mapping[str, Entity],
    schema: Schema,
    problems: list[str],
) -> None:
    """Clinical background on a therapy names the disorder it is about."""
    for statement in statements:
        subject = entities.get(statement.subject)
        if (
            statement.evidence is EvidenceContext.CLINICAL_BACKGROUND
            and statement.condition is None
            and subject is not None
            and schema.fits(subject.type, frozenset({"Therapy"}))
        ):
            problems.append(
                f"{statement.source}: {statement.id} is clinical background on the therapy "
                f"{statement.subject!r} but names no condition; give the disorder it treats "
                "in column 'condition'"
            )


def validate_rows(
    tables: Mapping[str, list[Row]],
    schema: Schema | None = None,
    verified_xrefs: frozenset[str] | None = None,
    xref_senses: Mapping[tuple[str, str], XrefSense] | None = None,
) -> tuple[Curation, list[str]]:
    """Validate rows of the three curation tables.

    Besides each row on its own, the statements are checked together: no plain triple rests on
    suggested or hypothesized statements alone, no claim stands beside its negation, a claim
    made of a group is not handed to each member, and clinical background on a therapy names
    its disorder (see ``graph/curation/README.md``).

    :param tables: rows by file name (``entities.tsv``, ``references.tsv``, ``statements.tsv``)
    :param schema: what the ontology allows (the shipped ontology by default)
    :param verified_xrefs: CURIEs allowed as cross-references (the verified list by default)
    :param xref_senses: reviewed identifiers that are no exact or close match for an entity
        (``ontology/xref_senses.tsv`` by default)
    :returns: the records that passed, and every problem as ``file:line: message``
    """
    schema = schema or load_schema()
    verified = load_verified_xrefs() if verified_xrefs is None else verified_xrefs
    senses = load_xref_senses() if xref_senses is None else xref_senses
    problems: list[str] = []
    entities = _entities(tables["entities.tsv"], schema, verified, senses, problems)
    references = _references(tables["references.tsv"], problems)
    # Ids that exist but failed other checks still count as known, so one mistake is reported once.
    entity_ids = frozenset(row["id"] for row in tables["entities.tsv"])
    reference_ids = frozenset(row["id"] for row in tables["references.tsv"])
    _check_broader(entities, entity_ids, schema, problems)
    statements = _statements(
        tables["statements.tsv"], entities, entity_ids, references, reference_ids, schema, problems
    )
    _check_hedged_as_settled(statements.values(), schema, problems)
    _check_negations(statements.values(), problems)
    _check_collective(statements.values(), problems)
    _check_conditions(statements.values(), entities, schema, problems)
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
