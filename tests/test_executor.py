"""Queries run in killable worker processes; a runaway one is killed at the deadline."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest

from msckg.graph.build import STORE_DIRNAME, BuildReport
from msckg.graph.executor import QueryExecutor, QueryJob, QueryTimeout

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = "SELECT ?label WHERE { ent:VEGF rdfs:label ?label }"


@pytest.fixture(scope="module")
def executor(built: BuildReport) -> Iterator[QueryExecutor]:
    with QueryExecutor(built.out_dir / STORE_DIRNAME, workers=2, timeout=1.5) as pool:
        yield pool


def test_a_query_is_answered_in_the_requested_format(executor: QueryExecutor) -> None:
    result = executor.run(QueryJob(SIMPLE))
    assert json.loads(result.body)["results"]["bindings"][0]["label"]["value"] == "VEGF"
    assert (result.kind, result.count, result.truncated) == ("solutions", 1, False)


def test_a_runaway_query_times_out_and_the_pool_recovers(executor: QueryExecutor) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        executor.run(QueryJob(CARTESIAN))
    assert time.monotonic() - started < 1.5 + 2
    for _ in range(3):
        assert executor.run(QueryJob(SIMPLE)).count == 1


def _wait_for_idle_pool(executor: QueryExecutor) -> None:
    deadline = time.monotonic() + 60
    while executor.available() < executor.size and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_simple_query_finishes_while_a_runaway_one_runs(executor: QueryExecutor) -> None:
    _wait_for_idle_pool(executor)
    finished: list[str] = []

    def hostile() -> None:
        try:
            executor.run(QueryJob(CARTESIAN))
        except QueryTimeout:
            finished.append("hostile timed out")

    thread = threading.Thread(target=hostile)
    thread.start()
    time.sleep(0.2)
    executor.run(QueryJob(SIMPLE))
    finished.append("simple")
    thread.join()
    assert finished == ["simple", "hostile timed out"]


def test_a_malformed_query_reports_the_parser_message(executor: QueryExecutor) -> None:
    with pytest.raises(SyntaxError, match="expected"):
        executor.run(QueryJob("SELECT * WHERE { ?s ?p }"))


def test_the_row_cap_cuts_a_result(executor: QueryExecutor) -> None:
    result = executor.run(
        QueryJob("SELECT ?s WHERE { ?s ?p ?o }", result_format="csv", row_limit=5)
    )
    assert result.truncated
    assert result.count == 5
    assert len(result.body.decode().strip().splitlines()) == 1 + 5
