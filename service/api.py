"""The REST API (JSON): entity search and detail, named queries, statistics, health, OpenAPI."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from msckg import __version__
from msckg.graph.executor import QueryJob
from msckg.graph.guard import check_query
from msckg.queries import list_queries, load_query
from msckg.service.context import services
from msckg.service.errors import ApiError
from msckg.service.jobs import run_call
from msckg.service.limits import (
    DEFAULT_SEARCH_LIMIT,
    MAX_PARAM_LENGTH,
    MAX_SEARCH_LENGTH,
    MAX_SEARCH_LIMIT,
)
from msckg.service.openapi import openapi_document
from msckg.service.params import int_param, text_param
from msckg.service.sparql import GRAPH_MEDIA_TYPES, answer_job, negotiate

__all__ = ["blueprint"]

blueprint = Blueprint("api", __name__)

#: Named queries answer in JSON: SPARQL results for SELECT/ASK, JSON-LD for CONSTRUCT/DESCRIBE.
JSON_RESULTS = {"application/sparql-results+json": "json", "application/json": "json"}
JSON_GRAPH = {"application/ld+json": "jsonld", "application/json": "jsonld"}


@blueprint.route("/api/entities")
def search_entities() -> Response:
    """Search entities by label or synonym; ``q`` (may be empty), ``type``, ``limit``.

    :raise 400: a parameter too long, a bad limit, or an unknown type
    :raise 429: the client's queue is full or its query seconds are spent
    :raise 503: past the deadline
    """
    answer = run_call(
        "search",
        q=text_param("q", max_length=MAX_SEARCH_LENGTH),
        type_=text_param("type", max_length=MAX_SEARCH_LENGTH) or None,
        limit=int_param("limit", DEFAULT_SEARCH_LIMIT, low=1, high=MAX_SEARCH_LIMIT),
    )
    return jsonify(answer)


@blueprint.route("/api/entities/<path:key>")
def get_entity(key: str) -> Response:
    """One entity (CURIE, IRI or bare id) with its relations and their evidence.

    :raise 400: a malformed id
    :raise 404: no such entity; the body lists the closest ones
    :raise 429: the client's queue is full or its query seconds are spent
    :raise 503: past the deadline
    """
    return jsonify(run_call("entity", key=key))


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
                    "ask": query.ask,
                    "edges": list(query.edges) if query.edges else None,
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
    given = {key: text_param(key, max_length=MAX_PARAM_LENGTH) for key in request.args}
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
    """Triples per named graph, entities per class, relations per predicate.

    :raise 429: the client's queue is full or its query seconds are spent
    :raise 503: past the deadline
    """
    return jsonify(run_call("stats"))


@blueprint.route("/health")
def health() -> Response:
    """Whether the service is up, with the size of its graph and its query limits."""
    context = services()
    body: dict[str, Any] = {
        "status": "ok",
        "version": __version__,
        "triples": context.triples,
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
    classes = run_call("stats")["classes"]
    types = sorted(c["id"] for c in classes if c["id"] != "msckg:Entity")
    return jsonify(openapi_document(request.host_url.rstrip("/"), list(GRAPH_MEDIA_TYPES), types))
