"""REST endpoints of path analysis and exports: paths, neighborhoods, metapaths, export files."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from msckg.graph.errors import EntityNotFound, ToolMissing, UnknownFormat
from msckg.graph.exports import Exporter, exporter_for, select_subgraph
from msckg.graph.exports.cytoscape import cytoscape_elements
from msckg.graph.metapaths import DEFAULT_DAMPING, metapaths
from msckg.graph.network import load_network
from msckg.graph.paths import MAX_K, MAX_LENGTH, PathFilter, find_paths
from msckg.graph.subnetwork import paths_in_store
from msckg.graph.topology import MAX_RADIUS, neighborhood, neighborhood_summary
from msckg.service.context import services
from msckg.service.errors import ApiError, error_response

__all__ = [
    "BLANK_CHARACTERS",
    "EXPORT_CSP",
    "NOT_BLANK_PATTERN",
    "blueprint",
    "openapi_paths",
    "query_param",
]

blueprint = Blueprint("analysis", __name__)

MAX_PARAM_LENGTH = 500
#: The characters a required parameter may not consist of alone, each with its regex escape.
#: ASCII whitespace only: Python's ``str.isspace`` and the ECMA-262 ``\s`` of OpenAPI patterns
#: disagree beyond it (``\x1e`` is blank to one, ``\ufeff`` to the other).
_BLANKS = {" ": " ", "\t": r"\t", "\n": r"\n", "\r": r"\r", "\f": r"\f", "\v": r"\v"}
BLANK_CHARACTERS = "".join(_BLANKS)
#: The OpenAPI pattern of a required parameter: some character that is not blank.
NOT_BLANK_PATTERN = "[^" + "".join(_BLANKS.values()) + "]"
#: The HTML view runs its inline script in a sandbox with no origin, network or forms.
EXPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "sandbox allow-scripts"
)


def _text(name: str, *, required: bool = False, default: str = "") -> str:
    values = request.args.getlist(name)
    if len(values) > 1:
        raise ApiError(400, "bad_request", f"give {name!r} once")
    value = values[0] if values else default
    if required and not value.strip(BLANK_CHARACTERS):
        raise ApiError(400, "bad_request", f"the parameter {name!r} is required")
    if len(value) > MAX_PARAM_LENGTH:
        raise ApiError(400, "bad_request", f"{name!r} is longer than {MAX_PARAM_LENGTH} characters")
    return value


def _int(name: str, default: int | None) -> int | None:
    raw = _text(name)
    if raw == "":
        return default
    if not raw.isascii() or not raw.lstrip("-").isdigit() or len(raw) > 6:
        raise ApiError(400, "bad_request", f"{name!r} must be an integer, got {raw!r}")
    return int(raw)


def _float(name: str, default: float) -> float:
    raw = _text(name)
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise ApiError(400, "bad_request", f"{name!r} must be a number, got {raw!r}") from None
    if not 0 <= value <= 5:
        raise ApiError(400, "bad_request", f"{name!r} must be between 0 and 5, got {raw!r}")
    return value


def _flag(name: str, default: bool) -> bool:
    raw = _text(name).lower()
    if raw in {"", "default"}:
        return default
    if raw in {"1", "true", "yes"}:
        return True
    if raw in {"0", "false", "no"}:
        return False
    raise ApiError(400, "bad_request", f"{name!r} must be true or false, got {raw!r}")


def _list(name: str) -> list[str]:
    values = request.args.getlist(name)
    if sum(len(v) for v in values) > MAX_PARAM_LENGTH:
        raise ApiError(400, "bad_request", f"{name!r} is longer than {MAX_PARAM_LENGTH} characters")
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


@blueprint.errorhandler(EntityNotFound)
def _not_found(error: EntityNotFound) -> Response:
    return error_response(404, "not_found", str(error.args[0]), suggestions=error.suggestions)


@blueprint.errorhandler(ValueError)
def _bad_value(error: ValueError) -> Response:
    return error_response(400, "bad_request", str(error))


@blueprint.route("/api/paths")
def paths() -> Response:
    """Paths between ``source`` and ``target``: every edge's statements, and an evidence score.

    :raise 400: a missing or malformed parameter, ``k`` or ``max_length`` past its bound
    :raise 404: an unknown entity; the body lists the closest labels
    """
    store = services().store
    flt = PathFilter.from_options(
        _list("predicates"),
        _list("types"),
        _text("min_evidence") or None,
        directed=_flag("directed", False),
    )
    ends = (_text("source", required=True), _text("target", required=True))
    options: dict[str, Any] = {
        "k": _int("k", 5) or 0,
        "max_length": _int("max_length", None),
        "all_paths": _flag("all", False),
        "flt": flt,
    }
    if store.path is None:  # a remote store: fetch only what paths within the bound can use
        result = paths_in_store(store, *ends, **options)
    else:
        result = find_paths(load_network(store), *ends, **options)
    return jsonify(result.as_dict())


@blueprint.route("/api/neighborhood/<path:key>")
def neighborhood_of(key: str) -> Response:
    """The entities within ``radius`` hops of an entity, their edges, and Cytoscape.js elements.

    :raise 400: a bad radius
    :raise 404: an unknown entity; the body lists the closest labels
    """
    graph = load_network(services().store)
    radius = _int("radius", 1) or 0
    summary = neighborhood_summary(graph, key, radius)
    summary["elements"] = cytoscape_elements(neighborhood(graph, key, radius))
    return jsonify(summary)


@blueprint.route("/api/metapaths")
def metapaths_between() -> Response:
    """Paths from ``source`` to ``target`` following ``pattern`` (node types), count and DWPC.

    :raise 400: a missing parameter, an unknown type or a bad pattern length
    :raise 404: an unknown entity; the body lists the closest labels
    """
    graph = load_network(services().store)
    flt = PathFilter.from_options(
        min_evidence=_text("min_evidence") or None, directed=_flag("directed", False)
    )
    result = metapaths(
        graph,
        _text("source", required=True),
        _text("target", required=True),
        _text("pattern", required=True),
        damping=_float("damping", DEFAULT_DAMPING),
        flt=flt,
    )
    return jsonify(result.as_dict())


@blueprint.route("/api/export/<name>")
def export_file(name: str) -> Response:
    """The graph, or the neighborhood of ``focus`` within ``radius``, as a file in format ``name``.

    :raise 400: a bad radius
    :raise 404: an unknown format (the body lists the formats) or focus entity
    :raise 503: a program the format needs (Graphviz) is missing or failed
    """
    try:
        exporter = exporter_for(name)
    except UnknownFormat as error:
        raise ApiError(404, "not_found", str(error), choices=error.choices) from error
    radius = _int("radius", 1) or 0
    if not 0 <= radius <= MAX_RADIUS:
        # Checked even without a focus, where the radius is unused, so a bad value never passes.
        raise ApiError(
            400, "bad_request", f"'radius' must be between 0 and {MAX_RADIUS}, got {radius}"
        )
    graph = load_network(services().store)
    focus = _text("focus") or None
    subgraph = select_subgraph(graph, focus, radius)
    try:
        data = exporter.to_bytes(subgraph)
    except (ToolMissing, RuntimeError) as error:
        raise ApiError(503, "export_unavailable", str(error)) from error
    extension = exporter.extension
    response = Response(data, mimetype=exporter.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="msckg.{extension}"'
    if exporter.format == "html":
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
                        {"type": "integer", "minimum": 1, "maximum": MAX_K, "default": 5},
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
                        {"type": "integer", "minimum": 0, "maximum": MAX_RADIUS, "default": 1},
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
                        {"type": "number", "minimum": 0, "maximum": 5, "default": DEFAULT_DAMPING},
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
                        {"type": "integer", "minimum": 0, "maximum": MAX_RADIUS, "default": 1},
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
