"""The networkx projection of a built store: nodes, edges with statements, caching, the demo."""

from __future__ import annotations

import networkx as nx
import pytest

from msckg.graph.build import STORE_DIRNAME
from msckg.graph.curation import CURATION_DIR
from msckg.graph.errors import EntityNotFound
from msckg.graph.network import clear_network_cache, load_network, resolve_entity
from msckg.graph.paths import PathFilter, find_paths
from msckg.graph.store import open_store


@pytest.fixture(scope="module")
def mini(mini_built):
    return load_network(open_store(mini_built.out_dir / STORE_DIRNAME, read_only=True))


def test_nodes_are_entities_with_label_type_and_synonyms(mini):
    assert sorted(mini) == [
        "ent:angiogenesis",
        "ent:asherman",
        "ent:bone_marrow",
        "ent:fibrosis",
        "ent:msc",
        "ent:msc_therapy",
        "ent:vegf",
    ]
    vegf = mini.nodes["ent:vegf"]
    assert (vegf["label"], vegf["type"], vegf["type_label"]) == (
        "VEGF",
        "msckg:GrowthFactor",
        "growth factor",
    )
    assert vegf["types"] == ("msckg:GrowthFactor", "msckg:Molecule", "msckg:Entity")
    assert vegf["synonyms"] == ("vascular endothelial growth factor",)


def test_edges_carry_predicate_label_and_statements(mini):
    assert sorted((u, k, v) for u, v, k in mini.edges(keys=True)) == [
        ("ent:msc", "msckg:isolatedFrom", "ent:bone_marrow"),
        ("ent:msc", "msckg:reduces", "ent:fibrosis"),
        ("ent:msc", "msckg:secretes", "ent:vegf"),
        ("ent:msc_therapy", "msckg:studiedToTreat", "ent:asherman"),
        ("ent:vegf", "msckg:promotes", "ent:angiogenesis"),
    ]
    edge = mini.edges["ent:msc", "ent:vegf", "msckg:secretes"]
    assert edge["label"] == "secretes"
    (statement,) = edge["statements"]
    assert statement.as_dict() == {
        "id": "stmt:S002",
        "evidence": "preclinical_study",
        "evidence_rank": 2,
        "hedging": "reported",
        "hedging_rank": 3,
        "polarity": "positive",
        "locator": "introduction/p2/s3",
        "comment": "MSCs release VEGF.",
        "belief": 0.45,  # preclinical, reported, one work: (1 - (0.20 + 0.30)) * 0.9
        "references": [{"id": "ent:ref1", "doi": "10.1000/test.1", "label": "Doe et al. 2024"}],
    }


def test_negative_statements_make_no_edge(mini):
    assert not mini.has_edge("ent:msc_therapy", "ent:asherman", "msckg:treats")


def test_projection_is_cached_per_build_and_frozen(mini_built, mini):
    again = load_network(open_store(mini_built.out_dir / STORE_DIRNAME, read_only=True))
    assert again is mini
    clear_network_cache()
    assert load_network(open_store(mini_built.out_dir / STORE_DIRNAME, read_only=True)) is not mini
    with pytest.raises(nx.NetworkXError, match="Frozen graph"):
        mini.add_node("ent:x")


def test_resolve_by_synonym_and_suggest(mini):
    assert resolve_entity(mini, "Asherman syndrome") == "ent:asherman"
    with pytest.raises(EntityNotFound) as caught:
        resolve_entity(mini, "angiogenessis")
    assert caught.value.suggestions == [{"id": "ent:angiogenesis", "label": "angiogenesis"}]


def _shipped_has(*words):
    text = (CURATION_DIR / "entities.tsv").read_text(encoding="utf-8").lower()
    return all(word in text for word in words)


@pytest.mark.skipif(
    not _shipped_has("menstrual blood", "asherman"),
    reason="shipped curation has no menstrual blood / Asherman entities yet",
)
def test_issue_4_menstrual_blood_reaches_asherman_with_evidence(store):
    graph = load_network(store)
    result = find_paths(
        graph, "menstrual blood", "Asherman syndrome", k=5, flt=PathFilter(directed=False)
    )
    assert result.paths, result.reason
    for path in result.paths:
        for edge in path.edges:
            assert edge.statements, f"{edge.source} {edge.predicate} {edge.target} has no statement"
            assert all(s.evidence and s.evidence_rank > 0 for s in edge.statements)
