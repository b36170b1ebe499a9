"""Cross-references are only identifiers checked in their source ontology's own files."""

from __future__ import annotations

import csv
from datetime import date

from rdflib import Graph

from msckg.graph.store import GraphStore
from msckg.ontology import CONVERTER, ONTOLOGY_PATH, SKOS, XREFS_VERIFIED_PATH


def _verified() -> dict[str, dict[str, str]]:
    with XREFS_VERIFIED_PATH.open(encoding="utf-8", newline="") as handle:
        return {row["curie"]: row for row in csv.DictReader(handle, delimiter="\t")}


def test_each_verified_identifier_records_where_it_was_checked() -> None:
    for curie, row in _verified().items():
        assert row["label_in_source"], curie
        assert row["source_repo"] and row["source_path"], f"{curie}: no source file recorded"
        assert row["how_checked"], curie
        assert row["match"] in {"exact", "close", "broad"}, curie
        # who checked it and when: the SSSOM export's author_label and mapping_date
        assert row["checked_by"], f"{curie}: no checked_by"
        assert date.fromisoformat(row["checked_on"]), f"{curie}: checked_on is not YYYY-MM-DD"


def _mappings(triples: list[tuple[str, str]]) -> set[str]:
    curies = set()
    for _, target in triples:
        curie = CONVERTER.compress(target)
        assert curie is not None, f"mapping to an IRI outside known prefixes: {target}"
        curies.add(curie)
    return curies


def test_every_mapping_in_the_graph_is_verified(store: GraphStore) -> None:
    rows = store.select(
        "SELECT ?s ?x WHERE { GRAPH graph:asserted { ?s skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch|skos:relatedMatch ?x } }"
    )
    used = _mappings([(row["s"], row["x"]) for row in rows])
    assert len(used) > 40
    assert used <= set(_verified())


def test_every_mapping_in_the_ontology_is_verified() -> None:
    ontology = Graph().parse(ONTOLOGY_PATH, format="turtle")
    pairs = [
        (str(s), str(o))
        for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)
        for s, o in ontology.subject_objects(p)
    ]
    used = _mappings(pairs)
    assert {"RO:0002213", "ECO:0000179", "biolink:treats"} <= used
    assert used <= set(_verified())


def test_key_entities_carry_their_standard_identifiers(store: GraphStore) -> None:
    rows = store.select("SELECT ?s ?x WHERE { GRAPH graph:asserted { ?s skos:exactMatch ?x } }")
    exact = {(CONVERTER.compress(r["s"]), CONVERTER.compress(r["x"])) for r in rows}
    assert ("ent:asherman_syndrome", "MONDO:0015299") in exact
    assert ("ent:endometriosis", "MONDO:0005133") in exact
    assert ("ent:mesenchymal_stem_cell", "CL:0000134") in exact
    assert ("ent:VEGF", "HGNC:12680") in exact
    assert ("ent:basal_endometrium", "UBERON:0022355") in exact
