"""What every export shares: exporter base classes, flat attributes, type colours, safe cells."""

from __future__ import annotations

import io
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any, BinaryIO, ClassVar

import networkx as nx

from msckg.ontology import CONVERTER

__all__ = [
    "DEFAULT_COLOUR",
    "TYPE_COLOURS",
    "Exporter",
    "MultiFileExporter",
    "colour_of",
    "edge_id",
    "flat_edge",
    "flat_graph",
    "flat_node",
    "iri_of",
    "legend",
    "safe_cell",
]

#: Node colours by class, looked up along a node's types from the most specific. Every class has
#: its own colour, mostly from Kelly's 22 colours of maximum contrast (Kelly 1965, "Twenty-two
#: colors of maximum contrast", Color Engineering 3(6)); any two differ by a CIE76 colour
#: difference of at least 15 (tests/test_exports.py checks it), so a therapy and a cell-based
#: therapy never share a colour.
TYPE_COLOURS: dict[str, str] = {
    "msckg:Disorder": "#be0032",
    "msckg:ClinicalFeature": "#f99379",
    "msckg:PathologicalProcess": "#875692",
    "msckg:BiologicalProcess": "#0067a5",
    "msckg:Process": "#a1caf1",
    "msckg:CellCapacity": "#008856",
    "msckg:ProinflammatoryCytokine": "#e25822",
    "msckg:Cytokine": "#f6a600",
    "msckg:GrowthFactor": "#8db600",
    "msckg:Molecule": "#dcd300",
    "msckg:MoleculeGroup": "#c2b280",
    "msckg:CellType": "#f38400",
    "msckg:CellSource": "#882d17",
    "msckg:AnatomicalEntity": "#654522",
    "msckg:CellBasedTherapy": "#e68fac",
    "msckg:ConventionalTherapy": "#b3446c",
    "msckg:Therapy": "#604e97",
    "msckg:DeliveryMethod": "#848482",
    "msckg:Biomaterial": "#2b3d26",
    "msckg:Outcome": "#f3c300",
    "msckg:Risk": "#222222",
    "msckg:TreatmentLimitation": "#5f9ea0",
    "msckg:Challenge": "#00b4c5",
    "msckg:Discipline": "#7fd4c1",
    "msckg:PatientGroup": "#000075",
}
DEFAULT_COLOUR = "#bbbbbb"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def colour_of(types: Iterable[str]) -> str:
    """The colour of the most specific of ``types`` that has one.

    >>> colour_of(("msckg:GrowthFactor", "msckg:Molecule"))
    '#8db600'
    """
    return next((TYPE_COLOURS[t] for t in types if t in TYPE_COLOURS), DEFAULT_COLOUR)


def legend(graph: nx.MultiDiGraph[str]) -> list[tuple[str, str, str]]:
    """``(type CURIE, type label, colour)`` for each node type present, sorted by label."""
    seen = {
        data.get("type", ""): (
            data.get("type_label", ""),
            colour_of(data.get("types", (data.get("type", ""),))),
        )
        for _, data in graph.nodes(data=True)
    }
    return sorted(
        ((t, label, colour) for t, (label, colour) in seen.items()), key=lambda item: item[1]
    )


def iri_of(curie: str) -> str:
    """Expand a CURIE with msckg's prefixes (left as is when it has no known prefix)."""
    return CONVERTER.expand(curie) or curie


def safe_cell(value: object) -> str:
    """A CSV/TSV cell that a spreadsheet will not run as a formula (a leading ``'`` defuses it).

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("-1"), safe_cell("IL-6")
    ("'=HYPERLINK(1)", "'-1", 'IL-6')
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def edge_id(source: str, key: str, target: str) -> str:
    """A stable edge identifier: ``subject|predicate|object``."""
    return f"{source}|{key}|{target}"


def flat_node(node: str, data: dict[str, Any]) -> dict[str, str]:
    """A node's attributes as strings, multi-valued ones joined with ``|``."""
    return {
        "id": node,
        "iri": iri_of(node),
        "label": data.get("label", node),
        "type": data.get("type", ""),
        "type_label": data.get("type_label", ""),
        "synonyms": "|".join(data.get("synonyms", ())),
        "colour": colour_of(data.get("types", (data.get("type", ""),))),
    }


def flat_edge(source: str, target: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    """An edge's attributes as scalars: best evidence and hedging, highest belief, statement ids,
    DOIs, locators."""
    statements = [s for s in data.get("statements", ()) if s.positive] or list(
        data.get("statements", ())
    )
    best = max(statements, key=lambda s: (s.evidence_rank, s.hedging_rank), default=None)
    beliefs = [s.belief for s in statements if s.belief is not None]
    return {
        "id": edge_id(source, key, target),
        "source": source,
        "target": target,
        "predicate": data.get("predicate", key),
        "label": data.get("label", key),
        "evidence": best.evidence if best else "",
        "evidence_rank": best.evidence_rank if best else 0,
        "hedging": best.hedging if best else "",
        "belief": f"{max(beliefs):.3f}" if beliefs else "",
        "statements": "|".join(s.id for s in statements),
        "dois": "|".join(sorted({ref.doi for s in statements for ref in s.references})),
        "locators": "|".join(sorted({s.locator for s in statements if s.locator})),
    }


def flat_graph(graph: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """A copy of ``graph`` whose node and edge attributes are all strings or integers."""
    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: v for k, v in flat_node(node, data).items() if k != "id"})
    for source, target, key, data in graph.edges(keys=True, data=True):
        attrs = flat_edge(source, target, key, data)
        flat.add_edge(
            source,
            target,
            key=attrs.pop("id"),
            **{k: v for k, v in attrs.items() if k not in {"source", "target"}},
        )
    return flat


class Exporter(ABC):
    """Writes a projection (or a subgraph of it) in one format to a binary stream."""

    format: ClassVar[str]
    extension: ClassVar[str]
    media_type: ClassVar[str]
    description: ClassVar[str]
    #: The external program the format is drawn with, or ``None`` when Python alone writes it.
    #: Only such a format may fail with :class:`~msckg.graph.errors.ToolMissing` (HTTP 503).
    program: ClassVar[str | None] = None

    @abstractmethod
    def write(self, graph: nx.MultiDiGraph[str], stream: BinaryIO) -> None:
        """Write ``graph`` to ``stream``."""

    def to_bytes(self, graph: nx.MultiDiGraph[str]) -> bytes:
        """The export as bytes."""
        buffer = io.BytesIO()
        self.write(graph, buffer)
        return buffer.getvalue()


class MultiFileExporter(Exporter):
    """An export made of several files (e.g. nodes and edges), written as a zip archive."""

    extension = "zip"
    media_type = "application/zip"

    @abstractmethod
    def files(self, graph: nx.MultiDiGraph[str]) -> dict[str, bytes]:
        """The files of the export by name."""

    def write(self, graph: nx.MultiDiGraph[str], stream: BinaryIO) -> None:
        """Write the files as a zip with fixed timestamps, so equal graphs give equal bytes."""
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in self.files(graph).items():
                archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 12, 10, 0, 0, 0)), content)
