"""GraphML export (Gephi, yEd, Cytoscape desktop) through networkx's writer."""

from __future__ import annotations

from typing import BinaryIO

import networkx as nx

from msckg.graph.exports.base import Exporter, flat_graph

__all__ = ["GraphMLExporter"]


class GraphMLExporter(Exporter):
    """GraphML with string/int attributes: label, type, colour; predicate, evidence, DOIs."""

    format = "graphml"
    extension = "graphml"
    media_type = "application/graphml+xml"
    description = "GraphML for Gephi, yEd and Cytoscape"

    def write(self, graph: nx.MultiDiGraph[str], stream: BinaryIO) -> None:
        """Write ``graph`` as GraphML (UTF-8)."""
        nx.write_graphml(flat_graph(graph), stream, encoding="utf-8", prettyprint=True)
