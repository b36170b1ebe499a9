"""The cross-references as an SSSOM mapping table (https://mapping-commons.github.io/sssom/).

Each row maps an msckg entity (from the curation) or an ontology class or property (from
``ontology/msckg.ttl``) to a term of a standard ontology, as ``skos:exactMatch`` or
``skos:closeMatch``, justified as ``semapv:ManualMappingCuration``, with the author and date
recorded in ``ontology/xrefs_verified.tsv`` and where the identifier was checked.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rdflib import Graph

from msckg.graph.validate import Curation
from msckg.ontology import CONVERTER, ONTOLOGY_PATH, PREFIXES, RDFS, SKOS, XREFS_VERIFIED_PATH

__all__ = ["SSSOM_COLUMNS", "mapping_rows", "sssom_table"]

SSSOM_COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "author_label",
    "mapping_date",
    "comment",
)
_EXTRA_PREFIXES = {"semapv": "https://w3id.org/semapv/vocab/"}


def _verified(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["curie"]: row for row in csv.DictReader(handle, delimiter="\t")}


def mapping_rows(
    curation: Curation,
    ontology_path: Path = ONTOLOGY_PATH,
    xrefs_verified: Path = XREFS_VERIFIED_PATH,
) -> list[dict[str, str]]:
    """One row per cross-reference, sorted by subject, predicate and object.

    :raises KeyError: for a cross-reference missing from ``xrefs_verified`` (the validator and
        ``msckg report`` refuse those before a release gets here)
    """
    verified = _verified(xrefs_verified)
    pairs: list[tuple[str, str, str, str]] = []
    for entity in curation.entities.values():
        for predicate, curies in (
            ("skos:exactMatch", entity.exact_match),
            ("skos:closeMatch", entity.close_match),
            ("skos:broadMatch", entity.broad_match),
            ("skos:narrowMatch", entity.narrow_match),
            ("skos:relatedMatch", entity.related_match),
        ):
            pairs += [(f"ent:{entity.id}", entity.label, predicate, curie) for curie in curies]
    ontology = Graph().parse(ontology_path, format="turtle")
    for predicate, curie_predicate in (
        (SKOS.exactMatch, "skos:exactMatch"),
        (SKOS.closeMatch, "skos:closeMatch"),
    ):
        for term, target in ontology.subject_objects(predicate):
            name = ontology.value(term, RDFS.label)
            pairs.append(
                (
                    CONVERTER.compress_strict(str(term)),
                    str(name) if name is not None else "",
                    curie_predicate,
                    CONVERTER.compress_strict(str(target)),
                )
            )
    rows = []
    for subject, label, predicate, curie in sorted(set(pairs)):
        record = verified[curie]
        rows.append(
            {
                "subject_id": subject,
                "subject_label": label,
                "predicate_id": predicate,
                "object_id": curie,
                "object_label": record["label_in_source"],
                "mapping_justification": "semapv:ManualMappingCuration",
                "author_label": record["checked_by"],
                "mapping_date": record["checked_on"],
                "comment": f"checked in {record['source_repo']}/{record['source_path']}"
                f"@{record['source_commit']}",
            }
        )
    return rows


def sssom_table(
    rows: list[dict[str, str]], mapping_set_id: str, version: str, license_url: str
) -> bytes:
    """The SSSOM/TSV file: a YAML metadata block as ``#`` comments, then the mapping rows."""
    used = {
        row[column].split(":", 1)[0]
        for row in rows
        for column in ("subject_id", "predicate_id", "object_id", "mapping_justification")
    }
    prefixes = {**PREFIXES, **_EXTRA_PREFIXES}
    # values as JSON strings, which YAML reads as quoted scalars (an IRI may end in ':')
    lines = ["# curie_map:"]
    lines += [f"#   {prefix}: {json.dumps(prefixes[prefix])}" for prefix in sorted(used)]
    lines += [
        f"# mapping_set_id: {json.dumps(mapping_set_id)}",
        f"# mapping_set_version: {json.dumps(version)}",
        f"# license: {json.dumps(license_url)}",
        f"# mapping_set_title: {json.dumps('msckg cross-references to standard ontologies')}",
    ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, SSSOM_COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\n".join(lines) + "\n" + buffer.getvalue()).encode("utf-8")
