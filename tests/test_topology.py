"""Neighborhoods, centrality and components on the toy projection."""

from __future__ import annotations

import pytest
from toygraph import path_toy

from msckg.graph.topology import (
    MAX_RADIUS,
    components,
    neighborhood,
    neighborhood_summary,
    rank_entities,
)


def test_neighborhood_radius_one_ignores_direction():
    ego = neighborhood(path_toy(), "angiogenesis", 1)
    assert sorted(ego) == ["ent:c", "ent:d", "ent:e"]
    assert sorted(k for _, _, k in ego.edges(keys=True)) == ["msckg:improves", "msckg:promotes"]
    assert ego.nodes["ent:d"]["label"] == "angiogenesis"


def test_neighborhood_radius_is_bounded():
    with pytest.raises(ValueError, match="radius must be between 0 and 4"):
        neighborhood(path_toy(), "b", MAX_RADIUS + 1)


@pytest.mark.parametrize(
    ("by", "top"), [("pagerank", "ent:e"), ("betweenness", "ent:b"), ("degree", "ent:b")]
)
def test_hubs(by, top):
    ranked = rank_entities(path_toy(), by)
    assert ranked[0].id == top
    assert len(ranked) == 6
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


def test_unknown_ranking_lists_the_choices():
    with pytest.raises(ValueError, match="choose one of: pagerank, betweenness, degree"):
        rank_entities(path_toy(), "closeness")


def test_components():
    graph = path_toy()
    graph.add_node("ent:z", label="alone", type="msckg:Risk", types=("msckg:Risk",))
    assert components(graph) == [
        frozenset({"ent:a", "ent:b", "ent:c", "ent:d", "ent:e", "ent:f"}),
        frozenset({"ent:z"}),
    ]


def test_neighborhood_summary_lists_distances_and_statements():
    summary = neighborhood_summary(path_toy(), "VEGF", 2)
    assert summary["center"] == {
        "id": "ent:c",
        "label": "VEGF",
        "type": "msckg:GrowthFactor",
        "distance": 0,
    }
    assert {n["id"]: n["distance"] for n in summary["nodes"]} == {
        "ent:c": 0,
        "ent:b": 1,
        "ent:d": 1,
        "ent:a": 2,
        "ent:e": 2,
        "ent:f": 2,
    }
    reduces = next(e for e in summary["edges"] if e["predicate"] == "msckg:reduces")
    assert reduces["evidence_rank"] == 4
    assert [s["evidence"] for s in reduces["statements"]] == ["expert_opinion", "clinical_trial"]
