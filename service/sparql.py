"""The SPARQL 1.1 Protocol endpoint ``/sparql``: read-only, guarded, negotiated, CORS."""

from __future__ import annotations

import re

from flask import Blueprint, Request, Response, redirect, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from msckg.graph.description import serialize_description, service_description
from msckg.graph.errors import FormatNotAcceptable
from msckg.graph.executor import QueryJob
from msckg.graph.guard import UpdateRefused, check_query
from msckg.graph.store import SerializedResult
from msckg.queries import load_query
from msckg.service.context import services
from msckg.service.errors import ApiError
from msckg.service.jobs import run_job
from msckg.service.limits import MAX_GRAPH_IRI_LENGTH
from msckg.service.update import is_update_request, run_update

__all__ = [
    "CORS_PATHS",
    "GRAPH_MEDIA_TYPES",
    "RESULT_MEDIA_TYPES",
    "acceptable",
    "add_cors_headers",
    "answer_job",
    "blueprint",
    "negotiate",
]

blueprint = Blueprint("sparql", __name__)

#: Media types for SELECT and ASK results, first is the default; value: the engine's format name.
RESULT_MEDIA_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: Media types for CONSTRUCT and DESCRIBE results, first is the default.
GRAPH_MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
#: The media type each format is served as.
CONTENT_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
_GRAPH_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*")


#: Paths that browser clients on other origins may call; the page and its assets are not among them.
CORS_PATHS = ("/sparql", "/api/", "/health", "/openapi.json", "/.well-known/")


def add_cors_headers(response: Response) -> Response:
    """Let browser clients on any origin (YASGUI, Comunica, notebooks) call the API and endpoint.

    Installed on the whole app, so an error raised anywhere carries the headers too.
    """
    if not request.path.startswith(CORS_PATHS):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    response.headers["Access-Control-Expose-Headers"] = (
        "X-Msckg-Rows, X-Msckg-Truncated, Retry-After"
    )
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


def acceptable(req: Request, offered: dict[str, str]) -> str | None:
    """The format to answer in from the request's ``Accept`` header, ``None`` if none fits.

    :param req: the request
    :param offered: media type -> format name, the first being the default
    """
    if not req.accept_mimetypes:
        return next(iter(offered.values()))
    best = req.accept_mimetypes.best_match(list(offered))
    return None if best is None else offered[best]


def _not_acceptable(req: Request, offered: dict[str, str]) -> ApiError:
    return ApiError(
        406,
        "not_acceptable",
        f"cannot answer in {req.headers.get('Accept')!r}",
        available=list(offered),
    )


def negotiate(req: Request, offered: dict[str, str]) -> str:
    """Pick the format to answer in from the request's ``Accept`` header.

    :param req: the request
    :param offered: media type -> format name, the first being the default
    :returns: the format name
    :raises ApiError: 406 when the client accepts none of ``offered``
    """
    fmt = acceptable(req, offered)
    if fmt is None:
        raise _not_acceptable(req, offered)
    return fmt


def answer_job(job: QueryJob) -> Response:
    """Run ``job`` as the client's job (:func:`~msckg.service.jobs.run_job`) and respond with it.

    :raises ApiError: 406 when the job has no format for its kind of result (a query that does
        not parse is reported first, as a syntax error); 400 when the format does not fit it
    """
    try:
        result = run_job(job)
    except FormatNotAcceptable as error:
        offered = GRAPH_MEDIA_TYPES if error.kind == "triples" else RESULT_MEDIA_TYPES
        raise _not_acceptable(request, offered) from error
    except ValueError as error:
        raise ApiError(400, "bad_request", str(error)) from error
    return result_response(result)


def result_response(result: SerializedResult) -> Response:
    """Turn a serialized result into a response with its media type and row count headers."""
    response = Response(result.body, status=200, content_type=CONTENT_TYPES[result.format])
    response.headers["Vary"] = "Accept"
    if result.count is not None:
        response.headers["X-Msckg-Rows"] = str(result.count)
    if result.truncated:
        response.headers["X-Msckg-Truncated"] = f"true; row limit {services().settings.row_limit}"
    return response


def _only(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise ApiError(
            400, "bad_request", f"give the {name!r} parameter once, not {len(values)} times"
        )
    return values[0] if values else None


def _graph_iris(name: str) -> tuple[str, ...]:
    iris = request.args.getlist(name) + (
        request.form.getlist(name) if request.method == "POST" else []
    )
    for iri in iris:
        if len(iri) > MAX_GRAPH_IRI_LENGTH or not _GRAPH_IRI.fullmatch(iri):
            raise ApiError(400, "bad_request", f"{name} must be an absolute IRI, got {iri[:100]!r}")
    return tuple(iris)


def _query_text() -> str | None:
    """The query of a protocol request, from the URL, a form body or a ``sparql-query`` body."""
    in_url = _only(request.args.getlist("query"), "query")
    if request.method == "GET":
        if request.args.get("update") is not None:
            raise UpdateRefused("SPARQL Update is not allowed by GET: this endpoint is read-only")
        return in_url
    mimetype = request.mimetype
    if mimetype == "application/sparql-update" or request.form.get("update") is not None:
        raise UpdateRefused("SPARQL Update is not allowed: this endpoint is read-only")
    if mimetype == "application/x-www-form-urlencoded":
        in_body = _only(request.form.getlist("query"), "query")
    elif mimetype == "application/sparql-query":
        try:
            in_body = request.get_data(cache=False).decode("utf-8")
        except UnicodeDecodeError as error:
            raise ApiError(
                400, "bad_encoding", f"the query body is not UTF-8 ({error.reason})"
            ) from error
    else:
        raise ApiError(
            415,
            "unsupported_media_type",
            "POST a query as application/x-www-form-urlencoded or application/sparql-query",
        )
    if in_url is not None and in_body is not None:
        raise ApiError(
            400, "bad_request", "give the query either in the URL or in the body, not both"
        )
    return in_body if in_body is not None else in_url


def _describe_service() -> BaseResponse:
    # Only a client that prefers HTML (a browser) is sent to the editor; "*/*" gets RDF.
    if (
        request.accept_mimetypes
        and request.accept_mimetypes.best_match([*GRAPH_MEDIA_TYPES, "text/html"]) == "text/html"
    ):
        return redirect(url_for("web.index", _anchor="sparql"), code=303)
    fmt = negotiate(request, GRAPH_MEDIA_TYPES)
    store = services().store
    named = {iri.rsplit("/", 1)[-1]: iri for iri in store.named_graphs()}
    graph = service_description(
        url_for("sparql.endpoint", _external=True), url_for("sparql.void", _external=True), named
    )
    response = Response(serialize_description(graph, fmt), content_type=CONTENT_TYPES[fmt])
    response.headers["Vary"] = "Accept"
    return response


@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint() -> BaseResponse:
    """Answer a SPARQL query (GET ``query=``, POST form, POST ``application/sparql-query``).

    Without a query, a GET returns the Service Description (or, for a browser, the editor).
    A SPARQL Update (POST ``application/sparql-update`` or form ``update=``) is refused unless
    the server runs with ``--allow-update``: see :func:`msckg.service.update.run_update`.

    :raise 400: malformed query, SERVICE, nesting too deep, bad graph IRI, query given twice
    :raise 401: an update without a bearer token (updates allowed)
    :raise 403: SPARQL Update or LOAD (read-only), or a wrong update token
    :raise 406: no acceptable result format
    :raise 413: query or body too long
    :raise 415: POST body of another media type
    :raise 429: the client runs too many queries at once or spent its query seconds
    :raise 503: timeout, or every worker busy
    """
    if is_update_request():
        return run_update()
    text = _query_text()
    if text is None:
        if request.method == "POST":
            raise ApiError(400, "bad_request", "the request has no 'query'")
        return _describe_service()
    settings = services().settings
    check_query(
        text,
        max_length=settings.max_query_bytes,
        max_depth=settings.max_depth,
        allow_list=settings.fetch_allow_list,
    )
    # A format the client does not accept is refused only once the query has parsed: a
    # malformed query is a 400 whatever the Accept header says.
    job = QueryJob(
        text,
        result_format=acceptable(request, RESULT_MEDIA_TYPES),
        graph_format=acceptable(request, GRAPH_MEDIA_TYPES),
        row_limit=settings.row_limit,
        default_graphs=_graph_iris("default-graph-uri"),
        named_graphs=_graph_iris("named-graph-uri"),
    )
    return answer_job(job)


@blueprint.route("/.well-known/void")
def void() -> Response:
    """The VoID description of the dataset (Turtle, N-Triples, JSON-LD or RDF/XML by ``Accept``).

    Its ``void:sparqlEndpoint`` is the endpoint of the server the request came to.

    :raise 406: no acceptable RDF format
    """
    fmt = negotiate(request, GRAPH_MEDIA_TYPES)
    result = services().store.answer(
        load_query("void_description").text,
        {"endpoint": url_for("sparql.endpoint", _external=True)},
        graph_format=fmt,
        row_limit=1_000_000,
    )
    return result_response(result)
