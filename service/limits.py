"""The limits and defaults of request parameters, each defined once.

The handlers enforce these, the OpenAPI document states them, and the CLI help quotes them;
the analysis bounds (``MAX_K``, ``MAX_LENGTH``, ``MAX_RADIUS``) belong to ``msckg.graph`` and are
re-exported here so the service reads every limit from one module.
"""

from __future__ import annotations

from msckg.graph.paths import MAX_K, MAX_LENGTH
from msckg.graph.topology import MAX_RADIUS

__all__ = [
    "DEFAULT_K",
    "DEFAULT_RADIUS",
    "DEFAULT_SEARCH_LIMIT",
    "MAX_DAMPING",
    "MAX_GRAPH_IRI_LENGTH",
    "MAX_K",
    "MAX_LENGTH",
    "MAX_PARAM_LENGTH",
    "MAX_RADIUS",
    "MAX_SEARCH_LENGTH",
    "MAX_SEARCH_LIMIT",
]

#: The longest search text (``q``) and type name (``type``) of ``/api/entities``.
MAX_SEARCH_LENGTH = 200
#: The most results one search returns, and how many it returns by default.
MAX_SEARCH_LIMIT = 100
DEFAULT_SEARCH_LIMIT = 20
#: The longest value of any other text parameter (entity keys, named-query parameters ...).
MAX_PARAM_LENGTH = 500
#: The longest ``default-graph-uri`` / ``named-graph-uri`` of a SPARQL request.
MAX_GRAPH_IRI_LENGTH = 2000
#: How many shortest paths ``/api/paths`` returns by default.
DEFAULT_K = 5
#: The default radius of a neighborhood or a focused export.
DEFAULT_RADIUS = 1
#: The largest DWPC damping exponent a metapath request may ask for.
MAX_DAMPING = 5.0
