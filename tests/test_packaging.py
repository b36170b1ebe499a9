"""A non-editable install carries the ontology, the curation files and the queries."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_package_data(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    wheel = next(tmp_path.glob("msckg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "msckg/__init__.py",
        "msckg/ontology/msckg.ttl",
        "msckg/ontology/shapes.ttl",
        "msckg/ontology/xrefs_verified.tsv",
        "msckg/graph/build.py",
        "msckg/graph/curation/statements.tsv",
        "msckg/graph/curation/entities.tsv",
        "msckg/graph/curation/references.tsv",
        "msckg/queries/trophic_factors.rq",
        "msckg/service/cli.py",
    ):
        assert required in names, required
    assert not any(name.startswith(("tests/", "graph/", "msckg/tests")) for name in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "msckg = msckg.service.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
