"""The REST API (JSON): entity search and detail, named queries, statistics, health, OpenAPI."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from msckg import __version__
from msckg.graph.entities import entity_detail
from msckg.graph.executor import QueryJob
from msckg.graph.guard import check_query
from msckg.graph.stats import graph_stats
from msckg.queries import list_queries, load_query
from msckg.service.context import services
from msckg.service.errors import ApiError
from msckg.service.openapi import openapi_document
from msckg.service.sparql import GRAPH_MEDIA_TYPES, add_cors_headers, answer_job, negotiate

__all__ = ["blueprint"]

blueprint = Blueprint("api", __name__)
blueprint.after_request(add_cors_headers)

MAX_SEARCH_LENGTH = 200
MAX_PARAM_LENGTH = 500
MAX_LIMIT = 100
DEFAULT_LIMIT = 20
#: Named queries answer in JSON: SPARQL results for SELECT/ASK, JSON-LD for CONSTRUCT/DESCRIBE.
JSON_RESULTS = {"application/sparql-results+json": "json", "application/json": "json"}
JSON_GRAPH = {"application/ld+json": "jsonld", "application/json": "jsonld"}


def _text_arg(name: str, max_length: int, default: str = "") -> str:
    values = request.args.getlist(name)
    if len(values) > 1:
        raise ApiError(400, "bad_request", f"give {name!r} once")
    value = values[0] if values else default
    if len(value) > max_length:
        raise ApiError(400, "bad_request", f"{name!r} is longer than {max_length} characters")
    return value


def _limit_arg() -> int:
    raw = _text_arg("limit", 10, str(DEFAULT_LIMIT))
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ApiError(
            400, "bad_request", f"'limit' must be an integer from 1 to {MAX_LIMIT}, got {raw!r}"
        )
    return int(raw)


@blueprint.route("/api/entities")
def search_entities() -> Response:
    """Search entities by label or synonym; ``q`` (may be empty), ``type``, ``limit``.

    :raise 400: a parameter too long, a bad limit, or an unknown type
    """
    text = _text_arg("q", MAX_SEARCH_LENGTH)
    type_ = _text_arg("type", MAX_SEARCH_LENGTH) or None
    limit = _limit_arg()
    try:
        found = services().index.search(text, type_=type_, limit=limit)
    except ValueError as error:
        raise ApiError(400, "bad_request", str(error)) from error
    return jsonify({"results": [summary.as_dict() for summary in found]})


@blueprint.route("/api/entities/<path:key>")
def get_entity(key: str) -> Response:
    """One entity (CURIE, IRI or bare id) with its relations and their evidence.

    :raise 400: a malformed id
    :raise 404: no such entity; the body lists the closest ones
    """
    try:
        detail = entity_detail(services().store, key, services().index)
    except ValueError as error:
        raise ApiError(400, "bad_request", str(error)) from error
    return jsonify(detail)


@blueprint.route("/api/queries")
def named_queries() -> Response:
    """The named queries, each with the question it answers and its parameters."""
    return jsonify(
        {
            "queries": [
                {
                    "name": query.name,
                    "title": query.title,
                    "question": query.question,
                    "params": [
                        {"name": p.name, "default": p.default, "description": p.description}
                        for p in query.params
                    ],
                    "sparql": query.text,
                    "url": url_for("api.run_named_query", name=query.name),
                }
                for query in list_queries()
            ]
        }
    )


@blueprint.route("/api/queries/<name>")
def run_named_query(name: str) -> Response:
    """Run the named query ``name``, binding its parameters from the URL (as terms, never as text).

    :raise 400: an undeclared or over-long parameter
    :raise 404: no such query; the body lists the names
    :raise 429: the client runs too many queries at once or spent its query seconds
    :raise 503: timeout, or every worker busy
    """
    named = load_query(name)
    given = {}
    for key in request.args:
        given[key] = _text_arg(key, MAX_PARAM_LENGTH)
    try:
        bindings = named.bindings(given)
    except ValueError as error:
        raise ApiError(400, "bad_request", str(error)) from error
    settings = services().settings
    guarded = check_query(
        named.text, max_length=settings.max_query_bytes, max_depth=settings.max_depth
    )
    graph_result = guarded.form in {"CONSTRUCT", "DESCRIBE"}
    fmt = negotiate(request, JSON_GRAPH if graph_result else JSON_RESULTS)
    job = QueryJob(
        named.text,
        bindings=tuple(sorted(bindings.items())),
        result_format="json" if graph_result else fmt,
        graph_format=fmt if graph_result else "jsonld",
        row_limit=settings.row_limit,
    )
    return answer_job(job)


@blueprint.route("/api/stats")
def stats() -> Response:
    """Triples per named graph, entities per class, relations per predicate."""
    return jsonify(graph_stats(services().store).as_dict())


@blueprint.route("/health")
def health() -> Response:
    """Whether the service is up, with the size of its graph and its query limits."""
    context = services()
    body: dict[str, Any] = {
        "status": "ok",
        "version": __version__,
        "triples": len(context.store),
        "named_graphs": context.store.named_graphs(),
        "query_workers": context.executor.size,
        "idle_workers": context.executor.available(),
        "timeout_s": context.settings.timeout,
        "row_limit": context.settings.row_limit,
    }
    return jsonify(body)


@blueprint.route("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document describing every endpoint."""
    types = sorted(services().index.types)
    return jsonify(openapi_document(request.host_url.rstrip("/"), list(GRAPH_MEDIA_TYPES), types))
