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
        "reported\tref1\t\tintroduction/p2/s3\tMSCs release",
        "reported\tref9\t\tintroduction/p2/s3\tMSCs release",
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
        "preclinical_study\treported\tref1\t\tintroduction/p2/s3\tMSCs release",
        "petri_dish\treported\tref1\t\tintroduction/p2/s3\tMSCs release",
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
        "statements.tsv:5: expected 11 tab-separated columns, found 10",
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
