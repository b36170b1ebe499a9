"""``msckg serve --data FILE``: any RDF file served at /sparql once fully loaded; a restart on a data dir does not rebuild."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from w3c_suite import read_tests, run_test, serving

from msckg.graph.build import STORE_DIRNAME, BuildReport

SENTINEL_ASK = (
    "ASK { <https://w3id.org/msckg/bench/sentinel> <https://w3id.org/msckg/bench/loaded> true }"
)
SMALL = """\
@prefix ent: <https://w3id.org/msckg/id/> .
@prefix msckg: <https://w3id.org/msckg/vocab/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ent:cellA a msckg:CellType ; rdfs:label "cell A"@en ; msckg:secretes ent:factorB .
ent:factorB a msckg:GrowthFactor ; rdfs:label "factor B"@en .
<https://w3id.org/msckg/bench/sentinel> <https://w3id.org/msckg/bench/loaded> true .
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(*args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "msckg.service", "serve", *args]
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=dict(os.environ)
    )


def _stop(process: subprocess.Popen[bytes]) -> str:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stderr is None:
        return ""
    with process.stderr:
        return process.stderr.read().decode()


def _sparql(port: int, query: str) -> dict[str, object]:
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def _poll_sentinel(process: subprocess.Popen[bytes], port: int) -> list[bool]:
    """Ask for the sentinel until the server answers; every answer it gave (there is at least one)."""
    answers: list[bool] = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not answers:
        if process.poll() is not None:
            pytest.fail(
                f"msckg serve exited: {process.stderr.read().decode() if process.stderr else ''}"
            )
        try:
            answers.append(bool(_sparql(port, SENTINEL_ASK)["boolean"]))
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    if not answers:
        pytest.fail("msckg serve did not answer within 90 s")
    return answers


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.ttl"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.fixture
def served_small(small_file: Path) -> Iterator[int]:
    port = _free_port()
    process = _serve("--data", str(small_file), "--host", "127.0.0.1", "--port", str(port))
    try:
        assert _poll_sentinel(process, port) == [True]
        yield port
    finally:
        _stop(process)


def test_serve_data_answers_sparql_over_the_whole_file(served_small: int) -> None:
    rows = _sparql(served_small, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")["results"][
        "bindings"
    ]  # type: ignore[index]
    assert rows[0]["n"]["value"] == "6"
    two_hop = _sparql(
        served_small, "SELECT ?label WHERE { ent:cellA msckg:secretes ?f . ?f rdfs:label ?label }"
    )
    assert [row["label"]["value"] for row in two_hop["results"]["bindings"]] == ["factor B"]  # type: ignore[index]


def test_serve_data_keeps_the_guards(served_small: int) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    with pytest.raises(urllib.error.HTTPError) as refused:
        _sparql(served_small, query)
    refused.value.close()
    assert refused.value.code == 400


def test_serve_data_answers_only_once_the_sentinel_is_loaded(tmp_path: Path) -> None:
    # Big enough that loading takes a moment; the first answer /sparql gives must already see the last triple.
    lines = [f'<https://example.org/s{n}> <https://example.org/p> "{n}" .' for n in range(200_000)]
    big = tmp_path / "big.ttl"
    big.write_text("\n".join(lines) + "\n" + SMALL.splitlines()[-1] + "\n", encoding="utf-8")
    port = _free_port()
    process = _serve("--data", str(big), "--port", str(port))
    try:
        assert _poll_sentinel(process, port) == [True]
    finally:
        _stop(process)


def test_serve_data_removes_its_temporary_store_on_sigterm(small_file: Path) -> None:
    port = _free_port()
    process = _serve("--data", str(small_file), "--port", str(port))
    _poll_sentinel(process, port)
    stderr = _stop(process)
    assert process.returncode == 0
    served_from = Path(stderr.split("msckg: serving ", 1)[1].split(" at http", 1)[0])
    assert served_from.name.startswith("msckg-serve-")
    assert not served_from.exists()


def test_serve_data_indexes_the_names_before_serving(tmp_path: Path) -> None:
    """The first search on a served file reads the name index; no request has to build it."""
    from msckg.graph.textindex import index_path, open_text_index, text_index_is_current
    from msckg.service.datafiles import loaded_data_dir

    trig = tmp_path / "asserted.trig"
    trig.write_text(
        "@prefix graph: <https://w3id.org/msckg/graph/> .\n"
        + SMALL.replace("ent:cellA a", "graph:asserted { ent:cellA a").replace(
            "<https://w3id.org/msckg/bench/sentinel>", "}\n<https://w3id.org/msckg/bench/sentinel>"
        ),
        encoding="utf-8",
    )
    with loaded_data_dir([trig]) as data_dir:
        store_path = data_dir / STORE_DIRNAME
        assert text_index_is_current(store_path)
        from msckg.graph.network import build_stamp

        index = open_text_index(index_path(store_path), build_stamp(store_path))
        assert index is not None
        try:
            assert [hit.label for hit in index.search("factor")] == ["factor B"]
        finally:
            index.close()


def test_serve_data_refuses_a_bad_file_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n", encoding="utf-8"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "msckg.service",
            "serve",
            "--data",
            str(bad),
            "--port",
            str(_free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert f"{bad}:3:" in done.stderr
    assert "nothing is served" in done.stderr


def test_serve_data_and_data_dir_together_is_a_usage_error(
    small_file: Path, tmp_path: Path
) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "msckg.service",
            "serve",
            "--data",
            str(small_file),
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2


def _snapshot(data_dir: Path) -> dict[str, int]:
    """Every file the build wrote (the store's table files included) with its modification time."""
    return {
        str(path.relative_to(data_dir)): path.stat().st_mtime_ns
        for path in sorted(data_dir.rglob("*"))
        if path.is_file() and (STORE_DIRNAME not in path.parts or path.suffix == ".sst")
    }


def test_restart_on_an_existing_data_dir_answers_without_rebuilding(built: BuildReport) -> None:
    before = _snapshot(built.out_dir)
    assert any(name.endswith(".sst") for name in before)
    counts = []
    for _ in range(2):
        port = _free_port()
        process = _serve("--data-dir", str(built.out_dir), "--port", str(port))
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    result = _sparql(port, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
                    break
                except (urllib.error.URLError, ConnectionError):
                    assert process.poll() is None and time.monotonic() < deadline
                    time.sleep(0.1)
            counts.append(int(result["results"]["bindings"][0]["n"]["value"]))  # type: ignore[index]
        finally:
            _stop(process)
    assert counts[0] == counts[1] > 1000
    assert _snapshot(built.out_dir) == before


W3C_SQ05 = Path(__file__).parents[1] / "data" / "w3c" / "subquery" / "sq05.rdf"
REFERENCE = (
    "SELECT ?o WHERE { <http://www.example.org/instance#c> <http://www.example.org/schema#p> ?o }"
)


def _port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def test_serve_data_resolves_relative_iris_against_the_files_own_iri() -> None:
    # sq05.rdf says rdf:resource="": the document itself (issue 10: it was refused).
    with serving("--data", str(W3C_SQ05)) as url:
        rows = _sparql(_port_of(url), REFERENCE)["results"]["bindings"]  # type: ignore[index]
        assert rows == [{"o": {"type": "uri", "value": W3C_SQ05.as_uri()}}]
        sq06 = next(test for test in read_tests() if test.id == "subquery/subquery06")
        assert sq06.data == (W3C_SQ05,)
        assert run_test(f"{url}/sparql", sq06, protocol_dataset=False) == (True, "")


def test_serve_data_base_option_overrides_the_files_iri() -> None:
    with serving("--data", str(W3C_SQ05), "--base", "http://example.org/w3c/sq05") as url:
        rows = _sparql(_port_of(url), REFERENCE)["results"]["bindings"]  # type: ignore[index]
    assert rows == [{"o": {"type": "uri", "value": "http://example.org/w3c/sq05"}}]


def _serve_to_exit(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "msckg.service", "serve", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_serve_data_refuses_an_invalid_base_before_loading() -> None:
    done = _serve_to_exit("--data", str(W3C_SQ05), "--base", "w3c/sq05", "--port", "0")
    assert done.returncode == 2
    assert (
        "Invalid value for '--base': invalid base IRI 'w3c/sq05': "
        "No scheme found in an absolute IRI"
    ) in done.stderr
    assert "loaded" not in done.stderr


def test_serve_base_without_data_is_a_usage_error(tmp_path: Path) -> None:
    done = _serve_to_exit("--base", "http://example.org/", "--data-dir", str(tmp_path))
    assert done.returncode == 2
    assert "--base applies to --data FILE..." in done.stderr
