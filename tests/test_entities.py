"""Entity search, detail, suggestions: loose name matching, exact > prefix > substring."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from msckg.graph.build import STORE_DIRNAME, BuildReport
from msckg.graph.entities import EntityIndex, UnknownEntity, entity_detail, iri_from_key, name_key
from msckg.graph.store import GraphStore, open_store
from msckg.queries import load_query


@pytest.fixture(scope="module")
def mini_store(mini_built: BuildReport) -> Iterator[GraphStore]:
    store = open_store(mini_built.out_dir / STORE_DIRNAME, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def mini_index(mini_store: GraphStore) -> EntityIndex:
    return EntityIndex.from_store(mini_store)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("TNF-\N{GREEK SMALL LETTER ALPHA}", "TNF-alpha"),
        ("TNF-\N{GREEK SMALL LETTER ALPHA}", "tnf alpha"),
        ("TNF\N{GREEK SMALL LETTER ALPHA}", "TNF alpha"),
        ("IL-1\N{GREEK SMALL LETTER BETA}", "il 1 beta"),
        ("TGF-\N{GREEK CAPITAL LETTER BETA}", "tgf-beta"),
        ("Asherman's syndrome", "ashermans SYNDROME"),
        ("µ", "mu"),
    ],
)
def test_names_match_across_case_punctuation_and_greek(left: str, right: str) -> None:
    assert name_key(left) == name_key(right)


def test_ranking_is_exact_then_prefix_then_substring(mini_index: EntityIndex) -> None:
    assert [e.label for e in mini_index.search("msc")] == ["mesenchymal stem cell", "MSC therapy"]
    assert [e.label for e in mini_index.search("stem")] == ["mesenchymal stem cell"]


def test_synonyms_are_searched(mini_index: EntityIndex) -> None:
    assert [e.label for e in mini_index.search("neo-vascularization")] == ["angiogenesis"]


def test_type_filter_accepts_a_local_name_or_curie(mini_index: EntityIndex) -> None:
    assert [e.label for e in mini_index.search("", type_="GrowthFactor")] == ["VEGF"]
    assert [e.label for e in mini_index.search("", type_="msckg:GrowthFactor")] == ["VEGF"]
    with pytest.raises(ValueError, match="unknown type"):
        mini_index.search("", type_="Spaceship")


def test_vegf_is_found_in_the_shipped_graph(store: GraphStore) -> None:
    index = EntityIndex.from_store(store)
    assert index.search("vegf")[0].label == "VEGF"
    assert index.search("vascular endothelial growth factor")[0].label == "VEGF"


def test_detail_has_relations_with_evidence(mini_store: GraphStore) -> None:
    detail = entity_detail(mini_store, "ent:vegf")
    assert detail["label"] == "VEGF"
    relations = {
        (r["direction"], r["predicate"]["id"], r["other"]["id"]) for r in detail["relations"]
    }
    assert ("in", "msckg:secretes", "ent:msc") in relations
    assert ("out", "msckg:promotes", "ent:angiogenesis") in relations
    statement = detail["relations"][0]["statements"][0]
    assert {"evidence", "hedging", "polarity", "references", "locator"} <= set(statement)
    assert statement["references"][0]["doi"] == "10.1000/test.1"


def test_the_editorials_references_are_entities_with_dois(store: GraphStore) -> None:
    index = EntityIndex.from_store(store)
    publications = index.search("", type_="Publication", limit=100)
    assert len(publications) >= 8
    detail = entity_detail(store, publications[0].iri)
    assert detail["doi"]


def test_unknown_id_suggests_close_entities(
    mini_store: GraphStore, mini_index: EntityIndex
) -> None:
    with pytest.raises(UnknownEntity) as caught:
        entity_detail(mini_store, "ent:vegff", mini_index)
    assert caught.value.closest[0]["label"] == "VEGF"


@pytest.mark.parametrize(
    "key", ["", "a b", "x" * 501, "ent:<script>", "http://e/<x>", "nope:thing"]
)
def test_malformed_ids_are_rejected(key: str) -> None:
    with pytest.raises(ValueError):
        iri_from_key(key)


@pytest.mark.parametrize(
    ("query", "variable"),
    [
        ("entity_card", "entity"),
        ("entity_statements", "entity"),
        ("statements_citing", "reference"),
    ],
)
def test_the_iri_written_into_the_query_gives_the_bound_querys_answer(
    store: GraphStore, query: str, variable: str
) -> None:
    from msckg.graph.entities import _about

    text = load_query(query).text
    entities = {row["entity"] for row in store.select(load_query("entity_names").text)}
    assert len(entities) > 100
    for iri in sorted(entities):
        assert store.select(_about(iri, query, variable)) == store.select(text, {variable: iri})


def test_an_iri_that_is_no_rdf_iri_never_becomes_query_text() -> None:
    from msckg.graph.entities import _about

    with pytest.raises(ValueError, match="Invalid IRI"):
        _about("https://w3id.org/msckg/id/a}b", "entity_card", "entity")
