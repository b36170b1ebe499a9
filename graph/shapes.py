"""Check the RDF made from curation against the SHACL shapes, naming each problem's file line."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from msckg.graph.validate import Curation
from msckg.ontology import ENT, ONTOLOGY_PATH, RDF, SHAPES_PATH, STMT

__all__ = ["check_shapes"]


def _sources(curation: Curation) -> dict[URIRef, str]:
    where: dict[URIRef, str] = {}
    for entity in curation.entities.values():
        where[ENT[entity.id]] = str(entity.source)
    for reference in curation.references.values():
        where[ENT[reference.id]] = str(reference.source)
    for statement in curation.statements.values():
        where[STMT[statement.id]] = str(statement.source)
    return where


def check_shapes(curation: Curation, asserted: Graph, provenance: Graph) -> list[str]:
    """Validate the asserted and provenance graphs with pyshacl against ``ontology/shapes.ttl``.

    :returns: one ``file:line: message`` per violation (empty when all shapes hold)
    """
    import pyshacl  # slow to import; only needed when validating

    # The whole ontology goes into the data graph (pyshacl's ont_graph would copy only class and
    # type axioms): the truthy shapes read which relations are tentative from it.
    data = Graph().parse(ONTOLOGY_PATH, format="turtle")
    for graph in (asserted, provenance):
        for triple in graph:
            data.add(triple)
    conforms, report, _ = pyshacl.validate(
        data,
        shacl_graph=Graph().parse(SHAPES_PATH, format="turtle"),
        inference="none",
        meta_shacl=False,
        advanced=False,
    )
    if conforms:
        return []
    where = _sources(curation)
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        place = where.get(focus, "<generated>:0") if isinstance(focus, URIRef) else "<generated>:0"
        problems.append(f"{place}: SHACL: {focus} {path}: {message}")
    return sorted(problems)
