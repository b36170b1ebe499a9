"""Shared fixtures: graphs built once per session from the shipped and the mini curation sets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from optional_tools import TOOLS, marker_name
from remote_servers import REMOTE_KINDS, RemoteServer, start_remote, stop_remote

from msckg.graph.build import STORE_DIRNAME, BuildReport, build, publish
from msckg.graph.curation import CURATION_DIR
from msckg.graph.projection import build_projection
from msckg.graph.release import ReleaseResult, make_release
from msckg.graph.remote import RemoteStore
from msckg.graph.store import GraphStore, open_store
from msckg.service.settings import Settings

DATA = Path(__file__).parent / "data"
MINI_CURATION = DATA / "curation"


def pytest_configure(config: pytest.Config) -> None:
    """Register one marker per optional tool (see optional_tools.py)."""
    for tool in TOOLS.values():
        config.addinivalue_line("markers", f"{marker_name(tool.name)}: the test needs {tool.label}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the tests whose optional tool is missing, saying what to install."""
    missing = {name: tool for name, tool in TOOLS.items() if tool.skips()}
    for item in items:
        for name, tool in missing.items():
            if item.get_closest_marker(marker_name(name)) is not None:
                item.add_marker(pytest.mark.skip(reason=tool.reason))


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> Iterator[None]:
    """End the run with the optional tools that were missing and how many tests each skipped.

    A wrapper run first, so its part comes after pytest's own short summary, last before the
    counts.
    """
    yield
    if terminalreporter.config.option.collectonly:
        return
    missing = {name: tool for name, tool in TOOLS.items() if tool.skips()}
    skipped = terminalreporter.stats.get("skipped", [])
    per_tool: Counter[str] = Counter()
    other = 0
    for report in skipped:
        needed = [name for name in missing if marker_name(name) in report.keywords]
        per_tool.update(needed)
        other += not needed
    terminalreporter.section("optional tools")
    if not missing:
        terminalreporter.line("none missing: " + ", ".join(t.label for t in TOOLS.values()))
    for name, tool in missing.items():
        count = per_tool[name]
        terminalreporter.line(
            f"missing {tool.label}: {count} test{'s' if count != 1 else ''} skipped "
            f"(install: {tool.install})"
        )
    if other:
        terminalreporter.line(f"{other} other test{'s' if other != 1 else ''} skipped, see above")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The shipped curation built once (HermiT when Java is present) into a temporary data dir,
    with its whole-graph projection cached (as the service's background build leaves it)."""
    report = build(tmp_path_factory.mktemp("msckg") / "data", CURATION_DIR)
    build_projection(report.out_dir / STORE_DIRNAME)
    return report


@pytest.fixture(scope="session")
def store(built: BuildReport) -> GraphStore:
    """The built graph's on-disk store, opened read-only."""
    return open_store(built.out_dir / STORE_DIRNAME, read_only=True)


@pytest.fixture(scope="session")
def mini_built(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The small hand-made curation set of tests/data/curation, built once, with its projection."""
    report = build(tmp_path_factory.mktemp("mini") / "data", MINI_CURATION)
    build_projection(report.out_dir / STORE_DIRNAME)
    return report


@pytest.fixture(scope="session")
def shipped_release(tmp_path_factory: pytest.TempPathFactory) -> ReleaseResult:
    """Release 0.1.0 of the shipped curation, made once into a temporary release folder."""
    return make_release("0.1.0", tmp_path_factory.mktemp("release"), CURATION_DIR)


@pytest.fixture
def settings(built: BuildReport) -> Settings:
    """Settings pointing at the built graph, with the environment ignored."""
    return Settings.from_env({}, data_dir=built.out_dir)


@pytest.fixture(scope="session", params=REMOTE_KINDS)
def remote_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RemoteServer]:
    """A real remote store (each kind in turn) on free loopback ports, stopped after the session."""
    server = start_remote(request.param, tmp_path_factory.mktemp(request.param))
    yield server
    stop_remote(server)


@pytest.fixture(scope="session")
def remote_store(built: BuildReport, remote_server: RemoteServer) -> RemoteStore:
    """The remote store holding the shipped graph, published from the local build."""
    remote = remote_server.open()
    publish(built.out_dir, remote)
    return remote
