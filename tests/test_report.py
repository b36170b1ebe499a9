"""`msckg report`: QC findings over curation and the built graph, the profile, TSV and HTML."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from msckg.graph.build import STORE_DIRNAME, BuildReport
from msckg.graph.curation import CURATION_DIR
from msckg.graph.report import (
    DEFAULT_PROFILE,
    RULES,
    Finding,
    ProfileError,
    Report,
    load_profile,
    run_report,
)
from msckg.graph.store import GraphStore, open_store
from msckg.ontology import XREFS_VERIFIED_PATH
from msckg.service.cli import main

MINI = Path(__file__).parent / "data" / "curation"


def _copy(tmp_path: Path) -> Path:
    """The mini curation, with its two clinical statements citing ref1: no ERROR left."""
    folder = tmp_path / "curation"
    shutil.copytree(MINI, folder)
    statements = folder / "statements.tsv"
    text = statements.read_text(encoding="utf-8")
    text = text.replace("\tsuggested\t\tasherman\t", "\tsuggested\tref1\tasherman\t")
    text = text.replace(
        "\tclinical_trial\testablished\t\t", "\tclinical_trial\testablished\tref1\t"
    )
    statements.write_text(text, encoding="utf-8")
    assert run_report(folder).count("ERROR") == 0
    return folder


def _append(folder: Path, name: str, line: str) -> int:
    """Append ``line`` to a curation file and return its line number."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def _rows(tsv: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(tsv.decode()), delimiter="\t"))


def test_the_shipped_curation_and_graph_have_no_error(store: GraphStore) -> None:
    report = run_report(CURATION_DIR, store)
    assert report.count("ERROR") == 0, report.tsv().decode()
    rules = {finding.rule for finding in report.findings}
    assert "graph_unavailable" not in rules
    assert "graph_missing_belief" not in rules


def test_a_study_finding_without_reference_is_an_error_naming_the_row(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    line = _append(
        folder,
        "statements.tsv",
        "S901\tmsc\tsecretes\tvegf\tpositive\tanimal_model\treported\t\t\t\t\t"
        "introduction/p3/s2\tMSCs release VEGF in rats.",
    )
    report = run_report(folder, display_root=tmp_path)
    errors = [f for f in report.findings if f.level == "ERROR"]
    assert [(f.rule, f.subject, f.location) for f in errors] == [
        ("statement_without_reference", "S901", f"curation/statements.tsv:{line}")
    ]
    assert errors[0].message == "a statement with evidence 'animal_model' cites no reference"


def test_each_rule_finds_what_it_names(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    orphan = _append(
        folder, "entities.tsv", "lonely\tCytokine\tIL-99\tVEGF\t\tHP:0000141\tHP:9999999\t\t\t\t"
    )
    only_editorial = _append(
        folder,
        "statements.tsv",
        "S902\tmsc\tsecretes\tvegf\tpositive\tpreclinical_study\treported\tsource2025\t\t\t\t"
        "introduction/p3/s3\tMSCs release VEGF.",
    )
    opinion = _append(
        folder,
        "statements.tsv",
        "S903\tvegf\tpromotes\tangiogenesis\tpositive\texpert_opinion\testablished\t\t\t\t\t"
        "conclusion/p1/s1\tThe author holds that VEGF drives vessel growth.",
    )
    verified = tmp_path / "xrefs_verified.tsv"
    text = XREFS_VERIFIED_PATH.read_text(encoding="utf-8").replace(
        "HP:0000141\tAmenorrhea", "HP:0000141\tobsolete Amenorrhea"
    )
    verified.write_text(text, encoding="utf-8")
    report = run_report(folder, display_root=tmp_path, xrefs_verified=verified)
    found = {(f.level, f.rule, f.subject, f.location) for f in report.findings}
    entities, statements = "curation/entities.tsv", "curation/statements.tsv"
    expected = {
        ("WARN", "orphan_entity", "lonely", f"{entities}:{orphan}"),
        ("WARN", "duplicate_name", "lonely", f"{entities}:{orphan}"),
        ("WARN", "duplicate_name", "vegf", f"{entities}:3"),
        ("ERROR", "missing_definition", "lonely", f"{entities}:{orphan}"),
        ("ERROR", "xref_obsolete", "lonely", f"{entities}:{orphan}"),
        ("ERROR", "xref_unrecorded", "lonely", f"{entities}:{orphan}"),
        ("ERROR", "evidence_contradicts_reference", "S902", f"{statements}:{only_editorial}"),
        ("WARN", "hedging_contradicts_reference", "S903", f"{statements}:{opinion}"),
        ("INFO", "opinion_without_reference", "S903", f"{statements}:{opinion}"),
        ("INFO", "graph_unavailable", "", ""),
    }
    assert expected <= found, sorted(found - expected)
    # the validator's own findings (here: HP:9999999's syntax is fine, IL-99 is a Cytokine)
    assert all(f.rule != "validator" or f.level == "ERROR" for f in report.findings)
    levels = [f.level for f in report.findings]
    assert levels == sorted(levels, key=("ERROR", "WARN", "INFO").index)


def test_validator_problems_are_errors_with_their_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    line = _append(
        folder,
        "statements.tsv",
        "S904\tmsc\tsecretes\tnobody\tpositive\tanimal_model\treported\tref1\t\t\t\t"
        "introduction/p3/s4\tMSCs release something.",
    )
    report = run_report(folder, display_root=tmp_path)
    assert [
        (f.subject, f.location, f.message) for f in report.findings if f.rule == "validator"
    ] == [("S904", f"curation/statements.tsv:{line}", "unknown entity 'nobody' in column 'object'")]


def test_graph_rules_see_a_stale_build(tmp_path: Path, mini_built: BuildReport) -> None:
    folder = _copy(tmp_path)
    line = _append(
        folder,
        "statements.tsv",
        "S905\tvegf\tpromotes\tangiogenesis\tpositive\tanimal_model\treported\tref1\t\t\t\t"
        "introduction/p3/s5\tVEGF drives vessel growth in mice.",
    )
    store = open_store(mini_built.out_dir / STORE_DIRNAME, read_only=True)
    report = run_report(folder, store, display_root=tmp_path)
    assert [
        (f.level, f.subject, f.location) for f in report.findings if f.rule == "graph_stale"
    ] == [("WARN", "S905", f"curation/statements.tsv:{line}")]


def test_the_profile_sets_levels_and_drops_rules(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _append(
        folder,
        "statements.tsv",
        "S901\tmsc\tsecretes\tvegf\tpositive\tanimal_model\treported\t\t\t\t\t"
        "introduction/p3/s2\tMSCs release VEGF in rats.",
    )
    profile = tmp_path / "profile.tsv"
    text = DEFAULT_PROFILE.read_text(encoding="utf-8")
    text = text.replace("ERROR\tstatement_without_reference", "WARN\tstatement_without_reference")
    text = text.replace("INFO\tgraph_unavailable\n", "")
    profile.write_text(text, encoding="utf-8")
    report = run_report(folder, profile=load_profile(profile))
    assert report.count("ERROR") == 0
    assert {f.rule for f in report.findings} == {"statement_without_reference"}
    assert set(load_profile()) == set(RULES)


def test_a_bad_profile_is_refused_with_file_and_line(tmp_path: Path) -> None:
    profile = tmp_path / "profile.tsv"
    profile.write_text("level\trule\nERROR\tvalidator\nSEVERE\torphan_entity\nWARN\tnope\n")
    with pytest.raises(ProfileError) as caught:
        load_profile(profile)
    assert caught.value.problems == [
        f"{profile}:3: unknown level 'SEVERE'; choose one of: ERROR, WARN, INFO",
        f"{profile}:4: unknown rule 'nope'; choose one of: {', '.join(RULES)}",
    ]


def test_cli_writes_tsv_and_html_and_exits_1_on_error(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _append(
        folder,
        "statements.tsv",
        "S901\tmsc\tsecretes\tvegf\tpositive\tanimal_model\treported\t\t\t\t\t"
        "introduction/p3/s2\tMSCs release it in rats.",
    )
    tsv, page = tmp_path / "report.tsv", tmp_path / "report.html"
    result = CliRunner().invoke(
        main,
        [
            "report",
            "--curation",
            str(folder),
            "--data-dir",
            str(tmp_path / "none"),
            "--tsv",
            str(tsv),
            "--html",
            str(page),
        ],
    )
    assert result.exit_code == 1, result.output
    assert result.stderr.endswith("msckg: 1 error(s), 0 warning(s), 1 info\n")
    rows = _rows(tsv.read_bytes())
    assert [row["rule"] for row in rows if row["level"] == "ERROR"] == [
        "statement_without_reference"
    ]
    assert list(rows[0]) == ["level", "rule", "subject", "location", "message"]
    body = page.read_text(encoding="utf-8")
    assert body.startswith("<!doctype html>")
    assert body.count("<tr class='error'><td>ERROR</td><td>statement_without_reference") == 1
    lenient = CliRunner().invoke(
        main,
        [
            "report",
            "--curation",
            str(folder),
            "--data-dir",
            str(tmp_path / "none"),
            "--fail-on",
            "none",
        ],
    )
    assert lenient.exit_code == 0
    assert _rows(lenient.stdout_bytes) == rows


def test_the_html_page_escapes_what_curators_wrote() -> None:
    finding = Finding("WARN", "duplicate_name", "x", "entities.tsv:9", "name '<script>x</script>'")
    page = Report((finding,)).html().decode()
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page


def test_the_readme_lists_every_rule_with_its_default_profile() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    listed = [line.split("`")[1] for line in readme.splitlines() if line.startswith("| `")]
    assert [rule for rule in listed if rule in RULES] == list(RULES)
    assert list(load_profile()) == list(RULES)
