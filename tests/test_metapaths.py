"""Metapaths and DWPC against a hand-worked toy example (Himmelstein & Baranzini 2015)."""

from __future__ import annotations

import pytest
from toygraph import dwpc_toy, path_toy

from msckg.graph.metapaths import (
    degree_weighted_path_count,
    metapath_hops,
    metapaths,
    parse_pattern,
    path_degree_product,
)
from msckg.graph.paths import PathFilter

PATTERN = ("msckg:CellSource", "msckg:CellType", "msckg:GrowthFactor")


def test_dwpc_hand_worked_example():
    # s1 -> g1 along CellSource - CellType - GrowthFactor (isolatedFrom backwards, then secretes):
    #   s1-c1-g1: hop 1 degrees s1=2 (c1, c2), c1=1; hop 2 degrees c1=1, g1=2 (c1, c2)
    #             PDP = (2*1)^-0.4 * (1*2)^-0.4 = 2^-0.8 = 0.574349
    #   s1-c2-g1: hop 1 degrees s1=2, c2=2 (s1, s2); hop 2 degrees c2=2 (g1, g2), g1=2
    #             PDP = (2*2)^-0.4 * (2*2)^-0.4 = 2^-1.6 = 0.329877
    #   DWPC = 0.574349 + 0.329877 = 0.904226
    result = metapaths(dwpc_toy(), "s1", "g1", "CellSource,CellType,GrowthFactor")
    assert result.dwpc == pytest.approx(0.904226, abs=1e-6)
    assert [p.node_ids for p in result.paths] == [
        ("ent:s1", "ent:c1", "ent:g1"),
        ("ent:s1", "ent:c2", "ent:g1"),
    ]
    assert [p.extra["pdp"] for p in result.paths] == pytest.approx([0.574349, 0.329877], abs=1e-6)


def test_pdp_of_each_path():
    graph = dwpc_toy()
    hops = metapath_hops(graph, "ent:s1", "ent:g1", PATTERN, PathFilter(directed=False))
    pdps = [path_degree_product(graph, "ent:s1", h, PATTERN) for h in hops]
    assert pdps == pytest.approx([2**-0.8, 2**-1.6])
    assert degree_weighted_path_count(pdps) == pytest.approx(2**-0.8 + 2**-1.6)


def test_zero_damping_counts_paths():
    result = metapaths(dwpc_toy(), "s1", "g1", PATTERN, damping=0)
    assert result.dwpc == pytest.approx(2.0)
    assert result.as_dict()["count"] == 2


def test_directed_metapath_follows_edge_direction():
    result = metapaths(dwpc_toy(), "s1", "g1", PATTERN, flt=PathFilter(directed=True))
    assert result.paths == ()
    assert result.dwpc == 0


def test_supertypes_match_and_wrong_endpoint_types_give_nothing():
    graph = path_toy()
    result = metapaths(
        graph,
        "menstrual blood",
        "Asherman's syndrome",
        "CellSource,CellType,Molecule,Process,Disorder",
    )
    assert [p.node_ids for p in result.paths] == [("ent:a", "ent:b", "ent:c", "ent:d", "ent:e")]
    assert metapaths(graph, "b", "e", "CellSource,Disorder").paths == ()


def test_unknown_type_lists_the_types():
    with pytest.raises(
        ValueError, match=r"unknown node type 'Cytokine'; choose one of: .*CellSource"
    ):
        parse_pattern(dwpc_toy(), "CellSource,Cytokine")


@pytest.mark.parametrize("pattern", ["CellSource", ",".join(["CellType"] * 8)])
def test_pattern_length_is_bounded(pattern):
    with pytest.raises(ValueError, match="MAX_LENGTH"):
        parse_pattern(dwpc_toy(), pattern)
