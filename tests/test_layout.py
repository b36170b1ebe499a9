"""Who may import whom: ontology <- graph <- service, and third-party engines stay in one module each."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {"ontology": 0, "graph": 1, "queries": 1, "service": 2}
#: Third-party packages allowed only in the named modules (paths relative to the repo root).
CONFINED = {
    "pyoxigraph": {"graph/store.py", "graph/remote.py", "graph/executor.py"},
    "owlready2": {"ontology/reason.py"},
    "flask": None,  # anywhere under service/
    "click": {"service/cli.py"},
    "mcp": {"service/mcp.py"},
}


def _sources() -> list[Path]:
    return [p for folder in LAYERS for p in (ROOT / folder).rglob("*.py")]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_layers(path: Path) -> None:
    relative = path.relative_to(ROOT)
    layer = LAYERS[relative.parts[0]]
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "msckg" and len(parts) > 1 and parts[1] in LAYERS:
            assert LAYERS[parts[1]] <= layer, f"{relative} imports {name} from a higher layer"
        top = parts[0]
        if top in CONFINED:
            allowed = CONFINED[top]
            if allowed is None:
                assert relative.parts[0] == "service", f"{relative} imports {top} outside service/"
            else:
                assert str(relative) in allowed, (
                    f"{relative} imports {top}; only {sorted(allowed)} may"
                )
