"""The build: its files and named graphs, reasoning, and atomic replacement of a previous build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from optional_tools import requires_tool
from rdflib import Graph, URIRef

from msckg.graph.build import NAMED_GRAPHS, OUTPUT_FILES, BuildReport, build
from msckg.graph.errors import BuildError, CurationError
from msckg.ontology import ENT, MSCKG, ONTOLOGY_PATH, RDF
from msckg.ontology.reason import InconsistentOntology, reason

MINI = Path(__file__).parent / "data" / "curation"


def test_build_writes_every_format_and_named_graph(built: BuildReport) -> None:
    for name in (*OUTPUT_FILES, "build.json", "store"):
        assert (built.out_dir / name).exists(), name
    for name in ("msckg.trig", "msckg.nq"):
        quads = list(ox.parse(path=built.out_dir / name))
        assert {q.graph_name.value for q in quads} == set(NAMED_GRAPHS.values())
        assert len(quads) == sum(built.triples[g] for g in NAMED_GRAPHS)
    flat = Graph().parse(built.out_dir / "msckg.ttl", format="turtle")
    assert len(flat) == built.triples["union"]
    assert len(Graph().parse(built.out_dir / "msckg.nt", format="nt")) == built.triples["union"]
    assert (
        len(Graph().parse(built.out_dir / "msckg.jsonld", format="json-ld"))
        == built.triples["union"]
    )


def test_void_counts_the_graphs(built: BuildReport) -> None:
    void = Graph().parse(built.out_dir / "void.ttl", format="turtle")
    query = """SELECT ?n WHERE { <https://w3id.org/msckg/dataset> void:subset ?s .
               ?s sd:name <https://w3id.org/msckg/graph/asserted> ; void:triples ?n }"""
    rows = list(
        void.query(
            query,
            initNs={
                "void": "http://rdfs.org/ns/void#",
                "sd": "http://www.w3.org/ns/sparql-service-description#",
            },
        )
    )
    assert int(rows[0][0]) == built.triples["asserted"]


def test_manifest_says_which_reasoner_ran(built: BuildReport) -> None:
    manifest = json.loads((built.out_dir / "build.json").read_text(encoding="utf-8"))
    assert manifest["reasoner"] == built.reasoner
    assert manifest["statements"] == built.statements


@requires_tool("java")
def test_hermit_finds_the_ontology_consistent_and_infers_inverses(built: BuildReport) -> None:
    assert built.reasoner == "HermiT"
    inferred = {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in ox.parse(path=built.out_dir / "msckg.nq")
        if q.graph_name.value == NAMED_GRAPHS["inferred"]
    }
    assert (str(ENT.VEGF), str(MSCKG.secretedBy), str(ENT.mesenchymal_stem_cell)) in inferred


def _mini_graphs() -> tuple[Graph, Graph]:
    from msckg.graph.triples import asserted_graph
    from msckg.graph.validate import read_curation

    return Graph().parse(ONTOLOGY_PATH, format="turtle"), asserted_graph(read_curation(MINI))


def test_owlrl_fallback_infers_inverses_and_superclass_types() -> None:
    ontology, asserted = _mini_graphs()
    result = reason(ontology, asserted, "owlrl")
    assert result.reasoner == "OWL-RL"
    assert (ENT.vegf, MSCKG.secretedBy, ENT.msc) in result.inferred
    assert (ENT.vegf, RDF.type, MSCKG.Molecule) in result.inferred


def test_without_java_the_build_says_so_and_uses_owlrl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    ontology, asserted = _mini_graphs()
    result = reason(ontology, asserted, "auto")
    assert result.reasoner == "OWL-RL"
    assert "no Java runtime" in result.note


@pytest.mark.parametrize("reasoner", ["owlrl", pytest.param("hermit", marks=requires_tool("java"))])
def test_contradiction_is_reported_as_inconsistent(reasoner: str) -> None:
    ontology, asserted = _mini_graphs()
    asserted.add((ENT.vegf, RDF.type, MSCKG.Disorder))  # a growth factor cannot be a disorder
    with pytest.raises(InconsistentOntology):
        reason(ontology, asserted, reasoner)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "store" not in p.relative_to(folder).parts
    }


def test_failed_build_leaves_previous_build_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "data"
    build(out, MINI, reasoner="owlrl")
    before = _tree(out)
    broken = tmp_path / "broken"
    shutil.copytree(MINI, broken)
    statements = broken / "statements.tsv"
    statements.write_text(
        statements.read_text(encoding="utf-8").replace("\tvegf\t", "\tnope\t", 1), encoding="utf-8"
    )
    with pytest.raises(CurationError):
        build(out, broken, reasoner="owlrl")
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "broken",
        "data",
    ]  # no temporary folder left


def test_inconsistent_data_fails_the_build_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import msckg.graph.build as build_module

    out = tmp_path / "data"
    original = build_module.asserted_graph

    def contradictory(curation):  # type: ignore[no-untyped-def]
        graph = original(curation)
        graph.add((ENT.vegf, RDF.type, URIRef(MSCKG.Disorder)))
        return graph

    monkeypatch.setattr(build_module, "asserted_graph", contradictory)
    with pytest.raises(BuildError, match="inconsistent"):
        build(out, MINI, reasoner="owlrl")
    assert not out.exists()


def test_rebuild_replaces_the_previous_build(tmp_path: Path) -> None:
    out = tmp_path / "data"
    first = build(out, MINI, reasoner="owlrl")
    second = build(out, MINI, reasoner="owlrl")
    assert first.triples == second.triples
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
