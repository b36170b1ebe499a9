"""The msckg OWL ontology: where its files are, its namespaces and the CURIE prefixes it uses."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import curies
from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "BASE",
    "BIBO",
    "CONVERTER",
    "DCTERMS",
    "ENT",
    "GRAPH",
    "MSCKG",
    "ONTOLOGY_IRI",
    "ONTOLOGY_PATH",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SHAPES_PATH",
    "SKOS",
    "STMT",
    "XREFS_VERIFIED_PATH",
    "XREF_SENSES_PATH",
    "XSD",
]

BASE = "https://w3id.org/msckg/"
ONTOLOGY_IRI = BASE + "ontology"

#: Classes, properties and the closed vocabularies (evidence, hedging, polarity).
MSCKG = Namespace(BASE + "vocab/")
#: Entities the graph talks about: disorders, cells, molecules, publications ...
ENT = Namespace(BASE + "id/")
#: Statement nodes carrying provenance (one per curated statement).
STMT = Namespace(BASE + "statement/")
#: Named graphs of the built dataset.
GRAPH = Namespace(BASE + "graph/")
BIBO = Namespace("http://purl.org/ontology/bibo/")

_HERE = Path(str(files(__name__)))
ONTOLOGY_PATH = _HERE / "msckg.ttl"
SHAPES_PATH = _HERE / "shapes.ttl"
XREFS_VERIFIED_PATH = _HERE / "xrefs_verified.tsv"
#: Reviewed uses of identifiers whose source label means something wider, narrower or else.
XREF_SENSES_PATH = _HERE / "xref_senses.tsv"

#: Prefix map for CURIEs: our own namespaces first, then the standard ontologies we map to.
PREFIXES: dict[str, str] = {
    "msckg": str(MSCKG),
    "ent": str(ENT),
    "stmt": str(STMT),
    "graph": str(GRAPH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "bibo": str(BIBO),
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "CL": "http://purl.obolibrary.org/obo/CL_",
    "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
    "GO": "http://purl.obolibrary.org/obo/GO_",
    "ECO": "http://purl.obolibrary.org/obo/ECO_",
    "RO": "http://purl.obolibrary.org/obo/RO_",
    "BFO": "http://purl.obolibrary.org/obo/BFO_",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "HGNC": "https://identifiers.org/hgnc:",
    "biolink": "https://w3id.org/biolink/vocab/",
    "doi": "https://doi.org/",
}

CONVERTER = curies.Converter.from_prefix_map(PREFIXES)
