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
    """'in some cases' pregnancies (reported, how often), 'may' be an alternative, 'aims to' improve survival."""
    rows = store.select(
        "SELECT ?st ?p ?h WHERE { GRAPH graph:provenance { ?st rdf:predicate ?p ; msckg:hedging ?h } }"
    )
    said = {
        row["st"].rsplit("/", 1)[-1]: (row["p"].rsplit("/", 1)[-1], row["h"].rsplit("/", 1)[-1])
        for row in rows
    }
    assert said["S097"] == ("improves", "Reported")
    assert said["S100"] == ("alternativeTo", "Suggested")
    assert said["S104"] == ("aimsToImprove", "Hypothesized")
    assert said["S141"] == ("hasRisk", "Suggested")
    assert said["S147"] == ("proposedFor", "Suggested")


def _triple(text: str) -> str:
    subject, predicate, obj = text.split()
    return f"ent:{subject} msckg:{predicate} ent:{obj}"


@pytest.mark.parametrize(
    "row", [row for row in _checklist() if row["not_plain"]], ids=lambda row: row["locator"]
)
def test_what_the_sentence_does_not_say_is_no_plain_triple(
    store: GraphStore, row: dict[str, str]
) -> None:
    for triple in row["not_plain"].split("|"):
        query = f"SELECT (1 AS ?x) WHERE {{ GRAPH graph:asserted {{ {_triple(triple)} }} }}"
        assert not store.select(query), f"{row['locator']}: the graph says {triple!r}"


@pytest.mark.parametrize(
    "row", [row for row in _checklist() if row["therapy_condition"]], ids=lambda row: row["locator"]
)
def test_statements_on_a_therapy_carry_the_disorder(store: GraphStore, row: dict[str, str]) -> None:
    rows = store.select(
        """SELECT ?locator ?st ?condition WHERE {
             GRAPH graph:provenance { ?st msckg:locator ?locator ; rdf:subject ?s .
                                      OPTIONAL { ?st msckg:studiedIn ?condition } }
             GRAPH graph:asserted { ?s a ?type }
             GRAPH graph:ontology { ?type rdfs:subClassOf* msckg:Therapy }
           }""",
        {"locator": row["locator"]},
    )
    assert rows, row["locator"]
    wanted = f"https://w3id.org/msckg/id/{row['therapy_condition']}"
    assert {
        r["st"].rsplit("/", 1)[-1]: r.get("condition") for r in rows if r.get("condition") != wanted
    } == {}


CURATION_README = Path(__file__).resolve().parents[1] / "graph" / "curation" / "README.md"
HEDGING_COLUMNS = ("established", "reported", "suggested", "hypothesized")


def test_curation_readme_counts_match_the_statements() -> None:
    """The coverage table in graph/curation/README.md is the truth about statements.tsv."""
    from collections import Counter

    from msckg.graph.build import validate
    from msckg.graph.curation import CURATION_DIR

    statements = validate(CURATION_DIR).statements.values()
    by_sentence: dict[str, Counter[str]] = {}
    for statement in statements:
        by_sentence.setdefault(str(statement.locator), Counter())[statement.hedging.code] += 1
    table = {}
    for line in CURATION_README.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip().strip("*") for cell in line.strip("|").split("|")]
        if len(cells) == 6 and cells[1].isdigit():
            table[cells[0]] = tuple(int(cell) for cell in cells[1:])
    expected = {
        locator: (sum(counts.values()), *(counts[h] for h in HEDGING_COLUMNS))
        for locator, counts in by_sentence.items()
    }
    total = Counter(statement.hedging.code for statement in statements)
    expected[f"all {len(by_sentence)} sentences"] = (
        sum(total.values()),
        *(total[h] for h in HEDGING_COLUMNS),
    )
    assert table == expected
    assert set(by_sentence) == {row["locator"] for row in _checklist()}


def test_an_animal_result_on_a_kind_of_therapy_reaches_the_therapy(store: GraphStore) -> None:
    rows = store.select("""
        SELECT DISTINCT ?outcome WHERE {
          GRAPH graph:asserted { ?kind skos:broader* ent:msc_based_therapy }
          GRAPH graph:provenance { ?st rdf:subject ?kind ; rdf:predicate msckg:improves ;
                                       rdf:object ?outcome ; msckg:evidence msckg:AnimalModel }
        } ORDER BY ?outcome""")
    assert [row["outcome"].rsplit("/", 1)[-1] for row in rows] == [
        "endometrial_thickness",
        "pregnancy_rate",
        "stromal_integrity",
    ]


def test_challenges_say_what_they_require_and_concern(store: GraphStore) -> None:
    def plain(triple: str) -> bool:
        return bool(
            store.select(f"SELECT (1 AS ?x) WHERE {{ GRAPH graph:asserted {{ {triple} }} }}")
        )

    assert plain("ent:standardized_protocols msckg:requires ent:national_international_guidelines")
    assert plain("ent:clinical_translation msckg:requires ent:large_scale_clinical_trials")
    assert plain("ent:long_term_safety_monitoring msckg:concerns ent:tumorigenicity")
    assert plain("ent:source_functional_differences msckg:concerns ent:menstrual_blood_msc")
    assert not plain(
        "ent:msc_based_therapy msckg:hasOpenChallenge ent:national_international_guidelines"
    )
    assert plain("ent:bone_marrow_msc skos:exactMatch <http://purl.obolibrary.org/obo/CL_0002540>")
    assert plain("ent:hysteroscopic_adhesiolysis skos:broader ent:surgical_intervention")


def test_population_and_via_qualify_the_statement_node(store: GraphStore) -> None:
    rows = store.select("""
        SELECT ?q ?v WHERE { GRAPH graph:provenance {
          VALUES ?st { stmt:S082 stmt:S073 } ?st ?q ?v . VALUES ?q { msckg:population msckg:via } } }""")
    assert sorted((r["q"].rsplit("/", 1)[-1], r["v"].rsplit("/", 1)[-1]) for r in rows) == [
        ("population", "refractory_asherman_syndrome"),
        ("via", "paracrine_signaling"),
    ]
