"""Evidence-aware paths between two entities: shortest, k shortest, all simple up to a length.

A path's score has two parts. The *weakest link* is the lowest, over its edges, of each
edge's best evidence rank (expert opinion 1, clinical background / preclinical / animal model
2, early clinical study 3, clinical trial 4; see :class:`msckg.graph.model.EvidenceContext`).
The *combined* score is the product, over its edges, of that best rank divided by the highest
rank (4), so it lies in (0, 1], falls with every extra hop, and equals 1 only for a path made of
clinical-trial edges. Only positive statements that pass the evidence filter count.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from msckg.graph.model import EvidenceContext
from msckg.graph.network import EdgeStatement, resolve_entity

__all__ = [
    "MAX_K",
    "MAX_LENGTH",
    "MAX_PATHS",
    "MAX_RANK",
    "Path",
    "PathEdge",
    "PathFilter",
    "PathResult",
    "all_simple_paths",
    "evidence_rank",
    "find_paths",
    "k_shortest_paths",
    "path_from_hops",
    "shortest_path",
    "simple_projection",
]

MAX_K = 20
MAX_LENGTH = 6
MAX_PATHS = 500
MAX_RANK = max(member.rank for member in EvidenceContext)

Hop = tuple[str, str, str]


def evidence_rank(level: str | int | None) -> int:
    """The rank of an evidence level given by code (``animal_model``) or rank; 0 for ``None``.

    >>> evidence_rank("early_clinical_study")
    3
    >>> evidence_rank(None)
    0

    :raises ValueError: for an unknown code or a rank out of range, listing the choices
    """
    if level is None or level == "":
        return 0
    if isinstance(level, int) or (isinstance(level, str) and level.isdigit()):
        rank = int(level)
        if 0 <= rank <= MAX_RANK:
            return rank
        raise ValueError(f"evidence rank {level!r} out of range 0..{MAX_RANK}")
    try:
        return EvidenceContext.from_code(level).rank
    except ValueError:
        choices = ", ".join(member.code for member in EvidenceContext)
        raise ValueError(f"unknown evidence level {level!r}; choose one of: {choices}") from None


def _class_curie(name: str) -> str:
    return name if ":" in name else f"msckg:{name}"


@dataclass(frozen=True, slots=True)
class PathFilter:
    """Which edges and nodes a traversal may use, and whether it follows edge direction.

    :param predicates: predicate CURIEs allowed (empty: all); bare names get ``msckg:``
    :param node_types: classes an intermediate node must have one of (empty: all)
    :param min_evidence: an edge needs a positive statement of at least this evidence rank
    :param directed: follow edges from subject to object only
    """

    predicates: frozenset[str] = frozenset()
    node_types: frozenset[str] = frozenset()
    min_evidence: int = 0
    directed: bool = True

    @classmethod
    def from_options(
        cls,
        predicates: Iterable[str] = (),
        node_types: Iterable[str] = (),
        min_evidence: str | int | None = None,
        *,
        directed: bool = True,
    ) -> PathFilter:
        """Build a filter from values (``secretes``, ``GrowthFactor``, ``animal_model``).

        :raises ValueError: for an unknown evidence level
        """
        return cls(
            frozenset(_class_curie(p) for p in predicates if p),
            frozenset(_class_curie(t) for t in node_types if t),
            evidence_rank(min_evidence),
            directed,
        )

    def statements(self, data: dict[str, Any]) -> tuple[EdgeStatement, ...]:
        """The positive statements of an edge that meet the evidence threshold."""
        return tuple(
            s
            for s in data.get("statements", ())
            if s.positive and s.evidence_rank >= self.min_evidence
        )

    def allows_edge(self, data: dict[str, Any]) -> bool:
        """Whether an edge (its attribute dict) passes the predicate and evidence filters."""
        if self.predicates and data["predicate"] not in self.predicates:
            return False
        return self.min_evidence == 0 or bool(self.statements(data))

    def allows_node(self, data: dict[str, Any]) -> bool:
        """Whether a node (its attribute dict) passes the type filter."""
        return not self.node_types or bool(self.node_types.intersection(data.get("types", ())))


@dataclass(frozen=True, slots=True)
class PathEdge:
    """One hop of a path: the stored edge (subject to object) and its statements."""

    source: str
    predicate: str
    label: str
    target: str
    statements: tuple[EdgeStatement, ...]

    @property
    def best_evidence(self) -> int:
        """The highest evidence rank among the hop's statements (0 without any)."""
        return max((s.evidence_rank for s in self.statements), default=0)

    @property
    def best_evidence_code(self) -> str | None:
        """The evidence context of the hop's strongest statement (ranks tie: animal model and
        clinical background are both 2, so the name comes from the statement, not the rank)."""
        best = max(self.statements, key=lambda s: s.evidence_rank, default=None)
        return best.evidence if best is not None else None

    def as_dict(self) -> dict[str, Any]:
        """The hop as JSON-ready data."""
        return {
            "source": self.source,
            "predicate": self.predicate,
            "label": self.label,
            "target": self.target,
            "evidence_rank": self.best_evidence,
            "statements": [s.as_dict() for s in self.statements],
        }


@dataclass(frozen=True, slots=True)
class Path:
    """A path: its nodes in order, its hops, and its evidence scores (see the module docstring)."""

    nodes: tuple[dict[str, str], ...]
    edges: tuple[PathEdge, ...]
    weakest_link: int
    combined: float
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def node_ids(self) -> tuple[str, ...]:
        """The node CURIEs in order."""
        return tuple(node["id"] for node in self.nodes)

    def as_dict(self) -> dict[str, Any]:
        """The path as JSON-ready data."""
        weakest_edge = min(self.edges, key=lambda edge: edge.best_evidence, default=None)
        weakest = weakest_edge.best_evidence_code if weakest_edge is not None else None
        return {
            "nodes": list(self.nodes),
            "edges": [edge.as_dict() for edge in self.edges],
            "length": len(self.edges),
            "score": {
                "weakest_link": self.weakest_link,
                "weakest_evidence": weakest,
                "combined": round(self.combined, 6),
                **self.extra,
            },
        }


@dataclass(frozen=True, slots=True)
class PathResult:
    """The paths found between two resolved entities, or the reason there are none."""

    source: str
    target: str
    paths: tuple[Path, ...]
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        result: dict[str, Any] = {
            "source": self.source,
            "target": self.target,
            "paths": [path.as_dict() for path in self.paths],
        }
        if self.reason:
            result["reason"] = self.reason
        return result


def _node(graph: nx.MultiDiGraph[str], node: str) -> dict[str, str]:
    data = graph.nodes[node]
    return {"id": node, "label": data.get("label", node), "type": data.get("type", "")}


def path_from_hops(
    graph: nx.MultiDiGraph[str], start: str, hops: Iterable[Hop], flt: PathFilter
) -> Path:
    """A scored :class:`Path` from edges ``(subject, object, predicate)`` walked from ``start``.

    :param graph: the projection
    :param start: the first node
    :param hops: stored edge keys in walking order (either direction)
    :param flt: decides which statements count
    :returns: the path with its weakest-link and combined scores
    """
    nodes, edges, here = [start], [], start
    for subject, obj, key in hops:
        data = graph.edges[subject, obj, key]
        edges.append(PathEdge(subject, key, data["label"], obj, flt.statements(data)))
        here = obj if here == subject else subject
        nodes.append(here)
    ranks = [edge.best_evidence for edge in edges]
    combined = math.prod(rank / MAX_RANK for rank in ranks)
    return Path(
        tuple(_node(graph, n) for n in nodes), tuple(edges), min(ranks, default=MAX_RANK), combined
    )


def simple_projection(
    graph: nx.MultiDiGraph[str], flt: PathFilter
) -> nx.DiGraph[str] | nx.Graph[str]:
    """Collapse parallel edges (and, undirected, both directions) into one edge listing their keys.

    :param graph: the projection
    :param flt: only edges it allows are kept
    :returns: a DiGraph (directed filter) or Graph whose edges carry ``hops``
    """
    simple: nx.DiGraph[str] | nx.Graph[str] = nx.DiGraph() if flt.directed else nx.Graph()
    simple.add_nodes_from(graph.nodes)
    for subject, obj, key, data in graph.edges(keys=True, data=True):
        if not flt.allows_edge(data):
            continue
        if simple.has_edge(subject, obj):
            simple.edges[subject, obj]["hops"].append((subject, obj, key))
        else:
            simple.add_edge(subject, obj, hops=[(subject, obj, key)])
    return simple


def _weight(
    graph: nx.MultiDiGraph[str], flt: PathFilter, ends: set[str]
) -> Callable[[str, str, object], int | None]:
    def weight(u: str, v: str, _data: object) -> int | None:
        for node in (u, v):
            if node not in ends and not flt.allows_node(graph.nodes[node]):
                return None
        return 1

    return weight


def _expand(
    graph: nx.MultiDiGraph[str], simple: nx.Graph[str], node_path: list[str], flt: PathFilter
) -> Iterator[Path]:
    options = [simple.edges[u, v]["hops"] for u, v in itertools.pairwise(node_path)]
    for hops in itertools.product(*options):
        yield path_from_hops(graph, node_path[0], hops, flt)


def _order(path: Path) -> tuple[int, float, int, tuple[str, ...], tuple[str, ...]]:
    return (
        len(path.edges),
        -path.combined,
        -path.weakest_link,
        path.node_ids,
        tuple(edge.predicate for edge in path.edges),
    )


def _check_bounds(k: int | None = None, max_length: int | None = None) -> None:
    if k is not None and not 1 <= k <= MAX_K:
        raise ValueError(f"k must be between 1 and {MAX_K} (MAX_K), got {k}")
    if max_length is not None and not 1 <= max_length <= MAX_LENGTH:
        raise ValueError(
            f"max_length must be between 1 and {MAX_LENGTH} (MAX_LENGTH), got {max_length}"
        )


def k_shortest_paths(
    graph: nx.MultiDiGraph[str],
    source: str,
    target: str,
    k: int = 5,
    *,
    max_length: int | None = None,
    flt: PathFilter = PathFilter(),
) -> list[Path]:
    """The ``k`` shortest simple paths from ``source`` to ``target`` (hop count; ties by score).

    Uses ``islice(nx.shortest_simple_paths(...), ...)`` (Yen's algorithm) on the projection with
    parallel edges collapsed; the filter is a weight function returning ``None`` to hide an
    edge. Parallel edges then expand into distinct paths.

    :param graph: the projection
    :param source: entity id, CURIE, label or synonym
    :param target: entity id, CURIE, label or synonym
    :param k: how many paths, 1..MAX_K
    :param max_length: longest path in edges, 1..MAX_LENGTH (default: MAX_LENGTH)
    :param flt: edge, node and direction filters
    :returns: paths, shortest first, then by combined score, then weakest link
    :raises EntityNotFound: when source or target names no entity
    :raises ValueError: when ``k`` or ``max_length`` is out of bounds
    """
    _check_bounds(k, max_length)
    limit = max_length or MAX_LENGTH
    start, end = resolve_entity(graph, source), resolve_entity(graph, target)
    simple = simple_projection(graph, flt)
    found: list[Path] = []
    node_paths = nx.shortest_simple_paths(
        simple, start, end, weight=_weight(graph, flt, {start, end})
    )
    try:
        for node_path in itertools.islice(node_paths, MAX_PATHS):
            length = len(node_path) - 1
            if length > limit or (len(found) >= k and length > len(found[k - 1].edges)):
                break
            found.extend(_expand(graph, simple, node_path, flt))
            found.sort(key=_order)
    except nx.NetworkXNoPath:
        return []
    return found[:k]


def shortest_path(
    graph: nx.MultiDiGraph[str],
    source: str,
    target: str,
    *,
    max_length: int | None = None,
    flt: PathFilter = PathFilter(),
) -> Path | None:
    """The shortest path (best-scored among equally short ones), or ``None`` when there is none.

    :raises EntityNotFound: when source or target names no entity
    :raises ValueError: when ``max_length`` is out of bounds
    """
    paths = k_shortest_paths(graph, source, target, 1, max_length=max_length, flt=flt)
    return paths[0] if paths else None


def all_simple_paths(
    graph: nx.MultiDiGraph[str],
    source: str,
    target: str,
    max_length: int = 4,
    *,
    flt: PathFilter = PathFilter(),
    limit: int = MAX_PATHS,
) -> list[Path]:
    """Every simple path of at most ``max_length`` edges, shortest and best-scored first.

    :param limit: stop after this many paths (at most MAX_PATHS)
    :raises EntityNotFound: when source or target names no entity
    :raises ValueError: when ``max_length`` is out of bounds
    """
    _check_bounds(None, max_length)
    start, end = resolve_entity(graph, source), resolve_entity(graph, target)
    simple = simple_projection(graph, flt)
    weight = _weight(graph, flt, {start, end})
    view = nx.subgraph_view(simple, filter_edge=lambda u, v: weight(u, v, {}) is not None)
    found: list[Path] = []
    for node_path in nx.all_simple_paths(view, start, end, cutoff=max_length):
        found.extend(_expand(graph, simple, node_path, flt))
        if len(found) >= min(limit, MAX_PATHS):
            break
    return sorted(found, key=_order)[: min(limit, MAX_PATHS)]


def find_paths(
    graph: nx.MultiDiGraph[str],
    source: str,
    target: str,
    *,
    k: int = 5,
    max_length: int | None = None,
    all_paths: bool = False,
    flt: PathFilter = PathFilter(),
) -> PathResult:
    """Paths between two entities for the CLI and the REST API, with a reason when there are none.

    :param all_paths: every simple path up to ``max_length`` (default 4), not the ``k`` shortest
    :raises EntityNotFound: when source or target names no entity
    :raises ValueError: when ``k`` or ``max_length`` is out of bounds
    """
    _check_bounds(k, max_length)
    start, end = resolve_entity(graph, source), resolve_entity(graph, target)
    if all_paths:
        paths = all_simple_paths(graph, start, end, max_length or 4, flt=flt)
    else:
        paths = k_shortest_paths(graph, start, end, k, max_length=max_length, flt=flt)
    reason = ""
    if not paths:
        limit = max_length or (4 if all_paths else MAX_LENGTH)
        how = "directed" if flt.directed else "undirected"
        reason = f"no {how} path from {start} to {end} of at most {limit} edges" + (
            " with the given filters" if flt != PathFilter(directed=flt.directed) else ""
        )
    return PathResult(start, end, tuple(paths), reason)
