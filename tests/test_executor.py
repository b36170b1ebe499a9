"""Queries run in killable worker processes; a runaway one is killed at the deadline."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest

from msckg.graph.build import STORE_DIRNAME, BuildReport
from msckg.graph.errors import FormatNotAcceptable, QuerySyntaxError
from msckg.graph.executor import (
    ExecutorBusy,
    QueryExecutor,
    QueryJob,
    QueryTimeout,
    WorkerCrashed,
)

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = "SELECT ?label WHERE { ent:VEGF rdfs:label ?label }"


#: Legitimate queries get a deadline no loaded CI machine reaches; only runaways meet theirs.
GENEROUS = 120.0
#: The deadline of the pool the runaway queries are sent to.
TINY = 1.0


@pytest.fixture(scope="module")
def executor(built: BuildReport) -> Iterator[QueryExecutor]:
    with QueryExecutor(built.out_dir / STORE_DIRNAME, workers=2, timeout=GENEROUS) as pool:
        yield pool


def _wait_for_idle_pool(executor: QueryExecutor) -> bool:
    deadline = time.monotonic() + 120
    while executor.available() < executor.size and time.monotonic() < deadline:
        time.sleep(0.05)
    return executor.available() == executor.size


def test_a_query_is_answered_in_the_requested_format(executor: QueryExecutor) -> None:
    result = executor.run(QueryJob(SIMPLE))
    assert json.loads(result.body)["results"]["bindings"][0]["label"]["value"] == "VEGF"
    assert (result.kind, result.count, result.truncated) == ("solutions", 1, False)


def test_a_runaway_query_times_out_and_its_worker_is_replaced(built: BuildReport) -> None:
    with QueryExecutor(built.out_dir / STORE_DIRNAME, workers=1, timeout=TINY) as hostile:
        assert _wait_for_idle_pool(hostile)
        with pytest.raises(QueryTimeout):
            hostile.run(QueryJob(CARTESIAN))
        # The killed worker's replacement joins the pool once its store is open.
        assert _wait_for_idle_pool(hostile)


def test_a_simple_query_finishes_while_a_runaway_one_runs(built: BuildReport) -> None:
    # One pool, a deadline the runaway cannot meet and the simple query always does: the
    # simple query must come back while the runaway still runs (order, not speed).
    pool = QueryExecutor(built.out_dir / STORE_DIRNAME, workers=2, timeout=GENEROUS)
    outcome: list[str] = []

    def hostile() -> None:
        try:
            pool.run(QueryJob(CARTESIAN))
            outcome.append("hostile finished")
        except (WorkerCrashed, ExecutorBusy):
            outcome.append("hostile stopped by close")

    thread = threading.Thread(target=hostile)
    try:
        thread.start()
        while pool.available() == pool.size and thread.is_alive():
            time.sleep(0.01)
        assert pool.run(QueryJob(SIMPLE)).count == 1
        assert thread.is_alive(), outcome
    finally:
        pool.close()
        thread.join()
    assert outcome == ["hostile stopped by close"]


def test_a_malformed_query_comes_back_explained_with_line_and_column(
    executor: QueryExecutor,
) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        executor.run(QueryJob("SELECT * WHERE {\n  ?s ?p ?o\n  ?s ?q ?r\n}"))
    error = caught.value
    assert (error.lineno, error.offset, error.problem) == (2, 11, "missing_dot")
    assert error.msg.startswith("expected '.' after '?o'")


@pytest.mark.parametrize("query", ["SELEKT ?s", "SELECT * WHERE { ?s ?p }"])
def test_a_malformed_query_is_reported_before_an_unacceptable_format(
    executor: QueryExecutor, query: str
) -> None:
    with pytest.raises(QuerySyntaxError):
        executor.run(QueryJob(query, result_format=None, graph_format=None))


@pytest.mark.parametrize(
    ("query", "kind"),
    [(SIMPLE, "solutions"), ("ASK { ?s ?p ?o }", "boolean"), ("DESCRIBE ent:VEGF", "triples")],
)
def test_a_well_formed_query_without_a_format_for_its_result_is_refused(
    executor: QueryExecutor, query: str, kind: str
) -> None:
    fitting = {"result_format": "json"} if kind == "triples" else {"graph_format": "turtle"}
    job = QueryJob(query, **{"result_format": None, "graph_format": None, **fitting})
    with pytest.raises(FormatNotAcceptable) as caught:
        executor.run(job)
    assert caught.value.kind == kind


def test_the_row_cap_cuts_a_result(executor: QueryExecutor) -> None:
    result = executor.run(
        QueryJob("SELECT ?s WHERE { ?s ?p ?o }", result_format="csv", row_limit=5)
    )
    assert result.truncated
    assert result.count == 5
    assert len(result.body.decode().strip().splitlines()) == 1 + 5
