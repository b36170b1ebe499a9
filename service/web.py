"""The page at ``/``: entity search, entity view, graph view, SPARQL editor; local assets only."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from flask import Blueprint, Response, jsonify, render_template, request

from msckg.graph.exports.html import view_script
from msckg.graph.model import EvidenceContext
from msckg.ontology import PREFIXES
from msckg.service.context import services
from msckg.service.jobs import run_call
from msckg.service.limits import MAX_K, MAX_LENGTH

__all__ = ["EDITOR_ASSETS", "EDITOR_MISSING", "GRAPH_MAX_RADIUS", "blueprint", "editor_installed"]

blueprint = Blueprint(
    "web", __name__, static_folder="static", static_url_path="/static", template_folder="templates"
)

#: YASGUI's built files, which ``make editor`` copies from npm into the static folder (not committed).
EDITOR_ASSETS = ("vendor/yasgui.min.css", "vendor/yasgui.min.js")
#: What the page says in place of the SPARQL editor when they are missing.
EDITOR_MISSING = (
    "The SPARQL editor (YASGUI) is not installed here: it comes from npm, so install Node.js "
    "and npm (apt-get install nodejs npm) and run `make install`. The endpoint itself works: "
    "POST a query to /sparql."
)

#: The page offers radius 1 to 3: past 3 the neighborhood is most of the graph, too dense to read.
GRAPH_MAX_RADIUS = 3


def _evidence_levels() -> list[tuple[int, str]]:
    """``(rank, "level, level")`` from the strongest rank down, for the minimum-evidence choice."""
    ranked = sorted(EvidenceContext, key=lambda member: -member.rank)
    return [
        (rank, ", ".join(member.code.replace("_", " ") for member in members))
        for rank, members in groupby(ranked, key=lambda member: member.rank)
    ]


def editor_installed() -> bool:
    """Whether YASGUI's built files are in the static folder (``make editor`` puts them there)."""
    static = Path(blueprint.static_folder or "")
    return all((static / asset).is_file() for asset in EDITOR_ASSETS)


@blueprint.route("/")
def index() -> str:
    """The page; ``app.js`` fills it from the REST API, ``editor.js`` drives YASGUI."""
    settings = services().settings
    return render_template(
        "index.html",
        editor_assets=EDITOR_ASSETS if editor_installed() else None,
        editor_missing=EDITOR_MISSING,
        prefixes=PREFIXES,
        timeout=f"{settings.timeout:g}",
        row_limit=settings.row_limit,
        max_radius=GRAPH_MAX_RADIUS,
        max_k=MAX_K,
        max_length=MAX_LENGTH,
        evidence_levels=_evidence_levels(),
    )


# The two assets below belong to the page, not to the REST API: their endpoint names end in
# "static", like the page's other files, and the OpenAPI document leaves them out.
@blueprint.route("/assets/graph-view.js", endpoint="graph_view_static")
def graph_view_script() -> Response:
    """The graph renderer: the very file the self-contained HTML export inlines."""
    response = Response(view_script(), mimetype="text/javascript")
    response.add_etag()
    response.make_conditional(request)  # answers 304 in place when the ETag matches
    return response


@blueprint.route("/assets/node-types.json", endpoint="node_types_static")
def node_types() -> Response:
    """Each node type in the graph with its label and the colour every graph view gives it."""
    return jsonify(run_call("node_types"))
