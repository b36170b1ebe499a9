"""What the ontology allows: entity classes with ancestors, and relations with domain and range."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from msckg.ontology import MSCKG, ONTOLOGY_PATH, OWL, RDF, RDFS

__all__ = ["Relation", "Schema", "load_schema", "schema_from_graph"]


@dataclass(frozen=True, slots=True)
class Relation:
    """An object property: local name, and the class names allowed as subject and object.

    ``None`` for a domain or range means any entity is allowed. ``tentative`` relations are
    hedged by their meaning (``proposedFor``, ``studiedToTreat``, ...): a suggested or
    hypothesized statement may stand as a plain triple only with one of them.
    """

    name: str
    domain: frozenset[str] | None
    range: frozenset[str] | None
    tentative: bool = False


@dataclass(frozen=True, slots=True)
class Schema:
    """Entity classes (local name -> itself and its ancestors) and relations by local name."""

    classes: dict[str, frozenset[str]]
    relations: dict[str, Relation]

    def fits(self, class_name: str, allowed: frozenset[str] | None) -> bool:
        """Tell whether an entity of ``class_name`` may stand where ``allowed`` classes may.

        >>> schema = load_schema()
        >>> schema.fits("GrowthFactor", frozenset({"Molecule"}))
        True
        >>> schema.fits("Disorder", frozenset({"Molecule"}))
        False
        """
        if allowed is None:
            return True
        return bool(self.classes.get(class_name, frozenset()) & allowed)


def _local(node: Node) -> str | None:
    text = str(node)
    return text[len(str(MSCKG)) :] if text.startswith(str(MSCKG)) else None


def _class_names(graph: Graph, node: Node) -> frozenset[str]:
    """Names of a class expression that is a named class or an ``owl:unionOf`` of named classes."""
    union = graph.value(node, OWL.unionOf)
    members = list(Collection(graph, union)) if union is not None else [node]
    return frozenset(name for member in members if (name := _local(member)) is not None)


def _is_true(node: Node | None) -> bool:
    return isinstance(node, Literal) and node.toPython() is True


def schema_from_graph(graph: Graph) -> Schema:
    """Read the entity classes and object properties of an ontology graph.

    :param graph: the parsed ontology
    :returns: the schema that curation records are checked against
    """
    entity = MSCKG.Entity
    parents: dict[str, set[str]] = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        if (name := _local(cls)) is not None:
            parents[name] = {p for sup in graph.objects(cls, RDFS.subClassOf) if (p := _local(sup))}

    def ancestors(name: str) -> frozenset[str]:
        seen, todo = {name}, [name]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return frozenset(seen)

    entity_name = _local(entity)
    classes = {
        name: ancestors(name)
        for name in parents
        if entity_name in ancestors(name) and name != entity_name
    }
    relations = {}
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        name = _local(prop)
        if name is None or not isinstance(prop, URIRef):
            continue
        domain = graph.value(prop, RDFS.domain)
        range_ = graph.value(prop, RDFS.range)
        if domain is not None and entity_name not in ancestors(
            next(iter(_class_names(graph, domain)), "")
        ):
            continue  # provenance vocabulary (statement -> evidence ...), not a curated relation
        relations[name] = Relation(
            name,
            _class_names(graph, domain) if domain is not None else None,
            _class_names(graph, range_) if range_ is not None else None,
            _is_true(graph.value(prop, MSCKG.tentative)),
        )
    return Schema(classes, relations)


@cache
def load_schema() -> Schema:
    """Return the schema of the shipped ontology (parsed once per process)."""
    return schema_from_graph(Graph().parse(ONTOLOGY_PATH, format="turtle"))
