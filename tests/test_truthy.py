"""Plain ("truthy") triples: best-rank statements only, never beside their negation (issue 12)."""

from __future__ import annotations

from dataclasses import replace

from msckg.graph.model import EvidenceContext, Hedging, Locator, Polarity, Source, Statement
from msckg.graph.store import GraphStore
from msckg.graph.truthy import plain_triples
from msckg.ontology.schema import load_schema

_BASE = Statement(
    "S001",
    "therapy",
    "reduces",
    "fibrosis",
    Polarity.POSITIVE,
    EvidenceContext.EXPERT_OPINION,
    Hedging.REPORTED,
    (),
    None,
    (),
    (),
    Locator("conclusion", 1, 2),
    "x",
    Source("statements.tsv", 2),
)


def test_only_firm_or_tentative_statements_carry_a_plain_triple() -> None:
    firm = _BASE
    hoped = replace(_BASE, id="S002", object="recurrence", hedging=Hedging.HYPOTHESIZED)
    hoped_tentative = replace(hoped, id="S003", predicate="potentiallyReduces")
    both = replace(_BASE, id="S004", object="collagen", hedging=Hedging.SUGGESTED)
    both_firm = replace(both, id="S005", hedging=Hedging.ESTABLISHED)
    triples = plain_triples([firm, hoped, hoped_tentative, both, both_firm], load_schema())
    assert list(triples) == [
        ("therapy", "reduces", "fibrosis"),
        ("therapy", "potentiallyReduces", "recurrence"),
        ("therapy", "reduces", "collagen"),
    ]
    assert [s.id for s in triples[("therapy", "reduces", "collagen")]] == ["S004", "S005"]


def test_a_denied_triple_is_never_plain() -> None:
    denied = replace(_BASE, id="S002", polarity=Polarity.NEGATIVE)
    assert plain_triples([_BASE, denied], load_schema()) == {}


def _ask(store: GraphStore, query: str) -> bool:
    return bool(store.select(f"SELECT (1 AS ?x) WHERE {{ {query} }} LIMIT 1"))


def test_the_plain_graph_does_not_say_msc_therapy_treats_endometriosis(store: GraphStore) -> None:
    asserted = "GRAPH graph:asserted {{ ent:msc_based_therapy msckg:{} ent:endometriosis }}"
    assert not _ask(store, asserted.format("treats"))
    assert _ask(store, asserted.format("proposedFor"))
    assert _ask(store, "GRAPH graph:provenance { stmt:S124 msckg:polarity msckg:Negative }")


def test_no_plain_triple_stands_beside_its_negation(store: GraphStore) -> None:
    assert not _ask(
        store,
        """
        GRAPH graph:provenance { ?st msckg:polarity msckg:Negative ; rdf:subject ?s ;
                                     rdf:predicate ?p ; rdf:object ?o }
        GRAPH graph:asserted { ?s ?p ?o }""",
    )


def test_no_settled_plain_triple_rests_on_hedged_statements_alone(store: GraphStore) -> None:
    assert not _ask(
        store,
        """
        GRAPH graph:asserted { ?s ?p ?o }
        FILTER NOT EXISTS { GRAPH graph:ontology { ?p msckg:tentative true } }
        ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
        FILTER NOT EXISTS {
          GRAPH graph:provenance { ?firm rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                                         msckg:hedging ?h . FILTER(?h IN (msckg:Reported, msckg:Established)) }
        }""",
    )
    # ... while the hedged claims themselves are all still there, as statement nodes
    assert _ask(store, "GRAPH graph:provenance { stmt:S147 msckg:hedging msckg:Suggested }")
