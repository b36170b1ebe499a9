"""Every curl example in README.md's sh blocks works against a live server."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from live_http import LiveServer
from optional_tools import requires_tool

README = Path(__file__).resolve().parents[2] / "README.md"
DOCUMENTED_ORIGIN = "http://127.0.0.1:8000"


def _curl_examples() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    return [
        line.strip()
        for block in blocks
        for line in block.splitlines()
        if line.strip().startswith("curl ")
    ]


def test_the_readme_documents_every_endpoint() -> None:
    examples = " ".join(_curl_examples())
    for path in (
        "/sparql",
        "/.well-known/void",
        "/api/entities?",
        "/api/entities/",
        "/api/queries'",
        "/api/queries/",
        "/api/stats",
        "/api/statements/",
        "/health",
        "/openapi.json",
    ):
        assert path in examples, f"README has no curl example for {path}"


@requires_tool("curl")
@pytest.mark.parametrize("example", _curl_examples())
def test_readme_curl_example_works(live_server: LiveServer, example: str) -> None:
    assert DOCUMENTED_ORIGIN in example
    command = "curl -sS --fail " + example.removeprefix("curl ").replace(
        DOCUMENTED_ORIGIN, live_server.url
    )
    done = subprocess.run(
        ["bash", "-c", command],  # noqa: S607
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"{example}\n{done.stderr.decode()}"
    assert done.stdout.strip()
