"""The page at / and its assets: served locally, strict CSP, no outside origins."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def test_page_is_served_with_strict_security_headers(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_page_loads_nothing_from_outside(client: FlaskClient) -> None:
    html = client.get("/").data.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert not [source for source in sources if re.match(r"(https?:)?//", source)]
    assert "<script>" not in html
    assert "style=" not in html


def test_assets_are_small_and_served(client: FlaskClient) -> None:
    for asset, mimetype in (("/static/app.js", "text/javascript"), ("/static/app.css", "text/css")):
        with client.get(asset) as response:
            assert response.status_code == 200
            assert response.mimetype == mimetype
            assert len(response.data) < 40_000
            assert b"innerHTML" not in response.data
