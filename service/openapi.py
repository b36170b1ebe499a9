"""The OpenAPI 3.1 document: every endpoint, its parameters, media types, error statuses."""

from __future__ import annotations

from typing import Any

from msckg import __version__
from msckg.graph.syntax import PROBLEMS as SYNTAX_PROBLEMS
from msckg.ontology import PREFIXES
from msckg.service import statements
from msckg.service.analysis import openapi_paths, query_param
from msckg.service.limits import (
    DEFAULT_SEARCH_LIMIT,
    MAX_GRAPH_IRI_LENGTH,
    MAX_PARAM_LENGTH,
    MAX_SEARCH_LENGTH,
    MAX_SEARCH_LIMIT,
)

__all__ = ["openapi_document"]

_ERROR = {"$ref": "#/components/responses/Error"}
_RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)


def _json(schema_name: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
        },
    }


#: What ``iri_from_key`` accepts: an http(s) IRI, a CURIE with a known prefix, or a bare id.
_ENTITY_KEY = (
    r"^\s*(https?://[^\s<>\"{}|^`\\]*|(("
    + "|".join(PREFIXES)
    + r"):)?[A-Za-z0-9_][A-Za-z0-9_.\-]*)\s*$"
)
#: What ``default-graph-uri`` and ``named-graph-uri`` accept: an absolute IRI.
_GRAPH_IRI = r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*$"


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(status): _ERROR for status in statuses}


def _sparql_responses(graph_types: list[str]) -> dict[str, Any]:
    content = {media: {"schema": {"type": "string"}} for media in (*_RESULT_TYPES, *graph_types)}
    return {
        "200": {
            "description": "SELECT/ASK results or CONSTRUCT/DESCRIBE triples, as negotiated; "
            "X-Msckg-Truncated is set when the row limit cut the result.",
            "content": content,
        },
        **_errors(400, 403, 406, 413, 415, 429, 503),
    }


def _schemas() -> dict[str, Any]:
    term = {
        "type": ["object", "null"],
        "properties": {"id": {"type": "string"}, "label": {"type": "string"}},
        "required": ["id", "label"],
    }
    summary = {
        "type": "object",
        "properties": {
            "id": {"type": "string", "examples": ["ent:VEGF"]},
            "iri": {"type": "string", "format": "uri"},
            "label": {"type": "string"},
            "types": {"type": "array", "items": {"type": "string"}},
            "synonyms": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["id", "iri", "label", "types", "synonyms"],
    }
    reference = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "label": {"type": "string"},
            "doi": {"type": ["string", "null"]},
            "url": {"type": ["string", "null"]},
        },
    }
    statement = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "evidence": term,
            "hedging": term,
            "polarity": term,
            "references": {"type": "array", "items": reference},
            "locator": {"type": ["string", "null"]},
            "paraphrase": {"type": ["string", "null"]},
            "belief": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        },
    }
    relation = {
        "type": "object",
        "properties": {
            "direction": {"enum": ["out", "in"]},
            "predicate": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "label": {"type": "string"},
                    "inverse_label": {
                        "type": ["string", "null"],
                        "description": "how the relation reads from its object's side, "
                        "for a relation whose direction is 'in' (VEGF 'secreted by' an MSC)",
                    },
                },
                "required": ["id", "label"],
            },
            "other": term,
            "statements": {"type": "array", "items": statement},
        },
    }
    supported = {
        "type": "object",
        "description": "a statement that this work supports",
        "properties": {
            "id": {"type": "string"},
            "subject": term,
            "predicate": term,
            "object": term,
            "evidence": term,
            "hedging": term,
            "polarity": term,
            "locator": {"type": ["string", "null"]},
            "paraphrase": {"type": ["string", "null"]},
        },
    }
    return {
        "Error": {
            "type": "object",
            "properties": {
                "error": {"type": "string"},
                "detail": {"type": "string"},
                "request_id": {"type": "string"},
                "line": {
                    "type": ["integer", "null"],
                    "description": "malformed_query: the line of the mistake, from 1",
                },
                "column": {
                    "type": ["integer", "null"],
                    "description": "malformed_query: its column, from 1, in characters",
                },
                "problem": {
                    "type": "string",
                    "enum": list(SYNTAX_PROBLEMS),
                    "description": "malformed_query: the kind of mistake; "
                    + "; ".join(f"{name}: {text}" for name, text in SYNTAX_PROBLEMS.items()),
                },
                "prefix": {
                    "type": "string",
                    "description": "unknown_prefix: the undeclared prefix, as 'foo:'",
                },
                "declared_prefixes": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "unknown_prefix: the prefixes the query may use, its own first",
                },
            },
            "required": ["error", "detail"],
        },
        "SearchResults": {
            "type": "object",
            "properties": {"results": {"type": "array", "items": summary}},
            "required": ["results"],
        },
        "Entity": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "iri": {"type": "string"},
                "label": {"type": "string"},
                "definition": {"type": ["string", "null"]},
                "types": {"type": "array", "items": term},
                "synonyms": {"type": "array", "items": {"type": "string"}},
                "xrefs": {"type": "array", "items": {"type": "object"}},
                "doi": {"type": ["string", "null"]},
                "relations": {"type": "array", "items": relation},
                "supports": {"type": "array", "items": supported},
            },
            "required": [
                "id",
                "iri",
                "label",
                "types",
                "synonyms",
                "xrefs",
                "relations",
                "supports",
            ],
        },
        "NamedQueries": {
            "type": "object",
            "properties": {"queries": {"type": "array", "items": {"type": "object"}}},
            "required": ["queries"],
        },
        "Stats": {"type": "object"},
        "Health": {
            "type": "object",
            "properties": {"status": {"const": "ok"}},
            "required": ["status"],
        },
    }


def openapi_document(
    server_url: str, graph_types: list[str], entity_types: list[str] | None = None
) -> dict[str, Any]:
    """Build the OpenAPI 3.1 document.

    :param server_url: the base URL the service is reached at
    :param graph_types: the media types offered for CONSTRUCT/DESCRIBE
    :param entity_types: the classes (CURIEs) entity search may filter by; ``None``: any text
    :returns: the document as JSON-ready data

    >>> openapi_document("http://127.0.0.1:8000", ["text/turtle"])["openapi"]
    '3.1.0'
    """
    query = query_param(
        "query", "The SPARQL query (msckg's prefixes are predeclared).", {"type": "string"}
    )
    graphs = [
        query_param(
            name,
            "A graph IRI for the protocol dataset; may repeat.",
            {
                "type": "array",
                "items": {
                    "type": "string",
                    "maxLength": MAX_GRAPH_IRI_LENGTH,
                    "pattern": _GRAPH_IRI,
                },
            },
        )
        for name in ("default-graph-uri", "named-graph-uri")
    ]
    type_filter: dict[str, Any] = {"type": "string", "maxLength": MAX_SEARCH_LENGTH}
    if entity_types is not None:
        local = [c.removeprefix("msckg:") for c in entity_types if c.startswith("msckg:")]
        type_filter = {"type": "string", "enum": ["", *sorted(entity_types), *sorted(local)]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "msckg",
            "version": __version__,
            "description": "Knowledge graph of mesenchymal stem cell therapy for Asherman's "
            "syndrome and "
            "endometriosis: SPARQL 1.1 Protocol endpoint and REST API.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/sparql": {
                "get": {
                    "summary": "SPARQL query by GET; without a query, the Service Description",
                    "operationId": "sparqlGet",
                    "parameters": [query, *graphs],
                    "responses": _sparql_responses(graph_types),
                },
                "post": {
                    "summary": "SPARQL query by POST (form or application/sparql-query)",
                    "operationId": "sparqlPost",
                    "parameters": graphs,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"query": {"type": "string"}},
                                    "required": ["query"],
                                }
                            },
                            "application/sparql-query": {"schema": {"type": "string"}},
                        },
                    },
                    "responses": _sparql_responses(graph_types),
                },
            },
            "/.well-known/void": {
                "get": {
                    "summary": "VoID description of the dataset",
                    "operationId": "void",
                    "responses": {
                        "200": {
                            "description": "the VoID graph",
                            "content": {
                                media: {"schema": {"type": "string"}} for media in graph_types
                            },
                        },
                        **_errors(406),
                    },
                }
            },
            "/api/entities": {
                "get": {
                    "summary": "Search entities by label or synonym",
                    "operationId": "searchEntities",
                    "parameters": [
                        query_param(
                            "q",
                            "Text to match (case, punctuation, Greek spelling ignored).",
                            {"type": "string", "maxLength": MAX_SEARCH_LENGTH},
                        ),
                        query_param(
                            "type", "A class, e.g. GrowthFactor or msckg:GrowthFactor.", type_filter
                        ),
                        query_param(
                            "limit",
                            "Most results.",
                            {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_SEARCH_LIMIT,
                                "default": DEFAULT_SEARCH_LIMIT,
                            },
                        ),
                    ],
                    "responses": {
                        "200": _json("SearchResults", "matching entities, best first"),
                        **_errors(400),
                    },
                }
            },
            "/api/entities/{id}": {
                "get": {
                    "summary": "One entity with its relations, evidence, hedging and references",
                    "operationId": "getEntity",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "description": "CURIE (ent:VEGF), IRI, or bare id (VEGF).",
                            "schema": {
                                "type": "string",
                                "maxLength": MAX_PARAM_LENGTH,
                                "pattern": _ENTITY_KEY,
                            },
                        }
                    ],
                    "responses": {"200": _json("Entity", "the entity"), **_errors(400, 404)},
                }
            },
            "/api/queries": {
                "get": {
                    "summary": "The named queries",
                    "operationId": "listQueries",
                    "responses": {"200": _json("NamedQueries", "names, questions, parameters")},
                }
            },
            "/api/queries/{name}": {
                "get": {
                    "summary": "Run a named query; its parameters are given as URL parameters",
                    "operationId": "runQuery",
                    "parameters": [
                        {
                            "name": "name",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "SPARQL JSON results (JSON-LD for CONSTRUCT queries)",
                            "content": {
                                "application/sparql-results+json": {"schema": {"type": "object"}},
                                "application/ld+json": {"schema": {"type": "array"}},
                            },
                        },
                        **_errors(400, 404, 406, 429, 503),
                    },
                }
            },
            "/api/stats": {
                "get": {
                    "summary": "Triples per graph, entities per class, relations per predicate",
                    "operationId": "stats",
                    "responses": {"200": _json("Stats", "the statistics")},
                }
            },
            "/health": {
                "get": {
                    "summary": "Liveness and graph size",
                    "operationId": "health",
                    "responses": {"200": _json("Health", "the service is up")},
                }
            },
            **openapi_paths(),
            **statements.openapi_paths(),
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "operationId": "openapi",
                    "responses": {
                        "200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}
                    },
                }
            },
        },
        "components": {
            "schemas": _schemas(),
            "responses": {
                "Error": {
                    "description": "The request was refused or failed; 429 and 503 come with "
                    "Retry-After.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
            },
        },
    }
