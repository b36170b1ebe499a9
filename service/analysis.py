"""REST endpoints of path analysis and exports: paths, neighborhoods, metapaths, export files."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from msckg.graph.analysis import ExportFile
from msckg.graph.exports import Exporter
from msckg.graph.metapaths import DEFAULT_DAMPING
from msckg.service.jobs import run_call
from msckg.service.limits import (
    DEFAULT_K,
    DEFAULT_RADIUS,
    MAX_DAMPING,
    MAX_K,
    MAX_LENGTH,
    MAX_PARAM_LENGTH,
    MAX_RADIUS,
)
from msckg.service.params import (
    BLANK_CHARACTERS,
    NOT_BLANK_PATTERN,
    flag_param,
    int_param,
    list_param,
    number_param,
    optional_int_param,
    text_param,
)

__all__ = [
    "BLANK_CHARACTERS",
    "EXPORT_CSP",
    "NOT_BLANK_PATTERN",
    "blueprint",
    "openapi_paths",
    "query_param",
]

blueprint = Blueprint("analysis", __name__)

#: The HTML view runs its inline script in a sandbox with no origin, network or forms.
EXPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "sandbox allow-scripts"
)


def _evidence_and_direction() -> dict[str, Any]:
    return {
        "min_evidence": text_param("min_evidence") or None,
        "directed": flag_param("directed", False),
    }


@blueprint.route("/api/paths")
def paths() -> Response:
    """Paths between ``source`` and ``target``: every edge's statements, and an evidence score.

    :raise 400: a missing or malformed parameter, ``k`` or ``max_length`` past its bound
    :raise 404: an unknown entity; the body lists the closest entities
    :raise 429: the client's queue is full or its query seconds are spent
    :raise 503: past the deadline
    """
    answer = run_call(
        "paths",
        source=text_param("source", required=True),
        target=text_param("target", required=True),
        k=int_param("k", DEFAULT_K, low=1, high=MAX_K),
        max_length=optional_int_param("max_length", low=1, high=MAX_LENGTH),
        all_paths=flag_param("all", False),
        predicates=list_param("predicates"),
        types=list_param("types"),
        **_evidence_and_direction(),
    )
    return jsonify(answer)


@blueprint.route("/api/neighborhood/<path:key>")
def neighborhood_of(key: str) -> Response:
    """The entities within ``radius`` hops of an entity, their edges, and Cytoscape.js elements.

    :raise 400: a bad radius
    :raise 404: an unknown entity; the body lists the closest entities
    :raise 429: the client's queue is full or its query seconds are spent
    :raise 503: past the deadline
    """
    radius = int_param("radius", DEFAULT_RADIUS, low=0, high=MAX_RADIUS)
    return jsonify(run_call("neighborhood", key=key, radius=radius))


@blueprint.route("/api/metapaths")
def metapaths_between() -> Response:
    """Paths from ``source`` to ``target`` following ``pattern`` (node types), count and DWPC.

    :raise 400: a missing parameter, an unknown type or a bad pattern length
    :raise 404: an unknown entity; the body lists the closest entities
    :raise 429: the client's queue is full or its query seconds are spent
    :raise 503: past the deadline
    """
    answer = run_call(
        "metapaths",
        source=text_param("source", required=True),
        target=text_param("target", required=True),
        pattern=text_param("pattern", required=True),
        damping=number_param("damping", DEFAULT_DAMPING, low=0.0, high=MAX_DAMPING),
        **_evidence_and_direction(),
    )
    return jsonify(answer)


@blueprint.route("/api/export/<name>")
def export_file(name: str) -> Response:
    """The graph, or the neighborhood of ``focus`` within ``radius``, as a file in format ``name``.

    :raise 400: a bad radius
    :raise 404: an unknown format (the body lists the formats) or focus entity
    :raise 429: the client's queue is full or its query seconds are spent
    :raise 503: past the deadline, the whole-graph projection not built yet, or a program the
        format needs (Graphviz) missing or failed
    """
    # The radius is checked even without a focus, where it is unused, so a bad value never passes.
    radius = int_param("radius", DEFAULT_RADIUS, low=0, high=MAX_RADIUS)
    exported: ExportFile = run_call(
        "export", format=name, focus=text_param("focus") or None, radius=radius
    )
    response = Response(exported.data, mimetype=exported.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    if exported.format == "html":
        response.headers["Content-Security-Policy"] = EXPORT_CSP
    return response


def query_param(
    name: str, description: str, schema: dict[str, Any], *, required: bool = False
) -> dict[str, Any]:
    """An OpenAPI description of one query-string parameter."""
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


def _responses(description: str, *errors: int) -> dict[str, Any]:
    return {
        "200": {
            "description": description,
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        **{str(code): {"$ref": "#/components/responses/Error"} for code in errors},
    }


def _file_schema(media_type: str) -> dict[str, Any]:
    """A JSON export (Cytoscape.js, JSON-LD) is a JSON document; the others are text or bytes."""
    if media_type.endswith(("/json", "+json")):
        return {"type": ["object", "array"]}
    return {"type": "string"}


def _unavailable(formats: dict[str, Exporter]) -> dict[str, Any]:
    """The 503 of the export endpoint: only formats drawn by an external program may give it.

    ``x-formats`` lists those formats, for clients (and the schemathesis test) to read.
    """
    drawn = {name: exporter.program for name, exporter in formats.items() if exporter.program}
    programs = ", ".join(sorted(set(drawn.values())))
    return {
        "description": f"export_unavailable, only for {', '.join(drawn)}: the program that "
        f"draws them ({programs}) is not installed or failed",
        "x-formats": list(drawn),
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def openapi_paths() -> dict[str, Any]:
    """The OpenAPI 3.1 path items of this blueprint, merged into the service's document."""
    from msckg.graph.exports import FORMATS

    entity = {"type": "string", "maxLength": MAX_PARAM_LENGTH}
    # Required parameters must hold more than blanks, as the server checks them.
    given = {**entity, "pattern": NOT_BLANK_PATTERN}
    ends = [
        query_param("source", "Entity id, CURIE, label or synonym.", given, required=True),
        query_param("target", "Entity id, CURIE, label or synonym.", given, required=True),
    ]
    evidence = query_param(
        "min_evidence",
        "Only edges with a positive statement this strong.",
        {
            "type": "string",
            "enum": [
                "expert_opinion",
                "clinical_background",
                "preclinical_study",
                "animal_model",
                "early_clinical_study",
                "clinical_trial",
            ],
        },
    )
    directed = query_param(
        "directed", "Follow edges subject to object only.", {"type": "boolean", "default": False}
    )
    return {
        "/api/paths": {
            "get": {
                "summary": "Shortest, k shortest or all simple paths with evidence scores",
                "operationId": "paths",
                "parameters": [
                    *ends,
                    query_param(
                        "k",
                        "How many shortest paths.",
                        {"type": "integer", "minimum": 1, "maximum": MAX_K, "default": DEFAULT_K},
                    ),
                    query_param(
                        "max_length",
                        "Longest path in edges.",
                        {"type": "integer", "minimum": 1, "maximum": MAX_LENGTH},
                    ),
                    query_param(
                        "all",
                        "Every simple path up to max_length.",
                        {"type": "boolean", "default": False},
                    ),
                    evidence,
                    directed,
                    query_param(
                        "predicates", "Allowed predicates, comma-separated.", {"type": "string"}
                    ),
                    query_param(
                        "types",
                        "Allowed classes of intermediate nodes, comma-separated.",
                        {"type": "string"},
                    ),
                ],
                "responses": _responses(
                    "paths (an empty list with a reason when there is none)", 400, 404
                ),
            }
        },
        "/api/neighborhood/{id}": {
            "get": {
                "summary": "An entity's neighborhood (ego graph), also as Cytoscape.js elements",
                "operationId": "neighborhood",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": entity,
                        "description": "Entity id, CURIE, label or synonym.",
                    },
                    query_param(
                        "radius",
                        "Hops.",
                        {
                            "type": "integer",
                            "minimum": 0,
                            "maximum": MAX_RADIUS,
                            "default": DEFAULT_RADIUS,
                        },
                    ),
                ],
                "responses": _responses("nodes with distances and edges with statements", 400, 404),
            }
        },
        "/api/metapaths": {
            "get": {
                "summary": "Paths that follow a pattern of node types, their count and DWPC",
                "operationId": "metapaths",
                "parameters": [
                    *ends,
                    query_param("pattern", "Node types, comma-separated.", given, required=True),
                    query_param(
                        "damping",
                        "DWPC exponent.",
                        {
                            "type": "number",
                            "minimum": 0,
                            "maximum": MAX_DAMPING,
                            "default": DEFAULT_DAMPING,
                        },
                    ),
                    evidence,
                    directed,
                ],
                "responses": _responses("paths with PDPs, count and DWPC", 400, 404),
            }
        },
        "/api/export/{format}": {
            "get": {
                "summary": "The graph or a neighborhood in one of the export formats",
                "operationId": "export",
                "parameters": [
                    {
                        "name": "format",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": list(FORMATS)},
                    },
                    query_param("focus", "Export only this entity's neighborhood.", entity),
                    query_param(
                        "radius",
                        "Hops around focus.",
                        {
                            "type": "integer",
                            "minimum": 0,
                            "maximum": MAX_RADIUS,
                            "default": DEFAULT_RADIUS,
                        },
                    ),
                ],
                "responses": {
                    "200": {
                        "description": "the export file",
                        "content": {
                            e.media_type: {"schema": _file_schema(e.media_type)}
                            for e in FORMATS.values()
                        },
                    },
                    **{str(code): {"$ref": "#/components/responses/Error"} for code in (400, 404)},
                    "503": _unavailable(FORMATS),
                },
            }
        },
    }
