"""Small hand-made projections for the path, metapath and export tests."""

from __future__ import annotations

import networkx as nx

from msckg.graph.model import EvidenceContext, Hedging
from msckg.graph.network import Citation, EdgeStatement

TYPES = {
    "CellSource": ("msckg:CellSource", "msckg:AnatomicalEntity", "msckg:Entity"),
    "CellType": ("msckg:CellType", "msckg:Entity"),
    "GrowthFactor": ("msckg:GrowthFactor", "msckg:Molecule", "msckg:Entity"),
    "BiologicalProcess": ("msckg:BiologicalProcess", "msckg:Process", "msckg:Entity"),
    "Disorder": ("msckg:Disorder", "msckg:Entity"),
    "CellBasedTherapy": ("msckg:CellBasedTherapy", "msckg:Therapy", "msckg:Entity"),
}


def add_node(graph: nx.MultiDiGraph, local: str, kind: str, label: str, *synonyms: str) -> None:
    node = f"ent:{local}"
    graph.add_node(
        node,
        id=node,
        label=label,
        type=f"msckg:{kind}",
        type_label=kind,
        types=TYPES[kind],
        synonyms=tuple(synonyms),
    )


def add_edge(
    graph: nx.MultiDiGraph,
    subject: str,
    predicate: str,
    obj: str,
    *evidence: str,
    polarity: str = "positive",
) -> None:
    statements = tuple(
        EdgeStatement(
            id=f"stmt:{subject}_{predicate}_{obj}_{index}",
            evidence=code,
            evidence_rank=EvidenceContext.from_code(code).rank,
            hedging="reported",
            hedging_rank=Hedging.REPORTED.rank,
            polarity=polarity,
            locator="introduction/p1/s1",
            comment=f"{subject} {predicate} {obj}, said plainly.",
            references=(Citation("10.1000/toy.1", "Doe et al. 2024", "ent:toy1"),),
        )
        for index, code in enumerate(evidence, 1)
    )
    graph.add_edge(
        f"ent:{subject}",
        f"ent:{obj}",
        key=f"msckg:{predicate}",
        predicate=f"msckg:{predicate}",
        label=predicate,
        statements=statements,
    )


def path_toy() -> nx.MultiDiGraph:
    """a <-isolatedFrom- b -secretes-> c -promotes-> d -improves-> e; b -reduces-> e; f -> b, e.

    Evidence ranks: isolatedFrom 2, secretes 2, promotes 2, improves 3, reduces 4 (via a
    clinical trial and expert opinion), usesCellType 3, treats 1.
    """
    graph = nx.MultiDiGraph()
    add_node(graph, "a", "CellSource", "menstrual blood", "menses")
    add_node(graph, "b", "CellType", "mesenchymal stem cell", "MSC")
    add_node(graph, "c", "GrowthFactor", "VEGF", "vascular endothelial growth factor")
    add_node(graph, "d", "BiologicalProcess", "angiogenesis")
    add_node(graph, "e", "Disorder", "Asherman's syndrome", "Asherman syndrome")
    add_node(graph, "f", "CellBasedTherapy", "MSC therapy")
    add_edge(graph, "b", "isolatedFrom", "a", "clinical_background")
    add_edge(graph, "b", "secretes", "c", "preclinical_study")
    add_edge(graph, "c", "promotes", "d", "animal_model")
    add_edge(graph, "d", "improves", "e", "early_clinical_study")
    add_edge(graph, "b", "reduces", "e", "expert_opinion", "clinical_trial")
    add_edge(graph, "f", "usesCellType", "b", "early_clinical_study")
    add_edge(graph, "f", "treats", "e", "expert_opinion")
    return graph


def dwpc_toy() -> nx.MultiDiGraph:
    """Two sources, two cell types, two growth factors: the DWPC example of test_metapaths."""
    graph = nx.MultiDiGraph()
    add_node(graph, "s1", "CellSource", "source one")
    add_node(graph, "s2", "CellSource", "source two")
    add_node(graph, "c1", "CellType", "cell one")
    add_node(graph, "c2", "CellType", "cell two")
    add_node(graph, "g1", "GrowthFactor", "factor one")
    add_node(graph, "g2", "GrowthFactor", "factor two")
    add_edge(graph, "c1", "isolatedFrom", "s1", "clinical_background")
    add_edge(graph, "c2", "isolatedFrom", "s1", "clinical_background")
    add_edge(graph, "c2", "isolatedFrom", "s2", "clinical_background")
    add_edge(graph, "c1", "secretes", "g1", "preclinical_study")
    add_edge(graph, "c2", "secretes", "g1", "preclinical_study")
    add_edge(graph, "c2", "secretes", "g2", "preclinical_study")
    return graph
