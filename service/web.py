"""The page at ``/``: entity search, entity view with evidence, SPARQL editor; local assets."""

from __future__ import annotations

from flask import Blueprint, render_template

from msckg.service.context import services

__all__ = ["blueprint"]

blueprint = Blueprint(
    "web", __name__, static_folder="static", static_url_path="/static", template_folder="templates"
)


@blueprint.route("/")
def index() -> str:
    """The page; ``app.js`` fills it from the REST API and the SPARQL endpoint."""
    settings = services().settings
    return render_template(
        "index.html", timeout=f"{settings.timeout:g}", row_limit=settings.row_limit
    )
