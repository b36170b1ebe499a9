"""Bounded path analysis through the store: the full projection's paths, fetched hop by hop."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import pytest

from msckg.graph.errors import EntityNotFound
from msckg.graph.network import load_network
from msckg.graph.paths import PathFilter, find_paths
from msckg.graph.remote import RemoteStore
from msckg.graph.store import GraphStore
from msckg.graph.subnetwork import network_between, paths_in_store, resolve_in_store

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
    assert paths_in_store(store, source, target, **options).as_dict() == expected


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_paths_on_the_remote_store_equal_the_local_ones(
    store: GraphStore, remote_store: RemoteStore, source: str, target: str
) -> None:
    expected = find_paths(load_network(store), source, target, k=5, max_length=4).as_dict()
    assert paths_in_store(remote_store, source, target, k=5, max_length=4).as_dict() == expected


def test_every_pair_of_a_sample_agrees_in_both_directions(store: GraphStore) -> None:
    full = load_network(store)
    nodes = sorted(full.nodes)[::37]
    for source, target in itertools.permutations(nodes[:8], 2):
        for directed in (False, True):
            flt = PathFilter(directed=directed)
            expected = find_paths(full, source, target, k=5, max_length=4, flt=flt).as_dict()
            found = paths_in_store(store, source, target, k=5, max_length=4, flt=flt).as_dict()
            assert found == expected, (source, target, directed)


def test_expansion_is_one_query_per_hop_and_fetches_only_the_neighbourhood(
    store: GraphStore,
) -> None:
    counting = CountingStore(store)
    source = resolve_in_store(store, "bone marrow")
    target = resolve_in_store(store, "VEGF")
    sub = network_between(counting, source, target, 2)  # type: ignore[arg-type]
    expansions = [q for q in counting.queries if "VALUES ?n" in q]
    assert len(expansions) == 2  # one hop from each end
    assert 0 < sub.number_of_nodes() < load_network(store).number_of_nodes() / 4


def test_names_resolve_as_in_the_projection(store: GraphStore) -> None:
    assert resolve_in_store(store, "vegf") == "https://w3id.org/msckg/id/VEGF"
    assert resolve_in_store(store, "ent:VEGF") == "https://w3id.org/msckg/id/VEGF"
    with pytest.raises(EntityNotFound) as caught:
        resolve_in_store(store, "menstrual")
    assert "menstrual blood" in [s["label"] for s in caught.value.suggestions]


def test_a_hostile_name_is_a_term_not_query_text(store: GraphStore) -> None:
    with pytest.raises(EntityNotFound):
        resolve_in_store(store, '") } } DROP ALL #')


def test_bounds_are_checked_before_anything_is_fetched(store: GraphStore) -> None:
    counting = CountingStore(store)
    with pytest.raises(ValueError, match="max_length must be between 1 and 6"):
        paths_in_store(counting, "VEGF", "fibrosis", max_length=40)  # type: ignore[arg-type]
    assert counting.queries == []
