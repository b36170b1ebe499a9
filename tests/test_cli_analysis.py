"""The analysis commands: path, neighbors, rank, metapaths, export (mini and shipped builds)."""

from __future__ import annotations

import json
import zipfile

import networkx as nx
import pytest
from click.testing import CliRunner

from msckg.graph.curation import CURATION_DIR
from msckg.service.cli import main
from msckg.service.limits import MAX_K, MAX_LENGTH, MAX_RADIUS


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def mini_dir(mini_built) -> list[str]:
    return ["--data-dir", str(mini_built.out_dir)]


def test_path_table_shows_hops_and_evidence(runner, mini_dir):
    result = runner.invoke(main, ["path", "bone marrow", "VEGF", *mini_dir])
    assert result.exit_code == 0, result.stderr
    assert (
        "path 1: 2 edge(s), weakest link clinical background (2), combined 0.250" in result.stdout
    )
    assert "<-[isolated from]- mesenchymal stem cell" in result.stdout
    assert "-[secretes]-> VEGF" in result.stdout
    assert (
        "stmt:S002: preclinical study, reported [introduction/p2/s3] "
        "(Doe et al. 2024 doi:10.1000/test.1)" in result.stdout
    )


def test_path_json_and_directed_reason(runner, mini_dir):
    result = runner.invoke(
        main, ["path", "msc", "angiogenesis", "--directed", "--format", "json", *mini_dir]
    )
    data = json.loads(result.stdout)
    assert [n["id"] for n in data["paths"][0]["nodes"]] == [
        "ent:msc",
        "ent:vegf",
        "ent:angiogenesis",
    ]
    none = runner.invoke(main, ["path", "angiogenesis", "msc", "--directed", *mini_dir])
    assert none.exit_code == 0
    assert none.stdout == ""
    assert "no directed path from ent:angiogenesis to ent:msc" in none.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["path", "angiogenessis", "msc"], "no entity 'angiogenessis'; did you mean: angiogenesis"),
        (["path", "msc", "vegf", "--min-evidence", "rumour"], "unknown evidence level 'rumour'"),
        (
            ["metapaths", "msc", "vegf", "--pattern", "CellType,Nothing"],
            "unknown node type 'Nothing'",
        ),
    ],
)
def test_bad_input_exits_1_with_the_reason(runner, mini_dir, args, message):
    result = runner.invoke(main, [*args, *mini_dir])
    assert result.exit_code == 1
    assert message in result.stderr


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["path", "msc", "vegf", "--k", str(MAX_K + 1)], "'--k'"),
        (["path", "msc", "vegf", "--max-length", str(MAX_LENGTH + 1)], "'--max-length'"),
        (["neighbors", "msc", "--radius", str(MAX_RADIUS + 1)], "'--radius'"),
        (["export", "graphml", "--focus", "msc", "--radius", str(MAX_RADIUS + 1)], "'--radius'"),
    ],
)
def test_a_bound_past_the_limit_is_a_usage_error_naming_it(runner, mini_dir, args, option):
    result = runner.invoke(main, [*args, *mini_dir])
    assert result.exit_code == 2
    assert option in result.stderr
    assert "is not in the range" in result.stderr


def test_neighbors_and_rank(runner, mini_dir):
    result = runner.invoke(main, ["neighbors", "VEGF", "--format", "json", *mini_dir])
    assert {n["id"] for n in json.loads(result.stdout)["nodes"]} == {
        "ent:vegf",
        "ent:msc",
        "ent:angiogenesis",
    }
    ranked = runner.invoke(main, ["rank", "--by", "degree", "--limit", "1", *mini_dir])
    assert ranked.stdout.split("\t")[2] == "ent:msc"


def test_metapaths_reports_count_and_dwpc(runner, mini_dir):
    result = runner.invoke(
        main,
        [
            "metapaths",
            "bone marrow",
            "angiogenesis",
            "--pattern",
            "CellSource,CellType,GrowthFactor,BiologicalProcess",
            *mini_dir,
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("1 path(s), DWPC 1.000000")


def test_export_file_and_folder(runner, mini_dir, tmp_path):
    out = tmp_path / "g.graphml"
    result = runner.invoke(
        main, ["export", "graphml", "--focus", "VEGF", "--radius", "1", "-o", str(out), *mini_dir]
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(nx.read_graphml(out)) == ["ent:angiogenesis", "ent:msc", "ent:vegf"]
    folder = tmp_path / "neo4j"
    folder.mkdir()
    runner.invoke(main, ["export", "neo4j", "-o", str(folder), *mini_dir])
    assert sorted(p.name for p in folder.iterdir()) == ["edges.csv", "nodes.csv"]
    archive = tmp_path / "kgx.zip"
    runner.invoke(main, ["export", "kgx", "-o", str(archive), *mini_dir])
    assert sorted(zipfile.ZipFile(archive).namelist()) == ["edges.tsv", "nodes.tsv"]


def test_unknown_export_format_is_a_usage_error(runner, mini_dir):
    result = runner.invoke(main, ["export", "gml", *mini_dir])
    assert result.exit_code == 2
    assert "'gml' is not one of 'graphml', 'gexf'" in result.stderr


@pytest.mark.skipif(
    "menstrual blood" not in (CURATION_DIR / "entities.tsv").read_text(encoding="utf-8"),
    reason="shipped curation has no menstrual blood entity yet",
)
def test_issue_4_demo_prints_chains_with_evidence(runner, built):
    result = runner.invoke(
        main, ["path", "menstrual blood", "Asherman syndrome", "--data-dir", str(built.out_dir)]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("path 1:")
    assert "  menstrual blood\n" in result.stdout
    assert "stmt:" in result.stdout


def test_export_choices_match_the_registry():
    from msckg.graph.exports import FORMATS

    choices = next(p for p in main.commands["export"].params if p.name == "fmt").type.choices
    assert list(choices) == list(FORMATS)
