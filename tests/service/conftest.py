"""Service test fixtures: app and client, live ``msckg serve`` processes, a trap listener."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from live_http import LiveServer, start_server, stop_server

from msckg.graph.build import BuildReport, build
from msckg.graph.reader import COLUMNS
from msckg.service.app import close_app, create_app
from msckg.service.settings import Settings

MINI_CURATION = Path(__file__).parents[1] / "data" / "curation"
#: Seconds a query may run on the ``slow_server``: the hostile queries always overrun it, a
#: simple query never does, not even on a loaded 2-core CI machine.
SLOW_TIMEOUT = 5.0
#: A label a curator could type by mistake or malice; the page must show it as text.
HOSTILE_LABEL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


@pytest.fixture(scope="session")
def service_settings(built: BuildReport) -> Settings:
    """Settings for the shipped graph, environment ignored."""
    return Settings.from_env({}, data_dir=built.out_dir)


@pytest.fixture(scope="session")
def app(service_settings: Settings) -> Iterator[Flask]:
    """The app over the shipped graph, with its query workers."""
    application = create_app(service_settings)
    application.config["TESTING"] = True
    yield application
    close_app(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of :func:`app`."""
    return app.test_client()


@pytest.fixture(scope="session")
def mini_app(mini_built: BuildReport) -> Iterator[Flask]:
    """The app over the mini curation set of ``tests/data/curation``."""
    application = create_app(Settings.from_env({}, data_dir=mini_built.out_dir))
    application.config["TESTING"] = True
    yield application
    close_app(application)


@pytest.fixture
def mini_client(mini_app: Flask) -> FlaskClient:
    """A test client of :func:`mini_app`."""
    return mini_app.test_client()


@pytest.fixture(scope="session")
def live_server(built: BuildReport) -> Iterator[LiveServer]:
    """``msckg serve`` over the shipped graph on a free loopback port."""
    server = start_server(built.out_dir)
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def slow_server(built: BuildReport) -> Iterator[LiveServer]:
    """``msckg serve`` with a short query timeout, for the hostile-query tests."""
    server = start_server(built.out_dir, "--timeout", str(SLOW_TIMEOUT))
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def hostile_label() -> str:
    """The markup label of the ``html_label`` entity in :func:`hostile_built`."""
    return HOSTILE_LABEL


@pytest.fixture(scope="session")
def hostile_built(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The mini curation set plus an entity whose label is HTML, built once."""
    curation = tmp_path_factory.mktemp("hostile-curation")
    for path in MINI_CURATION.glob("*.tsv"):
        shutil.copy(path, curation / path.name)
    with (curation / "entities.tsv").open("a", encoding="utf-8") as entities:
        cells = ["html_label", "GrowthFactor", HOSTILE_LABEL, "", "An entity labelled with markup."]
        cells += [""] * (len(COLUMNS["entities.tsv"]) - len(cells))
        entities.write("\t".join(cells) + "\n")
    return build(tmp_path_factory.mktemp("hostile") / "data", curation)


class TrapListener:
    """A loopback listener counting connections: above 0 means the server fetched a URL."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port = int(self.socket.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.socket.close()


@pytest.fixture
def trap() -> Iterator[TrapListener]:
    """A listener that must see no connection."""
    listener = TrapListener()
    yield listener
    listener.close()


#: Processes in the dense cluster of :func:`dense_built`; every ordered pair is linked.
DENSE_PROCESSES = 20


def _tsv_row(name: str, **cells: str) -> str:
    """One line of a curation file: the given cells in their columns, the others empty."""
    return "\t".join(cells.get(column, "") for column in COLUMNS[name]) + "\n"


@pytest.fixture(scope="session")
def dense_built(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The mini curation plus a clique of processes that all lead to each other.

    A metapath of seven processes between two of them has about a million instances: an
    analysis request that cannot finish within a short timeout, however fast the machine.
    """
    curation = tmp_path_factory.mktemp("dense-curation")
    for path in MINI_CURATION.glob("*.tsv"):
        shutil.copy(path, curation / path.name)
    ids = [f"p{n}" for n in range(DENSE_PROCESSES)]
    with (curation / "entities.tsv").open("a", encoding="utf-8") as entities:
        for id_ in ids:
            entities.write(
                _tsv_row(
                    "entities.tsv",
                    id=id_,
                    type="BiologicalProcess",
                    label=f"process {id_}",
                    definition="A process.",
                )
            )
    with (curation / "statements.tsv").open("a", encoding="utf-8") as statements:
        number = 900
        for subject in ids:
            for object_ in ids:
                if subject != object_:
                    number += 1
                    statements.write(
                        _tsv_row(
                            "statements.tsv",
                            id=f"S{number}",
                            subject=subject,
                            predicate="leadsTo",
                            object=object_,
                            polarity="positive",
                            evidence="animal_model",
                            hedging="reported",
                            references="ref1",
                            locator="introduction/p2/s3",
                            paraphrase="One process leads to another.",
                        )
                    )
    return build(tmp_path_factory.mktemp("dense") / "data", curation)


@pytest.fixture(scope="session")
def dense_server(dense_built: BuildReport) -> Iterator[LiveServer]:
    """``msckg serve`` over :func:`dense_built` with the short timeout of :data:`SLOW_TIMEOUT`."""
    server = start_server(dense_built.out_dir, "--timeout", str(SLOW_TIMEOUT))
    yield server
    stop_server(server)
