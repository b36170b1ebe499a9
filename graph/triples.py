"""Turn validated curation records into RDF: the asserted graph and the provenance graph."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from msckg.graph.belief import statement_belief
from msckg.graph.model import Entity, Reference, Statement
from msckg.graph.truthy import plain_triples
from msckg.graph.validate import Curation
from msckg.ontology import (
    BIBO,
    CONVERTER,
    DCTERMS,
    ENT,
    MSCKG,
    OWL,
    PREFIXES,
    RDF,
    RDFS,
    SKOS,
    STMT,
    XSD,
)
from msckg.ontology.schema import Schema, load_schema

__all__ = [
    "asserted_graph",
    "bind_prefixes",
    "provenance_graph",
    "publication_label",
    "source_publication",
]


def bind_prefixes(graph: Graph) -> Graph:
    """Bind msckg's prefixes on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def publication_label(reference: Reference) -> str:
    """Short human label of a publication: first author's surname and year.

    >>> from msckg.graph.model import Source
    >>> ref = Reference("x", "10.1/x", "", "Hou, C., Zhu, H. & Chang, X.", "T", "J", 2025, "", "",
    ...                 7, Source("f", 1))
    >>> publication_label(ref)
    'Hou et al. 2025'
    """
    first = reference.authors.split(",")[0].strip()
    several = "&" in reference.authors or "et al" in reference.authors
    return f"{first} et al. {reference.year}" if several else f"{first} {reference.year}"


def source_publication(curation: Curation) -> Reference:
    """The publication the statements come from: the one reference the editorial does not cite."""
    return next(ref for ref in curation.references.values() if ref.cited_as is None)


def _entity_triples(graph: Graph, entity: Entity) -> None:
    node = ENT[entity.id]
    graph.add((node, RDF.type, OWL.NamedIndividual))
    graph.add((node, RDF.type, MSCKG[entity.type]))
    graph.add((node, RDFS.label, Literal(entity.label, lang="en")))
    graph.add((node, SKOS.definition, Literal(entity.definition, lang="en")))
    for synonym in entity.synonyms:
        graph.add((node, SKOS.altLabel, Literal(synonym, lang="en")))
    for predicate, curies in (
        (SKOS.exactMatch, entity.exact_match),
        (SKOS.closeMatch, entity.close_match),
        (SKOS.broadMatch, entity.broad_match),
        (SKOS.narrowMatch, entity.narrow_match),
        (SKOS.relatedMatch, entity.related_match),
    ):
        for curie in curies:
            graph.add((node, predicate, URIRef(CONVERTER.expand_strict(curie))))
    for parent in entity.broader:
        graph.add((node, SKOS.broader, ENT[parent]))


def _reference_triples(graph: Graph, reference: Reference, source: Reference) -> None:
    node = ENT[reference.id]
    graph.add((node, RDF.type, OWL.NamedIndividual))
    graph.add((node, RDF.type, MSCKG.Publication))
    graph.add((node, RDFS.label, Literal(publication_label(reference), lang="en")))
    graph.add((node, DCTERMS.title, Literal(reference.title)))
    role = (
        "The editorial the statements come from"
        if reference is source
        else "A work cited by the editorial"
    )
    graph.add(
        (
            node,
            SKOS.definition,
            Literal(
                f"{role}: {reference.title} ({reference.journal}, {reference.year}).", lang="en"
            ),
        )
    )
    graph.add((node, DCTERMS.creator, Literal(reference.authors)))
    graph.add((node, DCTERMS.isPartOf, Literal(reference.journal)))
    graph.add((node, DCTERMS.date, Literal(str(reference.year), datatype=XSD.gYear)))
    graph.add((node, BIBO.doi, Literal(reference.doi)))
    if reference.printed_doi:
        graph.add((node, MSCKG.printedDoi, Literal(reference.printed_doi)))
    graph.add((node, RDFS.seeAlso, URIRef(f"https://doi.org/{reference.doi}")))
    if reference.volume:
        graph.add((node, BIBO.volume, Literal(reference.volume)))
    if reference.pages:
        graph.add((node, BIBO.pages, Literal(reference.pages)))
    if reference.cited_as is not None:
        graph.add((node, SKOS.altLabel, Literal(f"reference {reference.cited_as}", lang="en")))
        graph.add((ENT[source.id], MSCKG.cites, node))


def asserted_graph(curation: Curation, schema: Schema | None = None) -> Graph:
    """The asserted graph: entities, publications, and the plain ("truthy") triples.

    A triple is plain only when a firmly worded or tentative-relation positive statement
    carries it and no statement denies it (:func:`msckg.graph.truthy.plain_triples`).

    :param curation: validated content
    :param schema: the ontology's relations (the shipped ontology by default)
    :returns: a new rdflib graph
    """
    graph = bind_prefixes(Graph())
    source = source_publication(curation)
    for entity in curation.entities.values():
        _entity_triples(graph, entity)
    for reference in curation.references.values():
        _reference_triples(graph, reference, source)
    for subject, predicate, obj in plain_triples(
        curation.statements.values(), schema or load_schema()
    ):
        graph.add((ENT[subject], MSCKG[predicate], ENT[obj]))
    return graph


def _statement_triples(
    graph: Graph, statement: Statement, source: Reference, references: dict[str, Reference]
) -> None:
    node = STMT[statement.id]
    graph.add((node, RDF.type, MSCKG.Statement))
    graph.add((node, RDF.subject, ENT[statement.subject]))
    graph.add((node, RDF.predicate, MSCKG[statement.predicate]))
    graph.add((node, RDF.object, ENT[statement.object]))
    graph.add((node, MSCKG.polarity, MSCKG[statement.polarity.term]))
    graph.add((node, MSCKG.evidence, MSCKG[statement.evidence.term]))
    graph.add((node, MSCKG.hedging, MSCKG[statement.hedging.term]))
    graph.add((node, MSCKG.statedIn, ENT[source.id]))
    for reference in statement.references:
        graph.add((node, MSCKG.supportedBy, ENT[reference]))
    if statement.condition is not None:
        graph.add((node, MSCKG.studiedIn, ENT[statement.condition]))
    for group in statement.population:
        graph.add((node, MSCKG.population, ENT[group]))
    for mechanism in statement.via:
        graph.add((node, MSCKG.via, ENT[mechanism]))
    locator = statement.locator
    graph.add((node, MSCKG.section, Literal(locator.section)))
    graph.add((node, MSCKG.paragraph, Literal(locator.paragraph, datatype=XSD.positiveInteger)))
    graph.add((node, MSCKG.sentence, Literal(locator.sentence, datatype=XSD.positiveInteger)))
    graph.add((node, MSCKG.locator, Literal(str(locator))))
    graph.add((node, RDFS.comment, Literal(statement.paraphrase, lang="en")))
    graph.add((node, MSCKG.curationSource, Literal(str(statement.source))))
    score = statement_belief(statement, references, source).score
    graph.add((node, MSCKG.belief, Literal(score, datatype=XSD.decimal)))


def provenance_graph(curation: Curation) -> Graph:
    """The provenance graph: one statement node per curated statement, Wikidata style.

    :param curation: validated content
    :returns: a new rdflib graph
    """
    graph = bind_prefixes(Graph())
    source = source_publication(curation)
    for statement in curation.statements.values():
        _statement_triples(graph, statement, source, curation.references)
    return graph
