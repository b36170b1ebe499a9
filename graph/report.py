"""The QC report over the curation files and the built graph, as ROBOT's ``report`` does for
ontologies: every finding has a level (ERROR, WARN, INFO), a rule, a subject and a
``file:line``; an editable profile (``report_profile.tsv``) sets each rule's level or drops it.
"""

from __future__ import annotations

import csv
import html
import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from msckg.graph.entities import name_key
from msckg.graph.reader import COLUMNS, Row, read_table
from msckg.graph.shapes import check_shapes
from msckg.graph.store import Store
from msckg.graph.triples import asserted_graph, provenance_graph
from msckg.graph.validate import MATCH_COLUMNS, validate_rows
from msckg.ontology import STMT, XREFS_VERIFIED_PATH

__all__ = [
    "DEFAULT_PROFILE",
    "LEVELS",
    "REPORT_COLUMNS",
    "RULES",
    "Finding",
    "ProfileError",
    "Report",
    "load_profile",
    "run_report",
]

#: Levels from most to least severe.
LEVELS = ("ERROR", "WARN", "INFO")
#: The columns of the TSV report.
REPORT_COLUMNS = ("level", "rule", "subject", "location", "message")
DEFAULT_PROFILE = Path(str(files("msckg.graph"))) / "report_profile.tsv"
#: Evidence contexts that name a kind of study, which the editorial can only report by citing one.
STUDY_EVIDENCE = frozenset(
    {"clinical_trial", "early_clinical_study", "animal_model", "preclinical_study"}
)
_DEFINITION_MISSING = "empty column 'definition'"


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One line of the report (``level`` is filled from the profile)."""

    level: str
    rule: str
    subject: str
    location: str
    message: str


class ProfileError(ValueError):
    """The profile file is malformed; ``problems`` lists each as ``file:line: message``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True, slots=True)
class _Tables:
    entities: list[Row]
    references: list[Row]
    statements: list[Row]
    xrefs_verified: Path = XREFS_VERIFIED_PATH


_Check = Callable[[_Tables], Iterable[tuple[str, str, str]]]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _missing_definition(tables: _Tables) -> Iterable[tuple[str, str, str]]:
    for row in tables.entities:
        if not row["definition"]:
            yield row["id"], str(row.source), "entity has no definition"


def _duplicate_name(tables: _Tables) -> Iterable[tuple[str, str, str]]:
    owners: dict[str, list[tuple[str, Row]]] = defaultdict(list)
    for row in tables.entities:
        for name in {row["label"], *_split(row["synonyms"])}:
            if name_key(name):
                owners[name_key(name)].append((name, row))
    for entries in owners.values():
        ids = sorted({row["id"] for _, row in entries})
        if len(ids) > 1:
            for name, row in entries:
                others = ", ".join(i for i in ids if i != row["id"])
                yield row["id"], str(row.source), f"name {name!r} is also a name of {others}"


def _verified(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["curie"]: row for row in csv.DictReader(handle, delimiter="\t")}


def _xrefs(tables: _Tables) -> Iterable[tuple[str, str, str, str]]:
    for row in tables.entities:
        for column in MATCH_COLUMNS:
            for curie in _split(row[column]):
                yield row["id"], str(row.source), column, curie


def _xref_unrecorded(tables: _Tables) -> Iterable[tuple[str, str, str]]:
    verified = _verified(tables.xrefs_verified)
    for entity, location, column, curie in _xrefs(tables):
        if curie not in verified:
            yield entity, location, f"{column} {curie} is not recorded in xrefs_verified.tsv"


def _xref_obsolete(tables: _Tables) -> Iterable[tuple[str, str, str]]:
    verified = _verified(tables.xrefs_verified)
    for entity, location, column, curie in _xrefs(tables):
        label = verified.get(curie, {}).get("label_in_source", "")
        if label.casefold().startswith("obsolete"):
            yield entity, location, f"{column} {curie} is obsolete in its source ({label!r})"


def _editorial_ids(tables: _Tables) -> set[str]:
    return {row["id"] for row in tables.references if not row["cited_as"]}


def _statement_without_reference(tables: _Tables) -> Iterable[tuple[str, str, str]]:
    for row in tables.statements:
        if not _split(row["references"]) and row["evidence"] != "expert_opinion":
            yield (
                row["id"],
                str(row.source),
                f"a statement with evidence {row['evidence']!r} cites no reference",
            )


def _opinion_without_reference(tables: _Tables) -> Iterable[tuple[str, str, str]]:
    for row in tables.statements:
        if not _split(row["references"]) and row["evidence"] == "expert_opinion":
            yield row["id"], str(row.source), "the editorial's own opinion; it cites no work"


def _evidence_contradicts_reference(tables: _Tables) -> Iterable[tuple[str, str, str]]:
    editorial = _editorial_ids(tables)
    for row in tables.statements:
        cited = _split(row["references"])
        if row["evidence"] in STUDY_EVIDENCE and cited and set(cited) <= editorial:
            yield (
                row["id"],
                str(row.source),
                f"evidence {row['evidence']} names a study, but the statement cites only "
                "the editorial itself",
            )


def _hedging_contradicts_reference(tables: _Tables) -> Iterable[tuple[str, str, str]]:
    editorial = _editorial_ids(tables)
    for row in tables.statements:
        cited = set(_split(row["references"])) - editorial
        if row["hedging"] == "established" and not cited:
            yield (
                row["id"],
                str(row.source),
                "hedging 'established' on a claim that cites no work",
            )


def _orphan_entity(tables: _Tables) -> Iterable[tuple[str, str, str]]:
    used = {
        used_id
        for row in tables.statements
        for column in ("subject", "object", "condition", "population", "via")
        for used_id in _split(row[column])
    }
    for row in tables.entities:
        if row["id"] not in used:
            yield row["id"], str(row.source), "entity is in no statement"


#: The curation rules by name (the profile may only name these and the graph rules).
CURATION_RULES: dict[str, _Check] = {
    "missing_definition": _missing_definition,
    "duplicate_name": _duplicate_name,
    "xref_unrecorded": _xref_unrecorded,
    "xref_obsolete": _xref_obsolete,
    "statement_without_reference": _statement_without_reference,
    "opinion_without_reference": _opinion_without_reference,
    "evidence_contradicts_reference": _evidence_contradicts_reference,
    "hedging_contradicts_reference": _hedging_contradicts_reference,
    "orphan_entity": _orphan_entity,
}
GRAPH_RULES = ("graph_missing_belief", "graph_stale", "graph_unavailable")
RULES = ("validator", *CURATION_RULES, *GRAPH_RULES)


def load_profile(path: Path = DEFAULT_PROFILE) -> dict[str, str]:
    """Read a profile: rule name -> level, in file order.

    :raises ProfileError: for an unreadable file, unknown level or rule, or a repeated rule
    """
    rows, problems = read_table(path, ("level", "rule"))
    profile: dict[str, str] = {}
    for row in rows:
        if row["level"] not in LEVELS:
            problems.append(
                f"{row.source}: unknown level {row['level']!r}; choose one of: {', '.join(LEVELS)}"
            )
        elif row["rule"] not in RULES:
            problems.append(
                f"{row.source}: unknown rule {row['rule']!r}; choose one of: {', '.join(RULES)}"
            )
        elif row["rule"] in profile:
            problems.append(f"{row.source}: rule {row['rule']!r} is given twice")
        else:
            profile[row["rule"]] = row["level"]
    if problems:
        raise ProfileError(problems)
    return profile


@dataclass(frozen=True, slots=True)
class Report:
    """Every finding, most severe first."""

    findings: tuple[Finding, ...]

    def count(self, level: str) -> int:
        """How many findings have ``level``."""
        return sum(1 for finding in self.findings if finding.level == level)

    def summary(self) -> str:
        """``N error(s), N warning(s), N info``."""
        return (
            f"{self.count('ERROR')} error(s), {self.count('WARN')} warning(s), "
            f"{self.count('INFO')} info"
        )

    def tsv(self) -> bytes:
        """The report as TSV with a header line."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
        writer.writerow(REPORT_COLUMNS)
        for finding in self.findings:
            writer.writerow([getattr(finding, column) for column in REPORT_COLUMNS])
        return buffer.getvalue().encode("utf-8")

    def html(self, title: str = "msckg QC report") -> bytes:
        """The report as a self-contained HTML page."""
        cells = (
            (
                finding.level.lower(),
                "".join(f"<td>{html.escape(getattr(finding, c))}</td>" for c in REPORT_COLUMNS),
            )
            for finding in self.findings
        )
        rows = "\n".join(f"<tr class='{level}'>{tds}</tr>" for level, tds in cells)
        header = "".join(f"<th>{column}</th>" for column in REPORT_COLUMNS)
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}}
tr.error td:first-child{{background:#f8d0d0}}tr.warn td:first-child{{background:#f8ecc0}}
tr.info td:first-child{{background:#dde8f8}}</style></head>
<body><h1>{html.escape(title)}</h1>
<p>{html.escape(self.summary())}</p>
<table><thead><tr>{header}</tr></thead><tbody>
{rows}
</tbody></table></body></html>
"""
        return page.encode("utf-8")


def _read_tables(
    curation_dir: Path, display_root: Path | None, xrefs_verified: Path = XREFS_VERIFIED_PATH
) -> tuple[_Tables, list[str]]:
    tables: dict[str, list[Row]] = {}
    problems: list[str] = []
    for name, columns in COLUMNS.items():
        path = curation_dir / name
        shown = str(path)
        if display_root is not None and path.resolve().is_relative_to(display_root.resolve()):
            shown = str(path.resolve().relative_to(display_root.resolve()))
        rows, found = read_table(path, columns, shown)
        tables[name] = rows
        problems += found
    read = _Tables(
        tables["entities.tsv"], tables["references.tsv"], tables["statements.tsv"], xrefs_verified
    )
    return read, problems


def _validator_findings(curation_dir: Path, display_root: Path | None) -> list[tuple[str, str]]:
    """Every validator and SHACL problem, as ``(location, message)``."""
    tables, problems = _read_tables(curation_dir, display_root)
    if not problems:
        # Unrecorded cross-references are reported by their own rule.
        everything = frozenset(curie for *_, curie in _xrefs(tables))
        by_file = {
            "entities.tsv": tables.entities,
            "references.tsv": tables.references,
            "statements.tsv": tables.statements,
        }
        curation, problems = validate_rows(by_file, verified_xrefs=everything)
        if not problems:
            problems = check_shapes(curation, asserted_graph(curation), provenance_graph(curation))
    found = []
    for problem in problems:
        if problem.endswith(_DEFINITION_MISSING):
            continue  # reported by missing_definition
        location, _, message = problem.partition(": ")
        found.append((location, message))
    return found


def _graph_findings(tables: _Tables, store: Store | None) -> Iterable[tuple[str, str, str, str]]:
    if store is None:
        yield "graph_unavailable", "", "", "no built graph: the graph rules were not run"
        return
    rows = store.select(
        "SELECT ?s ?b WHERE { GRAPH graph:provenance { ?s a msckg:Statement "
        "OPTIONAL { ?s msckg:belief ?b } } }"
    )
    in_graph = {row["s"].removeprefix(str(STMT)): row for row in rows}
    for ident, row in sorted(in_graph.items()):
        if "b" not in row:
            yield "graph_missing_belief", ident, "", "statement node has no msckg:belief"
    curated = {row["id"]: row for row in tables.statements}
    for ident in sorted(set(curated) - set(in_graph)):
        yield (
            "graph_stale",
            ident,
            str(curated[ident].source),
            "statement is not in the built graph (rebuild)",
        )
    for ident in sorted(set(in_graph) - set(curated)):
        yield "graph_stale", ident, "", "statement in the built graph is not in the curation"


def _sort_key(finding: Finding) -> tuple[int, str, str, int, str]:
    path, _, line = finding.location.rpartition(":")
    number = int(line) if line.isdigit() else 0
    return (LEVELS.index(finding.level), finding.rule, path, number, finding.subject)


def run_report(
    curation_dir: Path,
    store: Store | None = None,
    profile: dict[str, str] | None = None,
    display_root: Path | None = None,
    xrefs_verified: Path = XREFS_VERIFIED_PATH,
) -> Report:
    """Check the curation in ``curation_dir`` (and the built graph in ``store``, if given).

    :param curation_dir: folder of the three curation files
    :param store: the built graph, for the graph rules; ``None`` reports them as not run
    :param profile: rule -> level (:func:`load_profile`); rules it leaves out are not run
    :param display_root: file paths in locations are shown relative to this folder
    :param xrefs_verified: the record of checked cross-references
    :returns: the findings, most severe first, then by rule and file line
    """
    profile = load_profile() if profile is None else profile
    tables, _ = _read_tables(curation_dir, display_root, xrefs_verified)
    findings: list[Finding] = []
    if "validator" in profile:
        ids = {
            str(row.source): row["id"]
            for row in (*tables.entities, *tables.references, *tables.statements)
        }
        for location, message in _validator_findings(curation_dir, display_root):
            subject = ids.get(location, "")
            findings.append(Finding(profile["validator"], "validator", subject, location, message))
    for rule, check in CURATION_RULES.items():
        if rule in profile:
            for subject, location, message in check(tables):
                findings.append(Finding(profile[rule], rule, subject, location, message))
    for rule, subject, location, message in _graph_findings(tables, store):
        if rule in profile:
            findings.append(Finding(profile[rule], rule, subject, location, message))
    return Report(tuple(sorted(set(findings), key=_sort_key)))
