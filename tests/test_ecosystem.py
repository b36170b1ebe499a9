"""The release's files read by the ecosystem's own tools: `kgx validate` and `bmt` (Biolink),
`sssom validate` (SSSOM) and the `nanopub` library (nanopublications).

These tools are heavy and pin their own numpy, pandas and rdflib plugins, so they live in a
venv of their own (``make install-ecosystem``, which ``make test`` runs: the ``ecosystem`` extra
of pyproject.toml in ``.venv-eco``), and the tests run them as programs on the release files.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from optional_tools import ECOSYSTEM_PYTHON, requires_tool

from msckg.graph.exports.kgx import (
    AGENT_TYPE,
    BIOLINK_VERSION,
    CATEGORIES,
    DEFAULT_CATEGORY,
    DEFAULT_PREDICATE,
    KNOWLEDGE_LEVEL,
    PREDICATES,
    PRIMARY_KNOWLEDGE_SOURCE,
)
from msckg.graph.release import ReleaseResult

HERE = Path(__file__).parent / "ecosystem"
pytestmark = requires_tool("ecosystem")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the ecosystem venv's python with ``args``."""
    return subprocess.run(
        [str(ECOSYSTEM_PYTHON), *args], capture_output=True, text=True, timeout=900, check=False
    )


def _sssom(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ECOSYSTEM_PYTHON.parent / "sssom"), *args],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_kgx_validate_accepts_the_release_kgx(
    shipped_release: ReleaseResult, tmp_path: Path
) -> None:
    kgx = shipped_release.path / "kgx"
    report = tmp_path / "kgx-report.json"
    done = _run(
        str(HERE / "kgx_offline.py"),
        "validate",
        "-i",
        "tsv",
        str(kgx / "nodes.tsv"),
        str(kgx / "edges.tsv"),
        "-o",
        str(report),
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "errors encountered" not in done.stdout


def test_kgx_validate_rejects_an_edge_without_its_biolink_predicate(
    shipped_release: ReleaseResult, tmp_path: Path
) -> None:
    kgx = shipped_release.path / "kgx"
    edges = (
        (kgx / "edges.tsv")
        .read_text(encoding="utf-8")
        .replace("biolink:affects", "biolink:makes_better")
    )
    (tmp_path / "edges.tsv").write_text(edges, encoding="utf-8")
    done = _run(
        str(HERE / "kgx_offline.py"),
        "validate",
        "-i",
        "tsv",
        str(kgx / "nodes.tsv"),
        str(tmp_path / "edges.tsv"),
        "-o",
        str(tmp_path / "r.json"),
    )
    assert done.returncode == 1
    assert "INVALID_EDGE_PREDICATE" in done.stderr
    assert "Edge predicate 'makes_better' is not in Biolink" in done.stderr


def test_every_category_and_predicate_is_in_the_pinned_biolink_model() -> None:
    terms = {
        "categories": sorted({*CATEGORIES.values(), DEFAULT_CATEGORY}),
        "predicates": sorted({*PREDICATES.values(), DEFAULT_PREDICATE}),
        "slots": [
            "knowledge_level",
            "agent_type",
            "primary_knowledge_source",
            "aggregator_knowledge_source",
            "supporting_publications",
            "publications",
        ],
        "enums": {"knowledge_level": KNOWLEDGE_LEVEL, "agent_type": AGENT_TYPE},
    }
    done = _run(str(HERE / "bmt_check.py"), json.dumps(terms))
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout)
    assert found["version"] == BIOLINK_VERSION
    assert (
        found["not_categories"] == [] and found["not_predicates"] == [] and found["not_slots"] == []
    )
    assert found["bad_enums"] == []
    # in this Biolink release "supporting publications" is an alias of the publications slot
    assert found["slot_names"]["supporting_publications"] == "publications"


def test_primary_knowledge_source_is_an_infores_id() -> None:
    prefix, _, local = PRIMARY_KNOWLEDGE_SOURCE.partition(":")
    assert prefix == "infores" and local and local == local.lower() and " " not in local


def test_sssom_validate_accepts_the_mappings(
    shipped_release: ReleaseResult, tmp_path: Path
) -> None:
    table = shipped_release.path / "xrefs.sssom.tsv"
    done = _sssom("validate", str(table))
    assert done.returncode == 0, done.stderr[-3000:]
    broken = tmp_path / "broken.sssom.tsv"
    broken.write_text(table.read_text().replace("semapv:ManualMappingCuration", "semapv:Guess"))
    assert _sssom("validate", str(broken)).returncode != 0


def test_nanopub_reads_every_statement_back(shipped_release: ReleaseResult) -> None:
    done = _run(str(HERE / "nanopub_read.py"), str(shipped_release.path / "nanopubs"))
    assert done.returncode == 0, done.stderr[-3000:]
    read = json.loads(done.stdout)
    files = sorted(p.stem for p in (shipped_release.path / "nanopubs").glob("*.trig"))
    assert sorted(read) == files
    for ident, np in read.items():
        assert np["valid"], ident
        assert np["assertion"] >= 1 and np["provenance"] >= 5 and np["pubinfo"] >= 3, ident
        assert "https://doi.org/10.52547/sjrm.10.4.1" in np["derived_from"], ident
