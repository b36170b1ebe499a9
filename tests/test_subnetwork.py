"""Bounded path analysis through the store: the full projection's paths, fetched hop by hop."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import pytest

from msckg.graph import analysis
from msckg.graph.entities import EntityIndex, resolve_entity
from msckg.graph.errors import TooBroad
from msckg.graph.metapaths import metapaths
from msckg.graph.network import load_network
from msckg.graph.paths import PathFilter, find_paths
from msckg.graph.remote import RemoteStore
from msckg.graph.store import GraphStore
from msckg.graph.subnetwork import MAX_VISITED, ball, network_between, paths_in_store
from msckg.graph.topology import neighborhood

PAIRS = [
    ("bone marrow", "VEGF"),
    ("menstrual blood", "pregnancy rate"),
    ("ent:VEGF", "endometriosis"),
    ("Asherman's syndrome", "IL-6"),
    ("mesenchymal stem cell", "fibrosis"),
]
OPTIONS = [
    {"k": 5, "max_length": 4},
    {"k": 3, "max_length": None},
    {"k": 5, "max_length": 3, "all_paths": True},
    {"k": 5, "max_length": 4, "flt": PathFilter(directed=True)},
    {
        "k": 5,
        "max_length": 5,
        "flt": PathFilter.from_options(min_evidence="animal_model", directed=False),
    },
]


def _iri(store: GraphStore, key: str) -> str:
    return resolve_entity(EntityIndex.from_store(store), key).iri


class CountingStore:
    """A store that records the queries sent through it."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.path = store.path
        self.queries: list[str] = []

    def select(
        self, sparql: str, bindings: Mapping[str, str] | None = None
    ) -> list[dict[str, str]]:
        self.queries.append(sparql)
        return self.store.select(sparql, bindings)


@pytest.mark.parametrize(("source", "target"), PAIRS)
@pytest.mark.parametrize(
    "options", OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items())
)
def test_paths_through_the_store_equal_the_full_projection(
    store: GraphStore, source: str, target: str, options: dict
) -> None:
    expected = find_paths(load_network(store), source, target, **options).as_dict()
    found = paths_in_store(store, _iri(store, source), _iri(store, target), **options)
    assert found.as_dict() == expected


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_paths_on_the_remote_store_equal_the_local_ones(
    store: GraphStore, remote_store: RemoteStore, source: str, target: str
) -> None:
    expected = find_paths(load_network(store), source, target, k=5, max_length=4).as_dict()
    found = paths_in_store(
        remote_store, _iri(store, source), _iri(store, target), k=5, max_length=4
    )
    assert found.as_dict() == expected


def test_every_pair_of_a_sample_agrees_in_both_directions(store: GraphStore) -> None:
    full = load_network(store)
    nodes = sorted(full.nodes)[::37]
    for source, target in itertools.permutations(nodes[:8], 2):
        for directed in (False, True):
            flt = PathFilter(directed=directed)
            expected = find_paths(full, source, target, k=5, max_length=4, flt=flt).as_dict()
            found = paths_in_store(
                store, _iri(store, source), _iri(store, target), k=5, max_length=4, flt=flt
            ).as_dict()
            assert found == expected, (source, target, directed)


def test_expansion_is_one_query_per_hop_and_fetches_only_the_neighbourhood(
    store: GraphStore,
) -> None:
    counting = CountingStore(store)
    source, target = _iri(store, "bone marrow"), _iri(store, "VEGF")
    sub = network_between(counting, source, target, 2)  # type: ignore[arg-type]
    expansions = [q for q in counting.queries if "VALUES ?n" in q]
    assert len(expansions) == 2  # one hop from each end
    assert 0 < sub.number_of_nodes() < load_network(store).number_of_nodes() / 4


def test_bounds_are_checked_before_anything_is_fetched(store: GraphStore) -> None:
    counting = CountingStore(store)
    with pytest.raises(ValueError, match="max_length must be between 1 and 6"):
        analysis.paths(counting, "VEGF", "fibrosis", max_length=40)  # type: ignore[arg-type]
    assert counting.queries == []


@pytest.mark.parametrize("center", ["VEGF", "mesenchymal stem cell", "endometriosis", "IL-6"])
@pytest.mark.parametrize("radius", [0, 1, 2])
def test_a_ball_through_the_store_equals_the_projections_neighborhood(
    store: GraphStore, center: str, radius: int
) -> None:
    full = neighborhood(load_network(store), center, radius)
    found = ball(store, _iri(store, center), radius)
    assert sorted(found.nodes(data=True)) == sorted(full.nodes(data=True))
    assert sorted(found.edges(keys=True, data=True)) == sorted(full.edges(keys=True, data=True))


PATTERNS = [
    ("mesenchymal stem cell", "angiogenesis", "CellType,MoleculeGroup,BiologicalProcess"),
    ("bone marrow", "VEGF", "CellSource,CellType,GrowthFactor"),
    ("mesenchymal stem cell", "chronic inflammation", "CellType,PathologicalProcess"),
    ("bone marrow", "endometriosis", "CellSource,CellType,Entity,Disorder"),
]


@pytest.mark.parametrize(("source", "target", "pattern"), PATTERNS)
@pytest.mark.parametrize("directed", [False, True])
def test_metapaths_through_the_store_equal_the_full_projection(
    store: GraphStore, source: str, target: str, pattern: str, directed: bool
) -> None:
    flt = PathFilter(directed=directed)
    expected = metapaths(load_network(store), source, target, pattern, flt=flt).as_dict()
    found = analysis.metapaths(store, source, target, pattern, directed=directed)
    assert found == expected
    assert found["count"] > 0 or directed


def test_an_expansion_past_the_bound_is_refused_as_too_broad(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert MAX_VISITED >= 1_000  # a neighbourhood of the shipped graph fits
    monkeypatch.setattr("msckg.graph.subnetwork.MAX_VISITED", 5)
    with pytest.raises(TooBroad, match="more than 5 entities lie within reach"):
        analysis.neighborhood(store, "mesenchymal stem cell", 2)
