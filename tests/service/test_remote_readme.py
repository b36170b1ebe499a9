"""The README's remote-store examples (Oxigraph server, Virtuoso) run as written, against real servers."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

from optional_tools import requires_tool
from oxigraph_server import start_oxigraph, stop_oxigraph
from virtuoso_server import PASSWORD, USER, free_port, launch_virtuoso, stop_virtuoso

from msckg.graph.build import NAMED_GRAPHS
from msckg.graph.store import open_remote_store
from msckg.service.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def _section(after: str) -> str:
    return README.read_text(encoding="utf-8").split(after, 1)[1]


def _block(section: str, language: str) -> str:
    block = re.search(rf"```{language}\n(.*?)```", section, flags=re.DOTALL)
    assert block is not None, f"no {language} block"
    return block[1]


def _lines(block: str) -> list[str]:
    return [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]


def _run(lines: list[str], env: dict[str, str], replace: dict[str, str]) -> None:
    """Run the example's lines in order: ``export`` sets variables, the others must print."""
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    for line in lines:
        for old, new in replace.items():
            line = line.replace(old, new)
        words = shlex.split(line)
        if words[0] == "export":
            env.update(word.split("=", 1) for word in words[1:])
            continue
        done = subprocess.run(
            words, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, f"{line}\n{done.stderr}"
        assert done.stdout.strip(), f"{line} printed nothing"


def test_the_oxigraph_example_runs(tmp_path: Path) -> None:
    lines = _lines(_block(_section("## Remote stores"), "shell"))
    first = shlex.split(lines[0].rstrip("&"))
    assert first[:3] == ["oxigraph", "serve", "--location"]
    # the example's first line, on a free port
    server = start_oxigraph(
        tmp_path / "oxigraph-data", timeout_s=int(first[first.index("--timeout-s") + 1])
    )
    address = server.url.removeprefix("http://")
    env = {**os.environ, "MSCKG_DATA_DIR": str(tmp_path / "data")}
    try:
        _run(lines[1:], env, {"127.0.0.1:7878": address})
    finally:
        stop_oxigraph(server)


@requires_tool("virtuoso")
def test_the_virtuoso_example_runs_with_its_ini(tmp_path: Path) -> None:
    section = _section("### Virtuoso")
    lines = _lines(_block(section, "shell"))
    assert lines[0] == "virtuoso-t -f -c virtuoso.ini &"
    sql_port, http_port = free_port(), free_port()
    ini = tmp_path / "virtuoso.ini"  # the README's ini as written, on free ports
    ini.write_text(
        _block(section, "ini")
        .replace("127.0.0.1:1111", f"127.0.0.1:{sql_port}")
        .replace("127.0.0.1:8890", f"127.0.0.1:{http_port}"),
        encoding="utf-8",
    )
    server = launch_virtuoso(ini, http_port)
    env = {**os.environ, "MSCKG_DATA_DIR": str(tmp_path / "data")}
    try:
        _run(lines[1:], env, {"127.0.0.1:8890": f"127.0.0.1:{http_port}"})
        stored = open_remote_store(
            server.query_url,
            update_url=server.update_url,
            user=USER,
            password=PASSWORD,
            auth="digest",
            union="native",
        )
        assert stored.named_graphs() == sorted(NAMED_GRAPHS.values())
    finally:
        stop_virtuoso(server)


def test_the_remote_settings_table_lists_every_store_setting() -> None:
    rows = [line for line in _section("## Remote stores").splitlines() if line.startswith("| `")]
    named = {name for row in rows for name in re.findall(r"`MSCKG_(STORE[A-Z_]*)`", row)}
    assert named == {f.name.upper() for f in fields(Settings) if f.name.startswith("store")}
