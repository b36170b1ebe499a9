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
- ``node_types``: the classes of the relation graph's entities, with labels and colours
- ``statement``: one statement's belief term by term, locator, references and same-triple
  statements (``/api/statements/ID``, :func:`msckg.graph.statements.explain_statement`)

Errors are the domain exceptions of :mod:`msckg.graph.errors` (each survives pickling):
``EntityNotFound`` (suggestions as ``{"id", "label"}``), ``UnknownFormat``, ``ToolMissing``,
``ProjectionNotReady``, and ``ValueError`` (``TooBroad`` among them) for bad parameters.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from msckg.graph.entities import (
    EntityIndex,
    EntitySummary,
    NameIndex,
    entity_detail,
    resolve_entity,
)
from msckg.graph.exports import exporter_for
from msckg.graph.exports.base import colour_of
from msckg.graph.exports.cytoscape import cytoscape_elements
from msckg.graph.metapaths import DEFAULT_DAMPING, metapath_hops, parse_pattern
from msckg.graph.metapaths import metapaths as metapaths_in_graph
from msckg.graph.network import store_version
from msckg.graph.paths import MAX_LENGTH, PathFilter, find_paths
from msckg.graph.projection import load_projection
from msckg.graph.statements import explain_statement
from msckg.graph.stats import graph_stats
from msckg.graph.store import Store
from msckg.graph.subnetwork import (
    ball,
    check_path_bounds,
    network_around,
    network_between,
    ontology_class_labels,
    ontology_classes,
)
from msckg.graph.textindex import index_path, open_text_index, write_text_index
from msckg.graph.topology import check_radius, neighborhood_summary, rank_entities
from msckg.ontology import CONVERTER

__all__ = [
    "REQUESTS",
    "ExportFile",
    "entity",
    "export",
    "export_graph",
    "metapaths",
    "name_index",
    "neighborhood",
    "node_types",
    "paths",
    "rank",
    "search",
    "stats",
]

#: The class of publications: entities of the graph, but not of the relation graph paths use.
_PUBLICATION = "msckg:Publication"


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
    check_path_bounds(k, max_length)
    names = name_index(store)
    start, end = _relation_entity(names, source), _relation_entity(names, target)
    limit = max_length or (4 if all_paths else MAX_LENGTH)
    graph = network_between(store, start.iri, end.iri, limit, directed=flt.directed)
    result = find_paths(
        graph,
        _curie(start.iri),
        _curie(end.iri),
        k=k,
        max_length=max_length,
        all_paths=all_paths,
        flt=flt,
    )
    return result.as_dict()


def neighborhood(store: Store, key: str, radius: int = 1) -> dict[str, Any]:
    """The entities within ``radius`` hops of an entity, their edges, and Cytoscape.js elements.

    :returns: center, radius, nodes (with distances), edges (with statements) and ``elements``
    :raises EntityNotFound: when ``key`` names no entity
    :raises ValueError: for a radius outside 0..MAX_RADIUS
    """
    check_radius(radius)
    center = _relation_entity(name_index(store), key)
    graph = ball(store, center.iri, radius)
    summary = neighborhood_summary(graph, _curie(center.iri), radius)
    summary["elements"] = cytoscape_elements(graph)
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
    names = name_index(store)
    start, end = _relation_entity(names, source), _relation_entity(names, target)
    known = _known_classes(store, names)
    first, last = _curie(start.iri), _curie(end.iri)
    # Check the pattern before anything is fetched; its length bounds the expansion.
    classes = parse_pattern(nx.MultiDiGraph(), pattern, known)
    hops = len(classes) - 1
    between = network_between(store, start.iri, end.iri, hops, directed=flt.directed)
    on_paths = {
        node
        for path in metapath_hops(between, first, last, classes, flt)
        for hop in path
        for node in hop[:2]
    }
    graph = network_around(
        store,
        start.iri,
        end.iri,
        hops,
        {_iri(node) for node in on_paths},
        directed=flt.directed,
    )
    result = metapaths_in_graph(graph, first, last, classes, damping=damping, flt=flt, known=known)
    return result.as_dict()


def export_graph(store: Store, focus: str | None = None, radius: int = 1) -> nx.MultiDiGraph[str]:
    """What an export writes: the whole projection, or the neighborhood of ``focus``.

    :raises EntityNotFound: when ``focus`` names no entity
    :raises ValueError: for a radius outside 0..MAX_RADIUS (checked even without a focus)
    :raises ProjectionNotReady: for the whole graph, until its projection is built
    """
    check_radius(radius)
    if focus is None:
        return load_projection(store)
    return ball(store, _relation_entity(name_index(store), focus).iri, radius)


def export(store: Store, format: str, focus: str | None = None, radius: int = 1) -> ExportFile:
    """The graph, or the neighborhood of ``focus`` within ``radius``, as a file in ``format``.

    :raises UnknownFormat: naming the formats that exist
    :raises EntityNotFound: when ``focus`` names no entity
    :raises ValueError: for a radius outside 0..MAX_RADIUS (checked even without a focus)
    :raises ToolMissing: when the format needs a program that is not installed
    """
    exporter = exporter_for(format)
    data = exporter.to_bytes(export_graph(store, focus, radius))
    return ExportFile(data, exporter.media_type, f"msckg.{exporter.extension}", exporter.format)


_INDEXES: dict[tuple[str, int], NameIndex] = {}
_INDEX_LOCK = threading.Lock()


def name_index(store: Store) -> NameIndex:
    """The index that resolves and searches entity names for ``store``.

    A local store: the SQLite text index beside it (:mod:`msckg.graph.textindex`), written by
    ``msckg build`` and ``msckg load``; a store built before the index existed gets it now, once.
    A remote store: the names read into memory (:class:`msckg.graph.entities.EntityIndex`),
    reused for :data:`msckg.graph.network.REMOTE_CACHE_SECONDS`; it has no folder for a file.
    An in-memory store: read on every call.
    """
    try:
        version = store_version(store)
    except ValueError:
        return EntityIndex.from_store(store)
    with _INDEX_LOCK:
        if version in _INDEXES:
            return _INDEXES[version]
        if store.path is not None:
            path = index_path(store.path)
            index: NameIndex | None = open_text_index(path, version[1])
            if index is None:
                write_text_index(store, path, version[1])
                index = open_text_index(path, version[1])
        else:
            index = None
        if index is None:
            index = EntityIndex.from_store(store)
        for stale in [old for old in _INDEXES if old[0] == version[0]]:
            del _INDEXES[stale]
        _INDEXES[version] = index
        return index


def _curie(iri: str) -> str:
    return CONVERTER.compress(iri) or iri


def _iri(curie: str) -> str:
    return CONVERTER.expand(curie) or curie


def _relation_entity(names: NameIndex, key: str) -> EntitySummary:
    """Resolve ``key`` to an entity that relations may link (not a publication).

    :raises EntityNotFound: for an unknown entity
    :raises ValueError: for a publication
    """
    found = resolve_entity(names, key)
    if _PUBLICATION in found.types:
        raise ValueError(
            f"{found.label!r} ({_curie(found.iri)}) is a publication; paths, neighborhoods "
            "and metapaths link the entities that statements are about"
        )
    return found


def _known_classes(store: Store, names: NameIndex) -> set[str]:
    """The classes of the relation graph's entities, with their superclasses."""
    supers = ontology_classes(store)
    return {
        cls for type_ in names.types if type_ != _PUBLICATION for cls in supers.get(type_, (type_,))
    }


def search(store: Store, q: str, *, limit: int, type_: str | None = None) -> dict[str, Any]:
    """Entities whose label or a synonym matches ``q``, best first (Greek- and punctuation-blind).

    :param q: what the user typed (empty: entities by label)
    :param limit: the most results
    :param type_: keep only entities of this class
    :returns: ``{"results": [summary, ...]}``
    :raises ValueError: for an unknown type
    """
    found = name_index(store).search(q, type_=type_, limit=limit)
    return {"results": [summary.as_dict() for summary in found]}


def entity(store: Store, key: str) -> dict[str, Any]:
    """One entity's card and its relations with their statements and references.

    :param key: CURIE, IRI or bare id
    :raises ValueError: for a malformed key
    :raises EntityNotFound: when no entity has that id, with the closest entities
    """
    return entity_detail(store, key, name_index(store))


def stats(store: Store) -> dict[str, Any]:
    """Triples per named graph, entities per class, relations per predicate."""
    return graph_stats(store).as_dict()


def rank(store: Store, measure: str = "pagerank", limit: int = 20) -> dict[str, Any]:
    """Entities by a centrality measure, highest first: ``{"by", "entities": [...]}``.

    :param measure: a key of :data:`msckg.graph.topology.RANKINGS`
    :param limit: at most this many
    :raises ValueError: for an unknown measure
    """
    ranked = rank_entities(load_projection(store), measure, limit)
    return {
        "by": measure,
        "entities": [
            {"id": r.id, "label": r.label, "type": r.type, "score": round(r.score, 6)}
            for r in ranked
        ],
    }


def node_types(store: Store) -> dict[str, Any]:
    """Each class entities of the relation graph have, with its label and its colour in every
    graph view: ``{"types": [{"type", "label", "colour"}, ...]}``, sorted by label."""
    supers = ontology_classes(store)
    labels = ontology_class_labels(store)
    found = [
        {
            "type": type_,
            "label": labels.get(type_, type_.rsplit(":", 1)[-1]),
            "colour": colour_of(supers.get(type_, (type_,))),
        }
        for type_ in name_index(store).types
        if type_ != _PUBLICATION
    ]
    return {"types": sorted(found, key=lambda row: (row["label"], row["type"]))}


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
