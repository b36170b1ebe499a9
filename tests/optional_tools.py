"""The optional programs some tests need, and the one way a test says it needs one.

A test marked ``@requires_tool("chromium")`` (or a module with ``pytestmark = ...``) is skipped
when the program is missing, with a reason that names the program and how to install it; at the
end of the run, conftest.py counts the skips per missing program. Because every such skip goes
through this module, the count is exact: no reason text is parsed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from msckg.graph.exports.picture import available_renderers
from msckg.service.web import editor_installed

__all__ = ["ECOSYSTEM_PYTHON", "TOOLS", "Tool", "marker_name", "requires_tool"]

JS_DIR = Path(__file__).parent / "js"
#: The venv of the ecosystem validators (``make install-ecosystem``), or $MSCKG_ECOSYSTEM_PYTHON.
ECOSYSTEM_PYTHON = Path(
    os.environ.get(
        "MSCKG_ECOSYSTEM_PYTHON",
        Path(__file__).resolve().parents[1] / ".venv-eco" / "bin" / "python",
    )
)


@dataclass(frozen=True)
class Tool:
    """An optional program: how to find it and how a newcomer installs it."""

    name: str
    label: str
    install: str
    commands: tuple[str, ...] = ()
    #: When set, the tool counts as present only if this also holds (e.g. its packages exist).
    also: Callable[[], bool] | None = None
    #: In CI (``CI`` set) the tool must be there: its tests run, and fail, rather than skip.
    required_in_ci: bool = False

    def find(self) -> str | None:
        """The program's path, or ``None`` when it is missing."""
        found = next((path for path in map(shutil.which, self.commands) if path), None)
        if found is None or (self.also is not None and not self.also()):
            return None
        return found

    @property
    def reason(self) -> str:
        """The skip reason: what is missing and the command that installs it."""
        return f"{self.label} is not installed (install: {self.install})"

    def skips(self) -> bool:
        """Whether tests needing this tool are skipped here."""
        if self.required_in_ci and os.environ.get("CI"):
            return False
        return self.find() is None


TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in (
        Tool("dot", "Graphviz 'dot'", "apt-get install -y graphviz", ("dot",)),
        Tool(
            "viz_js",
            "Node.js with the npm packages of graph/exports/renderer (viz.js, resvg)",
            "make install",
            ("node",),
            also=lambda: "viz-js" in available_renderers(),
        ),
        Tool(
            "drawing",
            "a program to draw SVG/PNG (Graphviz 'dot', or viz.js under Node.js)",
            "make install, or apt-get install -y graphviz",
            ("dot", "node"),
            also=lambda: bool(available_renderers()),
        ),
        Tool(
            "chromium",
            "Chromium",
            "apt-get install -y chromium",
            ("chromium", "chromium-browser", "google-chrome"),
        ),
        Tool(
            "yasgui",
            "YASGUI (npm @zazuko/yasgui) vendored into service/static/vendor for the SPARQL editor",
            "install Node.js and npm, then make install",
            ("node",),
            also=editor_installed,
        ),
        Tool(
            "cytoscape_js",
            "Node.js with the npm package cytoscape",
            "make js-deps",
            ("node",),
            also=lambda: (JS_DIR / "node_modules" / "cytoscape").is_dir(),
        ),
        Tool(
            "axe_core",
            "Chromium with the npm package axe-core (tests/js)",
            "make js-deps",
            ("chromium", "chromium-browser", "google-chrome"),
            also=lambda: (JS_DIR / "node_modules" / "axe-core" / "axe.min.js").is_file(),
        ),
        Tool("curl", "curl", "apt-get install -y curl", ("curl",)),
        Tool(
            "virtuoso",
            "Virtuoso Open Source (virtuoso-t)",
            "apt-get install -y virtuoso-opensource",
            ("virtuoso-t",),
            required_in_ci=True,  # .ci/run installs it
        ),
        Tool("make", "GNU make", "apt-get install -y make", ("make",)),
        Tool(
            "ecosystem",
            "The ecosystem validators (kgx, bmt, sssom, nanopub in .venv-eco)",
            "make install-ecosystem",
            (str(ECOSYSTEM_PYTHON),),
            required_in_ci=True,
        ),
        Tool(
            "java",
            "Java (for the HermiT reasoner)",
            "apt-get install -y default-jre-headless",
            ("java",),
            required_in_ci=True,
        ),
    )
}


def marker_name(tool: str) -> str:
    """The pytest marker of tests needing ``tool``: ``needs_<tool>``."""
    return f"needs_{tool}"


def requires_tool(name: str) -> pytest.MarkDecorator:
    """Mark a test as needing the optional program ``name`` (a key of :data:`TOOLS`)."""
    if name not in TOOLS:
        raise KeyError(f"unknown tool {name!r}; known: {', '.join(TOOLS)}")
    return getattr(pytest.mark, marker_name(name))
