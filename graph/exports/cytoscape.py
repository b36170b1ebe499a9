"""Cytoscape.js JSON export: ``{"elements": {"nodes": [...], "edges": [...]}}`` with evidence."""

from __future__ import annotations

import json
from typing import Any, BinaryIO

import networkx as nx

from msckg.graph.exports.base import Exporter, flat_edge, flat_node

__all__ = ["CytoscapeExporter", "cytoscape_elements"]


def cytoscape_elements(graph: nx.MultiDiGraph[str]) -> dict[str, list[dict[str, Any]]]:
    """The graph as Cytoscape.js elements; each edge lists its statements in full.

    :returns: ``{"nodes": [{"data": {...}}], "edges": [{"data": {...}}]}``
    """
    nodes = [{"data": flat_node(node, data)} for node, data in sorted(graph.nodes.items())]
    edges = []
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        attrs = flat_edge(source, target, key, data)
        attrs["statements"] = [s.as_dict() for s in data.get("statements", ())]
        edges.append({"data": attrs})
    return {"nodes": nodes, "edges": edges}


class CytoscapeExporter(Exporter):
    """Cytoscape.js JSON (also opens in Cytoscape desktop's JSON importer)."""

    format = "cyjs"
    extension = "cyjs.json"
    media_type = "application/json"
    description = "Cytoscape.js JSON elements"

    def write(self, graph: nx.MultiDiGraph[str], stream: BinaryIO) -> None:
        """Write ``graph`` as Cytoscape.js JSON (UTF-8)."""
        document = {
            "format_version": "1.0",
            "generated_by": "msckg",
            "elements": cytoscape_elements(graph),
        }
        stream.write(json.dumps(document, indent=1, ensure_ascii=False).encode("utf-8"))
