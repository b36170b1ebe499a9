"""Each statement as a nanopublication (https://nanopub.net): head, assertion, provenance and
publication info graphs, as TriG.

- The assertion is the plain triple (``ent:S msckg:P ent:O``); a negative statement asserts its
  negation as an OWL 2 negative property assertion, never the triple it denies.
- The provenance says the assertion was derived from the editorial (its DOI) at its sentence
  locator, cites the works the editorial cites for it (their DOIs), and carries its evidence
  context, hedging and belief.
- The publication info names the release, its version and its licence.

The nanopublications are not signed: signing needs a private key held by whoever publishes
them to the nanopub network, and a signature is made over a trusty URI fixed at publication.
A release is a file set to cite and compare; the checksums in ``SHA256SUMS`` protect it.
"""

from __future__ import annotations

import warnings

from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV

from msckg.graph.belief import statement_belief
from msckg.graph.model import Statement
from msckg.graph.triples import source_publication
from msckg.graph.validate import Curation
from msckg.ontology import BASE, DCTERMS, ENT, MSCKG, PREFIXES, RDF, XSD

__all__ = ["NANOPUB_BASE", "NP", "nanopublication"]

NP = Namespace("http://www.nanopub.org/nschema#")
PAV = Namespace("http://purl.org/pav/")
CITO = Namespace("http://purl.org/spar/cito/")
#: Nanopublication IRIs: ``{NANOPUB_BASE}{version}/{statement id}``.
NANOPUB_BASE = BASE + "np/"


def _doi(doi: str) -> URIRef:
    return URIRef(f"https://doi.org/{doi}")


def nanopublication(
    statement: Statement, curation: Curation, version: str, license_url: str
) -> bytes:
    """One statement as a nanopublication in TriG (UTF-8, deterministic).

    :param statement: a validated statement
    :param curation: the curation it belongs to (for its references and the editorial)
    :param version: the release version (``x.y.z``)
    :param license_url: the licence of the release
    """
    base = Namespace(f"{NANOPUB_BASE}{version}/{statement.id}/")
    nanopub = URIRef(f"{NANOPUB_BASE}{version}/{statement.id}")
    head, assertion, provenance, pubinfo = (
        base.Head,
        base.assertion,
        base.provenance,
        base.pubinfo,
    )
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    for prefix, namespace in (("np", NP), ("pav", PAV), ("cito", CITO), ("this", base)):
        dataset.bind(prefix, namespace, override=True, replace=True)
    graph = dataset.graph(head)
    graph.add((nanopub, RDF.type, NP.Nanopublication))
    graph.add((nanopub, NP.hasAssertion, assertion))
    graph.add((nanopub, NP.hasProvenance, provenance))
    graph.add((nanopub, NP.hasPublicationInfo, pubinfo))

    graph = dataset.graph(assertion)
    subject, predicate, obj = (
        ENT[statement.subject],
        MSCKG[statement.predicate],
        ENT[statement.object],
    )
    if statement.polarity.code == "positive":
        graph.add((subject, predicate, obj))
    else:
        negation = base.negation
        graph.add((negation, RDF.type, OWL.NegativePropertyAssertion))
        graph.add((negation, OWL.sourceIndividual, subject))
        graph.add((negation, OWL.assertionProperty, predicate))
        graph.add((negation, OWL.targetIndividual, obj))

    editorial = source_publication(curation)
    graph = dataset.graph(provenance)
    graph.add((assertion, PROV.wasDerivedFrom, _doi(editorial.doi)))
    graph.add((assertion, MSCKG.locator, Literal(str(statement.locator))))
    for ref in statement.references:
        graph.add((assertion, CITO.citesAsEvidence, _doi(curation.references[ref].doi)))
    graph.add((assertion, MSCKG.evidence, MSCKG[statement.evidence.term]))
    graph.add((assertion, MSCKG.hedging, MSCKG[statement.hedging.term]))
    graph.add((assertion, MSCKG.polarity, MSCKG[statement.polarity.term]))
    score = statement_belief(statement, curation.references, editorial).score
    graph.add((assertion, MSCKG.belief, Literal(score, datatype=XSD.decimal)))

    graph = dataset.graph(pubinfo)
    release = URIRef(f"{BASE}release/{version}")
    graph.add((nanopub, DCTERMS.isPartOf, release))
    graph.add((nanopub, PAV.version, Literal(version)))
    graph.add((nanopub, DCTERMS.license, URIRef(license_url)))
    graph.add((nanopub, PROV.wasDerivedFrom, URIRef(f"{BASE}statement/{statement.id}")))
    with warnings.catch_warnings():
        # rdflib's own TriG serializer still calls its deprecated Dataset.contexts and .default_context
        warnings.filterwarnings("ignore", "Dataset.* is deprecated", DeprecationWarning)
        return dataset.serialize(format="trig", encoding="utf-8")
