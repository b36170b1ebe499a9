"""What each read request asks of the graph: one function per request, on any store.

Every function takes a :class:`msckg.graph.store.Store` (a local read-only store inside a
worker process, or a remote SPARQL endpoint) and plain, picklable parameters, and returns
plain JSON-ready data (:func:`export` returns an :class:`ExportFile`). The service parses a
request, calls one of these (by name, through :data:`REQUESTS`, in a killable worker) and
renders the answer; which backend answers is decided here, once.

- ``paths``: paths between two entities with the evidence of every edge (``/api/paths``)
- ``neighborhood``: an entity's ego graph, with Cytoscape.js elements (``/api/neighborhood``)
- ``metapaths``: paths that follow a pattern of node types, their count and DWPC
- ``export``: the graph, or an entity's neighborhood, as a file in one of the export formats
- ``search``: entities by label or synonym (``/api/entities?q=``)
- ``entity``: one entity's card and its relations with their statements (``/api/entities/ID``)
- ``stats``: triples per named graph, entities per class, relations per predicate
- ``rank``: entities by a centrality measure (whole-graph analysis)
- ``statement``: one statement's belief term by term, locator, references and same-triple
  statements (``/api/statements/ID``, :func:`msckg.graph.statements.explain_statement`)

Errors are the domain exceptions of :mod:`msckg.graph.errors` (each survives pickling):
``EntityNotFound`` (suggestions as ``{"id", "label"}``), ``UnknownFormat``, ``ToolMissing``,
``ProjectionNotReady``, and ``ValueError`` (``TooBroad`` among them) for bad parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from msckg.graph.entities import EntityIndex, entity_detail
from msckg.graph.exports import exporter_for, select_subgraph
from msckg.graph.exports.base import legend
from msckg.graph.exports.cytoscape import cytoscape_elements
from msckg.graph.metapaths import DEFAULT_DAMPING
from msckg.graph.metapaths import metapaths as metapaths_in_graph
from msckg.graph.network import load_network, store_version
from msckg.graph.paths import PathFilter, find_paths
from msckg.graph.statements import explain_statement
from msckg.graph.stats import graph_stats
from msckg.graph.store import Store
from msckg.graph.subnetwork import paths_in_store
from msckg.graph.topology import (
    MAX_RADIUS,
    neighborhood_summary,
    rank_entities,
)
from msckg.graph.topology import neighborhood as neighborhood_graph

__all__ = [
    "REQUESTS",
    "ExportFile",
    "entity",
    "export",
    "metapaths",
    "neighborhood",
    "node_types",
    "paths",
    "rank",
    "search",
    "stats",
]


@dataclass(frozen=True, slots=True)
class ExportFile:
    """An export as the client downloads it: its bytes, media type, file name and format name."""

    data: bytes
    media_type: str
    filename: str
    format: str


def paths(
    store: Store,
    source: str,
    target: str,
    *,
    k: int = 5,
    max_length: int | None = None,
    all_paths: bool = False,
    predicates: tuple[str, ...] = (),
    types: tuple[str, ...] = (),
    min_evidence: str | None = None,
    directed: bool = False,
) -> dict[str, Any]:
    """Shortest, ``k`` shortest or all simple paths, with every edge's statements and a score.

    :param source: entity id, CURIE, IRI, label or synonym
    :param target: entity id, CURIE, IRI, label or synonym
    :param k: how many shortest paths (1..MAX_K)
    :param max_length: the longest path in edges (1..MAX_LENGTH)
    :param all_paths: every simple path up to ``max_length`` (default 4) instead
    :param predicates: allowed predicates (empty: all)
    :param types: allowed classes of intermediate nodes (empty: all)
    :param min_evidence: only edges with a positive statement this strong
    :param directed: follow edges subject to object only
    :returns: :meth:`msckg.graph.paths.PathResult.as_dict`
    :raises EntityNotFound: when an end names no entity
    :raises ValueError: for a bad bound or filter, or when too much lies within reach
    """
    flt = PathFilter.from_options(predicates, types, min_evidence, directed=directed)
    options: dict[str, Any] = {
        "k": k,
        "max_length": max_length,
        "all_paths": all_paths,
        "flt": flt,
    }
    if store.path is None:
        result = paths_in_store(store, source, target, **options)
    else:
        result = find_paths(load_network(store), source, target, **options)
    return result.as_dict()


def neighborhood(store: Store, key: str, radius: int = 1) -> dict[str, Any]:
    """The entities within ``radius`` hops of an entity, their edges, and Cytoscape.js elements.

    :returns: center, radius, nodes (with distances), edges (with statements) and ``elements``
    :raises EntityNotFound: when ``key`` names no entity
    :raises ValueError: for a radius outside 0..MAX_RADIUS
    """
    graph = load_network(store)
    summary = neighborhood_summary(graph, key, radius)
    summary["elements"] = cytoscape_elements(neighborhood_graph(graph, key, radius))
    return summary


def metapaths(
    store: Store,
    source: str,
    target: str,
    pattern: str,
    *,
    damping: float = DEFAULT_DAMPING,
    min_evidence: str | None = None,
    directed: bool = False,
) -> dict[str, Any]:
    """Paths from ``source`` to ``target`` whose nodes follow ``pattern``, their count and DWPC.

    :param pattern: node types, comma-separated (``CellSource,CellType,GrowthFactor``)
    :returns: :meth:`msckg.graph.metapaths.MetapathResult.as_dict`
    :raises EntityNotFound: when an end names no entity
    :raises ValueError: for an unknown type, a bad pattern length or damping
    """
    flt = PathFilter.from_options(min_evidence=min_evidence, directed=directed)
    result = metapaths_in_graph(
        load_network(store), source, target, pattern, damping=damping, flt=flt
    )
    return result.as_dict()


def _check_radius(radius: int) -> None:
    if not 0 <= radius <= MAX_RADIUS:
        raise ValueError(f"'radius' must be between 0 and {MAX_RADIUS}, got {radius}")


def export(store: Store, format: str, focus: str | None = None, radius: int = 1) -> ExportFile:
    """The graph, or the neighborhood of ``focus`` within ``radius``, as a file in ``format``.

    :raises UnknownFormat: naming the formats that exist
    :raises EntityNotFound: when ``focus`` names no entity
    :raises ValueError: for a radius outside 0..MAX_RADIUS (checked even without a focus)
    :raises ToolMissing: when the format needs a program that is not installed
    """
    exporter = exporter_for(format)
    _check_radius(radius)
    subgraph = select_subgraph(load_network(store), focus, radius)
    data = exporter.to_bytes(subgraph)
    return ExportFile(data, exporter.media_type, f"msckg.{exporter.extension}", exporter.format)


_INDEXES: dict[tuple[str, int], EntityIndex] = {}


def _entity_index(store: Store) -> EntityIndex:
    if store.path is None and getattr(store, "url", None) is None:
        return EntityIndex.from_store(store)
    key = store_version(store)
    if key not in _INDEXES:
        for stale in [old for old in _INDEXES if old[0] == key[0]]:
            del _INDEXES[stale]
        _INDEXES[key] = EntityIndex.from_store(store)
    return _INDEXES[key]


def search(store: Store, q: str, *, limit: int, type_: str | None = None) -> dict[str, Any]:
    """Entities whose label or a synonym matches ``q``, best first (Greek- and punctuation-blind).

    :param q: what the user typed (empty: entities by label)
    :param limit: the most results
    :param type_: keep only entities of this class
    :returns: ``{"results": [summary, ...]}``
    :raises ValueError: for an unknown type
    """
    found = _entity_index(store).search(q, type_=type_, limit=limit)
    return {"results": [summary.as_dict() for summary in found]}


def entity(store: Store, key: str) -> dict[str, Any]:
    """One entity's card and its relations with their statements and references.

    :param key: CURIE, IRI or bare id
    :raises ValueError: for a malformed key
    :raises EntityNotFound: when no entity has that id, with the closest entities
    """
    return entity_detail(store, key, _entity_index(store))


def stats(store: Store) -> dict[str, Any]:
    """Triples per named graph, entities per class, relations per predicate."""
    return graph_stats(store).as_dict()


def rank(store: Store, measure: str = "pagerank", limit: int = 20) -> dict[str, Any]:
    """Entities by a centrality measure, highest first: ``{"by", "entities": [...]}``.

    :param measure: a key of :data:`msckg.graph.topology.RANKINGS`
    :param limit: at most this many
    :raises ValueError: for an unknown measure
    """
    ranked = rank_entities(load_network(store), measure, limit)
    return {
        "by": measure,
        "entities": [
            {"id": r.id, "label": r.label, "type": r.type, "score": round(r.score, 6)}
            for r in ranked
        ],
    }


def node_types(store: Store) -> dict[str, Any]:
    """Each node type in the graph with its label and the colour every graph view gives it."""
    return {
        "types": [
            {"type": type_, "label": label, "colour": colour}
            for type_, label, colour in legend(load_network(store))
        ]
    }


#: Every read request by its job name; a worker answers a job with ``REQUESTS[name](store, **kwargs)``.
REQUESTS: dict[str, Callable[..., Any]] = {
    "paths": paths,
    "neighborhood": neighborhood,
    "metapaths": metapaths,
    "export": export,
    "search": search,
    "entity": entity,
    "stats": stats,
    "rank": rank,
    "node_types": node_types,
    "statement": explain_statement,
}
