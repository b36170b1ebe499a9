"""Each named query answers its competency question with exactly the expected rows."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from msckg.graph.build import BuildReport
from msckg.graph.store import GraphStore
from msckg.ontology import CONVERTER
from msckg.queries import UnknownQuery, list_queries, load_query
from msckg.service.cli import main

EXPECTED = {
    "animal_model_only": (
        ("subjectLabel", "predicateLabel", "objectLabel", "reference"),
        [
            ("MSC transplantation", "improves", "endometrial thickness", "10.61186/sjrm.7.3.165"),
            ("MSC transplantation", "improves", "pregnancy rate", "10.61186/sjrm.7.3.165"),
            ("MSC transplantation", "improves", "stromal integrity", "10.61186/sjrm.7.3.165"),
            ("MSC transplantation", "reduces", "IL-6", "10.1186/s13287-025-04623-9"),
            ("MSC transplantation", "reduces", "TNF-α", "10.1186/s13287-025-04623-9"),
            ("MSC transplantation", "reduces", "collagen deposition", "10.61186/sjrm.7.3.165"),
            ("MSC transplantation", "reduces", "lesion progression", "10.1186/s13287-025-04623-9"),
            ("MSC transplantation", "reduces", "pelvic pain", "10.1186/s13287-025-04623-9"),
            (
                "MSC transplantation",
                "studied to treat",
                "Asherman's syndrome",
                "10.61186/sjrm.7.3.165",
            ),
            (
                "MSC transplantation",
                "studied to treat",
                "endometriosis",
                "10.1186/s13287-025-04623-9",
            ),
            (
                "MSC transplantation",
                "uses cell type",
                "mesenchymal stem cell",
                "10.61186/sjrm.7.3.165",
            ),
            (
                "mesenchymal stem cell",
                "improves",
                "pelvic microenvironment",
                "10.1186/s13287-025-04623-9",
            ),
            ("mesenchymal stem cell", "modulates", "macrophage", "10.1186/s13287-025-04623-9"),
            (
                "mesenchymal stem cell",
                "reduces",
                "chronic inflammation",
                "10.1186/s13287-025-04623-9",
            ),
            (
                "mesenchymal stem cell",
                "shifts polarization toward",
                "reparative macrophage phenotype",
                "10.1186/s13287-025-04623-9",
            ),
        ],
    ),
    "cell_source_questions": (
        ("challengeLabel", "definition", "locator"),
        [
            (
                "administration timing relative to the menstrual cycle",
                "At which phase of the menstrual cycle cells should be given for best effect.",
                "introduction/p5/s2",
            ),
            (
                "dose standardization",
                "Agreeing how many cells to give, and how often.",
                "introduction/p5/s2",
            ),
            (
                "functional differences among MSC sources",
                "How MSCs from different tissues differ in what they do, and what that means for therapy.",
                "introduction/p5/s2",
            ),
            (
                "optimal cell source",
                "Which tissue should supply the cells for the best effect.",
                "introduction/p5/s2",
            ),
        ],
    ),
    "cell_sources": (
        ("source", "sourceLabel", "matches", "cellType", "cellTypeMatches"),
        [
            (
                "ent:adipose_tissue",
                "adipose tissue",
                "UBERON:0001013",
                "adipose-derived MSC",
                "CL:0002570",
            ),
            (
                "ent:bone_marrow",
                "bone marrow",
                "UBERON:0002371",
                "bone marrow-derived MSC",
                "CL:0002540",
            ),
            ("ent:menstrual_blood", "menstrual blood", "", "menstrual blood-derived MSC", ""),
            (
                "ent:umbilical_cord_tissue",
                "umbilical cord tissue",
                "UBERON:0002331",
                "umbilical cord-derived MSC",
                "CL:0002569",
            ),
            (
                "ent:whartons_jelly",
                "Wharton's jelly",
                "UBERON:0003422",
                "Wharton's jelly-derived MSC",
                "CL:0002568",
            ),
        ],
    ),
    "clinical_outcomes": (
        ("therapyLabel", "effect", "outcomeLabel", "hedging", "locator"),
        [
            (
                "MSC-based therapy",
                "improves",
                "assisted pregnancy",
                "reported",
                "introduction/p3/s2",
            ),
            (
                "MSC-based therapy",
                "improves",
                "endometrial thickness",
                "reported",
                "introduction/p3/s2",
            ),
            (
                "MSC-based therapy",
                "improves",
                "menstrual pattern",
                "reported",
                "introduction/p3/s2",
            ),
            (
                "MSC-based therapy",
                "improves",
                "natural pregnancy",
                "reported",
                "introduction/p3/s2",
            ),
            (
                "MSC-loaded biocompatible scaffold",
                "promotes",
                "endometrial regeneration",
                "reported",
                "introduction/p3/s1",
            ),
            (
                "intrauterine MSC infusion",
                "promotes",
                "endometrial regeneration",
                "reported",
                "introduction/p3/s1",
            ),
        ],
    ),
    "delivery_methods": (
        ("therapyLabel", "relation", "meansLabel", "evidence"),
        [
            (
                "MSC-loaded biocompatible scaffold",
                "delivered by",
                "scaffold-based delivery",
                "early clinical study",
            ),
            (
                "MSC-loaded biocompatible scaffold",
                "uses biomaterial",
                "biocompatible scaffold",
                "early clinical study",
            ),
            (
                "intrauterine MSC infusion",
                "delivered by",
                "intrauterine infusion",
                "early clinical study",
            ),
            (
                "scaffold-based delivery",
                "uses biomaterial",
                "biocompatible scaffold",
                "early clinical study",
            ),
            (
                "tissue engineering",
                "uses biomaterial",
                "bioengineered scaffold",
                "preclinical study",
            ),
            ("tissue engineering", "uses biomaterial", "smart hydrogel", "preclinical study"),
        ],
    ),
    "disorder_profile": (
        ("relation", "thingLabel", "thing"),
        [
            ("clinical feature", "amenorrhea", "ent:amenorrhea"),
            ("clinical feature", "endometrial thinning", "ent:endometrial_thinning"),
            ("clinical feature", "infertility", "ent:infertility"),
            ("clinical feature", "oligomenorrhea", "ent:oligomenorrhea"),
            ("disease process", "endometrial injury", "ent:endometrial_injury"),
            (
                "disease process",
                "formation of intrauterine adhesions",
                "ent:intrauterine_adhesion_formation",
            ),
        ],
    ),
    "evidence_profile": (
        ("evidence", "rank", "hedging", "statements"),
        [
            ("early clinical study", "3", "reported", "15"),
            ("animal model", "2", "reported", "15"),
            ("clinical background", "2", "established", "63"),
            ("preclinical study", "2", "established", "7"),
            ("preclinical study", "2", "reported", "14"),
            ("preclinical study", "2", "hypothesized", "3"),
            ("expert opinion", "1", "established", "37"),
            ("expert opinion", "1", "reported", "3"),
            ("expert opinion", "1", "suggested", "11"),
            ("expert opinion", "1", "hypothesized", "3"),
        ],
    ),
    "find_entity": (("entity", "label", "type"), [("ent:VEGF", "VEGF", "msckg:GrowthFactor")]),
    "hedged_claims": (
        ("statement", "subjectLabel", "predicateLabel", "objectLabel", "hedging", "locator"),
        [
            (
                "stmt:S082",
                "MSC-based therapy",
                "proposed for",
                "Asherman's syndrome",
                "suggested",
                "introduction/p2/s6",
            ),
            (
                "stmt:S100",
                "MSC-based therapy",
                "alternative to",
                "conventional treatment",
                "suggested",
                "introduction/p3/s3",
            ),
            (
                "stmt:S104",
                "tissue engineering",
                "aims to improve",
                "cell survival",
                "hypothesized",
                "introduction/p3/s4",
            ),
            (
                "stmt:S105",
                "tissue engineering",
                "aims to improve",
                "cell integration",
                "hypothesized",
                "introduction/p3/s4",
            ),
            (
                "stmt:S106",
                "tissue engineering",
                "aims to improve",
                "functional tissue regeneration",
                "hypothesized",
                "introduction/p3/s4",
            ),
            (
                "stmt:S110",
                "MSC-based therapy",
                "proposed for",
                "endometriosis",
                "suggested",
                "introduction/p4/s1",
            ),
            (
                "stmt:S126",
                "MSC-based therapy",
                "adjunct to",
                "hormonal therapy",
                "hypothesized",
                "introduction/p4/s5",
            ),
            (
                "stmt:S127",
                "MSC-based therapy",
                "adjunct to",
                "surgical intervention",
                "hypothesized",
                "introduction/p4/s5",
            ),
            (
                "stmt:S128",
                "MSC-based therapy",
                "potentially reduces",
                "recurrence rate",
                "hypothesized",
                "introduction/p4/s5",
            ),
            (
                "stmt:S135",
                "MSC-based therapy",
                "has risk",
                "unwanted differentiation",
                "suggested",
                "introduction/p5/s2",
            ),
            (
                "stmt:S136",
                "MSC-based therapy",
                "has risk",
                "ectopic tissue formation",
                "suggested",
                "introduction/p5/s2",
            ),
            (
                "stmt:S137",
                "MSC-based therapy",
                "has risk",
                "aberrant angiogenesis",
                "suggested",
                "introduction/p5/s2",
            ),
            (
                "stmt:S141",
                "MSC-based therapy",
                "has risk",
                "tumorigenicity",
                "suggested",
                "introduction/p5/s4",
            ),
            (
                "stmt:S142",
                "MSC-based therapy",
                "has risk",
                "infection",
                "suggested",
                "introduction/p5/s4",
            ),
            (
                "stmt:S143",
                "MSC-based therapy",
                "has risk",
                "epigenetic alteration risk",
                "suggested",
                "introduction/p5/s4",
            ),
            (
                "stmt:S146",
                "MSC-based therapy",
                "proposed for",
                "Asherman's syndrome",
                "suggested",
                "conclusion/p1/s1",
            ),
            (
                "stmt:S147",
                "MSC-based therapy",
                "proposed for",
                "endometriosis",
                "suggested",
                "conclusion/p1/s1",
            ),
        ],
    ),
    "msc_capacities": (
        ("capacityLabel", "evidenceContexts"),
        [
            ("anti-inflammatory property", "clinical background"),
            ("antifibrotic effect", "clinical background"),
            ("differentiation", "clinical background"),
            ("homing", "preclinical study"),
            ("immunomodulation", "clinical background, expert opinion"),
            ("immunoregulatory property", "clinical background"),
            ("induction of neovascularization", "clinical background"),
            ("paracrine signaling", "clinical background"),
        ],
    ),
    "msc_mechanisms": (
        ("actorLabel", "effect", "targetLabel", "evidence", "hedging", "via"),
        [
            ("MSC transplantation", "reduces", "IL-6", "animal model", "reported", ""),
            ("MSC transplantation", "reduces", "TNF-α", "animal model", "reported", ""),
            (
                "MSC transplantation",
                "reduces",
                "collagen deposition",
                "animal model",
                "reported",
                "",
            ),
            (
                "MSC transplantation",
                "reduces",
                "lesion progression",
                "animal model",
                "reported",
                "",
            ),
            ("MSC-based therapy", "promotes", "tissue repair", "expert opinion", "reported", ""),
            ("MSC-based therapy", "reduces", "fibrosis", "expert opinion", "reported", ""),
            (
                "MSC-loaded biocompatible scaffold",
                "promotes",
                "endometrial regeneration",
                "early clinical study",
                "reported",
                "",
            ),
            (
                "intrauterine MSC infusion",
                "promotes",
                "endometrial regeneration",
                "early clinical study",
                "reported",
                "",
            ),
            (
                "mesenchymal stem cell",
                "activates",
                "cascade of molecular pathways",
                "clinical background",
                "established",
                "",
            ),
            (
                "mesenchymal stem cell",
                "activates",
                "resident endometrial stem cell",
                "preclinical study",
                "reported",
                "paracrine signaling",
            ),
            ("mesenchymal stem cell", "modulates", "macrophage", "animal model", "reported", ""),
            (
                "mesenchymal stem cell",
                "promotes",
                "cellular proliferation",
                "preclinical study",
                "reported",
                "paracrine signaling",
            ),
            (
                "mesenchymal stem cell",
                "promotes",
                "epithelial regeneration",
                "preclinical study",
                "reported",
                "paracrine signaling",
            ),
            (
                "mesenchymal stem cell",
                "reduces",
                "chronic inflammation",
                "animal model",
                "reported",
                "reparative macrophage phenotype",
            ),
            (
                "mesenchymal stem cell",
                "shifts polarization toward",
                "reparative macrophage phenotype",
                "animal model",
                "reported",
                "",
            ),
        ],
    ),
    "negative_findings": (
        ("statement", "subjectLabel", "predicateLabel", "objectLabel", "comment", "locator"),
        [
            (
                "stmt:S124",
                "MSC-based therapy",
                "treats",
                "endometriosis",
                "MSC findings in endometriosis have not yet reached broad use in patient care.",
                "introduction/p4/s5",
            )
        ],
    ),
    "open_challenges": (
        ("challengeLabel", "requiredFor", "disciplines", "firstLocator"),
        [
            ("administration timing relative to the menstrual cycle", "", "", "introduction/p5/s2"),
            ("dose standardization", "", "", "introduction/p5/s2"),
            ("ethical and economic dimensions", "", "", "introduction/p6/s1"),
            ("evaluation of potential risks", "", "", "introduction/p5/s2"),
            ("fair accessibility", "", "", "introduction/p6/s1"),
            ("functional differences among MSC sources", "", "", "introduction/p5/s2"),
            ("integration into routine clinical care", "", "", "conclusion/p1/s3"),
            (
                "interdisciplinary collaboration",
                "integration into routine clinical care",
                "tissue engineers, stem cell researchers, health-policy experts, gynecologists",
                "conclusion/p1/s3",
            ),
            (
                "large-scale clinical trials",
                "integration into routine clinical care",
                "",
                "conclusion/p1/s3",
            ),
            ("limited number of clinical trials", "", "", "introduction/p3/s3"),
            ("long-term safety monitoring", "", "", "introduction/p5/s4"),
            (
                "longitudinal safety studies",
                "integration into routine clinical care",
                "",
                "conclusion/p1/s3",
            ),
            (
                "national and international guidelines",
                "standardized isolation, expansion and storage protocols",
                "",
                "introduction/p5/s3",
            ),
            ("optimal cell source", "", "", "introduction/p5/s2"),
            ("regulatory oversight", "", "", "conclusion/p1/s4"),
            ("robust evidence", "", "", "conclusion/p1/s4"),
            (
                "standardized isolation, expansion and storage protocols",
                "",
                "",
                "introduction/p5/s3",
            ),
        ],
    ),
    "pregnancy_mechanisms": (
        ("cellLabel", "therapyLabel", "outcomeLabel", "outcomeEvidence", "mechanismLabel"),
        [
            (
                "mesenchymal stem cell",
                "MSC transplantation",
                "pregnancy rate",
                "animal model",
                "cellular proliferation",
            ),
            (
                "mesenchymal stem cell",
                "MSC transplantation",
                "pregnancy rate",
                "animal model",
                "epithelial regeneration",
            ),
            (
                "mesenchymal stem cell",
                "MSC transplantation",
                "pregnancy rate",
                "animal model",
                "tissue repair",
            ),
            (
                "mesenchymal stem cell",
                "MSC-based therapy",
                "assisted pregnancy",
                "early clinical study",
                "cellular proliferation",
            ),
            (
                "mesenchymal stem cell",
                "MSC-based therapy",
                "assisted pregnancy",
                "early clinical study",
                "epithelial regeneration",
            ),
            (
                "mesenchymal stem cell",
                "MSC-based therapy",
                "assisted pregnancy",
                "early clinical study",
                "tissue repair",
            ),
            (
                "mesenchymal stem cell",
                "MSC-based therapy",
                "natural pregnancy",
                "early clinical study",
                "cellular proliferation",
            ),
            (
                "mesenchymal stem cell",
                "MSC-based therapy",
                "natural pregnancy",
                "early clinical study",
                "epithelial regeneration",
            ),
            (
                "mesenchymal stem cell",
                "MSC-based therapy",
                "natural pregnancy",
                "early clinical study",
                "tissue repair",
            ),
        ],
    ),
    "reduced_cytokines": (
        ("cytokineLabel", "cytokine", "therapyLabel", "evidence", "reference"),
        [
            (
                "IL-6",
                "ent:IL_6",
                "MSC transplantation",
                "animal model",
                "10.1186/s13287-025-04623-9",
            ),
            (
                "TNF-α",
                "ent:TNF_alpha",
                "MSC transplantation",
                "animal model",
                "10.1186/s13287-025-04623-9",
            ),
        ],
    ),
    "proposed_treatments": (
        (
            "standing",
            "therapyLabel",
            "kindOf",
            "evidence",
            "rank",
            "hedging",
            "population",
            "locator",
            "references",
            "statement",
        ),
        [
            (
                "established treatment",
                "hormonal therapy",
                "",
                "clinical background",
                "2",
                "established",
                "",
                "introduction/p1/s6",
                "10.3390/ijms26062458",
                "stmt:S032",
            ),
            (
                "established treatment",
                "surgical intervention",
                "",
                "clinical background",
                "2",
                "established",
                "",
                "introduction/p1/s6",
                "10.3390/ijms26062458",
                "stmt:S033",
            ),
            (
                "not yet in clinical use",
                "MSC-based therapy",
                "",
                "clinical background",
                "2",
                "established",
                "",
                "introduction/p4/s5",
                "10.1186/s13287-025-04623-9",
                "stmt:S124",
            ),
            (
                "under study",
                "MSC transplantation",
                "MSC-based therapy",
                "animal model",
                "2",
                "reported",
                "",
                "introduction/p4/s2",
                "10.1186/s13287-025-04623-9",
                "stmt:S111",
            ),
            (
                "proposed",
                "MSC-based therapy",
                "",
                "expert opinion",
                "1",
                "suggested",
                "",
                "conclusion/p1/s1",
                "",
                "stmt:S147",
            ),
            (
                "proposed",
                "MSC-based therapy",
                "",
                "expert opinion",
                "1",
                "suggested",
                "",
                "introduction/p4/s1",
                "10.1186/s13287-025-04623-9",
                "stmt:S110",
            ),
            (
                "needed",
                "novel regenerative approach",
                "",
                "expert opinion",
                "1",
                "established",
                "",
                "introduction/p1/s7",
                "10.3390/ijms26062458",
                "stmt:S042",
            ),
        ],
    ),
    "references": (
        ("number", "label", "doi", "title", "statements"),
        [
            (
                "1",
                "Obeagu et al. 2025",
                "10.1097/MD.0000000000045562",
                "Hematological factors in women with Asherman syndrome and primary infertility: An overview",
                "6",
            ),
            (
                "2",
                "Awano-Kim et al. 2025",
                "10.1016/j.reth.2025.03.019",
                "Novel therapeutic strategies for Asherman's syndrome: Endometrial regeneration using menstrual blood-derived stem cells",
                "6",
            ),
            (
                "3",
                "Mahmoodinia et al. 2019",
                "10.29252/sjrm.4.2.87",
                "Role of Stem Cells in the Future of Asherman Syndrome Treatment",
                "15",
            ),
            (
                "4",
                "Mariadas et al. 2025",
                "10.3390/ijms26062458",
                "The Molecular and Cellular Mechanisms of Endometriosis: From Basic Pathophysiology to Clinical Implications",
                "20",
            ),
            (
                "5",
                "Nateghi et al. 2022",
                "10.61186/sjrm.7.3.165",
                "Investigating the expression of mesenchymal stem cell markers in human bone marrow stem cells",
                "41",
            ),
            (
                "6",
                "Zhou et al. 2023",
                "10.1016/j.mtbio.2023.100855",
                "Stem cells implanted with nanofibrous mats for injured endometrial regeneration and immune-microenvironment remodeling",
                "24",
            ),
            (
                "7",
                "Hou et al. 2025",
                "10.1186/s13287-025-04623-9",
                "Mesenchymal stem cells: opening a new chapter in the treatment of gynecological diseases",
                "21",
            ),
        ],
    ),
    "safety_risks": (
        ("riskLabel", "risk", "hedging", "locator"),
        [
            (
                "aberrant angiogenesis",
                "ent:aberrant_angiogenesis",
                "suggested",
                "introduction/p5/s2",
            ),
            (
                "ectopic tissue formation",
                "ent:ectopic_tissue_formation",
                "suggested",
                "introduction/p5/s2",
            ),
            (
                "unwanted differentiation",
                "ent:unwanted_differentiation",
                "suggested",
                "introduction/p5/s2",
            ),
            (
                "epigenetic alteration risk",
                "ent:epigenetic_alteration_risk",
                "suggested",
                "introduction/p5/s4",
            ),
            ("infection", "ent:infection", "suggested", "introduction/p5/s4"),
            ("tumorigenicity", "ent:tumorigenicity", "suggested", "introduction/p5/s4"),
        ],
    ),
    "standard_treatment_limits": (
        ("therapyLabel", "limitationLabel", "reference"),
        [
            ("hormonal therapy", "high recurrence rate", "10.3390/ijms26062458"),
            (
                "hormonal therapy",
                "limited capacity to restore the pelvic milieu",
                "10.3390/ijms26062458",
            ),
            ("hormonal therapy", "suppressive rather than restorative", "10.3390/ijms26062458"),
            ("hormonal therapy", "treatment-related adverse effects", "10.3390/ijms26062458"),
            (
                "hysteroscopic adhesiolysis",
                "insufficient endometrial regeneration in severe adhesions",
                "10.29252/sjrm.4.2.87",
            ),
            ("surgical intervention", "high recurrence rate", "10.3390/ijms26062458"),
            (
                "surgical intervention",
                "limited capacity to restore the pelvic milieu",
                "10.3390/ijms26062458",
            ),
            (
                "surgical intervention",
                "suppressive rather than restorative",
                "10.3390/ijms26062458",
            ),
            ("surgical intervention", "treatment-related adverse effects", "10.3390/ijms26062458"),
        ],
    ),
    "supporting_references": (
        (
            "statement",
            "subjectLabel",
            "predicateLabel",
            "objectLabel",
            "locator",
            "reference",
            "doi",
        ),
        [
            (
                "stmt:S056",
                "mesenchymal stem cell",
                "secretes",
                "VEGF",
                "introduction/p2/s3",
                "Nateghi et al. 2022",
                "10.61186/sjrm.7.3.165",
            ),
            (
                "stmt:S163",
                "trophic factors secreted by MSCs",
                "has member",
                "VEGF",
                "introduction/p2/s3",
                "Nateghi et al. 2022",
                "10.61186/sjrm.7.3.165",
            ),
        ],
    ),
    "trophic_factors": (
        ("groupLabel", "effect", "target", "evidence", "hedging"),
        [
            (
                "trophic factors secreted by MSCs",
                "modulates",
                "ent:macrophage_activity",
                "preclinical study",
                "reported",
            ),
            (
                "trophic factors secreted by MSCs",
                "promotes",
                "ent:angiogenesis",
                "preclinical study",
                "reported",
            ),
            (
                "trophic factors secreted by MSCs",
                "reduces",
                "ent:chronic_inflammation",
                "preclinical study",
                "reported",
            ),
            (
                "trophic factors secreted by MSCs",
                "reduces",
                "ent:fibrosis",
                "preclinical study",
                "reported",
            ),
        ],
    ),
}


def _rows(
    store: GraphStore, name: str, columns: tuple[str, ...], given: dict[str, str] | None = None
) -> list[tuple[str, ...]]:
    query = load_query(name)
    rows = store.select(query.text, query.bindings(given or {}))
    shown = []
    for row in rows:
        values = []
        for column in columns:
            value = row.get(column, "")
            values.append(
                (CONVERTER.compress(value) or value) if value.startswith("http") else value
            )
        shown.append(tuple(values))
    return shown


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_named_query_gives_expected_rows(store: GraphStore, name: str) -> None:
    columns, expected = EXPECTED[name]
    assert _rows(store, name, columns) == expected


def test_there_are_at_least_fifteen_competency_queries() -> None:
    assert len(EXPECTED) >= 15
    assert set(EXPECTED) <= {query.name for query in list_queries()}


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_query_documents_its_question(query) -> None:  # type: ignore[no-untyped-def]
    assert query.title and query.title != query.name
    assert query.question.endswith("?")
    for param in query.params:
        assert param.default, f"{query.name}: parameter {param.name} needs a default"
        assert f"?{param.name}" in query.text


def test_parameter_changes_the_answer(store: GraphStore) -> None:
    assert (
        _rows(store, "reduced_cytokines", ("cytokineLabel",), {"disorder": "ent:asherman_syndrome"})
        == []
    )
    assert _rows(store, "disorder_profile", ("thingLabel",), {"disorder": "ent:endometriosis"}) == [
        ("dysmenorrhea",),
        ("pelvic pain",),
        ("chronic inflammation",),
        ("dysregulated immune response",),
        ("ectopic growth of endometrial-like tissue",),
        ("epigenetic alteration",),
        ("fibrosis",),
        ("pelvic adhesions",),
    ]


def test_trophic_factors_are_the_groups_members(store: GraphStore) -> None:
    factors = {row[0] for row in _rows(store, "trophic_factors", ("factors",))}
    assert [sorted(f.split(", ")) for f in factors] == [["HGF", "IGF-1", "TGF-β3", "VEGF"]]


def test_proposed_treatments_keep_settled_and_investigational_apart(store: GraphStore) -> None:
    """For Asherman's syndrome: one established treatment, studies in patients before animals."""
    rows = _rows(
        store,
        "proposed_treatments",
        ("standing", "therapyLabel", "evidence", "population", "statement"),
        {"disorder": "ent:asherman_syndrome"},
    )
    assert rows == [
        (
            "established treatment",
            "hysteroscopic adhesiolysis",
            "clinical background",
            "",
            "stmt:S020",
        ),
        ("under study", "MSC-based therapy", "early clinical study", "", "stmt:S094"),
        (
            "under study",
            "MSC-loaded biocompatible scaffold",
            "early clinical study",
            "patients with severe Asherman's syndrome",
            "stmt:S088",
        ),
        (
            "under study",
            "intrauterine MSC infusion",
            "early clinical study",
            "patients with severe Asherman's syndrome",
            "stmt:S084",
        ),
        ("under study", "MSC transplantation", "animal model", "", "stmt:S076"),
        ("proposed", "MSC-based therapy", "expert opinion", "", "stmt:S146"),
        (
            "proposed",
            "MSC-based therapy",
            "expert opinion",
            "refractory Asherman's syndrome",
            "stmt:S082",
        ),
    ]


def test_find_entity_matches_synonyms_case_insensitively(store: GraphStore) -> None:
    for name in ("tnf-alpha", "TNF-α", "tumor necrosis factor alpha"):
        assert _rows(store, "find_entity", ("entity",), {"name": name}) == [("ent:TNF_alpha",)], (
            name
        )


def test_unknown_parameter_is_refused() -> None:
    with pytest.raises(ValueError, match="has no parameter 'disease'; its parameters: disorder"):
        load_query("reduced_cytokines").bindings({"disease": "x"})


def test_unknown_query_lists_choices() -> None:
    with pytest.raises(
        UnknownQuery, match="unknown query 'nope'; choose one of: animal_model_only"
    ):
        load_query("nope")


def test_cli_named_query_with_param_prints_sparql_json(built: BuildReport) -> None:
    result = CliRunner().invoke(
        main,
        [
            "query",
            "--data-dir",
            str(built.out_dir),
            "--name",
            "reduced_cytokines",
            "--param",
            "disorder=ent:endometriosis",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert "cytokineLabel" in document["head"]["vars"]
    labels = sorted(b["cytokineLabel"]["value"] for b in document["results"]["bindings"])
    assert labels == ["IL-6", "TNF-α"]
