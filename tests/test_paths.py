"""Paths on the hand-made toy projection: exact nodes, scores, filters, bounds, name lookup."""

from __future__ import annotations

import networkx as nx
import pytest
from toygraph import add_edge, path_toy

from msckg.graph.errors import EntityNotFound
from msckg.graph.network import resolve_entity
from msckg.graph.paths import (
    PathFilter,
    all_simple_paths,
    evidence_rank,
    find_paths,
    k_shortest_paths,
    shortest_path,
)

UNDIRECTED = PathFilter(directed=False)


def ids(paths):
    return [[node.removeprefix("ent:") for node in path.node_ids] for path in paths]


@pytest.fixture
def toy():
    return path_toy()


def test_directed_k_shortest_lists_every_directed_path(toy):
    assert ids(k_shortest_paths(toy, "b", "e", 5)) == [["b", "e"], ["b", "c", "d", "e"]]


def test_undirected_k_shortest_in_length_order_with_scores(toy):
    paths = k_shortest_paths(toy, "a", "e", 3, flt=UNDIRECTED)
    assert ids(paths) == [["a", "b", "e"], ["a", "b", "f", "e"], ["a", "b", "c", "d", "e"]]
    assert [p.weakest_link for p in paths] == [2, 1, 2]
    assert [p.combined for p in paths] == pytest.approx(
        [2 / 4 * 4 / 4, 2 / 4 * 3 / 4 * 1 / 4, 0.5**3 * 3 / 4]
    )


def test_undirected_paths_keep_the_stored_edge_direction(toy):
    first = k_shortest_paths(toy, "a", "e", 1, flt=UNDIRECTED)[0].edges[0]
    assert (first.source, first.predicate, first.target) == ("ent:b", "msckg:isolatedFrom", "ent:a")


def test_no_directed_path_gives_an_empty_list_and_a_reason(toy):
    result = find_paths(toy, "a", "e")
    assert result.paths == ()
    assert "no directed path from ent:a to ent:e" in result.reason


def test_min_evidence_keeps_only_strong_edges_and_their_statements(toy):
    flt = PathFilter.from_options(min_evidence="early_clinical_study")
    paths = k_shortest_paths(toy, "b", "e", 5, flt=flt)
    assert ids(paths) == [["b", "e"]]
    assert [s.evidence for s in paths[0].edges[0].statements] == ["clinical_trial"]
    assert paths[0].weakest_link == 4
    assert (
        find_paths(
            toy,
            "a",
            "e",
            flt=PathFilter.from_options(min_evidence="clinical_trial", directed=False),
        ).paths
        == ()
    )


def test_predicate_filter(toy):
    flt = PathFilter.from_options(predicates=["secretes", "msckg:promotes", "improves"])
    assert ids(k_shortest_paths(toy, "b", "e", 5, flt=flt)) == [["b", "c", "d", "e"]]


def test_node_type_filter_applies_to_intermediate_nodes(toy):
    flt = PathFilter.from_options(node_types=["CellType", "Therapy"], directed=False)
    assert ids(all_simple_paths(toy, "a", "e", 4, flt=flt)) == [
        ["a", "b", "e"],
        ["a", "b", "f", "e"],
    ]


def test_all_simple_paths_up_to_max_length(toy):
    assert ids(all_simple_paths(toy, "a", "e", 3, flt=UNDIRECTED)) == [
        ["a", "b", "e"],
        ["a", "b", "f", "e"],
    ]
    assert len(all_simple_paths(toy, "a", "e", 6, flt=UNDIRECTED)) == 3


def test_parallel_edges_are_distinct_paths_best_first(toy):
    graph = nx.MultiDiGraph(toy)
    add_edge(graph, "b", "improves", "e", "animal_model")
    paths = k_shortest_paths(graph, "b", "e", 5)
    assert [[e.predicate for e in p.edges] for p in paths][:2] == [
        ["msckg:reduces"],
        ["msckg:improves"],
    ]


def test_shortest_path_and_max_length(toy):
    assert shortest_path(toy, "b", "e").node_ids == ("ent:b", "ent:e")
    assert shortest_path(toy, "a", "d", max_length=2, flt=UNDIRECTED) is None
    # a-b-e-d (0.5 * 1 * 0.75) beats the equally short a-b-c-d (0.5 ** 3) on combined score
    assert ids([shortest_path(toy, "a", "d", max_length=3, flt=UNDIRECTED)]) == [
        ["a", "b", "e", "d"]
    ]


@pytest.mark.parametrize(
    ("kwargs", "named"), [({"k": 21}, "k"), ({"k": 0}, "k"), ({"max_length": 7}, "max_length")]
)
def test_bounds_raise_naming_the_bound(toy, kwargs, named):
    with pytest.raises(ValueError, match=rf"^{named} must be between"):
        find_paths(toy, "a", "e", **kwargs)


@pytest.mark.parametrize(
    ("key", "node"),
    [
        ("ent:e", "ent:e"),
        ("e", "ent:e"),
        ("Asherman syndrome", "ent:e"),
        ("asherman's SYNDROME", "ent:e"),
        ("msc", "ent:b"),
        ("https://w3id.org/msckg/id/c", "ent:c"),
    ],
)
def test_resolve_by_id_label_or_synonym(toy, key, node):
    assert resolve_entity(toy, key) == node


def test_unknown_entity_suggests_close_labels(toy):
    with pytest.raises(EntityNotFound) as caught:
        find_paths(toy, "Ashermann syndrom", "b")
    assert caught.value.suggestions[0]["label"] == "Asherman's syndrome"
    assert "did you mean" in str(caught.value)


def test_path_as_dict_carries_statements_with_evidence_and_references(toy):
    data = find_paths(toy, "b", "e", k=1).as_dict()
    edge = data["paths"][0]["edges"][0]
    assert data["paths"][0]["nodes"][0] == {
        "id": "ent:b",
        "label": "mesenchymal stem cell",
        "type": "msckg:CellType",
    }
    assert edge["predicate"] == "msckg:reduces"
    assert [s["evidence"] for s in edge["statements"]] == ["expert_opinion", "clinical_trial"]
    assert edge["statements"][0]["references"] == [
        {"id": "ent:toy1", "doi": "10.1000/toy.1", "label": "Doe et al. 2024"}
    ]
    assert data["paths"][0]["score"] == {
        "weakest_link": 4,
        "weakest_evidence": "clinical_trial",
        "combined": 1.0,
    }


def test_unknown_evidence_level_lists_the_choices():
    with pytest.raises(ValueError, match="choose one of: expert_opinion"):
        evidence_rank("rumour")


def test_weakest_evidence_names_the_statement_not_the_first_context_of_its_rank(toy):
    """Animal model and clinical background share rank 2; the name must come from the edge."""
    score = find_paths(toy, "c", "d", k=1).as_dict()["paths"][0]["score"]
    assert (score["weakest_link"], score["weakest_evidence"]) == (2, "animal_model")
