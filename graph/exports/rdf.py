"""RDF export of a (sub)graph: entities, triples and statement nodes, as Turtle or JSON-LD."""

from __future__ import annotations

from decimal import Decimal
from typing import BinaryIO, ClassVar

import networkx as nx
from rdflib import Graph, Literal, URIRef

from msckg.graph.exports.base import Exporter, iri_of
from msckg.graph.model import EvidenceContext, Hedging, Polarity
from msckg.graph.triples import bind_prefixes
from msckg.ontology import BIBO, MSCKG, RDF, RDFS, SKOS, STMT

__all__ = ["JSONLDExporter", "TurtleExporter", "rdf_graph"]


def rdf_graph(graph: nx.MultiDiGraph[str]) -> Graph:
    """The subgraph in msckg's own model: typed, labelled entities, one triple per edge, and
    a statement node per statement (``rdf:subject``/``rdf:predicate``/``rdf:object``, evidence,
    hedging, polarity, ``msckg:supportedBy`` publications with ``bibo:doi``, locator, comment).
    """
    rdf = bind_prefixes(Graph())
    for node, data in graph.nodes(data=True):
        subject = URIRef(iri_of(node))
        rdf.add((subject, RDF.type, URIRef(iri_of(data.get("type", "msckg:Entity")))))
        rdf.add((subject, RDFS.label, Literal(data.get("label", node), lang="en")))
        for synonym in data.get("synonyms", ()):
            rdf.add((subject, SKOS.altLabel, Literal(synonym, lang="en")))
    for source, target, key, data in graph.edges(keys=True, data=True):
        triple = (URIRef(iri_of(source)), URIRef(iri_of(key)), URIRef(iri_of(target)))
        rdf.add(triple)
        for statement in data.get("statements", ()):
            node = URIRef(iri_of(statement.id)) if ":" in statement.id else STMT[statement.id]
            rdf.add((node, RDF.type, MSCKG.Statement))
            rdf.add((node, RDF.subject, triple[0]))
            rdf.add((node, RDF.predicate, triple[1]))
            rdf.add((node, RDF.object, triple[2]))
            rdf.add(
                (node, MSCKG.evidence, MSCKG[EvidenceContext.from_code(statement.evidence).term])
            )
            rdf.add((node, MSCKG.hedging, MSCKG[Hedging.from_code(statement.hedging).term]))
            rdf.add((node, MSCKG.polarity, MSCKG[Polarity.from_code(statement.polarity).term]))
            if statement.locator:
                rdf.add((node, MSCKG.locator, Literal(statement.locator)))
            if statement.belief is not None:
                rdf.add((node, MSCKG.belief, Literal(Decimal(str(statement.belief)))))
            if statement.comment:
                rdf.add((node, RDFS.comment, Literal(statement.comment, lang="en")))
            for ref in statement.references:
                publication = (
                    URIRef(iri_of(ref.id)) if ref.id else URIRef(f"https://doi.org/{ref.doi}")
                )
                rdf.add((node, MSCKG.supportedBy, publication))
                rdf.add((publication, BIBO.doi, Literal(ref.doi)))
                rdf.add((publication, RDFS.label, Literal(ref.label, lang="en")))
    return rdf


class _RDF(Exporter):
    rdflib_format: ClassVar[str]

    def write(self, graph: nx.MultiDiGraph[str], stream: BinaryIO) -> None:
        """Write ``graph`` as RDF (UTF-8)."""
        stream.write(rdf_graph(graph).serialize(format=self.rdflib_format, encoding="utf-8"))


class TurtleExporter(_RDF):
    """Turtle with msckg's prefixes."""

    format = "turtle"
    extension = "ttl"
    media_type = "text/turtle"
    description = "RDF Turtle of the (sub)graph with statement provenance"
    rdflib_format = "turtle"


class JSONLDExporter(_RDF):
    """JSON-LD with msckg's prefixes as its context."""

    format = "jsonld"
    extension = "jsonld"
    media_type = "application/ld+json"
    description = "RDF JSON-LD of the (sub)graph with statement provenance"
    rdflib_format = "json-ld"
