"""``msckg serve``: its options, a clear failure without a graph, headers when live."""

from __future__ import annotations

import json

from click.testing import CliRunner
from live_http import LiveServer, fetch

from msckg.service.cli import main


def test_serve_help_lists_host_port_timeout_and_data_dir() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--timeout", "--data-dir"):
        assert option in result.output


def test_serve_without_a_built_graph_fails_clearly(tmp_path) -> None:
    result = CliRunner().invoke(main, ["serve", "--data-dir", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "msckg build" in result.output


def test_the_live_server_is_waitress_with_security_headers(live_server: LiveServer) -> None:
    reply = fetch(live_server.url + "/")
    assert reply.status == 200
    assert reply.headers["Server"] == "msckg"
    assert "default-src 'none'" in reply.headers["Content-Security-Policy"]
    health = json.loads(fetch(live_server.url + "/health").body)
    assert health["status"] == "ok"
