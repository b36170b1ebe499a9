"""The part of the projection one request needs, fetched through the store hop by hop.

For a large graph (or a remote store) the whole networkx projection is too big to build for
one request. Every path of at most ``L`` edges from ``s`` to ``t`` lies within ``ceil(L/2)``
hops of ``s`` or ``floor(L/2)`` hops of ``t`` on each of its edges, so expanding a ball from
each end, one SPARQL query per hop with the frontier as ``VALUES``, fetches every edge such a
path can use. Nodes with ``d(s, v) + d(v, t) > L`` are then dropped, and only the survivors'
labels, types and statements are fetched. A neighborhood is the ball around its center, and a
metapath's degrees come from the edges around the nodes of its paths.

Every expansion is bounded in hops and in entities reached: past :data:`MAX_VISITED` entities
(or :data:`MAX_EDGES` relations) it stops and raises :class:`msckg.graph.errors.TooBroad`.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable

import networkx as nx

from msckg.graph.entities import resolve_entity
from msckg.graph.errors import TooBroad
from msckg.graph.network import (
    network_from_rows,
    network_query,
    store_version,
    supers_by_class,
)
from msckg.graph.paths import MAX_K, MAX_LENGTH, PathFilter, PathResult, find_paths
from msckg.graph.store import Store
from msckg.graph.topology import check_radius
from msckg.ontology import CONVERTER

__all__ = [
    "MAX_EDGES",
    "MAX_VISITED",
    "ball",
    "check_path_bounds",
    "network_around",
    "network_between",
    "network_of",
    "ontology_class_labels",
    "ontology_classes",
    "paths_in_store",
]

#: The most entities one request's expansion may reach before it is refused as too broad.
MAX_VISITED = 10_000
#: The most relations one request's expansion may fetch before it is refused as too broad.
MAX_EDGES = 200_000
_CHUNK = 500
_SAFE_IRI = re.compile(r"[^<>\"{}|^`\\\x00-\x20]+")
_EDGE_FILTER = """
  FILTER(STRSTARTS(STR(?p), STR(msckg:)) && ?p != msckg:cites)
  FILTER(STRSTARTS(STR(?s), STR(ent:)) && STRSTARTS(STR(?o), STR(ent:)))"""
_OUT = "{ ?n ?p ?o . BIND(?n AS ?s) }"
_IN = "{ ?s ?p ?n . BIND(?n AS ?o) }"

Edge = tuple[str, str, str]
_EVERY_EDGE = PathFilter()


def _curie(iri: str) -> str:
    return CONVERTER.compress(iri) or iri


def _iri(value: str) -> str:
    if not _SAFE_IRI.fullmatch(value):
        raise ValueError(f"{value[:100]!r} is not an IRI")
    return f"<{value}>"


def _values(name: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{name} {{ {' '.join(_iri(iri) for iri in iris)} }}"


def _chunks(items: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(items)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _too_broad(what: str) -> TooBroad:
    return TooBroad(
        f"more than {what} lie within reach; give a smaller max_length or radius, or filters"
    )


def _expand(store: Store, frontier: set[str], outgoing: bool, incoming: bool) -> set[Edge]:
    """Every projected edge touching ``frontier``: one query per hop (per 500 frontier nodes)."""
    pattern = " UNION ".join(side for wanted, side in ((outgoing, _OUT), (incoming, _IN)) if wanted)
    found: set[Edge] = set()
    for chunk in _chunks(frontier):
        query = (
            f"SELECT DISTINCT ?s ?p ?o WHERE {{\n  {_values('n', chunk)}\n"
            f"  GRAPH graph:asserted {{ {pattern} }}{_EDGE_FILTER}\n}}"
        )
        found.update((row["s"], row["p"], row["o"]) for row in store.select(query))
    return found


def _distances(start: str, edges: set[Edge], forward: bool, directed: bool) -> dict[str, int]:
    neighbours: dict[str, set[str]] = defaultdict(set)
    for subject, _, obj in edges:
        if forward or not directed:
            neighbours[subject].add(obj)
        if not forward or not directed:
            neighbours[obj].add(subject)
    distance, queue = {start: 0}, deque([start])
    while queue:
        node = queue.popleft()
        for other in neighbours[node]:
            if other not in distance:
                distance[other] = distance[node] + 1
                queue.append(other)
    return distance


class _Reach:
    """The entities and relations one request has reached so far, against the bounds."""

    def __init__(self) -> None:
        self.nodes: set[str] = set()
        self.edges: set[Edge] = set()

    def add(self, edges: set[Edge]) -> set[str]:
        """Count ``edges`` and their ends; return the ends not reached before."""
        self.edges |= edges
        new = {n for s, _, o in edges for n in (s, o)} - self.nodes
        self.nodes |= new
        if len(self.edges) > MAX_EDGES:
            raise _too_broad(f"{MAX_EDGES} relations")
        if len(self.nodes) > MAX_VISITED:
            raise _too_broad(f"{MAX_VISITED} entities")
        return new


def _grow(
    store: Store, reach: _Reach, start: str, hops: int, outgoing: bool, incoming: bool
) -> None:
    reach.nodes.add(start)
    frontier, seen = {start}, {start}
    for _ in range(hops):
        new = _expand(store, frontier, outgoing, incoming)
        reach.add(new)
        frontier = {n for s, _, o in new for n in (s, o)} - seen
        seen |= frontier
        if not frontier:
            break


_ONTOLOGY: dict[tuple[str, int], list[dict[str, str]]] = {}


def _ontology_rows(store: Store) -> list[dict[str, str]]:
    """The class and predicate rows of the projection: small, read once per build."""
    try:
        version = store_version(store)
    except ValueError:  # an in-memory store: no version to key on
        return store.select(network_query(["class", "predicate"]))
    if version not in _ONTOLOGY:
        _ONTOLOGY.clear()
        _ONTOLOGY[version] = store.select(network_query(["class", "predicate"]))
    return _ONTOLOGY[version]


def ontology_classes(store: Store) -> dict[str, tuple[str, ...]]:
    """Each class CURIE with its superclasses, most specific first (as nodes' ``types``)."""
    rows = [row for row in _ontology_rows(store) if row["kind"] == "class"]
    supers, _ = supers_by_class(rows)
    return {cls: tuple(chain) for cls, chain in supers.items()}


def ontology_class_labels(store: Store) -> dict[str, str]:
    """Each class CURIE's label."""
    rows = [row for row in _ontology_rows(store) if row["kind"] == "class"]
    return supers_by_class(rows)[1]


def network_of(store: Store, nodes: set[str], edges: set[Edge]) -> nx.MultiDiGraph[str]:
    """The projection restricted to ``nodes`` (IRIs) and ``edges`` among them, with every
    attribute of the full projection (labels, types, synonyms, statements, references).

    :returns: a frozen MultiDiGraph (nodes as CURIEs, like :func:`msckg.graph.network.load_network`)
    """
    rows = list(_ontology_rows(store))
    for chunk in _chunks(nodes):
        rows += store.select(network_query(["node", "synonym"], _values("s", chunk)))
    # The edges came from the store through the same filters as the "edge" part: no need to
    # ask for them again, only for their statements and those statements' references.
    rows += [{"kind": "edge", "s": s, "p": p, "o": o} for s, p, o in edges]
    statements: set[str] = set()
    for chunk in _chunks({f"{s}\t{p}\t{o}" for s, p, o in edges}):
        triples = [line.split("\t") for line in chunk]
        values = " ".join(f"({_iri(s)} {_iri(p)} {_iri(o)})" for s, p, o in triples)
        found = store.select(network_query(["statement"], f"VALUES (?s ?p ?o) {{ {values} }}"))
        statements.update(row["stmt"] for row in found)
        rows += found
    for chunk in _chunks(statements):
        rows += store.select(network_query(["reference"], _values("stmt", chunk)))
    frozen: nx.MultiDiGraph[str] = nx.freeze(network_from_rows(rows))
    return frozen


def _between(
    store: Store, source: str, target: str, max_length: int, directed: bool
) -> tuple[set[str], set[Edge]]:
    reach = _Reach()
    _grow(store, reach, source, (max_length + 1) // 2, True, not directed)
    _grow(store, reach, target, max_length // 2, not directed, True)
    from_source = _distances(source, reach.edges, True, directed)
    to_target = _distances(target, reach.edges, False, directed)
    keep = {
        n for n in from_source if from_source[n] + to_target.get(n, max_length + 1) <= max_length
    }
    keep |= {source, target}
    return keep, {(s, p, o) for s, p, o in reach.edges if s in keep and o in keep}


def network_between(
    store: Store, source: str, target: str, max_length: int, *, directed: bool = False
) -> nx.MultiDiGraph[str]:
    """The projection restricted to what paths of at most ``max_length`` edges can use.

    Feed it to :func:`msckg.graph.paths.find_paths` with the same ends and bound: the paths
    are those of the full projection (:func:`msckg.graph.network.load_network`).

    :param store: a built store, local or remote
    :param source: entity IRI (see :func:`msckg.graph.entities.resolve_entity`)
    :param target: entity IRI
    :param max_length: the longest path, in edges
    :param directed: follow edges from subject to object only
    :returns: a frozen MultiDiGraph with the attributes of the full projection
    :raises TooBroad: when the expansion reaches more than :data:`MAX_VISITED` entities or
        :data:`MAX_EDGES` relations
    """
    return network_of(store, *_between(store, source, target, max_length, directed))


def network_around(
    store: Store, source: str, target: str, max_length: int, around: set[str], *, directed: bool
) -> nx.MultiDiGraph[str]:
    """:func:`network_between`, plus every relation of the entities ``around`` (IRIs) and the
    entities at their other ends: what degree-weighted path counts need of the paths' nodes.

    :raises TooBroad: as :func:`network_between`
    """
    nodes, edges = _between(store, source, target, max_length, directed)
    reach = _Reach()
    reach.nodes |= nodes
    reach.add(edges | _expand(store, around, True, True))
    return network_of(store, reach.nodes, reach.edges)


def ball(store: Store, center: str, radius: int) -> nx.MultiDiGraph[str]:
    """The entities within ``radius`` hops of ``center`` (IRI, either direction), and every
    relation among them: :func:`msckg.graph.topology.neighborhood` without the whole projection.

    :raises ValueError: when ``radius`` is out of bounds
    :raises TooBroad: as :func:`network_between`
    """
    check_radius(radius)
    reach = _Reach()
    _grow(store, reach, center, radius, True, True)
    distance = _distances(center, reach.edges, True, False)
    inside = {n for n, hops in distance.items() if hops <= radius} | {center}
    rim = {n for n in inside if distance.get(n, 0) == radius}
    # Relations between two entities on the rim were not fetched by the expansion: each is an
    # outgoing relation of a rim entity.
    reach.edges |= {e for e in _expand(store, rim, True, False) if e[2] in rim}
    edges = {(s, p, o) for s, p, o in reach.edges if s in inside and o in inside}
    return network_of(store, inside, edges)


def check_path_bounds(k: int, max_length: int | None) -> None:
    """Refuse ``k`` or ``max_length`` out of bounds before anything is fetched.

    :raises ValueError: naming the bound
    """
    if not 1 <= k <= MAX_K:
        raise ValueError(f"k must be between 1 and {MAX_K} (MAX_K), got {k}")
    if max_length is not None and not 1 <= max_length <= MAX_LENGTH:
        raise ValueError(
            f"max_length must be between 1 and {MAX_LENGTH} (MAX_LENGTH), got {max_length}"
        )


def paths_in_store(
    store: Store,
    source: str,
    target: str,
    *,
    k: int = 5,
    max_length: int | None = None,
    all_paths: bool = False,
    flt: PathFilter = _EVERY_EDGE,
) -> PathResult:
    """:func:`msckg.graph.paths.find_paths` on the part of the store the query needs.

    :param source: entity id, CURIE, IRI, label or synonym
    :param target: entity id, CURIE, IRI, label or synonym
    :raises EntityNotFound: when an end names no entity
    :raises ValueError: when ``k`` or ``max_length`` is out of bounds
    :raises TooBroad: when too much is in reach
    """
    from msckg.graph.analysis import name_index  # analysis builds on this module

    check_path_bounds(k, max_length)
    names = name_index(store)
    source, target = resolve_entity(names, source).iri, resolve_entity(names, target).iri
    limit = max_length or (4 if all_paths else MAX_LENGTH)
    graph = network_between(store, source, target, limit, directed=flt.directed)
    return find_paths(
        graph,
        _curie(source),
        _curie(target),
        k=k,
        max_length=max_length,
        all_paths=all_paths,
        flt=flt,
    )
