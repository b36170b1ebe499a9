"""Reason over the ontology and asserted graph: HermiT through owlready2, or OWL-RL without Java."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal
from rdflib.term import Node

from msckg.ontology import ENT, OWL, RDF, RDFS

__all__ = ["InconsistentOntology", "Reasoning", "java_available", "reason"]


class InconsistentOntology(ValueError):
    """The reasoner found the ontology together with the asserted graph inconsistent."""


@dataclass(frozen=True, slots=True)
class Reasoning:
    """What a reasoner added: the new triples, which reasoner ran, and why that one."""

    inferred: Graph
    reasoner: str
    note: str


def java_available() -> bool:
    """Tell whether a Java runtime is on PATH (HermiT needs one)."""
    return shutil.which("java") is not None


def _ours(node: Node) -> bool:
    return str(node).startswith(str(ENT))


def _useful(triple: tuple[Node, Node, Node]) -> bool:
    """Keep inferences about our own entities; drop blank nodes, tautologies and TBox echoes."""
    subject, predicate, obj = triple
    # Literals only come back as echoes of asserted annotations (owlready2 retypes them).
    if isinstance(subject, BNode) or isinstance(obj, (BNode, Literal)) or not _ours(subject):
        return False
    if (
        obj in (OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class)
        or subject == obj
    ):
        return False
    return predicate not in (OWL.sameAs, OWL.differentFrom, OWL.topObjectProperty)


def _hermit(merged: Graph) -> Graph:
    import owlready2  # heavy, and only needed here

    with tempfile.TemporaryDirectory(prefix="msckg-hermit-") as tmp:
        path = Path(tmp) / "input.nt"
        merged.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(path.as_uri()).load()
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as error:
            raise InconsistentOntology(
                "HermiT: the ontology and the asserted graph are inconsistent"
            ) from error
        after = world.as_rdflib_graph()
        inferred = Graph()
        for triple in after:
            if triple not in merged and _useful(triple):
                inferred.add(triple)
        world.close()
    return inferred


def _owlrl(merged: Graph) -> Graph:
    import owlrl

    closure = Graph()
    for triple in merged:
        closure.add(triple)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(closure)
    from owlrl.Namespaces import ERRNS

    errors = sorted(str(message) for message in closure.objects(None, ERRNS.error))
    if errors:
        raise InconsistentOntology("OWL-RL: " + "; ".join(errors))
    inferred = Graph()
    for triple in closure:
        if triple not in merged and _useful(triple):
            inferred.add(triple)
    return inferred


def _with_superclass_types(merged: Graph, inferred: Graph) -> Graph:
    """Add every superclass type of our entities, so both reasoners give the same shape of output.

    HermiT (through owlready2) reports only the most specific new types; queries are easier when
    ``?x a msckg:Molecule`` holds for a growth factor without a property path.
    """
    for graph in (merged, inferred):
        for subject, cls in list(graph.subject_objects(RDF.type)):
            if not _ours(subject):
                continue
            for ancestor in merged.transitive_objects(cls, RDFS.subClassOf):
                if ancestor is None:
                    continue
                triple = (subject, RDF.type, ancestor)
                if triple not in merged and _useful(triple):
                    inferred.add(triple)
    return inferred


def reason(ontology: Graph, asserted: Graph, reasoner: str = "auto") -> Reasoning:
    """Check consistency and compute the inferred triples of ``ontology`` plus ``asserted``.

    :param ontology: the TBox
    :param asserted: the entities and their relations
    :param reasoner: ``hermit``, ``owlrl`` or ``auto`` (HermiT when Java is on PATH, else OWL-RL)
    :returns: the inferred triples (only those not already asserted) and which reasoner made them
    :raises InconsistentOntology: when the reasoner finds a contradiction
    :raises ValueError: for an unknown reasoner name, or ``hermit`` without Java
    """
    merged = Graph()
    for triple in ontology:
        merged.add(triple)
    for triple in asserted:
        merged.add(triple)
    if reasoner == "auto":
        reasoner = "hermit" if java_available() else "owlrl"
        note = (
            ""
            if reasoner == "hermit"
            else "no Java runtime on PATH: HermiT cannot run, "
            "using the OWL-RL closure (owlrl) instead"
        )
    else:
        note = f"reasoner {reasoner!r} chosen explicitly"
    if reasoner == "hermit":
        if not java_available():
            raise ValueError(
                "reasoner 'hermit' needs a Java runtime on PATH; install one or choose 'owlrl'"
            )
        return Reasoning(
            _with_superclass_types(merged, _hermit(merged)),
            "HermiT",
            note or "HermiT (owlready2) with property-value inference",
        )
    if reasoner == "owlrl":
        return Reasoning(_with_superclass_types(merged, _owlrl(merged)), "OWL-RL", note)
    raise ValueError(f"unknown reasoner {reasoner!r}; choose one of: auto, hermit, owlrl")
