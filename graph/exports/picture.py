"""Static pictures (SVG, PNG) with a legend of node types, drawn by Graphviz.

Graphviz runs as Debian's ``dot`` where it is installed, else as Graphviz compiled to
WebAssembly (the npm package ``@viz-js/viz``) under Node.js, with resvg drawing the PNG
(``renderer/render.mjs``; ``make install`` installs its npm packages). This module is the one
place msckg runs a drawing program: always with a time limit, never fetching anything.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import BinaryIO, ClassVar

import networkx as nx

from msckg.graph.errors import ToolFailed, ToolMissing
from msckg.graph.exports.base import Exporter
from msckg.graph.exports.dot import dot_source

__all__ = [
    "PNG_DPI",
    "RENDERERS",
    "RENDERER_DIR",
    "PNGExporter",
    "SVGExporter",
    "available_renderers",
    "render",
    "render_dot",
]

PNG_DPI = 96
TIMEOUT_SECONDS = 120
#: The Node.js renderer: ``render.mjs`` and its npm packages (``npm ci --prefix`` this folder).
RENDERER_DIR = Path(__file__).with_name("renderer")
_NPM_PACKAGES = ("@viz-js/viz", "@resvg/resvg-js")
#: The renderers in the order they are tried: Graphviz's own ``dot``, then viz.js under Node.js.
RENDERERS = ("dot", "viz-js")
_INSTALL_HINT = (
    "no program to draw with: install Graphviz (Debian: apt-get install graphviz), or Node.js "
    f"and the npm packages of {RENDERER_DIR} (make install runs npm ci there)"
)


def _command(renderer: str, output: str, dpi: int) -> list[str] | None:
    """The command line of ``renderer`` drawing DOT (on stdin) as ``output``; ``None``: missing."""
    if renderer == "dot":
        program = shutil.which("dot")
        if program is None:
            return None
        return [program, f"-T{output}", *([f"-Gdpi={dpi}"] if output != "svg" else [])]
    if renderer == "viz-js":
        node = shutil.which("node")
        modules = RENDERER_DIR / "node_modules"
        if node is None or not all((modules / name).is_dir() for name in _NPM_PACKAGES):
            return None
        return [node, str(RENDERER_DIR / "render.mjs"), output, str(dpi)]
    raise ValueError(f"unknown renderer {renderer!r}; choose one of: {', '.join(RENDERERS)}")


def available_renderers() -> list[str]:
    """The renderers installed here, in the order they are tried."""
    return [name for name in RENDERERS if _command(name, "svg", PNG_DPI) is not None]


def render_dot(source: str, output: str, dpi: int = PNG_DPI, renderer: str | None = None) -> bytes:
    """Lay out and draw the DOT text ``source``.

    :param output: ``svg`` or ``png``
    :param dpi: resolution of raster output (pixels = points * dpi / 72); SVG stays in points
    :param renderer: one of :data:`RENDERERS`; ``None``: the first one installed
    :returns: the picture's bytes
    :raises ToolMissing: when no renderer (or not the one asked for) is installed
    :raises ToolFailed: when the renderer fails or runs past its time limit
    """
    names = RENDERERS if renderer is None else (renderer,)
    found = [(name, command) for name in names if (command := _command(name, output, dpi))]
    if not found:
        raise ToolMissing(
            _INSTALL_HINT if renderer is None else f"renderer {renderer!r} is not installed"
        )
    name, command = found[0]
    try:
        completed = subprocess.run(  # noqa: S603 - fixed program and arguments, DOT text on stdin
            command,
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ToolFailed(f"{name} took longer than {TIMEOUT_SECONDS} s to draw") from None
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip()
        raise ToolFailed(f"{name} could not draw the {output}: {detail}")
    return completed.stdout


def render(
    graph: nx.MultiDiGraph[str], output: str, dpi: int = PNG_DPI, renderer: str | None = None
) -> bytes:
    """Draw ``graph`` with its legend; see :func:`render_dot` for the parameters and errors."""
    return render_dot(dot_source(graph, with_legend=True), output, dpi, renderer)


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
