"""Validation of curation files: the shipped set passes; each kind of mistake is named with file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from msckg.graph.build import validate
from msckg.graph.curation import CURATION_DIR
from msckg.graph.errors import CurationError
from msckg.service.cli import main

MINI = Path(__file__).parent / "data" / "curation"


def test_shipped_curation_is_valid() -> None:
    curation = validate(CURATION_DIR)
    assert len(curation.statements) > 100
    assert len(curation.references) == 8


def _copy_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "curation"
    shutil.copytree(MINI, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


BAD_RECORDS = [
    pytest.param(
        "statements.tsv",
        "S002\tmsc\tsecretes\tvegf",
        "S002\tmsc\tsecretes\tvegfx",
        "statements.tsv:3: unknown entity 'vegfx' in column 'object'",
        id="unknown-entity",
    ),
    pytest.param(
        "statements.tsv",
        "S002\tmsc\tsecretes",
        "S002\tmsc\texcretes",
        "statements.tsv:3: unknown predicate 'excretes'; choose one of: activates,",
        id="unknown-predicate",
    ),
    pytest.param(
        "statements.tsv",
        "reported\tref1\t\t\t\tintroduction/p2/s3\tMSCs release",
        "reported\tref9\t\t\t\tintroduction/p2/s3\tMSCs release",
        "statements.tsv:3: unknown reference 'ref9' in column 'references'",
        id="missing-reference",
    ),
    pytest.param(
        "entities.tsv",
        "vessel growth.\t\t",
        "vessel growth.\tHGNC-12680\t",
        "entities.tsv:3: malformed CURIE 'HGNC-12680' in column 'exact_match'",
        id="malformed-curie",
    ),
    pytest.param(
        "entities.tsv",
        "vessel growth.\t\t",
        "vessel growth.\tMONDO:0000001\t",
        "entities.tsv:3: cross-reference 'MONDO:0000001' in column 'exact_match' is not recorded as verified",
        id="unverified-xref",
    ),
    pytest.param(
        "references.tsv",
        "10.1000/test.1",
        "doi:10.1000/test.1",
        "references.tsv:3: malformed DOI 'doi:10.1000/test.1' (expected 10.NNNN/suffix)",
        id="malformed-doi",
    ),
    pytest.param(
        "statements.tsv",
        "S003\tvegf",
        "S002\tvegf",
        "statements.tsv:4: duplicate statement id 'S002' (first at statements.tsv:3)",
        id="duplicate-id",
    ),
    pytest.param(
        "statements.tsv",
        "S001\tmsc\tisolatedFrom\tbone_marrow",
        "S001\tmsc\tisolatedFrom\tvegf",
        "statements.tsv:2: object 'vegf' is a GrowthFactor, but 'isolatedFrom' needs one of: CellSource",
        id="wrong-type-for-property",
    ),
    pytest.param(
        "statements.tsv",
        "preclinical_study\treported\tref1\t\t\t\tintroduction/p2/s3\tMSCs release",
        "petri_dish\treported\tref1\t\t\t\tintroduction/p2/s3\tMSCs release",
        "statements.tsv:3: unknown evidence 'petri_dish'; choose one of: expert_opinion,",
        id="unknown-evidence",
    ),
    pytest.param(
        "statements.tsv",
        "introduction/p2/s2",
        "intro/2/2",
        "statements.tsv:2: malformed locator 'intro/2/2'",
        id="malformed-locator",
    ),
    pytest.param(
        "entities.tsv",
        "vegf\tGrowthFactor",
        "vegf\tGrowthFactory",
        "entities.tsv:3: unknown entity type 'GrowthFactory'; choose one of:",
        id="unknown-type",
    ),
    pytest.param(
        "statements.tsv",
        "\tMSCs lower scarring.",
        "",
        "statements.tsv:5: expected 13 tab-separated columns, found 12",
        id="missing-column",
    ),
    pytest.param(
        "entities.tsv",
        "id\ttype\tlabel",
        "id\tkind\tlabel",
        "entities.tsv:1: header must be id | type | label",
        id="bad-header",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), BAD_RECORDS)
def test_bad_record_is_reported_with_file_and_line(
    tmp_path: Path, name: str, old: str, new: str, expected: str
) -> None:
    folder = _copy_with(tmp_path, name, old, new)
    with pytest.raises(CurationError) as caught:
        validate(folder, display_root=folder)
    assert any(problem.startswith(expected) for problem in caught.value.problems), (
        caught.value.problems
    )


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    folder = _copy_with(
        tmp_path, "statements.tsv", "S002\tmsc\tsecretes\tvegf", "S002\tmscx\tsecretes\tvegfx"
    )
    text = (
        (folder / "references.tsv")
        .read_text(encoding="utf-8")
        .replace("10.1000/test.1", "not-a-doi")
    )
    (folder / "references.tsv").write_text(text, encoding="utf-8")
    with pytest.raises(CurationError) as caught:
        validate(folder, display_root=folder)
    assert caught.value.problems == [
        "references.tsv:3: malformed DOI 'not-a-doi' (expected 10.NNNN/suffix)",
        "statements.tsv:3: unknown entity 'mscx' in column 'subject'",
        "statements.tsv:3: unknown entity 'vegfx' in column 'object'",
    ]


def test_invalid_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "curation"
    shutil.copytree(MINI, folder)
    path = folder / "entities.tsv"
    path.write_bytes(path.read_bytes().replace(b"Soft tissue", b"Soft \xff tissue"))
    with pytest.raises(CurationError) as caught:
        validate(folder, display_root=folder)
    assert caught.value.problems == ["entities.tsv:6: not valid UTF-8 (byte 0xff)"]


def test_missing_file_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "curation"
    shutil.copytree(MINI, folder)
    (folder / "references.tsv").unlink()
    with pytest.raises(CurationError) as caught:
        validate(folder, display_root=folder)
    assert (
        caught.value.problems[0] == "references.tsv:0: cannot read file (No such file or directory)"
    )


def test_cli_validate_lists_problems_and_exits_1(tmp_path: Path) -> None:
    folder = _copy_with(
        tmp_path, "statements.tsv", "S002\tmsc\tsecretes\tvegf", "S002\tmsc\tsecretes\tvegfx"
    )
    result = CliRunner().invoke(main, ["validate", "--curation", str(folder)])
    assert result.exit_code == 1
    assert "statements.tsv:3: unknown entity 'vegfx' in column 'object'" in result.stderr
    assert "1 problem(s) found" in result.stderr


def test_cli_validate_passes_on_shipped_data() -> None:
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ok: ")


def test_condition_must_be_a_disorder(tmp_path: Path) -> None:
    folder = _copy_with(
        tmp_path, "statements.tsv", "suggested\t\tasherman\t", "suggested\t\tvegf\t"
    )
    with pytest.raises(CurationError) as caught:
        validate(folder, display_root=folder)
    assert caught.value.problems == [
        "statements.tsv:6: condition 'vegf' is a GrowthFactor, but must be a Disorder"
    ]


# ---------------------------------------------------------------- issue 12: claims say no more than the text
def _copy_adding(tmp_path: Path, lines: dict[str, list[str]], source: Path = MINI) -> Path:
    folder = tmp_path / "curation"
    shutil.copytree(source, folder)
    for name, added in lines.items():
        with (folder / name).open("a", encoding="utf-8") as handle:
            handle.writelines(line + "\n" for line in added)
    return folder


def _problems(folder: Path) -> list[str]:
    with pytest.raises(CurationError) as caught:
        validate(folder, display_root=folder)
    return caught.value.problems


def test_a_suggested_claim_cannot_stand_with_a_settled_relation(tmp_path: Path) -> None:
    folder = _copy_with(
        tmp_path,
        "statements.tsv",
        "animal_model\treported\tref1",
        "expert_opinion\tsuggested\tref1",
    )
    assert _problems(folder) == [
        "statements.tsv:5: S004 claims 'msc reduces fibrosis' only as suggested, but 'reduces' "
        "reads as settled and no established or reported statement carries it; use a tentative "
        "relation (adjunctTo, aimsToImprove, alternativeTo, hasRisk, neededFor, potentiallyReduces, "
        "proposedFor, relevantTo, studiedToTreat)"
    ]


def test_a_suggested_claim_may_lean_on_a_firm_one_or_use_a_tentative_relation(
    tmp_path: Path,
) -> None:
    folder = _copy_adding(
        tmp_path,
        {
            "statements.tsv": [
                "S010\tmsc\treduces\tfibrosis\tpositive\texpert_opinion\tsuggested\t\t\t\t\tconclusion/p1/s2\tMSCs may curb scarring.",
                "S011\tmsc_therapy\tproposedFor\tasherman\tpositive\texpert_opinion\thypothesized\t\t\t\t\tconclusion/p1/s1\tA hope.",
            ]
        },
    )
    assert len(validate(folder, display_root=folder).statements) == 8


def test_a_claim_cannot_stand_beside_its_negation(tmp_path: Path) -> None:
    folder = _copy_with(
        tmp_path,
        "statements.tsv",
        "studiedToTreat\tasherman\tpositive\tearly_clinical_study\tsuggested",
        "treats\tasherman\tpositive\tearly_clinical_study\treported",
    )
    assert _problems(folder) == [
        "statements.tsv:6: S005 asserts 'msc_therapy treats asherman', which S006 (statements.tsv:7) "
        "denies; a claim and its negation cannot both stand: say the hoped-for or investigational "
        "claim with its own relation (proposedFor, studiedToTreat, ...)"
    ]


GROUP_ENTITY = "factors\tMoleculeGroup\tfactors MSCs release\t\tThe factors MSCs release, together.\t\t\t\t\t\t"
GROUP_STATEMENTS = [
    "S010\tfactors\thasMember\tvegf\tpositive\tpreclinical_study\testablished\tref1\t\t\t\tintroduction/p2/s3\tVEGF is one.",
    "S011\tfactors\tpromotes\tangiogenesis\tpositive\tpreclinical_study\treported\tref1\t\t\t\tintroduction/p2/s3\tTogether they drive vessel growth.",
]


def test_a_collective_claim_is_not_handed_to_each_member(tmp_path: Path) -> None:
    folder = _copy_adding(
        tmp_path, {"entities.tsv": [GROUP_ENTITY], "statements.tsv": GROUP_STATEMENTS}
    )
    assert _problems(folder) == [
        "statements.tsv:4: S003 gives 'vegf' 'promotes angiogenesis', which introduction/p2/s3 says "
        "of the group 'factors' as a whole; state it once, on 'factors'"
    ]


def test_a_collective_claim_on_the_group_alone_passes(tmp_path: Path) -> None:
    folder = _copy_adding(
        tmp_path, {"entities.tsv": [GROUP_ENTITY], "statements.tsv": GROUP_STATEMENTS}
    )
    text = (folder / "statements.tsv").read_text(encoding="utf-8")
    (folder / "statements.tsv").write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("S003")) + "\n",
        encoding="utf-8",
    )
    assert "S011" in validate(folder, display_root=folder).statements


def test_clinical_background_on_a_therapy_names_its_disorder(tmp_path: Path) -> None:
    row = "S010\tmsc_therapy\tusesCellType\tmsc\tpositive\tclinical_background\testablished\tref1\t{}\t\t\tintroduction/p4/s5\tIt uses MSCs."
    folder = _copy_adding(tmp_path, {"statements.tsv": [row.format("")]})
    assert _problems(folder) == [
        "statements.tsv:8: S010 is clinical background on the therapy 'msc_therapy' but names no "
        "condition; give the disorder it treats in column 'condition'"
    ]
    folder = _copy_adding(tmp_path / "fixed", {"statements.tsv": [row.format("asherman")]})
    assert "S010" in validate(folder, display_root=folder).statements


def test_a_reviewed_other_sense_cannot_be_a_close_match(tmp_path: Path) -> None:
    """GO's 'regulation of immune response' is normal control, not a dysregulated response."""
    folder = _shipped_with(
        tmp_path,
        "entities.tsv",
        "attacking what it should not.\t\t\t\t\t\t",
        "attacking what it should not.\t\tGO:0050776\t\t\t\t",
    )
    [problem] = _problems(folder)
    assert problem.startswith(
        "entities.tsv:14: GO:0050776 ('regulation of immune response') in column 'close_match' was "
        "reviewed as other_sense for 'dysregulated_immune_response': normal control of an immune "
        "response, the opposite of a dysregulated one; remove it (see ontology/xref_senses.tsv:"
    )


def test_a_reviewed_broader_term_must_be_a_broad_match(tmp_path: Path) -> None:
    folder = _shipped_with(
        tmp_path,
        "entities.tsv",
        "Rebuilding of a functional uterine lining after injury.\t\t\tGO:0042246",
        "Rebuilding of a functional uterine lining after injury.\t\tGO:0042246\t",
    )
    [problem] = _problems(folder)
    assert "in column 'close_match' was reviewed as broad for 'endometrial_regeneration'" in problem
    assert "move it to 'broad_match'" in problem


def _shipped_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "curation"
    shutil.copytree(
        CURATION_DIR, folder, ignore=shutil.ignore_patterns("*.py", "*.md", "__pycache__")
    )
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture text {old!r} not found once in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_one_name_names_one_entity(tmp_path: Path) -> None:
    folder = _copy_with(
        tmp_path, "entities.tsv", "VEGF\tvascular endothelial growth factor", "VEGF\tMSCs"
    )
    assert _problems(folder) == [
        "entities.tsv:3: name 'MSCs' of 'vegf' already names 'msc' (entities.tsv:2); a name may "
        "name one entity only"
    ]


def test_population_must_be_a_patient_group(tmp_path: Path) -> None:
    folder = _copy_with(
        tmp_path, "statements.tsv", "suggested\t\tasherman\t\t", "suggested\t\tasherman\tasherman\t"
    )
    assert _problems(folder) == [
        "statements.tsv:6: population 'asherman' is a Disorder, but must be a PatientGroup"
    ]


def test_printed_doi_is_kept_only_when_it_differs(tmp_path: Path) -> None:
    folder = _copy_with(
        tmp_path, "references.tsv", "10.1000/test.1\t\t", "10.1000/test.1\t10.1000/test.1\t"
    )
    assert _problems(folder) == [
        "references.tsv:3: printed_doi equals doi; leave it empty unless the printed form differs "
        "from the DOI that resolves"
    ]


def test_a_kind_is_of_the_same_class_as_its_whole(tmp_path: Path) -> None:
    folder = _copy_with(
        tmp_path,
        "entities.tsv",
        "Treatment with MSCs.\t\t\t\t\t\t",
        "Treatment with MSCs.\t\t\t\t\t\tmsc",
    )
    assert _problems(folder) == [
        "entities.tsv:8: broader 'msc' is a CellType, but 'msc_therapy' is a CellBasedTherapy; "
        "a kind is of the same class as its whole"
    ]


def test_a_kind_cannot_be_broader_than_itself(tmp_path: Path) -> None:
    folder = _copy_with(
        tmp_path,
        "entities.tsv",
        "Excess scar tissue.\t\t\t\t\t\t",
        "Excess scar tissue.\t\t\t\t\t\tfibrosis",
    )
    assert _problems(folder) == ["entities.tsv:5: 'fibrosis' is broader than itself via 'broader'"]


def test_via_names_a_known_entity(tmp_path: Path) -> None:
    folder = _copy_with(
        tmp_path,
        "statements.tsv",
        "reported\tref1\t\t\t\tintroduction/p2/s3\tMSCs lower",
        "reported\tref1\t\t\tparacrine\tintroduction/p2/s3\tMSCs lower",
    )
    assert _problems(folder) == ["statements.tsv:5: unknown entity 'paracrine' in column 'via'"]
