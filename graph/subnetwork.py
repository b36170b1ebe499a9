"""The part of the projection one path query needs, fetched through the store hop by hop.

For a large graph (or a remote store) the whole networkx projection is too big to build for
one query. Every path of at most ``L`` edges from ``s`` to ``t`` lies within ``ceil(L/2)``
hops of ``s`` or ``floor(L/2)`` hops of ``t`` on each of its edges, so expanding a ball from
each end, one SPARQL query per hop with the frontier as ``VALUES``, fetches every edge such a
path can use. Nodes with ``d(s, v) + d(v, t) > L`` are then dropped, and only the survivors'
labels, types and statements are fetched.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable

import networkx as nx

from msckg.graph.entities import iri_from_key
from msckg.graph.errors import EntityNotFound
from msckg.graph.network import network_from_rows, network_query
from msckg.graph.paths import MAX_K, MAX_LENGTH, PathFilter, PathResult, find_paths
from msckg.graph.store import Store
from msckg.ontology import CONVERTER, ENT

__all__ = ["MAX_EDGES", "network_between", "paths_in_store", "resolve_in_store"]

#: The most edges one expansion may fetch before the query is refused as too broad.
MAX_EDGES = 200_000
_CHUNK = 500
_SAFE_IRI = re.compile(r"[^<>\"{}|^`\\\x00-\x20]+")
_EDGE_FILTER = """
  FILTER(STRSTARTS(STR(?p), STR(msckg:)) && ?p != msckg:cites)
  FILTER(STRSTARTS(STR(?s), STR(ent:)) && STRSTARTS(STR(?o), STR(ent:)))"""
_OUT = "{ ?n ?p ?o . BIND(?n AS ?s) }"
_IN = "{ ?s ?p ?n . BIND(?n AS ?o) }"
_NAMED = """SELECT DISTINCT ?key ?s ?label WHERE {
  GRAPH graph:asserted {
    ?s rdfs:label|skos:altLabel ?name ; rdfs:label ?label ; a ?type .
    FILTER(LCASE(STR(?name)) = LCASE(STR(?key)))
  }
  FILTER(STRSTARTS(STR(?s), STR(ent:)) && STRSTARTS(STR(?type), STR(msckg:)))
}"""
_CLOSE = """SELECT DISTINCT ?key ?s ?label WHERE {
  GRAPH graph:asserted {
    ?s rdfs:label ?label ; a ?type .
    FILTER(CONTAINS(LCASE(?label), LCASE(STR(?key))))
  }
  FILTER(STRSTARTS(STR(?s), STR(ent:)) && STRSTARTS(STR(?type), STR(msckg:)))
} ORDER BY STRLEN(?label) ?label LIMIT 5"""

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


def resolve_in_store(store: Store, key: str) -> str:
    """The entity IRI ``key`` names, looked up in the store (never the whole projection).

    As :func:`msckg.graph.network.resolve_entity`: a CURIE, IRI or bare id of an entity, else a
    label or synonym (case-insensitive); a name shared by several entities resolves to the one
    whose label it is, else fails as ambiguous.

    :raises EntityNotFound: with close labels as suggestions
    """
    text = key.strip()
    try:
        iri = iri_from_key(text)
    except ValueError:
        iri = None
    if (
        iri is not None
        and iri.startswith(str(ENT))
        and store.select(network_query(["node"], _values("s", [iri])))
    ):
        return iri
    # The name is bound as a term, never pasted into the query.
    matches = {row["s"]: row["label"] for row in store.select(_NAMED, {"key": text})}
    by_label = sorted(s for s, label in matches.items() if label.casefold() == text.casefold())
    if len(by_label) == 1:
        return by_label[0]
    if len(matches) == 1:
        return next(iter(matches))
    if matches:
        raise EntityNotFound(
            key, [{"id": _curie(s), "label": label} for s, label in sorted(matches.items())]
        )
    close = store.select(_CLOSE, {"key": text})
    raise EntityNotFound(key, [{"id": _curie(row["s"]), "label": row["label"]} for row in close])


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


def network_between(
    store: Store, source: str, target: str, max_length: int, *, directed: bool = False
) -> nx.MultiDiGraph[str]:
    """The projection restricted to what paths of at most ``max_length`` edges can use.

    Feed it to :func:`msckg.graph.paths.find_paths` with the same ends and bound: the paths
    are those of the full projection (:func:`msckg.graph.network.load_network`).

    :param store: a built store, local or remote
    :param source: entity IRI (see :func:`resolve_in_store`)
    :param target: entity IRI
    :param max_length: the longest path, in edges
    :param directed: follow edges from subject to object only
    :returns: a frozen MultiDiGraph with the attributes of the full projection
    :raises ValueError: when an expansion passes :data:`MAX_EDGES` edges
    """
    edges: set[Edge] = set()
    for start, hops, forward in (
        (source, (max_length + 1) // 2, True),
        (target, max_length // 2, False),
    ):
        seen, frontier = {start}, {start}
        for _ in range(hops):
            new = _expand(store, frontier, forward or not directed, not forward or not directed)
            edges |= new
            if len(edges) > MAX_EDGES:
                raise ValueError(
                    f"more than {MAX_EDGES} relations lie within reach; "
                    "give a smaller max_length or filters"
                )
            frontier = {n for s, _, o in new for n in (s, o)} - seen
            seen |= frontier
            if not frontier:
                break
    from_source = _distances(source, edges, True, directed)
    to_target = _distances(target, edges, False, directed)
    keep = {
        n for n in from_source if from_source[n] + to_target.get(n, max_length + 1) <= max_length
    }
    keep |= {source, target}
    kept = {(s, p, o) for s, p, o in edges if s in keep and o in keep}
    rows = store.select(network_query(["class", "predicate"]))
    for chunk in _chunks(keep):
        rows += store.select(network_query(["node", "synonym"], _values("s", chunk)))
    for chunk in _chunks({f"{s}\t{p}\t{o}" for s, p, o in kept}):
        triples = [line.split("\t") for line in chunk]
        values = " ".join(f"({_iri(s)} {_iri(p)} {_iri(o)})" for s, p, o in triples)
        rows += store.select(network_query(["edge"], f"VALUES (?s ?p ?o) {{ {values} }}"))
    frozen: nx.MultiDiGraph[str] = nx.freeze(network_from_rows(rows))
    return frozen


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

    :raises EntityNotFound: when source or target names no entity
    :raises ValueError: when ``k`` or ``max_length`` is out of bounds, or too much is in reach
    """
    if not 1 <= k <= MAX_K:
        raise ValueError(f"k must be between 1 and {MAX_K} (MAX_K), got {k}")
    if max_length is not None and not 1 <= max_length <= MAX_LENGTH:
        raise ValueError(
            f"max_length must be between 1 and {MAX_LENGTH} (MAX_LENGTH), got {max_length}"
        )
    start, end = resolve_in_store(store, source), resolve_in_store(store, target)
    limit = max_length or (4 if all_paths else MAX_LENGTH)
    graph = network_between(store, start, end, limit, directed=flt.directed)
    return find_paths(
        graph,
        CONVERTER.compress(start) or start,
        CONVERTER.compress(end) or end,
        k=k,
        max_length=max_length,
        all_paths=all_paths,
        flt=flt,
    )
