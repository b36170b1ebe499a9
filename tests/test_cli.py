"""The msckg command line: outputs, formats and exit codes (0 ok, 1 bad input, 2 usage)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from msckg.graph.build import BuildReport
from msckg.service.cli import main

MINI = Path(__file__).parent / "data" / "curation"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_build_prints_counts_and_progress(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main,
        ["build", "--out", str(tmp_path / "kg"), "--curation", str(MINI), "--reasoner", "owlrl"],
    )
    assert result.exit_code == 0, result.stderr
    assert "entities: 7, statements: 6, references: 2" in result.stdout
    assert "msckg: reasoning" in result.stderr
    assert (tmp_path / "kg" / "store").is_dir()


def test_build_honours_msckg_data_dir(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main,
        ["build", "--curation", str(MINI), "--reasoner", "owlrl"],
        env={"MSCKG_DATA_DIR": str(tmp_path / "env-kg")},
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "env-kg" / "build.json").is_file()


def test_stats_json_counts_classes_and_predicates(runner: CliRunner, built: BuildReport) -> None:
    result = runner.invoke(main, ["stats", "--data-dir", str(built.out_dir), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    stats = json.loads(result.stdout)
    classes = {row["id"]: row["count"] for row in stats["classes"]}
    predicates = {row["id"]: row["count"] for row in stats["predicates"]}
    graphs = {row["label"]: row["count"] for row in stats["graphs"]}
    assert classes["msckg:Disorder"] == 2
    assert classes["msckg:GrowthFactor"] == 4
    assert classes["msckg:CellSource"] == 5
    assert predicates["msckg:secretes"] == 5
    assert predicates["msckg:cites"] == 7
    assert graphs["asserted"] == built.triples["asserted"]


def test_stats_table_is_readable(runner: CliRunner, built: BuildReport) -> None:
    result = runner.invoke(main, ["stats", "--data-dir", str(built.out_dir)])
    assert result.exit_code == 0
    assert "Entities by class" in result.stdout and "msckg:GrowthFactor" in result.stdout


def test_query_json_is_sparql_results(runner: CliRunner, built: BuildReport) -> None:
    query = "SELECT ?f WHERE { ent:mesenchymal_stem_cell msckg:secretes ?f } ORDER BY ?f"
    result = runner.invoke(
        main, ["query", query, "--data-dir", str(built.out_dir), "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [b["f"]["value"].rsplit("/", 1)[-1] for b in bindings] == [
        "HGF",
        "IGF_1",
        "TGF_beta3",
        "VEGF",
        "msc_trophic_factors",
    ]


def test_query_csv_and_table(runner: CliRunner, built: BuildReport) -> None:
    query = "SELECT ?label WHERE { ?d a msckg:Disorder ; rdfs:label ?label } ORDER BY ?label"
    result = runner.invoke(
        main, ["query", query, "--data-dir", str(built.out_dir), "--format", "csv"]
    )
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["label"],
        ["Asherman's syndrome"],
        ["endometriosis"],
    ]
    table = runner.invoke(main, ["query", query, "--data-dir", str(built.out_dir)])
    assert "Asherman's syndrome" in table.stdout
    assert "2 row(s)" in table.stderr


def test_query_from_file_and_ask(runner: CliRunner, built: BuildReport, tmp_path: Path) -> None:
    path = tmp_path / "ask.rq"
    path.write_text("ASK { ent:VEGF a msckg:GrowthFactor }", encoding="utf-8")
    result = runner.invoke(main, ["query", str(path), "--data-dir", str(built.out_dir)])
    assert result.exit_code == 0
    assert result.stdout.strip() == "true"


def test_construct_as_turtle(runner: CliRunner, built: BuildReport) -> None:
    query = "CONSTRUCT { ent:VEGF rdfs:label ?l } WHERE { ent:VEGF rdfs:label ?l }"
    result = runner.invoke(
        main, ["query", query, "--data-dir", str(built.out_dir), "--format", "turtle"]
    )
    assert result.exit_code == 0
    assert '"VEGF"@en' in result.stdout


def test_syntax_error_names_line_and_column(runner: CliRunner, built: BuildReport) -> None:
    result = runner.invoke(
        main, ["query", "SELECT ?x WHERE {\n ?x ?y }", "--data-dir", str(built.out_dir)]
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "query:2:7: SPARQL syntax error: the triple pattern '?x ?y' has no object: expected one before '}'",
        "    2 |  ?x ?y }",
        "      |       ^",
    ]


def test_a_query_file_with_a_missing_dot_names_the_file_and_line(
    runner: CliRunner, built: BuildReport, tmp_path: Path
) -> None:
    source = tmp_path / "disorders.rq"
    source.write_text(
        "SELECT * WHERE {\n  ?d a msckg:Disorder\n  ?d rdfs:label ?l\n}\n", encoding="utf-8"
    )
    result = runner.invoke(main, ["query", str(source), "--data-dir", str(built.out_dir)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{source}:2:22: SPARQL syntax error: expected '.' after 'msckg:Disorder' to end the "
        "triple pattern: '?d' on line 3 starts another one"
    )


def test_an_unknown_prefix_is_named_on_the_command_line(
    runner: CliRunner, built: BuildReport
) -> None:
    result = runner.invoke(main, ["query", "ASK { ?s foo:p ?o }", "--data-dir", str(built.out_dir)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "query:1:10: SPARQL syntax error: unknown prefix 'foo:' in 'foo:p'"
    )
    assert "ent:, GO:" in result.stderr


def test_missing_store_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["stats", "--data-dir", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "no store here; run 'msckg build' first" in result.stderr


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(main, ["query"]).exit_code == 2
    assert runner.invoke(main, ["build", "--reasoner", "pellet"]).exit_code == 2
    assert runner.invoke(main, ["nonsense"]).exit_code == 2


def test_unknown_named_query_lists_choices(runner: CliRunner, built: BuildReport) -> None:
    result = runner.invoke(main, ["query", "--name", "nope", "--data-dir", str(built.out_dir)])
    assert result.exit_code == 1
    assert "unknown query 'nope'; choose one of:" in result.stderr


def test_query_list_shows_questions(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "--list"])
    assert result.exit_code == 0
    assert "trophic_factors: Which trophic factors do MSCs secrete" in result.stdout


def test_console_script_help_runs() -> None:
    exe = Path(sys.executable).with_name("msckg")
    done = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    for verb in ("build", "validate", "stats", "query"):
        assert verb in done.stdout
