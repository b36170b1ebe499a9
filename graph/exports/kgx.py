"""KGX TSV export: ``nodes.tsv`` and ``edges.tsv`` with Biolink categories and predicates."""

from __future__ import annotations

import csv
import io
import uuid

import networkx as nx

from msckg.graph.exports.base import MultiFileExporter, flat_edge, flat_node, safe_cell

__all__ = ["CATEGORIES", "EDGE_COLUMNS", "NODE_COLUMNS", "PREDICATES", "KGXExporter", "category_of"]

#: Biolink categories of msckg classes, looked up along a node's types from the most specific.
CATEGORIES: dict[str, str] = {
    "msckg:Disorder": "biolink:Disease",
    "msckg:ClinicalFeature": "biolink:PhenotypicFeature",
    "msckg:PathologicalProcess": "biolink:PathologicalProcess",
    "msckg:BiologicalProcess": "biolink:BiologicalProcess",
    "msckg:CellCapacity": "biolink:BiologicalProcessOrActivity",
    "msckg:GrowthFactor": "biolink:Protein",
    "msckg:Cytokine": "biolink:Protein",
    "msckg:Molecule": "biolink:MolecularEntity",
    "msckg:CellType": "biolink:Cell",
    "msckg:AnatomicalEntity": "biolink:AnatomicalEntity",
    "msckg:Therapy": "biolink:Treatment",
    "msckg:DeliveryMethod": "biolink:Procedure",
    "msckg:Biomaterial": "biolink:Device",
    "msckg:Outcome": "biolink:PhenotypicFeature",
    "msckg:Publication": "biolink:Publication",
}
DEFAULT_CATEGORY = "biolink:NamedThing"
#: Biolink predicates of msckg predicates; the original predicate is kept in ``original_predicate``.
PREDICATES: dict[str, str] = {
    "msckg:hasFeature": "biolink:has_phenotype",
    "msckg:featureOf": "biolink:phenotype_of",
    "msckg:leadsTo": "biolink:contributes_to",
    "msckg:impairs": "biolink:affects",
    "msckg:treats": "biolink:treats",
    "msckg:treatedBy": "biolink:treated_by",
    "msckg:studiedToTreat": "biolink:studied_to_treat",
    "msckg:hasCapacity": "biolink:capable_of",
    "msckg:isolatedFrom": "biolink:derives_from",
    "msckg:secretes": "biolink:produces",
    "msckg:promotes": "biolink:affects",
    "msckg:reduces": "biolink:affects",
    "msckg:modulates": "biolink:regulates",
    "msckg:activates": "biolink:affects",
    "msckg:improves": "biolink:affects",
    "msckg:partOf": "biolink:part_of",
    "msckg:hasRisk": "biolink:associated_with",
    "msckg:riskOf": "biolink:associated_with",
}
DEFAULT_PREDICATE = "biolink:related_to"
#: The Biolink model release the categories and predicates are checked against (tests: bmt, kgx).
BIOLINK_VERSION = "4.4.6"
#: Information-resource ids: the editorial every statement comes from is the primary source;
#: msckg, which curated its statements into this graph, the aggregator. Neither is (yet) in
#: the Biolink information resource registry; they follow its ``infores:`` id syntax.
PRIMARY_KNOWLEDGE_SOURCE = "infores:saremi-2025-msc-editorial"
AGGREGATOR_KNOWLEDGE_SOURCE = "infores:msckg"
#: The supporting publications go in ``publications``: in Biolink 4.x "supporting publications"
#: is an alias of that slot (kgx reads only the slot's own name as a list).
#: Every statement is a claim an author made, curated by hand.
KNOWLEDGE_LEVEL = "knowledge_assertion"
AGENT_TYPE = "manual_agent"
NODE_COLUMNS = ["id", "category", "name", "synonym", "iri", "provided_by"]
EDGE_COLUMNS = [
    "id",
    "subject",
    "predicate",
    "object",
    "original_predicate",
    "category",
    "primary_knowledge_source",
    "aggregator_knowledge_source",
    "publications",
    "knowledge_level",
    "agent_type",
    "msckg_evidence",
    "msckg_hedging",
    "msckg_belief",
    "msckg_statements",
]


def edge_uuid(edge: str) -> str:
    """A stable edge id for KGX, where ``|`` would split a cell into a list.

    >>> edge_uuid("ent:a|msckg:treats|ent:b") == edge_uuid("ent:a|msckg:treats|ent:b")
    True
    """
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://w3id.org/msckg/edge/{edge}").urn


def category_of(types: tuple[str, ...]) -> str:
    """The Biolink category of the most specific mapped type.

    >>> category_of(("msckg:CellSource", "msckg:AnatomicalEntity", "msckg:Entity"))
    'biolink:AnatomicalEntity'
    """
    return next((CATEGORIES[t] for t in types if t in CATEGORIES), DEFAULT_CATEGORY)


def _tsv(header: list[str], rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows([{k: safe_cell(v) for k, v in row.items()} for row in rows])
    return buffer.getvalue().encode("utf-8")


class KGXExporter(MultiFileExporter):
    """KGX TSV; multi-valued cells use ``|``, publications are ``doi:`` CURIEs."""

    format = "kgx"
    description = "KGX TSV (nodes.tsv, edges.tsv) with Biolink categories and predicates, zipped"

    def files(self, graph: nx.MultiDiGraph[str]) -> dict[str, bytes]:
        """``nodes.tsv`` and ``edges.tsv``."""
        nodes = []
        for node, data in sorted(graph.nodes.items()):
            attrs = flat_node(node, data)
            nodes.append(
                {
                    "id": node,
                    "category": category_of(data.get("types", (attrs["type"],))),
                    "name": attrs["label"],
                    "synonym": attrs["synonyms"],
                    "iri": attrs["iri"],
                    "provided_by": AGGREGATOR_KNOWLEDGE_SOURCE,
                }
            )
        edges = []
        for source, target, key, data in sorted(
            graph.edges(keys=True, data=True), key=lambda e: e[:3]
        ):
            attrs = flat_edge(source, target, key, data)
            dois = [doi for doi in attrs["dois"].split("|") if doi]
            if not dois:  # no cited work: the editorial's own claim
                dois = sorted({s.source_doi for s in data.get("statements", ()) if s.source_doi})
            edges.append(
                {
                    "id": edge_uuid(attrs["id"]),
                    "subject": source,
                    "predicate": PREDICATES.get(key, DEFAULT_PREDICATE),
                    "object": target,
                    "original_predicate": key,
                    "category": "biolink:Association",
                    "primary_knowledge_source": PRIMARY_KNOWLEDGE_SOURCE,
                    "aggregator_knowledge_source": AGGREGATOR_KNOWLEDGE_SOURCE,
                    "publications": "|".join(f"doi:{doi}" for doi in dois),
                    "knowledge_level": KNOWLEDGE_LEVEL,
                    "agent_type": AGENT_TYPE,
                    "msckg_evidence": attrs["evidence"],
                    "msckg_hedging": attrs["hedging"],
                    "msckg_belief": attrs["belief"],
                    "msckg_statements": attrs["statements"],
                }
            )
        return {"nodes.tsv": _tsv(NODE_COLUMNS, nodes), "edges.tsv": _tsv(EDGE_COLUMNS, edges)}
