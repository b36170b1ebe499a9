"""Graphviz DOT export: nodes filled with their type's colour, edges labelled with predicates."""

from __future__ import annotations

from typing import BinaryIO

import networkx as nx

from msckg.graph.exports.base import Exporter, flat_edge, flat_node, legend

__all__ = ["DotExporter", "dot_source", "quote", "text_colour"]


def quote(text: str) -> str:
    r"""A DOT double-quoted string.

    >>> quote('say "hi"\\n')
    '"say \\"hi\\"\\\\n"'
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{escaped}"'


def text_colour(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (``#rrggbb``).

    >>> text_colour("#1f77b4"), text_colour("#ffbb78")
    ('#ffffff', '#000000')
    """
    red, green, blue = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#ffffff"


def _legend_lines(graph: nx.MultiDiGraph[str]) -> list[str]:
    lines = [
        "  subgraph cluster_legend {",
        '    label="node types"; fontsize=12; style=rounded; color="#999999";',
    ]
    names = []
    for index, (_, label, colour) in enumerate(legend(graph)):
        name = quote(f"legend:{index}")
        names.append(name)
        lines.append(
            f"    {name} [label={quote(label)}, fillcolor={quote(colour)}, "
            f"fontcolor={quote(text_colour(colour))}, shape=box];"
        )
    lines.append(f"    {{rank=same; {'; '.join(names)}}}")
    lines.append("  }")
    return lines


def dot_source(graph: nx.MultiDiGraph[str], *, with_legend: bool = False) -> str:
    """The DOT text of ``graph``.

    :param with_legend: add a cluster that shows each node type's colour
    """
    lines = [
        "digraph msckg {",
        '  graph [rankdir=LR, fontname="Helvetica", overlap=false, splines=true];',
        '  node [style=filled, fontname="Helvetica", fontsize=10, shape=ellipse];',
        '  edge [fontname="Helvetica", fontsize=8, color="#555555"];',
    ]
    for node, data in sorted(graph.nodes.items()):
        attrs = flat_node(node, data)
        tooltip = f"{attrs['label']} ({attrs['type_label']})"
        lines.append(
            f"  {quote(node)} [label={quote(attrs['label'])}, fillcolor={quote(attrs['colour'])}, "
            f"fontcolor={quote(text_colour(attrs['colour']))}, tooltip={quote(tooltip)}];"
        )
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        edge = flat_edge(source, target, key, data)
        evidence = edge["evidence"].replace("_", " ")
        tooltip = f"{edge['label']}: {evidence} ({edge['statements']})"
        lines.append(
            f"  {quote(source)} -> {quote(target)} [label={quote(edge['label'])}, "
            f"penwidth={1 + edge['evidence_rank'] * 0.5}, tooltip={quote(tooltip)}];"
        )
    if with_legend:
        lines.extend(_legend_lines(graph))
    lines.append("}")
    return "\n".join(lines) + "\n"


class DotExporter(Exporter):
    """Graphviz DOT; edge width grows with the best evidence rank."""

    format = "dot"
    extension = "dot"
    media_type = "text/vnd.graphviz"
    description = "Graphviz DOT"

    def write(self, graph: nx.MultiDiGraph[str], stream: BinaryIO) -> None:
        """Write ``graph`` as DOT (UTF-8)."""
        stream.write(dot_source(graph).encode("utf-8"))
