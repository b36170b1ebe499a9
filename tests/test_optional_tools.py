"""Optional programs: the README's count of Chromium tests, and the end-of-run summary of skips."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from optional_tools import TOOLS, marker_name

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def _pytest(*args: str, path: str | None = None) -> str:
    env = {**os.environ, "PATH": path if path is not None else os.environ.get("PATH", "")}
    env.pop("CI", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.stdout


def test_readme_says_how_many_tests_need_chromium_and_how_to_install_it() -> None:
    said = re.search(
        r"Without Chromium, (\d+) tests skip [^;]*;\s+`([^`]+)` installs it",
        README.read_text(encoding="utf-8"),
    )
    assert said, "README.md should say, next to make test, how many tests need Chromium"
    collected = _pytest("--collect-only", "-q", "-m", marker_name("chromium"), "tests")
    tests = [line for line in collected.splitlines() if "::" in line]
    assert int(said.group(1)) == len(tests), tests
    assert said.group(2) == TOOLS["chromium"].install


def test_the_run_ends_with_the_missing_tools_and_their_skip_counts(tmp_path: Path) -> None:
    # Only this interpreter's folder on PATH: Chromium, Graphviz, curl and Java are all missing.
    out = _pytest(
        "tests/test_exports.py",
        "-k",
        "test_html_view_renders_nodes_in_headless_chromium"
        " or test_dot_parses_in_graphviz_even_with_quotes_in_labels"
        " or test_graphml_round_trip_through_networkx",
        path=str(Path(sys.executable).parent),
    )
    summary = out.split("optional tools", 1)[1]
    assert "missing Chromium: 1 test skipped (install: apt-get install -y chromium)" in summary
    assert (
        "missing Graphviz 'dot': 1 test skipped (install: apt-get install -y graphviz)" in summary
    )
    assert "missing curl: 0 tests skipped" in summary
    assert "missing Node.js with the npm packages of graph/exports/renderer" in summary
    assert re.search(r"\b1 passed, 3 skipped\b", out), out
