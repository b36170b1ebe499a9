"""The ``msckg`` command: validate, build, stats, query, serve. Each command parses, calls one library function, prints.

Results go to stdout; progress and problems to stderr. Exit codes: 0 ok, 1 bad input or
failure (after listing every problem), 2 usage.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from msckg import __version__
from msckg.service.limits import DEFAULT_K, DEFAULT_RADIUS, MAX_K, MAX_LENGTH, MAX_RADIUS

__all__ = ["main"]

_DATA_DIR = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the built graph [env MSCKG_DATA_DIR; default ~/.local/share/msckg].",
)
STORE_OPTION = click.option(
    "--store",
    metavar="URL",
    default=None,
    expose_value=False,
    callback=lambda ctx, _param, value: ctx.meta.__setitem__("msckg.store", value),
    help="SPARQL 1.1 query endpoint of a remote store to use instead of the local one "
    "[env MSCKG_STORE]; see 'Remote stores' in the README.",
)


def DATA_DIR_OPTION(command: Any) -> Any:  # noqa: N802 (used like the other option objects)
    """``--data-dir`` and ``--store``: where the graph is, locally or on a SPARQL endpoint."""
    return STORE_OPTION(_DATA_DIR(command))


CURATION_OPTION = click.option(
    "--curation",
    "curation_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of entities.tsv, references.tsv, statements.tsv [default: the shipped files].",
)
QUERY_FORMATS = ["table", "json", "xml", "csv", "tsv", "turtle", "ntriples", "rdfxml"]


def _checked_base(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    from msckg.graph.store import check_base_iri

    try:
        return None if value is None else check_base_iri(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


BASE_OPTION = click.option(
    "--base",
    "base_iri",
    metavar="IRI",
    default=None,
    callback=_checked_base,
    help="Resolve relative IRIs in the files against this absolute IRI "
    "[default: each file's own file:// IRI].",
)


def _store_url() -> str | None:
    context = click.get_current_context(silent=True)
    return context.meta.get("msckg.store") if context else None


def _settings(data_dir: Path | None) -> Any:
    from msckg.service.settings import Settings

    try:
        return Settings.from_env(data_dir=data_dir, store=_store_url())
    except ValueError as error:
        _fail(str(error))


def _fail(*lines: str) -> NoReturn:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1)


def _err(message: str) -> None:
    click.echo(message, err=True)


def _curation_args(curation_dir: Path | None) -> dict[str, Any]:
    from msckg.graph.curation import CURATION_DIR

    return {"curation_dir": curation_dir or CURATION_DIR, "display_root": Path.cwd()}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="msckg")
def main() -> None:
    """msckg: knowledge graph of MSC therapy for Asherman's syndrome and endometriosis."""


@main.command()
@CURATION_OPTION
def validate(curation_dir: Path | None) -> None:
    """Check the curation files; print every problem as FILE:LINE: MESSAGE."""
    from msckg.graph.build import validate as run_validation
    from msckg.graph.errors import CurationError

    try:
        curation = run_validation(**_curation_args(curation_dir))
    except CurationError as error:
        _fail(*error.problems, f"{len(error.problems)} problem(s) found")
    click.echo(
        f"ok: {len(curation.entities)} entities, {len(curation.references)} references, "
        f"{len(curation.statements)} statements"
    )


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder [default: the data dir].",
)
@DATA_DIR_OPTION
@CURATION_OPTION
@click.option(
    "--reasoner",
    type=click.Choice(["auto", "hermit", "owlrl"]),
    default="auto",
    show_default=True,
    help="HermiT needs Java; auto falls back to OWL-RL without it.",
)
def build(
    out: Path | None, data_dir: Path | None, curation_dir: Path | None, reasoner: str
) -> None:
    """Validate, reason and write the graph files and the store."""
    from msckg.graph.build import build as run_build
    from msckg.graph.errors import BuildError, CurationError

    settings = _settings(data_dir)
    target = out or settings.data_dir
    try:
        report = run_build(
            target,
            reasoner=reasoner,
            progress=lambda m: _err(f"msckg: {m}"),
            **_curation_args(curation_dir),
        )
    except CurationError as error:
        _fail(*error.problems, f"{len(error.problems)} problem(s) found; nothing was written")
    except (BuildError, ValueError) as error:
        _fail(f"msckg: build failed: {error}; nothing was written")
    if report.reasoner_note:
        _err(f"msckg: {report.reasoner_note}")
    click.echo(f"reasoner: {report.reasoner}")
    click.echo(
        f"entities: {report.entities}, statements: {report.statements}, references: {report.references}"
    )
    for name, count in report.triples.items():
        click.echo(f"{name} triples: {count}")
    click.echo(f"output: {report.out_dir}")
    if settings.store:
        _publish(report.out_dir, settings)


def _publish(out_dir: Path, settings: Any) -> None:
    """Upload the build's named graphs to the remote store, each replacing its old version."""
    from msckg.graph.build import publish
    from msckg.service.backend import remote_store_from_settings

    try:
        sent = publish(
            out_dir, remote_store_from_settings(settings), progress=lambda m: _err(f"msckg: {m}")
        )
    except (OSError, ValueError) as error:
        _fail(f"msckg: upload to {settings.store} failed: {error}; the local build is complete")
    click.echo(f"uploaded to {settings.store}: " + ", ".join(f"{k} {v}" for k, v in sent.items()))


def _open(data_dir: Path | None, *, read_only: bool = True) -> Any:
    from msckg.graph.errors import StoreError
    from msckg.service.backend import store_from_settings

    settings = _settings(data_dir)
    try:
        return store_from_settings(settings, read_only=read_only)
    except (StoreError, ValueError) as error:
        _fail(f"msckg: {error}")


@main.command()
@DATA_DIR_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def stats(data_dir: Path | None, fmt: str) -> None:
    """Count triples per named graph, entities per class and relations per predicate."""
    from rich.console import Console
    from rich.table import Table

    from msckg.graph import analysis

    try:
        counts = analysis.stats(_open(data_dir))
    except OSError as error:  # a remote store that is down, refuses or is too slow
        _fail(f"msckg: {error}")
    if fmt == "json":
        click.echo(json.dumps(counts, indent=2))
        return
    console = Console()
    for title, rows in (
        ("Named graphs", counts["graphs"]),
        ("Entities by class", counts["classes"]),
        ("Relations by predicate", counts["predicates"]),
    ):
        table = Table(title=title)
        for column in ("id", "label", "count"):
            table.add_column(column, justify="right" if column == "count" else "left")
        for row in rows:
            table.add_row(row["id"], row["label"], str(row["count"]))
        console.print(table)


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        parsed[key] = value
    return parsed


def _print_table(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from msckg.graph.store import table_from_result
    from msckg.ontology import CONVERTER

    table = table_from_result(result, lambda iri: CONVERTER.compress(iri) or iri)
    if table.boolean is not None:
        click.echo("true" if table.boolean else "false")
        return
    if table.turtle is not None:
        click.echo(table.turtle, nl=False)
        return
    shown = Table(*table.columns)
    for row in table.rows:
        shown.add_row(*row)
    Console(width=200).print(shown)
    click.echo(f"{len(table.rows)} row(s)", err=True)


@main.command()
@click.argument("query", required=False)
@click.option("--name", help="Run a named query from queries/ instead (see --list).")
@click.option(
    "--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind a named query's parameter."
)
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(QUERY_FORMATS),
    default="table",
    show_default=True,
    help="json/xml/csv/tsv: SPARQL 1.1 results; turtle/ntriples/rdfxml: for CONSTRUCT.",
)
@DATA_DIR_OPTION
def query(
    query: str | None,
    name: str | None,
    params: tuple[str, ...],
    list_: bool,
    fmt: str,
    data_dir: Path | None,
) -> None:
    """Run a SPARQL query (text, or a path to a .rq file) or a named query against the built graph.

    The prefixes ent:, msckg:, graph:, rdfs:, skos: ... are predeclared.
    """
    from msckg.graph.store import serialize_result
    from msckg.queries import UnknownQuery, list_queries, load_query

    if list_:
        for named in list_queries():
            declared = ", ".join(f"{p.name}={p.default or ''}" for p in named.params)
            click.echo(
                f"{named.name}: {named.question}" + (f" [params: {declared}]" if declared else "")
            )
        return
    if (query is None) == (name is None):
        raise click.UsageError("give either a QUERY (text or file) or --name NAME")
    bindings: dict[str, str] = {}
    if name is not None:
        try:
            named = load_query(name)
            bindings = named.bindings(_parse_params(params))
        except (UnknownQuery, ValueError) as error:
            _fail(f"msckg: {error}")
        text, origin = named.text, f"{name}.rq"
    elif query is not None:
        if params:
            raise click.UsageError("--param only applies to --name")
        path = Path(query) if len(query) < 4096 and "\n" not in query else None
        if path is not None and path.suffix in {".rq", ".sparql"} and path.is_file():
            text, origin = path.read_text(encoding="utf-8"), str(path)
        else:
            text, origin = query, "query"
    store = _open(data_dir)
    try:
        result = store.query(text, bindings)
        if fmt == "table":
            _print_table(result)
        else:
            sys.stdout.buffer.write(serialize_result(result, fmt))
            sys.stdout.buffer.flush()
    except SyntaxError as error:
        _fail(*_syntax_error_lines(origin, error))
    except ValueError as error:
        _fail(f"msckg: {error}")
    except OSError as error:
        _fail(f"msckg: query failed: {error}")


def _syntax_error_lines(origin: str, error: SyntaxError) -> list[str]:
    """``origin:line:column: SPARQL syntax error: ...``, then the line and a caret under the column."""
    line, column = error.lineno or 0, error.offset or 0
    lines = [f"{origin}:{line}:{column}: SPARQL syntax error: {error.msg}"]
    if error.text and column > 0:
        shown = error.text.rstrip("\n").replace("\t", " ")
        gutter = f"{line:>5} | "
        lines += [gutter + shown, " " * (len(gutter) - 2) + "| " + " " * (column - 1) + "^"]
    return lines


@main.command()
@click.option(
    "--host", default=None, help="Interface to listen on [env MSCKG_HOST; default 127.0.0.1]."
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Port to listen on [env MSCKG_PORT; default 8000].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 3600),
    default=None,
    help="Seconds a SPARQL query may run [env MSCKG_TIMEOUT; default 10].",
)
@DATA_DIR_OPTION
@click.option(
    "--data",
    "data_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Serve these RDF files (repeatable) instead of a built graph; they are loaded into a "
    "temporary store first, and served once all are in.",
)
@BASE_OPTION
@click.option(
    "--allow-update",
    is_flag=True,
    default=False,
    help="Accept SPARQL Update at /sparql from clients with the bearer token "
    "[env MSCKG_READ_ONLY=false; default: read-only].",
)
@click.option(
    "--update-token-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="File holding the update bearer token [env MSCKG_UPDATE_TOKEN].",
)
def serve(
    host: str | None,
    port: int | None,
    timeout: float | None,
    data_dir: Path | None,
    data_files: tuple[Path, ...],
    base_iri: str | None,
    allow_update: bool,
    update_token_file: Path | None,
) -> None:
    """Serve the SPARQL endpoint, the REST API and the web page (waitress; never a debug server).

    SIGTERM or Ctrl-C stops it: no new connections, requests in flight are answered
    (for up to MSCKG_SHUTDOWN_GRACE seconds, default 30), then it exits 0.
    """
    if data_files and data_dir is not None:
        raise click.UsageError("give either --data FILE... or --data-dir, not both")
    if base_iri is not None and not data_files:
        raise click.UsageError("--base applies to --data FILE...; give it with --data")
    token = update_token_file.read_text(encoding="utf-8").strip() if update_token_file else None
    if update_token_file is not None and not token:
        _fail(f"msckg: {update_token_file} is empty; it must hold the update token")
    writes = {"read_only": False} if allow_update else {}
    with contextlib.ExitStack() as cleanup:
        if data_files:
            data_dir = _load_data(cleanup, data_files, base_iri)
        _serve(host, port, timeout, data_dir, update_token=token, **writes)


def _load_data(
    cleanup: contextlib.ExitStack, files: tuple[Path, ...], base_iri: str | None
) -> Path:
    """Load ``files`` into a temporary data dir that ``cleanup`` removes (on SIGTERM too); exit 1 on a bad file."""
    import signal

    from msckg.graph.build import STORE_DIRNAME
    from msckg.graph.textindex import build_text_index
    from msckg.service.datafiles import loaded_data_dir

    # A normal exit on SIGTERM, so the temporary store is removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        loaded = loaded_data_dir(files, lambda line: _err(f"msckg: {line}"), base_iri=base_iri)
        data_dir = cleanup.enter_context(loaded)
        build_text_index(data_dir / STORE_DIRNAME)
        return data_dir
    except SyntaxError as error:
        _fail(f"{error.filename}:{error.lineno}:{error.offset}: {error.msg}; nothing is served")
    except ValueError as error:
        _fail(f"msckg: {error}; nothing is served")


def _log_to_stderr() -> None:
    """Send the access log (one line per request, with its id) and waitress's warnings to stderr."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.set_name("msckg-serve")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name, level in (("msckg", logging.INFO), ("waitress", logging.WARNING)):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        for old in [h for h in logger.handlers if h.get_name() == "msckg-serve"]:
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.propagate = False


def _serve(
    host: str | None, port: int | None, timeout: float | None, data_dir: Path | None, **options: Any
) -> None:
    from msckg.graph.errors import StoreError
    from msckg.service.app import close_app, create_app
    from msckg.service.serving import serve_until_stopped
    from msckg.service.settings import Settings

    try:
        settings = Settings.from_env(
            data_dir=data_dir, host=host, port=port, timeout=timeout, store=_store_url(), **options
        )
        app = create_app(settings)
    except ValueError as error:
        _fail(str(error))
    except StoreError as error:
        _fail(f"msckg: {error}")
    _err(
        f"msckg: serving {settings.store or settings.data_dir} at http://{settings.host}:{settings.port}/ "
        f"(SPARQL at /sparql, API at /api, OpenAPI at /openapi.json); Ctrl-C or SIGTERM stops"
    )
    if not settings.read_only:
        _err("msckg: SPARQL Update is allowed at /sparql with the bearer token")
    _log_to_stderr()
    try:
        serve_until_stopped(
            app,
            host=settings.host,
            port=settings.port,
            threads=settings.server_threads,
            max_body_bytes=settings.max_body_bytes,
            grace=settings.shutdown_grace,
        )
    finally:
        close_app(app)
    _err("msckg: stopped")


@main.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--graph",
    default="https://w3id.org/msckg/graph/external",
    show_default=True,
    help="IRI of the named graph that receives the triples.",
)
@click.option(
    "--batch-size",
    default=100_000,
    show_default=True,
    type=click.IntRange(1, 10_000_000),
    help="Triples per transaction.",
)
@BASE_OPTION
@DATA_DIR_OPTION
def load(
    files: tuple[Path, ...],
    graph: str,
    batch_size: int,
    base_iri: str | None,
    data_dir: Path | None,
) -> None:
    """Bulk-load RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD; .gz too) into the store.

    Each file is checked whole before anything is written, then streamed in transactions:
    an interrupted load keeps every finished batch and no partial one.
    """
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    from msckg.graph.network import build_stamp, mark_changed
    from msckg.graph.store import check_rdf_file
    from msckg.graph.textindex import index_path, write_text_index

    for path in files:
        try:
            with Progress(
                TextColumn(f"checking {path.name}"),
                BarColumn(),
                DownloadColumn(),
                console=_stderr_console(),
                transient=True,
                disable=not sys.stderr.isatty(),
            ) as progress:
                task = progress.add_task("check", total=path.stat().st_size)
                check_rdf_file(path, functools.partial(progress.advance, task), base_iri=base_iri)
        except SyntaxError as error:
            _fail(
                f"{error.filename}:{error.lineno}:{error.offset}: {error.msg}; nothing was loaded"
            )
        except ValueError as error:
            _fail(f"msckg: {error}")
    store = _open(data_dir, read_only=False)
    if store.path is not None:  # the caches of the build (name index, projection) go stale
        mark_changed(store.path)
    for path in files:
        with Progress(
            TextColumn(f"loading {path.name}"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[triples]:,} triples"),
            TimeElapsedColumn(),
            console=_stderr_console(),
            disable=not sys.stderr.isatty(),
        ) as progress:
            task = progress.add_task("load", total=path.stat().st_size, triples=0)
            try:
                report = store.load_rdf(
                    path,
                    graph,
                    batch_size=batch_size,
                    on_read=lambda n, t=task: progress.advance(t, n),
                    on_commit=lambda _b, total, t=task: progress.update(t, triples=total),
                    base_iri=base_iri,
                )
            except (OSError, ValueError) as error:  # a remote store that is down or refuses
                _fail(f"msckg: loading {path} failed: {error}; finished batches are stored")
        seconds = progress.tasks[0].finished_time or progress.tasks[0].elapsed or 0.0
        rate = report.triples / seconds if seconds else 0.0
        click.echo(
            f"{path}: {report.triples} triples into <{graph}> in {report.batches} "
            f"transaction(s), {seconds:.1f} s ({rate:,.0f} triples/s)"
        )
    if store.path is not None:
        mark_changed(store.path)
        write_text_index(store, index_path(store.path), build_stamp(store.path))
        _err("msckg: indexed the entity names for search")


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


ANALYSIS_FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for scripts.",
)
DIRECTED_OPTION = click.option(
    "--directed/--undirected",
    default=False,
    show_default=True,
    help="Follow edges from subject to object only, or in both directions.",
)


def _whole_graph(store: Any, call: Any) -> Any:
    """Run a whole-graph analysis; build the projection it needs first if it is not there."""
    from msckg.graph.errors import ProjectionNotReady
    from msckg.graph.projection import build_projection

    try:
        return _guarded(call)
    except ProjectionNotReady:
        _err("msckg: projecting the whole graph (once per build)")
        build_projection(store.path)
        return _guarded(call)


def _guarded(call: Any) -> Any:
    from msckg.graph.errors import EntityNotFound, StoreError, ToolMissing, UnknownFormat

    try:
        return call()
    except (EntityNotFound, UnknownFormat, ToolMissing, ValueError, StoreError) as error:
        message = (
            error.args[0] if isinstance(error, (EntityNotFound, UnknownFormat)) else str(error)
        )
        _fail(f"msckg: {message}")


def _hop_text(edge: dict[str, Any], here: str, labels: dict[str, str]) -> str:
    forward = edge["source"] == here
    there = edge["target"] if forward else edge["source"]
    arrow = f"-[{edge['label']}]->" if forward else f"<-[{edge['label']}]-"
    return f"{arrow} {labels[there]}"


def _statement_lines(statements: list[dict[str, Any]]) -> list[str]:
    lines = []
    for s in statements:
        refs = "; ".join(f"{r['label']} doi:{r['doi']}" for r in s["references"]) or "the editorial"
        lines.append(
            f"        {s['id']}: {s['evidence'].replace('_', ' ')}, {s['hedging']}"
            f" [{s['locator']}] ({refs})"
        )
    return lines


def _print_paths(paths: list[dict[str, Any]]) -> None:
    for number, path in enumerate(paths, 1):
        labels = {node["id"]: node["label"] for node in path["nodes"]}
        score = path["score"]
        weakest = (score.get("weakest_evidence") or "none").replace("_", " ")
        extra = f", PDP {score['pdp']}" if "pdp" in score else ""
        click.echo(
            f"path {number}: {path['length']} edge(s), weakest link {weakest} "
            f"({score['weakest_link']}), combined {score['combined']:.3f}{extra}"
        )
        here = path["nodes"][0]["id"]
        click.echo(f"  {labels[here]}")
        for edge in path["edges"]:
            click.echo(f"    {_hop_text(edge, here, labels)}")
            click.echo("\n".join(_statement_lines(edge["statements"])))
            here = edge["target"] if edge["source"] == here else edge["source"]


@main.command()
@click.argument("source")
@click.argument("target")
@click.option(
    "--k",
    "k",
    type=click.IntRange(1, MAX_K),
    default=DEFAULT_K,
    show_default=True,
    help="How many shortest paths.",
)
@click.option(
    "--max-length",
    type=click.IntRange(1, MAX_LENGTH),
    default=None,
    help=f"Longest path in edges [default: {MAX_LENGTH}; 4 with --all].",
)
@click.option(
    "--all",
    "all_paths",
    is_flag=True,
    help="Every simple path up to --max-length instead of the k shortest.",
)
@click.option(
    "--min-evidence",
    default=None,
    help="Only edges with a statement this strong (e.g. animal_model).",
)
@click.option(
    "--predicate", "predicates", multiple=True, help="Only edges with this predicate (repeatable)."
)
@click.option(
    "--type",
    "node_types",
    multiple=True,
    help="Only intermediate nodes of this class (repeatable).",
)
@DIRECTED_OPTION
@ANALYSIS_FORMAT_OPTION
@DATA_DIR_OPTION
def path(
    source: str,
    target: str,
    k: int,
    max_length: int | None,
    all_paths: bool,
    min_evidence: str | None,
    predicates: tuple[str, ...],
    node_types: tuple[str, ...],
    directed: bool,
    fmt: str,
    data_dir: Path | None,
) -> None:
    """Paths from SOURCE to TARGET (ids, labels or synonyms) with the evidence of every edge."""
    from msckg.graph import analysis

    store = _open(data_dir)
    result = _guarded(
        lambda: analysis.paths(
            store,
            source,
            target,
            k=k,
            max_length=max_length,
            all_paths=all_paths,
            predicates=predicates,
            types=node_types,
            min_evidence=min_evidence,
            directed=directed,
        )
    )
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    elif result["paths"]:
        _print_paths(result["paths"])
    if not result["paths"]:
        _err(f"msckg: {result['reason']}")


@main.command()
@click.argument("entity")
@click.option(
    "--radius",
    type=click.IntRange(0, MAX_RADIUS),
    default=DEFAULT_RADIUS,
    show_default=True,
    help="Hops from ENTITY.",
)
@ANALYSIS_FORMAT_OPTION
@DATA_DIR_OPTION
def neighbors(entity: str, radius: int, fmt: str, data_dir: Path | None) -> None:
    """The entities within --radius hops of ENTITY, either direction, and the edges among them."""
    from msckg.graph import analysis

    store = _open(data_dir)
    summary = _guarded(lambda: analysis.neighborhood(store, entity, radius))
    del summary["elements"]
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    for node in summary["nodes"]:
        click.echo(f"{node['distance']}\t{node['id']}\t{node['label']}\t{node['type']}")
    _err(f"{len(summary['nodes'])} entities, {len(summary['edges'])} relations")


@main.command()
@click.option(
    "--by",
    type=click.Choice(["pagerank", "betweenness", "degree"]),
    default="pagerank",
    show_default=True,
    help="Centrality measure.",
)
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@ANALYSIS_FORMAT_OPTION
@DATA_DIR_OPTION
def rank(by: str, limit: int, fmt: str, data_dir: Path | None) -> None:
    """Rank entities by centrality: the hubs of the graph (e.g. mechanisms many paths go through)."""
    from msckg.graph import analysis

    store = _open(data_dir)
    result = _whole_graph(store, lambda: analysis.rank(store, by, limit))
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    for number, r in enumerate(result["entities"], 1):
        click.echo(f"{number}\t{r['score']:.4f}\t{r['id']}\t{r['label']}\t{r['type']}")


@main.command()
@click.argument("source")
@click.argument("target")
@click.option(
    "--pattern", required=True, help="Node types in order, e.g. CellSource,CellType,GrowthFactor."
)
@click.option(
    "--damping",
    type=click.FloatRange(0, 5),
    default=0.4,
    show_default=True,
    help="DWPC exponent w.",
)
@click.option("--min-evidence", default=None, help="Only edges with a statement this strong.")
@click.option(
    "--directed/--undirected",
    default=False,
    show_default=True,
    help="Follow edges from subject to object only, or in both directions.",
)
@ANALYSIS_FORMAT_OPTION
@DATA_DIR_OPTION
def metapaths(
    source: str,
    target: str,
    pattern: str,
    damping: float,
    min_evidence: str | None,
    directed: bool,
    fmt: str,
    data_dir: Path | None,
) -> None:
    """Count and list the paths from SOURCE to TARGET that follow --pattern, with their DWPC."""
    from msckg.graph import analysis

    store = _open(data_dir)
    result = _guarded(
        lambda: analysis.metapaths(
            store,
            source,
            target,
            pattern,
            damping=damping,
            min_evidence=min_evidence,
            directed=directed,
        )
    )
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    click.echo(f"{result['count']} path(s), DWPC {result['dwpc']:.6f} (damping {damping})")
    _print_paths(result["paths"])


def _other_lines(kind: str, others: list[dict[str, Any]]) -> list[str]:
    if not others:
        return [f"  {kind}: none"]
    lines = [f"  {kind}:"]
    for o in others:
        refs = "; ".join(f"doi:{r['doi']}" for r in o["references"]) or "the editorial"
        lines.append(
            f"    {o['id']} ({o['polarity']}): {o['evidence'].replace('_', ' ')}, {o['hedging']}, "
            f"belief {o['belief']} [{o['locator']}] ({refs})"
        )
    return lines


def _print_explanation(e: dict[str, Any]) -> None:
    click.echo(
        f"{e['id']}: {e['subject']['label']} {e['predicate']['label']} {e['object']['label']}"
        f" ({e['polarity']})"
    )
    click.echo(f"  paraphrase: {e['paraphrase']}")
    click.echo(f"  locator: {e['locator']}")
    click.echo(
        "  references:" if e["references"] else "  references: none (the editorial's own claim)"
    )
    for ref in e["references"]:
        click.echo(f"    {ref['label']} doi:{ref['doi']} {ref['url']}")
    score = e["belief"]
    click.echo(f"  {score['formula']}")
    for term in score["terms"]:
        click.echo(f"    {term['symbol']} = {term['value']:<8g} {term['name']}: {term['reason']}")
    click.echo(f"    belief = {score['score']:.3f}")
    for kind in ("supports", "contradicts"):
        click.echo("\n".join(_other_lines(f"{kind} (same triple)", e[kind])))


@main.command()
@click.argument("statement")
@ANALYSIS_FORMAT_OPTION
@DATA_DIR_OPTION
def explain(statement: str, fmt: str, data_dir: Path | None) -> None:
    """How STATEMENT's belief was reached (S001 or stmt:S001), term by term, with its locator,
    references and the statements that support or contradict the same triple."""
    from msckg.graph.statements import StatementNotFound, explain_statement

    try:
        explanation = explain_statement(_open(data_dir), statement)
    except (StatementNotFound, ValueError) as error:
        _fail(f"msckg: {error.args[0] if isinstance(error, StatementNotFound) else error}")
    if fmt == "json":
        click.echo(json.dumps(explanation, indent=2, ensure_ascii=False))
        return
    _print_explanation(explanation)


@main.command()
@click.argument("version")
@click.option(
    "--out",
    "out_root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("release"),
    show_default=True,
    help="Folder of releases; this one goes into OUT/VERSION.",
)
@CURATION_OPTION
@click.option(
    "--profile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="QC rules and levels for the report [default: graph/report_profile.tsv].",
)
def release(version: str, out_root: Path, curation_dir: Path | None, profile: Path | None) -> None:
    """Release VERSION (x.y.z): refuse on any QC ERROR, else write the dataset, VoID, summary,
    report, KGX, SSSOM, nanopublications, changelog and SHA-256 checksums into OUT/VERSION."""
    from msckg.graph.errors import BuildError, CurationError
    from msckg.graph.release import ReleaseRefused, make_release
    from msckg.graph.report import ProfileError, load_profile

    try:
        rules = load_profile(profile) if profile else None
        args = _curation_args(curation_dir)
        result = make_release(
            version,
            out_root,
            args["curation_dir"],
            profile=rules,
            progress=lambda m: _err(f"msckg: {m}"),
            display_root=args["display_root"],
        )
    except ReleaseRefused as error:
        _fail(
            *(
                f"{f.location or '-'}: ERROR {f.rule}: {f.subject}: {f.message}"
                for f in error.findings
            ),
            f"msckg: {error}",
        )
    except ProfileError as error:
        _fail(*error.problems)
    except CurationError as error:
        _fail(*error.problems, f"{len(error.problems)} problem(s) found")
    except (BuildError, ValueError) as error:
        _fail(f"msckg: {error}")
    click.echo(f"{result.path}: {len(result.files)} files ({result.report.summary()})")


@main.command()
@CURATION_OPTION
@DATA_DIR_OPTION
@click.option(
    "--profile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Rules and their levels, as graph/report_profile.tsv [default: that file].",
)
@click.option(
    "--tsv",
    "tsv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report as TSV here [default: stdout].",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the report as an HTML page here.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["ERROR", "WARN", "none"]),
    default="ERROR",
    show_default=True,
    help="Exit 1 when a finding is at this level or worse.",
)
def report(
    curation_dir: Path | None,
    data_dir: Path | None,
    profile: Path | None,
    tsv_path: Path | None,
    html_path: Path | None,
    fail_on: str,
) -> None:
    """QC report over the curation files and the built graph: ERROR, WARN and INFO findings."""
    from msckg.graph.errors import StoreError
    from msckg.graph.report import LEVELS, ProfileError, load_profile, run_report
    from msckg.service.backend import store_from_settings

    try:
        rules = load_profile(profile) if profile else load_profile()
    except ProfileError as error:
        _fail(*error.problems)
    try:
        store = store_from_settings(_settings(data_dir), read_only=True)
    except (StoreError, ValueError) as error:
        _err(f"msckg: graph rules not run: {error}")
        store = None
    args = _curation_args(curation_dir)
    result = run_report(args["curation_dir"], store, rules, args["display_root"])
    if tsv_path is None:
        sys.stdout.buffer.write(result.tsv())
        sys.stdout.buffer.flush()
    else:
        tsv_path.write_bytes(result.tsv())
    if html_path is not None:
        html_path.write_bytes(result.html())
    _err(f"msckg: {result.summary()}")
    if fail_on != "none" and any(
        result.count(level) for level in LEVELS[: LEVELS.index(fail_on) + 1]
    ):
        sys.exit(1)


@main.command()
@click.argument(
    "fmt",
    metavar="FORMAT",
    type=click.Choice(
        ["graphml", "gexf", "cyjs", "dot", "neo4j", "kgx", "turtle", "jsonld", "html", "svg", "png"]
    ),
)
@click.option("--focus", default=None, help="Export only this entity's neighborhood.")
@click.option(
    "--radius",
    type=click.IntRange(0, MAX_RADIUS),
    default=DEFAULT_RADIUS,
    show_default=True,
    help="Hops around --focus.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write [default: stdout]; for neo4j/kgx an existing folder receives the files.",
)
@DATA_DIR_OPTION
def export(
    fmt: str, focus: str | None, radius: int, output: Path | None, data_dir: Path | None
) -> None:
    """Export the graph (or --focus's neighborhood) as FORMAT for Gephi, Cytoscape, Neo4j, KGX ..."""
    from msckg.graph import analysis
    from msckg.graph.exports import MultiFileExporter, exporter_for

    store = _open(data_dir)
    subgraph = _whole_graph(store, lambda: analysis.export_graph(store, focus, radius))
    exporter = exporter_for(fmt)
    if output is not None and output.is_dir() and isinstance(exporter, MultiFileExporter):
        for name, content in _guarded(lambda: exporter.files(subgraph)).items():
            (output / name).write_bytes(content)
        _err(
            f"msckg: wrote {subgraph.number_of_nodes()} entities, {subgraph.number_of_edges()} relations "
            f"into {output}"
        )
        return
    data = _guarded(lambda: exporter.to_bytes(subgraph))
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(data)
    _err(
        f"msckg: wrote {subgraph.number_of_nodes()} entities, {subgraph.number_of_edges()} relations "
        f"to {output} ({fmt})"
    )


def _setting_default(name: str) -> Any:
    from dataclasses import fields

    from msckg.service.settings import Settings

    return next(field.default for field in fields(Settings) if field.name == name)


@main.command()
@click.option(
    "--transport",
    type=click.Choice(["stdio", "http"]),
    default="stdio",
    show_default=True,
    help="stdio: the MCP client starts this command; http: streamable HTTP at /mcp.",
)
@click.option(
    "--host",
    default=None,
    help=f"Interface the HTTP transport listens on [env MSCKG_HOST; default "
    f"{_setting_default('host')}].",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=None,
    help=f"Port of the HTTP transport [env MSCKG_MCP_PORT; default {_setting_default('mcp_port')}].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 3600),
    default=None,
    help=f"Seconds a tool call may run [env MSCKG_TIMEOUT; default "
    f"{_setting_default('timeout'):g}].",
)
@DATA_DIR_OPTION
def mcp(
    transport: str, host: str | None, port: int | None, timeout: float | None, data_dir: Path | None
) -> None:
    """Serve the graph to LLM agents as Model Context Protocol tools (read-only).

    The tools (search entities, get an entity, find paths, run a named query, run SPARQL) go
    through the same checks, deadline, row cap and per-client query budget as the REST API.
    """
    from msckg.graph.errors import StoreError
    from msckg.service.settings import Settings

    try:
        from msckg.service.mcp import run_server
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] not in {"mcp", "mcp_types"}:
            raise
        _fail(
            "msckg mcp needs the MCP SDK, the 'mcp' extra: pip install 'msckg[mcp]' "
            "(make install installs it)"
        )
    try:
        settings = Settings.from_env(
            data_dir=data_dir, host=host, mcp_port=port, timeout=timeout, store=_store_url()
        )
        run_server(settings, "http" if transport == "http" else "stdio")
    except ValueError as error:
        _fail(f"msckg: {error}")
    except StoreError as error:
        _fail(f"msckg: {error}")


if __name__ == "__main__":
    main()
