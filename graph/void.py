"""A VoID description of the built dataset: sizes of the whole and of each named graph."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import VOID

from msckg import __version__
from msckg.graph.triples import bind_prefixes
from msckg.ontology import BASE, DCTERMS, ENT, RDF, XSD

__all__ = ["DATASET_IRI", "void_graph"]

DATASET_IRI = URIRef(BASE + "dataset")


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def void_graph(graphs: Mapping[str, Graph]) -> Graph:
    """Describe the dataset made of ``graphs`` (named graph IRI -> graph) in VoID.

    :returns: triples, entities, classes and properties counts for the whole and per graph,
        plus class and property partitions of the whole
    """
    void = bind_prefixes(Graph())
    void.bind("void", VOID)
    dataset = DATASET_IRI
    void.add((dataset, RDF.type, VOID.Dataset))
    void.add(
        (
            dataset,
            DCTERMS.title,
            Literal("msckg: MSC therapy for Asherman's syndrome and endometriosis", lang="en"),
        )
    )
    void.add((dataset, DCTERMS.hasVersion, Literal(__version__)))
    void.add((dataset, VOID.uriSpace, Literal(str(ENT))))
    # No void:sparqlEndpoint: where the graph will be served is not known when it is built;
    # the service adds the endpoint each request came to (queries/void_description.rq binds ?endpoint).
    classes: Counter[str] = Counter()
    properties: Counter[str] = Counter()
    entities: set[str] = set()
    total = 0
    for name, graph in graphs.items():
        subset = URIRef(f"{dataset}/{name.rsplit('/', 1)[-1]}")
        void.add((dataset, VOID.subset, subset))
        void.add((subset, RDF.type, VOID.Dataset))
        void.add(
            (subset, URIRef("http://www.w3.org/ns/sparql-service-description#name"), URIRef(name))
        )
        void.add((subset, VOID.triples, _count(len(graph))))
        total += len(graph)
        for subject, predicate, obj in graph:
            properties[str(predicate)] += 1
            if predicate == RDF.type:
                classes[str(obj)] += 1
            if str(subject).startswith(str(ENT)):
                entities.add(str(subject))
    void.add((dataset, VOID.triples, _count(total)))
    void.add((dataset, VOID.entities, _count(len(entities))))
    void.add((dataset, VOID.classes, _count(len(classes))))
    void.add((dataset, VOID.properties, _count(len(properties))))
    for cls, count in sorted(classes.items()):
        partition = BNode()
        void.add((dataset, VOID.classPartition, partition))
        void.add((partition, VOID["class"], URIRef(cls)))
        void.add((partition, VOID.entities, _count(count)))
    for prop, count in sorted(properties.items()):
        partition = BNode()
        void.add((dataset, VOID.propertyPartition, partition))
        void.add((partition, VOID.property, URIRef(prop)))
        void.add((partition, VOID.triples, _count(count)))
    return void
