"""Metapaths as Hetionet does them: paths that follow a pattern of node types, and their DWPC.

The degree-weighted path count (DWPC) is from Himmelstein & Baranzini 2015, "Heterogeneous
Network Edge Prediction: A Data Integration Approach to Prioritize Disease-Associated Genes",
PLoS Comput Biol 11(7): e1004259, doi:10.1371/journal.pcbi.1004259. Each path contributes its
path-degree product (PDP): for every hop, the degrees of both its ends counted along that hop's
*metaedge* (its predicate, direction and the two node types of the pattern), each raised to
``-damping``. The DWPC is the sum of the PDPs, so paths through hubs weigh less.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from msckg.graph.network import resolve_entity
from msckg.graph.paths import MAX_LENGTH, MAX_PATHS, Path, PathFilter, path_from_hops

__all__ = [
    "DEFAULT_DAMPING",
    "MetapathResult",
    "degree_weighted_path_count",
    "metaedge_degree",
    "metapath_hops",
    "metapaths",
    "parse_pattern",
    "path_degree_product",
]

DEFAULT_DAMPING = 0.4

Hop = tuple[str, str, str]


def parse_pattern(
    graph: nx.MultiDiGraph[str],
    pattern: str | Sequence[str],
    known: Iterable[str] | None = None,
) -> tuple[str, ...]:
    """Turn ``"CellSource,CellType,Molecule"`` into class CURIEs the graph's nodes have.

    :param pattern: comma-separated class names or CURIEs, or a sequence of them
    :param known: the classes entities have (with their superclasses); default: those of
        ``graph``'s nodes (give them when ``graph`` is only part of the projection)
    :returns: 2 to MAX_LENGTH + 1 class CURIEs
    :raises ValueError: for a class no node has (listing those that exist) or a bad length
    """
    items = pattern.split(",") if isinstance(pattern, str) else list(pattern)
    classes = tuple(
        item.strip() if ":" in item else f"msckg:{item.strip()}" for item in items if item.strip()
    )
    if not 2 <= len(classes) <= MAX_LENGTH + 1:
        raise ValueError(
            f"a metapath pattern needs 2 to {MAX_LENGTH + 1} node types (MAX_LENGTH), "
            f"got {len(classes)}"
        )
    if known is None:
        known = {cls for _, types in graph.nodes(data="types", default=()) for cls in types}
    choices = sorted(known)
    for cls in classes:
        if cls not in choices:
            names = ", ".join(name.removeprefix("msckg:") for name in choices)
            raise ValueError(
                f"unknown node type {cls.removeprefix('msckg:')!r}; choose one of: {names}"
            )
    return classes


def _has_type(graph: nx.MultiDiGraph[str], node: str, cls: str) -> bool:
    return cls in graph.nodes[node].get("types", ())


def _steps(
    graph: nx.MultiDiGraph[str], node: str, flt: PathFilter
) -> Iterator[tuple[str, Hop, bool]]:
    for _, other, key, data in graph.out_edges(node, keys=True, data=True):
        if flt.allows_edge(data):
            yield other, (node, other, key), True
    if not flt.directed:
        for other, _, key, data in graph.in_edges(node, keys=True, data=True):
            if flt.allows_edge(data):
                yield other, (other, node, key), False


def metaedge_degree(
    graph: nx.MultiDiGraph[str],
    node: str,
    predicate: str,
    outgoing: bool,
    other_type: str,
    flt: PathFilter,
) -> int:
    """Edges of ``node`` along one metaedge: this predicate and direction, other end typed.

    :param outgoing: count edges where ``node`` is the subject (else the object)
    """
    edges = (
        graph.out_edges(node, keys=True, data=True)
        if outgoing
        else graph.in_edges(node, keys=True, data=True)
    )
    return sum(
        1
        for subject, obj, key, data in edges
        if key == predicate
        and flt.allows_edge(data)
        and _has_type(graph, obj if outgoing else subject, other_type)
    )


def metapath_hops(
    graph: nx.MultiDiGraph[str], source: str, target: str, pattern: Sequence[str], flt: PathFilter
) -> list[tuple[Hop, ...]]:
    """Every simple path from ``source`` to ``target`` whose nodes follow the pattern's types.

    :returns: paths as tuples of edge keys ``(subject, object, predicate)``, at most MAX_PATHS
    """
    if not (_has_type(graph, source, pattern[0]) and _has_type(graph, target, pattern[-1])):
        return []
    found: list[tuple[Hop, ...]] = []

    def walk(node: str, depth: int, seen: tuple[str, ...], hops: tuple[Hop, ...]) -> None:
        if len(found) >= MAX_PATHS:
            return
        if depth == len(pattern) - 1:
            if node == target:
                found.append(hops)
            return
        for other, hop, _ in _steps(graph, node, flt):
            last = depth + 1 == len(pattern) - 1
            if (
                other in seen
                or (last and other != target)
                or not _has_type(graph, other, pattern[depth + 1])
            ):
                continue
            walk(other, depth + 1, (*seen, other), (*hops, hop))

    walk(source, 0, (source,), ())
    return sorted(found)


def path_degree_product(
    graph: nx.MultiDiGraph[str],
    source: str,
    hops: Sequence[Hop],
    pattern: Sequence[str],
    damping: float = DEFAULT_DAMPING,
    flt: PathFilter = PathFilter(directed=False),  # noqa: B008
) -> float:
    """The PDP of one path: the product over hops of ``(deg(a) * deg(b)) ** -damping``.

    ``deg`` counts edges along the hop's metaedge (Himmelstein & Baranzini 2015,
    doi:10.1371/journal.pcbi.1004259).

    :param source: the node the path starts from
    :param hops: stored edge keys in walking order
    :param pattern: the node types, one more than the hops
    """
    product, here = 1.0, source
    for index, (subject, obj, predicate) in enumerate(hops):
        forward = here == subject
        there = obj if forward else subject
        degree_here = metaedge_degree(graph, here, predicate, forward, pattern[index + 1], flt)
        degree_there = metaedge_degree(graph, there, predicate, not forward, pattern[index], flt)
        product *= (degree_here * degree_there) ** -damping
        here = there
    return product


def degree_weighted_path_count(pdps: Sequence[float]) -> float:
    """The DWPC: the sum of the paths' PDPs.

    Himmelstein & Baranzini 2015, doi:10.1371/journal.pcbi.1004259.

    >>> degree_weighted_path_count([0.5, 0.25])
    0.75
    """
    return math.fsum(pdps)


@dataclass(frozen=True, slots=True)
class MetapathResult:
    """The paths that follow a metapath, their count and DWPC."""

    source: str
    target: str
    pattern: tuple[str, ...]
    damping: float
    paths: tuple[Path, ...]
    dwpc: float

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        return {
            "source": self.source,
            "target": self.target,
            "pattern": list(self.pattern),
            "damping": self.damping,
            "count": len(self.paths),
            "dwpc": round(self.dwpc, 6),
            "paths": [path.as_dict() for path in self.paths],
        }


def metapaths(
    graph: nx.MultiDiGraph[str],
    source: str,
    target: str,
    pattern: str | Sequence[str],
    *,
    damping: float = DEFAULT_DAMPING,
    flt: PathFilter = PathFilter(directed=False),  # noqa: B008
    known: Iterable[str] | None = None,
) -> MetapathResult:
    """Count, list and weigh the paths from ``source`` to ``target`` that follow ``pattern``.

    :param pattern: node types, e.g. ``"CellSource,CellType,GrowthFactor,BiologicalProcess"``
    :param damping: the DWPC exponent ``w`` (0 counts paths plainly)
    :param flt: predicate and evidence filters; undirected by default, as metapaths often turn
    :param known: the classes of the whole graph, when ``graph`` is part of it (see
        :func:`parse_pattern`)
    :returns: the paths (each with its PDP in its score), their count and the DWPC
    :raises EntityNotFound: when source or target names no entity
    :raises ValueError: for an unknown type, a bad pattern length or a negative damping
    """
    if damping < 0:
        raise ValueError(f"damping must be >= 0, got {damping}")
    start, end = resolve_entity(graph, source), resolve_entity(graph, target)
    classes = parse_pattern(graph, pattern, known)
    paths, pdps = [], []
    for hops in metapath_hops(graph, start, end, classes, flt):
        pdp = path_degree_product(graph, start, hops, classes, damping, flt)
        path = path_from_hops(graph, start, hops, flt)
        path.extra["pdp"] = round(pdp, 6)
        paths.append(path)
        pdps.append(pdp)
    order = sorted(range(len(paths)), key=lambda i: (-pdps[i], paths[i].node_ids))
    return MetapathResult(
        start,
        end,
        classes,
        damping,
        tuple(paths[i] for i in order),
        degree_weighted_path_count(pdps),
    )
