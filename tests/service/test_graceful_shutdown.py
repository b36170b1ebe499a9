"""``msckg serve`` on SIGTERM stops accepting, finishes the requests in flight and exits 0."""

from __future__ import annotations

import json
import signal
import threading
import time
import urllib.parse

from live_http import Reply, fetch, start_server

from msckg.graph.build import BuildReport

#: About five seconds of work on the shipped graph: long enough to be seen in flight.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


def test_sigterm_lets_the_request_in_flight_finish_then_exits_0(built: BuildReport) -> None:
    server = start_server(built.out_dir, "--timeout", "300")
    try:
        replies: list[Reply] = []
        url = f"{server.url}/sparql?" + urllib.parse.urlencode({"query": SLOW})
        request = threading.Thread(target=lambda: replies.append(fetch(url, timeout=300)))
        request.start()
        # Wait (not time) until a worker is busy with the query: then it is in flight.
        in_flight = False
        deadline = time.monotonic() + 120
        while not in_flight and not replies and time.monotonic() < deadline:
            health = json.loads(fetch(f"{server.url}/health").body)
            in_flight = health["idle_workers"] < health["query_workers"]
        assert in_flight, "the slow query was never seen running"

        server.process.send_signal(signal.SIGTERM)
        request.join(timeout=300)
        assert server.process.wait(timeout=300) == 0
        assert replies, "the request in flight got no answer"
        assert replies[0].status == 200
        rows = json.loads(replies[0].body)["results"]["bindings"]
        assert int(rows[0]["n"]["value"]) > 0
        log = server.log_text()
        assert "stop requested" in log
        assert "msckg: stopped" in log
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()
        server.log.unlink(missing_ok=True)
