"""Counts describing a built graph: triples per graph, entities per class, relations per kind."""

from __future__ import annotations

from dataclasses import dataclass

from msckg.graph.store import Store
from msckg.ontology import CONVERTER
from msckg.queries import load_query

__all__ = ["Count", "Stats", "graph_stats"]


@dataclass(frozen=True, slots=True)
class Count:
    """One line of a statistics table."""

    id: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Stats:
    """Statistics of a built graph."""

    graphs: tuple[Count, ...]
    classes: tuple[Count, ...]
    predicates: tuple[Count, ...]

    def as_dict(self) -> dict[str, list[dict[str, object]]]:
        """The statistics as plain JSON-ready data."""
        return {
            name: [{"id": c.id, "label": c.label, "count": c.count} for c in getattr(self, name)]
            for name in ("graphs", "classes", "predicates")
        }


def _curie(iri: str) -> str:
    return CONVERTER.compress(iri) or iri


def graph_stats(store: Store) -> Stats:
    """Compute the statistics of ``store`` with the named queries that count things."""
    graphs = tuple(
        Count(_curie(row["graph"]), row["graph"].rsplit("/", 1)[-1], int(row["triples"]))
        for row in store.select(load_query("graph_sizes").text)
    )
    classes = tuple(
        Count(_curie(row["class"]), row.get("label", ""), int(row["entities"]))
        for row in store.select(load_query("count_by_class").text)
    )
    predicates = tuple(
        Count(_curie(row["predicate"]), row.get("label", ""), int(row["triples"]))
        for row in store.select(load_query("count_by_predicate").text)
    )
    return Stats(graphs, classes, predicates)
