"""A self-contained HTML view: inline SVG renderer, type colours, legend, evidence on hover."""

from __future__ import annotations

import html
import json
from importlib.resources import files
from typing import BinaryIO

import networkx as nx

from msckg.graph.exports.base import Exporter, legend
from msckg.graph.exports.cytoscape import cytoscape_elements

__all__ = ["HTMLExporter", "html_view", "view_script"]

_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; color: #222; background: #fff; height: 100vh;
       display: flex; flex-direction: column; }
header { padding: 0.5rem 1rem; border-bottom: 1px solid #ddd; }
h1 { font-size: 1.2rem; margin: 0.2rem 0; } h2 { font-size: 1rem; }
main { display: flex; flex: 1; min-height: 0; }
#view { flex: 1; cursor: grab; }
#legend { width: 15rem; padding: 0 1rem; border-left: 1px solid #ddd; overflow-y: auto;
          font-size: 0.85rem; }
#legend ul { list-style: none; padding: 0; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; margin-right: 0.4rem;
          border: 1px solid #333;
          vertical-align: middle; }
#tip { position: absolute; max-width: 28rem; background: #fffff0; border: 1px solid #999;
       padding: 0.4rem;
       font-size: 0.8rem; box-shadow: 2px 2px 6px rgba(0, 0, 0, 0.2); pointer-events: none; }
"""


def _script_json(value: object) -> str:
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def view_script() -> str:
    """The graph renderer ``view.js``, inlined here and served to the web page as is."""
    return files("msckg.graph.exports").joinpath("view.js").read_text(encoding="utf-8")


def html_view(graph: nx.MultiDiGraph[str], title: str = "msckg graph view") -> str:
    """The HTML document: data as inline JSON, the renderer as inline script, no external resources.

    :param title: shown as the page title and heading
    """
    elements = cytoscape_elements(graph)
    data = {
        "nodes": [node["data"] for node in elements["nodes"]],
        "edges": [edge["data"] for edge in elements["edges"]],
        "legend": [
            {"type": t, "label": label, "colour": colour} for t, label, colour in legend(graph)
        ],
    }
    script = view_script()
    heading = html.escape(title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<title>{heading}</title>
<style>{_STYLE}</style>
</head>
<body>
<header><h1>{heading}</h1>
<p>{graph.number_of_nodes()} entities, {graph.number_of_edges()} relations.
Hover a node or an edge for its evidence; drag to pan, scroll to zoom.
Thicker edges rest on stronger evidence.</p></header>
<main>
<svg id="view" role="group" tabindex="0" aria-label="{heading}: Tab moves through its entities and relations; + and - zoom, arrow keys pan, 0 fits" xmlns="http://www.w3.org/2000/svg"></svg>
<aside id="legend"><h2>Node types</h2><ul id="legend-items"></ul>
<h2>Edge width</h2>
<p>1 + 0.6 &times; best evidence rank (expert opinion 1 &hellip; clinical trial 4).</p></aside>
</main>
<div id="tip" hidden></div>
<script type="application/json" id="graph-data">{_script_json(data)}</script>
<script>
{script}</script>
</body>
</html>
"""


class HTMLExporter(Exporter):
    """One HTML file that works offline: no CDN, no fetch, data and renderer inline."""

    format = "html"
    extension = "html"
    media_type = "text/html"
    description = "self-contained interactive HTML view"

    def write(self, graph: nx.MultiDiGraph[str], stream: BinaryIO) -> None:
        """Write the view of ``graph`` (UTF-8)."""
        stream.write(html_view(graph).encode("utf-8"))
