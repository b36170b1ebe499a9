"""Neo4j CSV export: ``nodes.csv`` and ``edges.csv`` with ``neo4j-admin import`` headers."""

from __future__ import annotations

import csv
import io
import re

import networkx as nx

from msckg.graph.exports.base import MultiFileExporter, flat_edge, flat_node, safe_cell

__all__ = ["EDGE_HEADER", "NODE_HEADER", "Neo4jExporter", "relationship_type"]

NODE_HEADER = ["id:ID", "name", "type", "synonyms:string[]", "iri", "colour", ":LABEL"]
EDGE_HEADER = [
    ":START_ID",
    ":END_ID",
    ":TYPE",
    "predicate",
    "evidence",
    "evidence_rank:int",
    "hedging",
    "statements:string[]",
    "dois:string[]",
    "locators:string[]",
]


def relationship_type(predicate: str) -> str:
    """Neo4j's UPPER_SNAKE relationship type of a predicate CURIE.

    >>> relationship_type("msckg:isolatedFrom")
    'ISOLATED_FROM'
    """
    local = predicate.rsplit(":", 1)[-1]
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", local).upper()


def _labels(types: tuple[str, ...]) -> str:
    return ";".join(t.rsplit(":", 1)[-1] for t in reversed(types))


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[safe_cell(cell) for cell in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


class Neo4jExporter(MultiFileExporter):
    """Labels: type and its superclasses (``Entity;Molecule;GrowthFactor``); arrays use ``;``."""

    format = "neo4j"
    description = "Neo4j CSV (nodes.csv, edges.csv) for neo4j-admin import, zipped"

    def files(self, graph: nx.MultiDiGraph[str]) -> dict[str, bytes]:
        """``nodes.csv`` and ``edges.csv``, cells defused against spreadsheet formulas."""
        nodes = [NODE_HEADER]
        for node, data in sorted(graph.nodes.items()):
            attrs = flat_node(node, data)
            nodes.append(
                [
                    node,
                    attrs["label"],
                    attrs["type"],
                    attrs["synonyms"].replace("|", ";"),
                    attrs["iri"],
                    attrs["colour"],
                    _labels(data.get("types", (attrs["type"],))),
                ]
            )
        edges = [EDGE_HEADER]
        for source, target, key, data in sorted(
            graph.edges(keys=True, data=True), key=lambda e: e[:3]
        ):
            attrs = flat_edge(source, target, key, data)
            edges.append(
                [
                    source,
                    target,
                    relationship_type(key),
                    key,
                    attrs["evidence"],
                    str(attrs["evidence_rank"]),
                    attrs["hedging"],
                    *(attrs[name].replace("|", ";") for name in ("statements", "dois", "locators")),
                ]
            )
        return {"nodes.csv": _csv(nodes), "edges.csv": _csv(edges)}
