"""Every name the editorial uses for a thing finds that thing through labels and synonyms alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from msckg.graph.store import GraphStore
from msckg.queries import load_query

NAMES = (
    (Path(__file__).parent / "data" / "editorial_names.txt")
    .read_text(encoding="utf-8")
    .splitlines()
)


@pytest.mark.parametrize("name", NAMES)
def test_editorial_name_is_findable(store: GraphStore, name: str) -> None:
    query = load_query("find_entity")
    assert store.select(query.text, {"name": name}), f"nothing is labelled or also called {name!r}"


ENTITY_QUERY = """
SELECT ?e (COUNT(DISTINCT ?label) AS ?labels) (COUNT(DISTINCT ?def) AS ?defs) (COUNT(DISTINCT ?st) AS ?uses)
WHERE {
  GRAPH graph:asserted { ?e a owl:NamedIndividual ; rdfs:label ?label ; skos:definition ?def }
  FILTER NOT EXISTS { GRAPH graph:asserted { ?e a msckg:Publication } }
  OPTIONAL { GRAPH graph:provenance { { ?st rdf:subject ?e } UNION { ?st rdf:object ?e } UNION { ?st msckg:population ?e } } }
}
GROUP BY ?e
"""


def test_every_entity_has_one_label_one_definition_and_a_statement(store: GraphStore) -> None:
    rows = store.select(ENTITY_QUERY)
    assert len(rows) == 124
    for row in rows:
        assert (row["labels"], row["defs"]) == ("1", "1"), row["e"]
        assert int(row["uses"]) > 0, f"{row['e']} is in no statement"
