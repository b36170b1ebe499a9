"""`msckg release` / `make release`: refuses on a QC ERROR, else writes the release files,
byte for byte the same each time, with checksums and a changelog against the previous one."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from optional_tools import TOOLS, requires_tool
from rdflib import Dataset, Graph

from msckg.graph.curation import CURATION_DIR
from msckg.graph.release import RELEASE_FILES, ReleaseRefused, ReleaseResult, make_release
from msckg.service.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _all_files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _statement_lines() -> int:
    rows = (CURATION_DIR / "statements.tsv").read_text(encoding="utf-8").splitlines()
    return sum(1 for line in rows[1:] if line.strip() and not line.startswith("#"))


def test_a_release_writes_every_file_with_checksums(shipped_release: ReleaseResult) -> None:
    folder = shipped_release.path
    files = _all_files(folder)
    assert set(RELEASE_FILES) <= set(files)
    nanopubs = [name for name in files if name.startswith("nanopubs/")]
    assert len(nanopubs) == _statement_lines()
    sums = files["SHA256SUMS"].decode().splitlines()
    assert len(sums) == len(files) - 1
    for line in sums:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    assert shipped_release.report.count("ERROR") == 0


def test_the_dataset_files_read_back_as_rdf(shipped_release: ReleaseResult) -> None:
    folder = shipped_release.path
    trig = Dataset().parse(folder / "msckg.trig", format="trig")
    nquads = Dataset().parse(folder / "msckg.nq", format="nquads")
    assert len(trig) == len(nquads) > 0
    void = Graph().parse(folder / "void.ttl", format="turtle")
    assert len(void) > 0


def test_summary_table_and_chart_come_from_the_same_counts(shipped_release: ReleaseResult) -> None:
    folder = shipped_release.path
    rows = list(csv.DictReader(io.StringIO((folder / "summary.tsv").read_text()), delimiter="\t"))
    assert {row["dimension"] for row in rows} == {"class", "predicate", "evidence", "hedging"}
    evidence = sum(int(row["count"]) for row in rows if row["dimension"] == "evidence")
    hedging = sum(int(row["count"]) for row in rows if row["dimension"] == "hedging")
    assert evidence == hedging == _statement_lines()
    svg = (folder / "summary.svg").read_text()
    assert svg.startswith("<svg") and svg.count("<rect x=") == len(rows)


def test_the_same_release_twice_gives_the_same_bytes(
    shipped_release: ReleaseResult, tmp_path: Path
) -> None:
    first = _all_files(shipped_release.path)
    again = make_release("0.1.0", tmp_path, CURATION_DIR)
    assert _all_files(again.path) == first
    # and once more over the existing folder, as `make release` run twice does
    make_release("0.1.0", tmp_path, CURATION_DIR)
    assert _all_files(tmp_path / "0.1.0") == first


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "curation"
    shutil.copytree(
        CURATION_DIR, folder, ignore=shutil.ignore_patterns("*.py", "*.md", "__pycache__")
    )
    return folder


def _append(path: Path, line: str) -> int:
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


NO_REFERENCE = (
    "S990\tmesenchymal_stem_cell\tsecretes\tVEGF\tpositive\tanimal_model\treported\t\t\t\t\t"
    "introduction/p2/s3\tMSCs release VEGF in rats."
)


def test_an_error_in_the_report_refuses_the_release_and_names_the_row(tmp_path: Path) -> None:
    curation = _copy(tmp_path)
    line = _append(curation / "statements.tsv", NO_REFERENCE)
    out = tmp_path / "release"
    with pytest.raises(ReleaseRefused) as refused:
        make_release("0.2.0", out, curation)
    assert [(f.rule, f.subject) for f in refused.value.findings] == [
        ("statement_without_reference", "S990")
    ]
    assert refused.value.findings[0].location.endswith(f"statements.tsv:{line}")
    assert not (out / "0.2.0").exists()


@requires_tool("make")
def test_make_release_exits_1_and_names_the_row(tmp_path: Path) -> None:
    make = TOOLS["make"].find()
    assert make is not None
    curation = _copy(tmp_path)
    line = _append(curation / "statements.tsv", NO_REFERENCE)
    venv = Path(sys.executable).parent.parent
    done = subprocess.run(
        [
            make,
            "-s",
            "-C",
            str(ROOT),
            "release",
            "VERSION=0.2.0",
            f"RELEASE_DIR={tmp_path / 'release'}",
            f"CURATION={curation}",
            f"VENV={venv}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    assert done.returncode != 0
    assert f"statements.tsv:{line}: ERROR statement_without_reference: S990: " in done.stderr
    assert "msckg: the QC report has 1 error(s); no release written" in done.stderr
    assert not (tmp_path / "release" / "0.2.0").exists()


def test_cli_release_exits_1_on_error_and_0_otherwise(tmp_path: Path) -> None:
    curation = _copy(tmp_path)
    _append(curation / "statements.tsv", NO_REFERENCE)
    refused = CliRunner().invoke(
        main, ["release", "0.2.0", "--out", str(tmp_path / "r"), "--curation", str(curation)]
    )
    assert refused.exit_code == 1
    assert "ERROR statement_without_reference: S990" in refused.stderr
    bad_version = CliRunner().invoke(main, ["release", "1.0", "--out", str(tmp_path / "r")])
    assert bad_version.exit_code == 1
    assert bad_version.stderr == "msckg: version '1.0' is not x.y.z (e.g. 1.0.0)\n"


def test_the_changelog_lists_added_removed_and_changed_statements_by_id(
    shipped_release: ReleaseResult, tmp_path: Path
) -> None:
    out = tmp_path / "releases"
    shutil.copytree(shipped_release.path, out / "0.1.0")
    curation = _copy(tmp_path)
    statements = curation / "statements.tsv"
    lines = statements.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    removed = rows[0].split("\t")[0]
    changed = rows[1].split("\t")
    # a firmer or softer wording that keeps the row valid (a settled relation needs a firm one)
    changed[6] = "reported" if changed[6] != "reported" else "established"
    added = "S991\tmesenchymal_stem_cell\tsecretes\tVEGF\tpositive\tanimal_model\treported\thou2025\t\t\t\tintroduction/p2/s3\tMSCs release VEGF in rats."
    statements.write_text(
        "\n".join([header, "\t".join(changed), *rows[2:], added]) + "\n", encoding="utf-8"
    )
    result = make_release("0.2.0", out, curation)
    log = (result.path / "CHANGELOG.md").read_text()
    assert "Against 0.1.0: 1 added, 1 removed, 1 changed." in log
    assert "- S991: mesenchymal_stem_cell secretes VEGF" in log
    assert f"- {removed}: " in log
    old_hedging = rows[1].split("\t")[6]
    assert f"- {changed[0]}: hedging {old_hedging} -> {changed[6]}" in log
