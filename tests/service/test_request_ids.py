"""Every response has a request id (logged, and in error bodies) and the security headers."""

from __future__ import annotations

import json
import re
import time

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from live_http import LiveServer, fetch

from msckg.service.app import close_app, create_app
from msckg.service.cli import main
from msckg.service.settings import Settings

PATHS = ["/", "/health", "/api/entities?q=vegf", "/api/entities/ent:nothing_here", "/openapi.json"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_a_fresh_request_id(client: FlaskClient, path: str) -> None:
    first = client.get(path)
    second = client.get(path)
    assert re.fullmatch(r"[0-9a-f]{16}", first.headers["X-Request-Id"])
    assert first.headers["X-Request-Id"] != second.headers["X-Request-Id"]


def test_a_sane_client_request_id_is_echoed(client: FlaskClient) -> None:
    response = client.get("/health", headers={"X-Request-Id": "trace-42.a_b:c"})
    assert response.headers["X-Request-Id"] == "trace-42.a_b:c"


@pytest.mark.parametrize("given", ["x" * 65, "two words", "bad\u00e9id", "a;b", ""])
def test_an_odd_client_request_id_is_replaced(client: FlaskClient, given: str) -> None:
    response = client.get("/health", headers={"X-Request-Id": given})
    assert re.fullmatch(r"[0-9a-f]{16}", response.headers["X-Request-Id"])


def test_error_bodies_carry_the_request_id(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT * {"})
    assert response.status_code == 400
    assert response.json["request_id"] == response.headers["X-Request-Id"]
    missing = client.get("/no/such/page", headers={"X-Request-Id": "mine-1"})
    assert missing.status_code == 404
    assert missing.json["request_id"] == "mine-1"


@pytest.mark.parametrize("path", PATHS)
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert not re.search(r"https?:|\*", policy), policy


def test_the_page_allows_no_outside_origin(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.mimetype == "text/html"
    directives = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    for name in ("script-src", "connect-src"):
        assert directives[name] == "'self'"
    # styles: 'self' and YASGUI's two inline <style> elements by hash (test_web_page.py)
    assert directives["style-src"].startswith("'self' ")
    assert [source[:8] for source in directives["style-src"].split()[1:]] == ["'sha256-"] * 2


def test_the_app_never_runs_in_debug_mode(
    service_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app(service_settings.with_(workers=1))
    try:
        assert app.debug is False
        response = app.test_client().get("/no/such/page")
        assert response.status_code == 404
        assert "Traceback" not in response.get_data(as_text=True)
    finally:
        close_app(app)


@pytest.mark.parametrize("option", ["--debug", "--reload", "--debugger"])
def test_serve_has_no_debug_option(option: str) -> None:
    result = CliRunner().invoke(main, ["serve", option])
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_the_live_server_logs_each_request_with_its_id(live_server: LiveServer) -> None:
    reply = fetch(live_server.url + "/api/entities?q=vegf", headers={"X-Request-Id": "log-me-7"})
    assert reply.status == 200
    assert reply.headers["X-Request-Id"] == "log-me-7"
    assert json.loads(reply.body)["results"]
    line = re.compile(r"log-me-7 127\.0\.0\.1 GET /api/entities 200 [0-9.]+ms")
    deadline = time.monotonic() + 30
    while not line.search(live_server.log_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert line.search(live_server.log_text()), live_server.log_text()[-2000:]
