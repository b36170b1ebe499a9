"""The SPARQL 1.1 Service Description of the endpoint, linking the dataset's VoID description."""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import VOID

from msckg.graph.triples import bind_prefixes
from msckg.graph.void import DATASET_IRI
from msckg.ontology import RDF, RDFS

__all__ = ["SD", "serialize_description", "service_description"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
_W3C_FORMATS = "http://www.w3.org/ns/formats/"
#: Media types the endpoint writes, as the W3C format IRIs the Service Description names.
RESULT_FORMAT_IRIS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


def service_description(endpoint: str, void_url: str, named_graphs: Mapping[str, str]) -> Graph:
    """Describe the endpoint at ``endpoint`` in the SPARQL 1.1 Service Description vocabulary.

    :param endpoint: the absolute URL of the SPARQL endpoint
    :param void_url: where the VoID description of the dataset can be read
    :param named_graphs: the dataset's named graphs, short name -> IRI
    :returns: a new rdflib graph

    >>> base = "http://localhost"
    >>> graph = service_description(f"{base}/sparql", f"{base}/.well-known/void", {})
    >>> (None, SD.endpoint, URIRef("http://localhost/sparql")) in graph
    True
    """
    graph = bind_prefixes(Graph())
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    service = BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in RESULT_FORMAT_IRIS:
        graph.add((service, SD.resultFormat, URIRef(_W3C_FORMATS + name)))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDFS.seeAlso, URIRef(void_url)))
    graph.add((dataset, VOID.inDataset, DATASET_IRI))
    graph.add((DATASET_IRI, RDF.type, VOID.Dataset))
    graph.add((DATASET_IRI, RDFS.seeAlso, URIRef(void_url)))
    graph.add((DATASET_IRI, VOID.sparqlEndpoint, URIRef(endpoint)))
    default_graph = BNode()
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((default_graph, RDFS.comment, Literal("The union of all named graphs.", lang="en")))
    for short_name, iri in sorted(named_graphs.items()):
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(iri)))
        graph.add((named, RDFS.label, Literal(short_name)))
    return graph


#: rdflib's serializer names for the graph formats the endpoint offers.
_RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def serialize_description(graph: Graph, fmt: str) -> bytes:
    """Write a description graph as ``turtle``, ``ntriples``, ``jsonld`` or ``rdfxml``.

    :raises ValueError: for another format
    """
    if fmt not in _RDFLIB_FORMATS:
        raise ValueError(
            f"cannot write a description as {fmt!r}; choose one of: {', '.join(_RDFLIB_FORMATS)}"
        )
    return graph.serialize(format=_RDFLIB_FORMATS[fmt], encoding="utf-8")
