"""The Flask application factory: open the store, start the query workers, add the blueprints."""

from __future__ import annotations

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

#: The page loads nothing from outside this origin; scripts and styles only from files it serves.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
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
