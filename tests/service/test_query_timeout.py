"""A hostile query times out; a simple query from another client is answered first."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse

import pytest
from live_http import LiveServer, fetch

HOSTILE = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT ?s ?o WHERE { ?s (rdfs:label|!rdfs:label)* ?o . ?x (rdfs:label|!rdfs:label)* ?y } "
    "ORDER BY ?s",
]


def _wait_for_idle_pool(server: LiveServer) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        health = json.loads(fetch(f"{server.url}/health").body)
        if health["idle_workers"] == health["query_workers"]:
            return
        time.sleep(0.05)


def _sparql_url(server: LiveServer, query: str) -> str:
    return f"{server.url}/sparql?" + urllib.parse.urlencode({"query": query})


@pytest.mark.parametrize("hostile", HOSTILE)
def test_simple_query_finishes_before_the_hostile_one_which_times_out(
    slow_server: LiveServer, hostile: str
) -> None:
    _wait_for_idle_pool(slow_server)
    order: list[str] = []
    replies = {}

    def run_hostile() -> None:
        replies["hostile"] = fetch(_sparql_url(slow_server, hostile))
        order.append("hostile")

    thread = threading.Thread(target=run_hostile)
    thread.start()
    time.sleep(0.3)
    simple = fetch(_sparql_url(slow_server, "ASK { ent:VEGF rdfs:label ?l }"))
    order.append("simple")
    thread.join()
    assert simple.status == 200
    assert order == ["simple", "hostile"]
    assert replies["hostile"].status == 503
    assert json.loads(replies["hostile"].body)["error"] == "query_timeout"
    assert replies["hostile"].headers["Retry-After"]


def test_the_server_answers_normally_after_timeouts(slow_server: LiveServer) -> None:
    for _ in range(2):
        assert fetch(_sparql_url(slow_server, HOSTILE[0])).status == 503
    _wait_for_idle_pool(slow_server)
    for _ in range(5):
        assert fetch(_sparql_url(slow_server, "ASK { ent:VEGF ?p ?o }")).status == 200
    assert fetch(f"{slow_server.url}/health").status == 200
