"""Shared fixtures: graphs built once per session from the shipped and the mini curation sets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from oxigraph_server import OxigraphServer, start_oxigraph, stop_oxigraph

from msckg.graph.build import STORE_DIRNAME, BuildReport, build, publish
from msckg.graph.curation import CURATION_DIR
from msckg.graph.remote import RemoteStore
from msckg.graph.store import GraphStore, open_remote_store, open_store
from msckg.service.settings import Settings

DATA = Path(__file__).parent / "data"
MINI_CURATION = DATA / "curation"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The shipped curation built once (HermiT when Java is present) into a temporary data dir."""
    return build(tmp_path_factory.mktemp("msckg") / "data", CURATION_DIR)


@pytest.fixture(scope="session")
def store(built: BuildReport) -> GraphStore:
    """The built graph's on-disk store, opened read-only."""
    return open_store(built.out_dir / STORE_DIRNAME, read_only=True)


@pytest.fixture(scope="session")
def mini_built(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The small hand-made curation set of tests/data/curation, built once."""
    return build(tmp_path_factory.mktemp("mini") / "data", MINI_CURATION)


@pytest.fixture
def settings(built: BuildReport) -> Settings:
    """Settings pointing at the built graph, with the environment ignored."""
    return Settings.from_env({}, data_dir=built.out_dir)


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A real Oxigraph server on a free loopback port, stopped after the session."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph") / "db")
    yield server
    stop_oxigraph(server)


@pytest.fixture(scope="session")
def remote_store(built: BuildReport, oxigraph: OxigraphServer) -> RemoteStore:
    """The Oxigraph server holding the shipped graph, published from the local build."""
    remote = open_remote_store(oxigraph.query_url, gsp_url=oxigraph.gsp_url)
    publish(built.out_dir, remote)
    return remote
