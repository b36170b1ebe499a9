"""The Flask application factory: open the store, start the query workers, add the blueprints."""

from __future__ import annotations

import base64
import hashlib
import secrets

from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider

from msckg.service.backend import open_backend
from msckg.service.context import EXTENSION, Services
from msckg.service.errors import register_error_handlers
from msckg.service.jobs import install_arrival_clock
from msckg.service.ratelimit import QueryBudget
from msckg.service.requestlog import install_request_log
from msckg.service.settings import Settings
from msckg.service.update import check_update_settings, install_update

__all__ = ["close_app", "create_app"]

#: The only inline styles the page allows: the two fixed <style> elements that YASGUI's result
#: table adds (its column resizer: grip layout, and the cursor while a column is dragged). They
#: are allowed by their SHA-256 hash, so no other inline style runs; tests/service/test_web_page.py
#: checks that the vendored bundle still holds these exact texts.
EDITOR_INLINE_STYLES = (
    " .grip-resizable{table-layout:fixed;} .grip-resizable > tbody > tr > td, "
    ".grip-resizable > tbody > tr > th{overflow:hidden} .grip-padding > tbody > tr > td, "
    ".grip-padding > tbody > tr > th{padding-left:0!important; padding-right:0!important;} "
    ".grip-container{ height:0px; position:relative;} .grip-handle{margin-left:-5px; "
    "position:absolute; z-index:5; } .grip-handle .grip-resizable{position:absolute;"
    "background-color:red;filter:alpha(opacity=1);opacity:0;width:10px;height:100%;"
    "cursor: col-resize;top:0px} .grip-lastgrip{position:absolute; width:1px; } .grip-drag{ "
    "border-left:1px dotted black;\t} .grip-flex{width:auto!important;} "
    ".grip-handle.grip-disabledgrip .grip-resizable{cursor:default; display:none;}",
    "*{cursor:col-resize!important}",
)


def _style_hash(css: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


#: The page loads nothing from outside this origin; scripts and styles only from files it serves,
#: plus YASGUI's two inline styles above, by hash.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; "
    f"style-src 'self' {' '.join(_style_hash(css) for css in EDITOR_INLINE_STYLES)}; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def create_app(settings: Settings) -> Flask:
    """Build the app serving the graph in ``settings.data_dir``, or the remote ``settings.store``.

    :param settings: where the graph is and the limits to enforce
    :returns: the app; call :func:`close_app` to stop its query workers
    :raises StoreError: when there is no built store in ``settings.data_dir``
    :raises ValueError: for ``--allow-update`` without a token or with a remote store
    """
    from msckg.service import analysis, api, sparql, statements, web

    check_update_settings(settings, local=not settings.store)
    store, executor = open_backend(settings)
    app = Flask(__name__, static_folder=None)
    # Flask reads FLASK_DEBUG from the environment; the debugger would run code sent to it.
    app.debug = False
    app.config.from_mapping(
        SECRET_KEY=secrets.token_hex(16),
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
    )
    if isinstance(app.json, DefaultJSONProvider):  # keep the order the handlers chose
        app.json.sort_keys = False
    budget = QueryBudget(
        concurrent=settings.max_concurrent_queries,
        queued=settings.max_queued_queries,
        seconds_per_minute=settings.query_seconds_per_minute,
    )
    app.extensions[EXTENSION] = Services(settings, store, executor, budget)
    install_request_log(app)
    install_arrival_clock(app)
    install_update(app, settings)
    register_error_handlers(app)
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(api.blueprint)
    app.register_blueprint(analysis.blueprint)
    app.register_blueprint(statements.blueprint)
    app.register_blueprint(web.blueprint)
    app.after_request(sparql.add_cors_headers)
    app.after_request(_security_headers)
    return app


def close_app(app: Flask) -> None:
    """Stop the query workers of ``app`` and release its store."""
    app.extensions[EXTENSION].close()
