"""`make test` (and so CI) lints and type-checks before it runs the tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_make_test_runs_ruff_and_mypy_before_pytest() -> None:
    planned = subprocess.run(
        ["make", "--dry-run", "test"],  # noqa: S607 - make is what `make test` needs anyway
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    pytest_at = planned.index("-m pytest")
    for step in ("ruff check", "ruff format --check", "mypy -p msckg"):
        assert planned.index(step) < pytest_at, f"{step!r} is not run before pytest"


def test_ci_runs_make_test() -> None:
    commands = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert commands[-1] == "make test"
