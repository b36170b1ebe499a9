"""Belief scores: the hand-worked example through build, store, `msckg explain` and the REST
route; distinct works; the README's formula and tables against the code."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from msckg.graph.belief import (
    EVIDENCE_ERRORS,
    HEDGING_FACTORS,
    POLARITY_FACTORS,
    belief,
    distinct_works,
)
from msckg.graph.build import STORE_DIRNAME, BuildReport, build
from msckg.graph.entities import entity_detail
from msckg.graph.model import EvidenceContext, Hedging, Polarity
from msckg.graph.statements import StatementNotFound, explain_statement
from msckg.graph.store import GraphStore, open_store
from msckg.service.cli import main

MINI = Path(__file__).parent / "data" / "curation"
README = Path(__file__).resolve().parents[1] / "README.md"
#: The hand-worked example: animal model, reported, positive, two distinct works.
#: s = 0.20, r = 0.30, n = 2: 1 - (0.20 + 0.30**2) = 0.71; * h 0.9 * p 1.0 = 0.639.
HAND_WORKED = 0.639
EXAMPLE = (
    "S900\tmsc\treduces\tfibrosis\tpositive\tanimal_model\treported\t{refs}\t\t\t\t"
    "introduction/p3/s1\tMSCs lessen scarring in animals, in two studies."
)


def _curation(tmp_path: Path, refs: str, extra_references: str = "") -> Path:
    folder = tmp_path / "curation"
    shutil.copytree(MINI, folder)
    with (folder / "references.tsv").open("a", encoding="utf-8") as handle:
        handle.write(
            "ref2\t10.1000/test.2\t\tPoe, P. & Loe, L.\tAnother paper\tTest Journal\t2023\t2\t3-4\t2\n"
        )
        handle.write(extra_references)
    with (folder / "statements.tsv").open("a", encoding="utf-8") as handle:
        handle.write(EXAMPLE.format(refs=refs) + "\n")
    return folder


def _built(tmp_path: Path, refs: str, extra_references: str = "") -> BuildReport:
    return build(tmp_path / "data", _curation(tmp_path, refs, extra_references), reasoner="owlrl")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    return _built(tmp_path_factory.mktemp("belief"), "ref1|ref2")


def _store(report: BuildReport) -> GraphStore:
    return open_store(report.out_dir / STORE_DIRNAME, read_only=True)


def test_hand_worked_example_term_by_term(example: BuildReport) -> None:
    explained = explain_statement(_store(example), "S900")
    terms = {term["symbol"]: term["value"] for term in explained["belief"]["terms"]}
    assert terms == {"s": 0.2, "r": 0.3, "n": 2, "e": 0.71, "h": 0.9, "p": 1.0}
    assert explained["belief"]["score"] == HAND_WORKED
    assert explained["belief"]["stored"] == HAND_WORKED
    assert explained["belief"]["works"] == ["10.1000/test.1", "10.1000/test.2"]
    assert explained["locator"] == "introduction/p3/s1"
    assert [ref["doi"] for ref in explained["references"]] == ["10.1000/test.1", "10.1000/test.2"]
    # S004 of the mini set makes the same claim, from one work
    assert [other["id"] for other in explained["supports"]] == ["stmt:S004"]
    assert explained["supports"][0]["belief"] == 0.45  # (1 - (0.2 + 0.3)) * 0.9
    assert explained["contradicts"] == []


def test_msckg_explain_prints_each_term_and_the_total(example: BuildReport) -> None:
    result = CliRunner().invoke(main, ["explain", "stmt:S900", "--data-dir", str(example.out_dir)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for expected in (
        "    s = 0.2      systematic error: animal_model (GRADE low)",
        "    r = 0.3      random error per work: animal_model (GRADE low)",
        "    n = 2        distinct supporting works: 10.1000/test.1, 10.1000/test.2",
        "    e = 0.71     evidence belief 1 - (s + r^n): 1 - (0.2 + 0.3^2)",
        "    h = 0.9      hedging factor: reported",
        "    p = 1        polarity factor: positive",
        f"    belief = {HAND_WORKED:.3f}",
        "  locator: introduction/p3/s1",
        "    Doe et al. 2024 doi:10.1000/test.1 https://doi.org/10.1000/test.1",
    ):
        assert expected in lines, expected
    assert any(
        line.startswith("    stmt:S004 (positive): animal model, reported") for line in lines
    )


@pytest.mark.parametrize(
    ("refs", "extra"),
    [
        ("ref1|ref2|ref1", ""),  # the same work cited twice
        (
            "ref1|ref2|ref1copy",
            "ref1copy\t10.1000/TEST.1\t\tDoe, J.\tSame paper\tT\t2024\t1\t1-2\t3\n",
        ),
        ("ref1|ref2|source2025", ""),  # the editorial cited beside the works it restates
    ],
    ids=["cited-twice", "same-doi-other-row", "editorial-restating"],
)
def test_a_duplicate_citation_leaves_the_score_unchanged(
    tmp_path: Path, refs: str, extra: str
) -> None:
    report = _built(tmp_path, refs, extra)
    explained = explain_statement(_store(report), "S900")
    assert explained["belief"]["stored"] == explained["belief"]["score"] == HAND_WORKED


def test_a_third_distinct_work_raises_the_score() -> None:
    works = ("10.1/a", "10.1/b", "10.1/c")
    score = belief(EvidenceContext.ANIMAL_MODEL, Hedging.REPORTED, Polarity.POSITIVE, works)
    assert score.score == Decimal("0.696")  # (1 - (0.2 + 0.027)) * 0.9 = 0.6957


def test_a_statement_citing_nothing_rests_on_the_editorial() -> None:
    assert distinct_works([], "10.52547/SJRM.10.4.1") == ("10.52547/sjrm.10.4.1",)


def test_unknown_and_malformed_statements(example: BuildReport) -> None:
    with pytest.raises(StatementNotFound, match="no statement 'S999'"):
        explain_statement(_store(example), "S999")
    with pytest.raises(ValueError, match="is not a statement id"):
        explain_statement(_store(example), "ent:VEGF")
    result = CliRunner().invoke(main, ["explain", "S999", "--data-dir", str(example.out_dir)])
    assert result.exit_code == 1
    assert result.stderr == "msckg: no statement 'S999'\n"


def test_every_shipped_statement_has_its_belief_and_entity_detail_shows_it(
    store: GraphStore,
) -> None:
    rows = store.select(
        "SELECT ?s ?b WHERE { GRAPH graph:provenance { ?s a msckg:Statement "
        "OPTIONAL { ?s msckg:belief ?b } } }"
    )
    assert rows and all("b" in row and 0 <= float(row["b"]) <= 1 for row in rows)
    detail = entity_detail(store, "ent:endometriosis")
    statements = {s["id"]: s for r in detail["relations"] for s in r["statements"]}
    for statement_id, statement in statements.items():
        assert statement["belief"] == explain_statement(store, statement_id)["belief"]["score"]


def test_a_statement_citing_nothing_lists_no_reference_in_entity_detail(store: GraphStore) -> None:
    detail = entity_detail(store, "ent:endometriosis")
    for relation in detail["relations"]:
        for statement in relation["statements"]:
            explained = explain_statement(store, statement["id"])
            assert [r["id"] for r in statement["references"]] == [
                r["id"] for r in explained["references"]
            ]


def _readme_table(header: str) -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    start = text.index(header)
    rows = []
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_the_readme_tables_are_the_codes_parameters() -> None:
    contexts = {
        row[0]: (row[1], Decimal(row[2]), Decimal(row[3]))
        for row in _readme_table("| evidence context | GRADE | s | r |")
    }
    assert contexts == {
        context.code: (rates.grade, rates.systematic, rates.random)
        for context, rates in EVIDENCE_ERRORS.items()
    }
    factors = _readme_table("| hedging | h | | polarity | p |")
    assert {row[0]: Decimal(row[1]) for row in factors} == {
        h.code: f for h, f in HEDGING_FACTORS.items()
    }
    assert {row[3]: Decimal(row[4]) for row in factors if row[3]} == {
        p.code: f for p, f in POLARITY_FACTORS.items()
    }


def test_the_readme_worked_example_is_what_the_code_computes() -> None:
    text = README.read_text(encoding="utf-8")
    example = text[text.index("Worked example:") :]
    total = re.search(r"\*\*(0\.\d+)\*\*", example)
    assert total is not None
    two = belief(
        EvidenceContext.ANIMAL_MODEL, Hedging.REPORTED, Polarity.POSITIVE, ("10.1/a", "10.1/b")
    )
    assert Decimal(total[1]) == two.score == Decimal(str(HAND_WORKED))


def test_exports_carry_the_edges_highest_belief(example: BuildReport) -> None:
    import csv
    import io

    from rdflib import Graph, Literal, Namespace

    from msckg.graph.exports import exporter_for
    from msckg.graph.network import load_network

    graph = load_network(_store(example))
    edges = exporter_for("kgx").files(graph)["edges.tsv"].decode()
    rows = {
        (row["subject"], row["original_predicate"], row["object"]): row
        for row in csv.DictReader(io.StringIO(edges), delimiter="\t")
    }
    # S004 (one work, 0.45) and S900 (two works, 0.639) back the same edge
    assert rows["ent:msc", "msckg:reduces", "ent:fibrosis"]["msckg_belief"] == "0.639"
    turtle = Graph().parse(data=exporter_for("turtle").to_bytes(graph), format="turtle")
    stmt, msckg = (
        Namespace("https://w3id.org/msckg/statement/"),
        Namespace("https://w3id.org/msckg/vocab/"),
    )
    assert float(turtle.value(stmt.S900, msckg.belief)) == HAND_WORKED
    assert isinstance(turtle.value(stmt.S004, msckg.belief), Literal)


def test_an_unknown_statement_survives_the_trip_from_a_worker() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(StatementNotFound("S999")))  # noqa: S301
    assert (type(error), str(error), error.key) == (
        StatementNotFound,
        "no statement 'S999'",
        "S999",
    )
