"""Shape of the projection: neighborhoods (ego graphs), centrality, connected components."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from msckg.graph.network import resolve_entity

__all__ = [
    "MAX_RADIUS",
    "RANKINGS",
    "Ranked",
    "check_radius",
    "components",
    "neighborhood",
    "neighborhood_summary",
    "rank_entities",
]

MAX_RADIUS = 4


def check_radius(radius: int) -> None:
    """Refuse a neighborhood radius outside 0..MAX_RADIUS.

    :raises ValueError: naming the bound
    """
    if not 0 <= radius <= MAX_RADIUS:
        raise ValueError(f"radius must be between 0 and {MAX_RADIUS} (MAX_RADIUS), got {radius}")


def neighborhood(graph: nx.MultiDiGraph[str], center: str, radius: int = 1) -> nx.MultiDiGraph[str]:
    """The entities within ``radius`` hops of ``center`` (either direction) and their edges.

    :param center: entity id, CURIE, label or synonym
    :param radius: 0..MAX_RADIUS
    :returns: a new graph with the same node and edge attributes
    :raises EntityNotFound: when ``center`` names no entity
    :raises ValueError: when ``radius`` is out of bounds
    """
    check_radius(radius)
    node = resolve_entity(graph, center)
    return nx.MultiDiGraph(nx.ego_graph(graph, node, radius=radius, undirected=True))


def neighborhood_summary(
    graph: nx.MultiDiGraph[str], center: str, radius: int = 1
) -> dict[str, Any]:
    """The neighborhood of ``center`` as JSON: nodes with their distance, edges with statements.

    :raises EntityNotFound: when ``center`` names no entity
    :raises ValueError: when ``radius`` is out of bounds
    """
    sub = neighborhood(graph, center, radius)
    node = resolve_entity(graph, center)
    distance = nx.single_source_shortest_path_length(sub.to_undirected(as_view=True), node)
    nodes = [
        {"id": n, "label": d.get("label", n), "type": d.get("type", ""), "distance": distance[n]}
        for n, d in sorted(
            sub.nodes.items(), key=lambda item: (distance[item[0]], item[1].get("label", ""))
        )
    ]
    edges = [
        {
            "source": u,
            "predicate": k,
            "label": d.get("label", k),
            "target": v,
            "evidence_rank": max(
                (s.evidence_rank for s in d.get("statements", ()) if s.positive), default=0
            ),
            "statements": [s.as_dict() for s in d.get("statements", ())],
        }
        for u, v, k, d in sorted(sub.edges(keys=True, data=True), key=lambda e: e[:3])
    ]
    return {"center": nodes[0], "radius": radius, "nodes": nodes, "edges": edges}


def _degree(graph: nx.MultiDiGraph[str]) -> dict[str, float]:
    if len(graph) < 2:
        return dict.fromkeys(graph, 0.0)
    centrality: dict[str, float] = nx.degree_centrality(graph)
    return centrality


def _betweenness(graph: nx.MultiDiGraph[str]) -> dict[str, float]:
    return nx.betweenness_centrality(nx.Graph(graph.to_undirected(as_view=True)))


def _pagerank(graph: nx.MultiDiGraph[str]) -> dict[str, float]:
    return nx.pagerank(nx.DiGraph(graph)) if len(graph) else {}


#: Centrality measures by name: degree (all edges), betweenness (undirected), PageRank (directed).
RANKINGS: dict[str, Callable[[nx.MultiDiGraph[str]], dict[str, float]]] = {
    "pagerank": _pagerank,
    "betweenness": _betweenness,
    "degree": _degree,
}


@dataclass(frozen=True, slots=True)
class Ranked:
    """An entity with its centrality score."""

    id: str
    label: str
    type: str
    score: float


def rank_entities(
    graph: nx.MultiDiGraph[str], by: str = "pagerank", limit: int | None = 20
) -> list[Ranked]:
    """Entities ordered by a centrality measure, highest first (ties by id).

    :param by: a key of :data:`RANKINGS`
    :param limit: at most this many (``None``: all)
    :raises ValueError: for an unknown measure, listing the choices
    """
    if by not in RANKINGS:
        raise ValueError(f"unknown ranking {by!r}; choose one of: {', '.join(RANKINGS)}")
    scores = RANKINGS[by](graph)
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [
        Ranked(node, graph.nodes[node].get("label", node), graph.nodes[node].get("type", ""), score)
        for node, score in ordered[:limit]
    ]


def components(graph: nx.MultiDiGraph[str]) -> list[frozenset[str]]:
    """The weakly connected components, largest first (ties by smallest member)."""
    return sorted(
        (frozenset(c) for c in nx.weakly_connected_components(graph)),
        key=lambda c: (-len(c), min(c)),
    )
