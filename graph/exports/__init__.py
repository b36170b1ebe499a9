"""Exports of the projection, one module per format, chosen by name through :data:`FORMATS`."""

from __future__ import annotations

from typing import BinaryIO

import networkx as nx

from msckg.graph.errors import UnknownFormat
from msckg.graph.exports.base import Exporter, MultiFileExporter
from msckg.graph.exports.cytoscape import CytoscapeExporter
from msckg.graph.exports.dot import DotExporter
from msckg.graph.exports.gexf import GEXFExporter
from msckg.graph.exports.graphml import GraphMLExporter
from msckg.graph.exports.html import HTMLExporter
from msckg.graph.exports.kgx import KGXExporter
from msckg.graph.exports.neo4j import Neo4jExporter
from msckg.graph.exports.picture import PNGExporter, SVGExporter
from msckg.graph.exports.rdf import JSONLDExporter, TurtleExporter
from msckg.graph.topology import neighborhood

__all__ = ["FORMATS", "Exporter", "MultiFileExporter", "export", "exporter_for", "select_subgraph"]

#: Every exporter by the format name users give (``msckg export NAME``, ``/api/export/NAME``).
FORMATS: dict[str, Exporter] = {
    exporter.format: exporter
    for exporter in (
        GraphMLExporter(),
        GEXFExporter(),
        CytoscapeExporter(),
        DotExporter(),
        Neo4jExporter(),
        KGXExporter(),
        TurtleExporter(),
        JSONLDExporter(),
        HTMLExporter(),
        SVGExporter(),
        PNGExporter(),
    )
}


def exporter_for(format: str) -> Exporter:
    """The exporter of ``format``.

    >>> exporter_for("gexf").media_type
    'application/gexf+xml'

    :raises UnknownFormat: naming the formats that exist
    """
    try:
        return FORMATS[format]
    except KeyError:
        raise UnknownFormat(format, FORMATS) from None


def select_subgraph(
    graph: nx.MultiDiGraph[str], focus: str | None = None, radius: int = 1
) -> nx.MultiDiGraph[str]:
    """The whole graph, or the neighborhood of ``focus`` within ``radius`` hops.

    :raises EntityNotFound: when ``focus`` names no entity
    :raises ValueError: when ``radius`` is out of bounds
    """
    return graph if focus is None else neighborhood(graph, focus, radius)


def export(graph: nx.MultiDiGraph[str], format: str, stream: BinaryIO) -> Exporter:
    """Write ``graph`` to ``stream`` in ``format``.

    :returns: the exporter used (for its media type and file extension)
    :raises UnknownFormat: naming the formats that exist
    :raises ToolMissing: when the format needs a program that is not installed
    """
    exporter = exporter_for(format)
    exporter.write(graph, stream)
    return exporter
