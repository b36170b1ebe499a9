"""Every assertive sentence of the editorial is in the graph as statements with evidence and references."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from msckg.graph.store import GraphStore

CHECKLIST = Path(__file__).parent / "data" / "claims_checklist.tsv"
EDITORIAL = Path(__file__).resolve().parents[2] / "shared" / "seed" / "msc-editorial.txt"
#: Sentences per paragraph of the editorial's body (Introduction p1-p6, Conclusion p1).
SENTENCES = {
    "introduction/p1": 7,
    "introduction/p2": 6,
    "introduction/p3": 4,
    "introduction/p4": 5,
    "introduction/p5": 4,
    "introduction/p6": 1,
    "conclusion/p1": 4,
}
#: Paragraphs whose claims the editorial backs with a numbered reference.
CITED = {"introduction/p1", "introduction/p2", "introduction/p3", "introduction/p4"}

STATEMENTS_QUERY = """
SELECT ?locator ?evidence ?hedging (GROUP_CONCAT(?doi; separator=" ") AS ?dois)
WHERE {
  GRAPH graph:provenance {
    ?st msckg:locator ?locator ; msckg:evidence ?evidence ; msckg:hedging ?hedging .
    OPTIONAL { ?st msckg:supportedBy ?ref }
  }
  OPTIONAL { ?ref bibo:doi ?doi }
}
GROUP BY ?st ?locator ?evidence ?hedging
"""


def _checklist() -> list[dict[str, str]]:
    with CHECKLIST.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_checklist_covers_every_sentence() -> None:
    expected = {f"{para}/s{n}" for para, count in SENTENCES.items() for n in range(1, count + 1)}
    assert {row["locator"] for row in _checklist()} == expected


@pytest.mark.skipif(not EDITORIAL.exists(), reason=f"editorial not found at {EDITORIAL}")
def test_sentence_counts_match_the_editorial() -> None:
    text = EDITORIAL.read_text(encoding="utf-8")
    body = text.split("\nIntroduction\n", 1)[1].split("\nReferences\n", 1)[0]
    intro, conclusion = body.split("\nConclusion\n", 1)
    # The page break inside paragraph 2 leaves a blank line after a comma: rejoin it.
    intro = re.sub(r",\s*\n\s*\n", ", ", intro)
    paragraphs = [p for p in intro.split("\n\n") if p.strip()]
    paragraphs += [p for p in conclusion.split("\n\n") if p.strip()]
    counts = [len(re.findall(r"[.?!](?:\s*\[[\d,]+\])?(?=\s|$)", p.strip())) for p in paragraphs]
    assert counts == list(SENTENCES.values())


@pytest.mark.parametrize("row", _checklist(), ids=lambda row: row["locator"])
def test_claim_is_captured_with_evidence_and_reference(
    store: GraphStore, row: dict[str, str]
) -> None:
    found = [r for r in store.select(STATEMENTS_QUERY) if r["locator"] == row["locator"]]
    ids = row["statements"].split("|")
    assert len(found) == len(ids) > 0, f"{row['locator']}: {row['claim']}"
    for statement in found:
        assert statement["evidence"].startswith("https://w3id.org/msckg/vocab/")
        assert statement["hedging"].startswith("https://w3id.org/msckg/vocab/")
        paragraph = row["locator"].rsplit("/", 1)[0]
        if paragraph in CITED:
            assert statement["dois"].startswith("10."), f"{row['locator']} cites nothing"


def test_every_statement_is_on_the_checklist(store: GraphStore) -> None:
    listed = {sid for row in _checklist() for sid in row["statements"].split("|")}
    rows = store.select("SELECT ?st WHERE { GRAPH graph:provenance { ?st a msckg:Statement } }")
    in_graph = {row["st"].rsplit("/", 1)[-1] for row in rows}
    assert in_graph == listed


def test_hedged_wording_is_kept(store: GraphStore) -> None:
    """'in some cases' pregnancies, 'may' be an alternative, 'aims to' improve survival."""
    rows = store.select(
        "SELECT ?o ?h WHERE { GRAPH graph:provenance { ?st rdf:object ?o ; msckg:hedging ?h } }"
    )
    hedging = {row["o"].rsplit("/", 1)[-1]: row["h"].rsplit("/", 1)[-1] for row in rows}
    assert hedging["natural_pregnancy"] == "Suggested"
    assert hedging["cell_survival"] == "Hypothesized"
    assert hedging["tumorigenicity"] == "Suggested"
