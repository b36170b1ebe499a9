"""REST: one statement explained (``GET /api/statements/{id}``); the work is in graph/statements."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from msckg.graph.statements import MAX_KEY_LENGTH, STATEMENT_KEY_PATTERN, StatementNotFound
from msckg.service.errors import ApiError
from msckg.service.jobs import run_call

__all__ = ["blueprint", "openapi_paths"]

blueprint = Blueprint("statements", __name__)


@blueprint.route("/api/statements/<path:key>")
def get_statement(key: str) -> Response:
    """One statement: belief term by term, locator, references, same-triple statements.

    :raise 400: a malformed id
    :raise 404: no such statement
    :raise 429: the client's queue is full or its query seconds are spent
    :raise 503: past the deadline
    """
    try:
        return jsonify(run_call("statement", key=key))
    except StatementNotFound as error:
        raise ApiError(404, "not_found", str(error)) from error


def openapi_paths() -> dict[str, Any]:
    """The OpenAPI entry of this blueprint's route."""
    term = {"type": "object", "properties": {"id": {"type": "string"}, "label": {"type": "string"}}}
    reference = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "label": {"type": "string"},
            "doi": {"type": ["string", "null"]},
            "url": {"type": ["string", "null"]},
        },
    }
    other = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "polarity": {"type": "string"},
            "evidence": {"type": "string"},
            "hedging": {"type": "string"},
            "belief": {"type": ["number", "null"]},
            "locator": {"type": ["string", "null"]},
            "references": {"type": "array", "items": reference},
        },
    }
    schema = {
        "type": "object",
        "properties": {
            "id": {"type": "string", "examples": ["stmt:S001"]},
            "iri": {"type": "string"},
            "subject": term,
            "predicate": term,
            "object": term,
            "polarity": {"type": "string"},
            "evidence": {"type": "string"},
            "hedging": {"type": "string"},
            "locator": {"type": ["string", "null"]},
            "paraphrase": {"type": ["string", "null"]},
            "references": {"type": "array", "items": reference},
            "belief": {
                "type": "object",
                "properties": {
                    "score": {"type": "number", "minimum": 0, "maximum": 1},
                    "stored": {"type": ["number", "null"]},
                    "formula": {"type": "string"},
                    "terms": {"type": "array", "items": {"type": "object"}},
                    "works": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["score", "terms", "works"],
            },
            "supports": {"type": "array", "items": other},
            "contradicts": {"type": "array", "items": other},
        },
        "required": ["id", "iri", "belief", "references", "supports", "contradicts"],
    }
    return {
        "/api/statements/{id}": {
            "get": {
                "summary": "One statement: its belief term by term, locator, references with "
                "DOIs, and the statements on the same triple that support or contradict it",
                "operationId": "getStatement",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "description": "S001, stmt:S001, or the statement's IRI.",
                        "schema": {
                            "type": "string",
                            "maxLength": MAX_KEY_LENGTH,
                            "pattern": STATEMENT_KEY_PATTERN,
                        },
                    }
                ],
                "responses": {
                    "200": {
                        "description": "the statement explained",
                        "content": {"application/json": {"schema": schema}},
                    },
                    "400": {"$ref": "#/components/responses/Error"},
                    "404": {"$ref": "#/components/responses/Error"},
                    "429": {"$ref": "#/components/responses/Error"},
                    "503": {"$ref": "#/components/responses/Error"},
                },
            }
        }
    }
