"""Every msckg command shown in README.md runs and answers."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    lines = [line.split("  #", 1)[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("msckg ")]


def test_readme_shows_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text


def test_readme_cli_examples_run(tmp_path: Path) -> None:
    commands = _commands()
    assert any(c.startswith("msckg build") for c in commands)
    env = {**os.environ, "MSCKG_DATA_DIR": str(tmp_path / "data")}
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    # build first, as a newcomer would, so the other examples have a graph to ask
    ordered = sorted(
        commands,
        key=lambda c: (not c.startswith("msckg validate"), not c.startswith("msckg build")),
    )
    for command in ordered:
        done = subprocess.run(
            shlex.split(command), env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, f"{command}\n{done.stderr}"
        assert done.stdout.strip(), f"{command} printed nothing"
