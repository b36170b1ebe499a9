"""The README's Oxigraph example of a remote store runs as written, against a real server."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from oxigraph_server import start_oxigraph, stop_oxigraph

README = Path(__file__).resolve().parents[2] / "README.md"


def _oxigraph_example() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## Remote stores", 1)[1]
    block = re.search(r"```shell\n(.*?)```", section, flags=re.DOTALL)
    assert block is not None, "the Remote stores section has no shell example"
    return [line.split("  #", 1)[0].strip() for line in block[1].splitlines() if line.strip()]


def test_the_oxigraph_example_runs(tmp_path: Path) -> None:
    lines = _oxigraph_example()
    assert lines[0].startswith("oxigraph serve --location")
    server = start_oxigraph(tmp_path / "oxigraph-data")  # the example's first line, on a free port
    address = server.url.removeprefix("http://")
    env = {**os.environ, "MSCKG_DATA_DIR": str(tmp_path / "data")}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    try:
        for line in lines[1:]:
            words = shlex.split(line.replace("127.0.0.1:7878", address))
            if words[0] == "export":
                env.update(word.split("=", 1) for word in words[1:])
                continue
            done = subprocess.run(
                words, env=env, capture_output=True, text=True, timeout=300, check=False
            )
            assert done.returncode == 0, f"{line}\n{done.stderr}"
            assert done.stdout.strip(), f"{line} printed nothing"
    finally:
        stop_oxigraph(server)
