"""Static pictures (SVG, PNG) with a legend of node types, drawn by Graphviz ``dot``."""

from __future__ import annotations

import shutil
import subprocess
from typing import BinaryIO, ClassVar

import networkx as nx

from msckg.graph.errors import ToolFailed, ToolMissing
from msckg.graph.exports.base import Exporter
from msckg.graph.exports.dot import dot_source

__all__ = ["PNG_DPI", "PNGExporter", "SVGExporter", "render"]

PNG_DPI = 96
TIMEOUT_SECONDS = 120


def render(graph: nx.MultiDiGraph[str], output: str, dpi: int = PNG_DPI) -> bytes:
    """Lay out and draw ``graph`` with its legend through Graphviz ``dot``.

    :param output: a Graphviz output format, ``svg`` or ``png``
    :param dpi: resolution of raster output (pixels = points * dpi / 72); SVG stays in points
    :returns: the picture's bytes
    :raises ToolMissing: when Graphviz is not installed
    :raises ToolFailed: when ``dot`` fails or runs past its time
    """
    program = shutil.which("dot")
    if program is None:
        raise ToolMissing("Graphviz 'dot' is not installed (Debian: apt-get install graphviz)")
    try:
        completed = subprocess.run(  # noqa: S603 - fixed program and arguments, DOT on stdin
            [program, f"-T{output}", *([f"-Gdpi={dpi}"] if output != "svg" else [])],
            input=dot_source(graph, with_legend=True).encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ToolFailed(f"dot -T{output} ran past {TIMEOUT_SECONDS} s") from None
    if completed.returncode != 0:
        raise ToolFailed(
            f"dot -T{output} failed: {completed.stderr.decode('utf-8', 'replace').strip()}"
        )
    return completed.stdout


class _Picture(Exporter):
    output: ClassVar[str]
    program = "Graphviz"

    def write(self, graph: nx.MultiDiGraph[str], stream: BinaryIO) -> None:
        """Draw ``graph`` and write the picture."""
        stream.write(render(graph, self.output))


class SVGExporter(_Picture):
    """An SVG picture for reports, with a legend of node types and tooltips."""

    format = "svg"
    extension = "svg"
    media_type = "image/svg+xml"
    description = "SVG picture with a legend (Graphviz)"
    output = "svg"


class PNGExporter(_Picture):
    """A PNG picture at 96 dpi, with a legend of node types."""

    format = "png"
    extension = "png"
    media_type = "image/png"
    description = "PNG picture with a legend (Graphviz)"
    output = "png"
