"""The page at / and its assets: served locally, strict CSP, no outside origins."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from optional_tools import requires_tool

from msckg.service import web
from msckg.service.app import EDITOR_INLINE_STYLES

STATIC = Path(web.__file__).parent / "static"


def _directives(policy: str) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_page_is_served_with_strict_security_headers(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
        for css in EDITOR_INLINE_STYLES
    ]
    # What YASGUI needs beyond 'self' is exactly two inline <style> elements, by hash.
    assert _directives(policy) == {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", *hashes],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@requires_tool("yasgui")
def test_the_inline_styles_allowed_are_the_ones_yasgui_adds() -> None:
    """A new YASGUI version that changes them fails here, not silently in the browser."""
    bundle = (STATIC / "vendor" / "yasgui.min.js").read_text(encoding="utf-8")
    grips, drag_cursor = EDITOR_INLINE_STYLES
    assert f"createStyle(a,`{grips}`)" in bundle
    assert "`*{cursor:`+n.opt.dragCursor+`!important}`" in bundle
    assert drag_cursor == "*{cursor:col-resize!important}" and "dragCursor:`col-resize`" in bundle


def test_page_loads_nothing_from_outside(client: FlaskClient) -> None:
    html = client.get("/").data.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert not [source for source in sources if re.match(r"(https?:)?//", source)]
    assert "<script>" not in html
    assert "style=" not in html


def test_assets_are_small_and_served(client: FlaskClient) -> None:
    for asset, mimetype in (
        ("/static/app.js", "text/javascript"),
        ("/static/app.css", "text/css"),
        ("/static/editor.js", "text/javascript"),
        ("/static/editor.css", "text/css"),
    ):
        with client.get(asset) as response:
            assert response.status_code == 200
            assert response.mimetype == mimetype
            assert len(response.data) < 40_000
            assert b"innerHTML" not in response.data


@requires_tool("yasgui")
def test_the_editor_is_yasgui_served_from_here(client: FlaskClient) -> None:
    html = client.get("/").data.decode()
    for asset in web.EDITOR_ASSETS:
        assert f'/static/{asset}"' in html
        with client.get(f"/static/{asset}") as response:
            assert response.status_code == 200
    assert 'id="yasqe"' in html and 'id="query"' not in html  # the old textarea is gone


def test_without_yasgui_the_page_says_how_to_install_it(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web, "EDITOR_ASSETS", ("vendor/not-installed.js",))
    html = client.get("/").data.decode()
    assert "make install" in html and "npm" in html
    assert "vendor/" not in html
