"""The page at ``/``: entity search with autocomplete, entity view with evidence, and a SPARQL editor; its assets are served from the package."""

from __future__ import annotations

from flask import Blueprint, render_template

from msckg.service.context import services

__all__ = ["blueprint"]

blueprint = Blueprint(
    "web", __name__, static_folder="static", static_url_path="/static", template_folder="templates"
)


@blueprint.route("/")
def index() -> str:
    """The page; everything on it is loaded from the REST API and the SPARQL endpoint by ``app.js``."""
    settings = services().settings
    return render_template("index.html", timeout=f"{settings.timeout:g}", row_limit=settings.row_limit)
