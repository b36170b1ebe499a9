"""The page at ``/``: entity search, entity view, graph view, SPARQL editor; local assets only."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, Response, jsonify, render_template, request

from msckg.graph.exports.html import view_script
from msckg.graph.model import EvidenceContext
from msckg.service.context import services
from msckg.service.jobs import run_call
from msckg.service.limits import MAX_K, MAX_LENGTH

__all__ = ["GRAPH_MAX_RADIUS", "blueprint"]

blueprint = Blueprint(
    "web", __name__, static_folder="static", static_url_path="/static", template_folder="templates"
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


@blueprint.route("/")
def index() -> str:
    """The page; ``app.js`` fills it from the REST API and the SPARQL endpoint."""
    settings = services().settings
    return render_template(
        "index.html",
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
