"""The benchmark's synthetic graph generator: same bytes every run, parses, sentinel last, msckg's schema."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest

from msckg import ontology

GENERATOR = Path(__file__).resolve().parent.parent / "bench" / "generate.py"


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    """bench/generate.py, imported from its path (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".trig"])
def test_same_seed_gives_the_same_bytes(generate: ModuleType, tmp_path: Path, suffix: str) -> None:
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    generate.write_graph(3_000, first)
    generate.write_graph(3_000, second)
    assert (
        hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()
    )


def test_another_seed_gives_another_graph(generate: ModuleType, tmp_path: Path) -> None:
    generate.write_graph(3_000, tmp_path / "a.ttl", seed=1)
    generate.write_graph(3_000, tmp_path / "b.ttl", seed=2)
    assert (tmp_path / "a.ttl").read_bytes() != (tmp_path / "b.ttl").read_bytes()


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".trig"])
def test_file_parses_and_ends_with_the_sentinel(
    generate: ModuleType, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"g{suffix}"
    written = generate.write_graph(5_000, path)
    quads = list(ox.parse(path=path, format=ox.RdfFormat.from_extension(suffix[1:])))
    assert len(quads) == written
    assert 4_000 <= written <= 6_000
    last = quads[-1]
    assert (last.subject.value, last.predicate.value, last.object.value) == generate.SENTINEL
    assert isinstance(last.graph_name, ox.DefaultGraph)
    store = ox.Store()
    store.extend(quads)
    assert bool(store.query(generate.SENTINEL_ASK, use_default_graph_as_union=True))


def test_trig_holds_the_same_triples_in_msckgs_named_graphs(
    generate: ModuleType, tmp_path: Path
) -> None:
    generate.write_graph(3_000, tmp_path / "g.ttl")
    generate.write_graph(3_000, tmp_path / "g.trig")
    flat = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=tmp_path / "g.ttl")}
    split = list(ox.parse(path=tmp_path / "g.trig"))
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in split} == flat
    graphs = {q.graph_name.value for q in split if isinstance(q.graph_name, ox.NamedNode)}
    assert graphs == {str(ontology.GRAPH[name]) for name in ("ontology", "asserted", "provenance")}


def test_uses_msckgs_namespaces_classes_and_predicates(generate: ModuleType) -> None:
    assert str(ontology.MSCKG) == generate.MSCKG
    assert str(ontology.ENT) == generate.ENT
    assert str(ontology.STMT) == generate.STMT
    assert str(ontology.GRAPH) == generate.GRAPH
    declared = {q.subject.value for q in ox.parse(path=ontology.ONTOLOGY_PATH)}
    used = {ontology.MSCKG[name] for pair in generate.CLASS_PARENTS for name in pair}
    used |= {ontology.MSCKG[predicate] for predicate, _, _ in generate.RELATIONS}
    used |= {ontology.MSCKG[term] for term in generate.EVIDENCE + generate.HEDGING}
    assert {str(term) for term in used} <= declared


def test_graph_has_subclass_chains_and_statement_nodes(generate: ModuleType) -> None:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in _parsed(generate, 20_000))
    depth = store.query(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT (MAX(?n) AS ?deepest) WHERE { { SELECT ?c (COUNT(?up) AS ?n) "
        "WHERE { ?c rdfs:subClassOf+ ?up } GROUP BY ?c } }"
    )
    assert int(next(depth)["deepest"].value) >= 5
    statements = store.query(
        "PREFIX msckg: <https://w3id.org/msckg/vocab/> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
        "SELECT (COUNT(?s) AS ?n) WHERE { ?s a msckg:Statement ; rdf:subject ?x ; msckg:evidence ?e ; "
        "msckg:hedging ?h ; msckg:supportedBy ?r }"
    )
    assert int(next(statements)["n"].value) > 500


def test_size_below_the_minimum_is_refused(generate: ModuleType) -> None:
    with pytest.raises(ValueError, match="at least 1000"):
        list(generate.triples(10))


def _parsed(generate: ModuleType, size: int) -> list[ox.Triple]:
    lines = [f"{t.subject} {t.predicate} {t.object} .\n" for t in generate.triples(size)]
    return list(ox.parse("".join(lines), format=ox.RdfFormat.N_TRIPLES))
