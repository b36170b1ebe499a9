"""The ``msckg`` command: validate, build, stats, query. Each command parses, calls one library function, prints.

Results go to stdout; progress and problems to stderr. Exit codes: 0 ok, 1 bad input or
failure (after listing every problem), 2 usage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from msckg import __version__

__all__ = ["main"]

DATA_DIR_OPTION = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the built graph [env MSCKG_DATA_DIR; default ~/.local/share/msckg].",
)
CURATION_OPTION = click.option(
    "--curation",
    "curation_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of entities.tsv, references.tsv, statements.tsv [default: the shipped files].",
)
QUERY_FORMATS = ["table", "json", "xml", "csv", "tsv", "turtle", "ntriples", "rdfxml"]


def _settings(data_dir: Path | None) -> Any:
    from msckg.service.settings import Settings

    try:
        return Settings.from_env(data_dir=data_dir)
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
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder [default: the data dir].")
@DATA_DIR_OPTION
@CURATION_OPTION
@click.option("--reasoner", type=click.Choice(["auto", "hermit", "owlrl"]), default="auto",
              show_default=True, help="HermiT needs Java; auto falls back to OWL-RL without it.")
def build(out: Path | None, data_dir: Path | None, curation_dir: Path | None, reasoner: str) -> None:
    """Validate, reason and write the graph files and the store."""
    from msckg.graph.build import build as run_build
    from msckg.graph.errors import BuildError, CurationError

    target = out or _settings(data_dir).data_dir
    try:
        report = run_build(target, reasoner=reasoner, progress=lambda m: _err(f"msckg: {m}"),
                           **_curation_args(curation_dir))
    except CurationError as error:
        _fail(*error.problems, f"{len(error.problems)} problem(s) found; nothing was written")
    except (BuildError, ValueError) as error:
        _fail(f"msckg: build failed: {error}; nothing was written")
    if report.reasoner_note:
        _err(f"msckg: {report.reasoner_note}")
    click.echo(f"reasoner: {report.reasoner}")
    click.echo(f"entities: {report.entities}, statements: {report.statements}, references: {report.references}")
    for name, count in report.triples.items():
        click.echo(f"{name} triples: {count}")
    click.echo(f"output: {report.out_dir}")


def _open(data_dir: Path | None) -> Any:
    from msckg.graph.build import STORE_DIRNAME
    from msckg.graph.errors import StoreError
    from msckg.graph.store import open_store

    settings = _settings(data_dir)
    try:
        return open_store(settings.data_dir / STORE_DIRNAME, read_only=True)
    except StoreError as error:
        _fail(f"msckg: {error}")


@main.command()
@DATA_DIR_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def stats(data_dir: Path | None, fmt: str) -> None:
    """Count triples per named graph, entities per class and relations per predicate."""
    from rich.console import Console
    from rich.table import Table

    from msckg.graph.stats import graph_stats

    result = graph_stats(_open(data_dir))
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), indent=2))
        return
    console = Console()
    for title, rows in (("Named graphs", result.graphs), ("Entities by class", result.classes),
                        ("Relations by predicate", result.predicates)):
        table = Table(title=title)
        for column in ("id", "label", "count"):
            table.add_column(column, justify="right" if column == "count" else "left")
        for row in rows:
            table.add_row(row.id, row.label, str(row.count))
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
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind a named query's parameter.")
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True,
              help="json/xml/csv/tsv: SPARQL 1.1 results; turtle/ntriples/rdfxml: for CONSTRUCT.")
@DATA_DIR_OPTION
def query(query: str | None, name: str | None, params: tuple[str, ...], list_: bool, fmt: str,
          data_dir: Path | None) -> None:
    """Run a SPARQL query (text, or a path to a .rq file) or a named query against the built graph.

    The prefixes ent:, msckg:, graph:, rdfs:, skos: ... are predeclared.
    """
    from msckg.graph.store import serialize_result
    from msckg.queries import UnknownQuery, list_queries, load_query

    if list_:
        for named in list_queries():
            declared = ", ".join(f"{p.name}={p.default or ''}" for p in named.params)
            click.echo(f"{named.name}: {named.question}" + (f" [params: {declared}]" if declared else ""))
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
    else:
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
        _fail(f"{origin}:{error.lineno or 0}:{error.offset or 0}: SPARQL syntax error: {error.msg}")
    except ValueError as error:
        _fail(f"msckg: {error}")
    except OSError as error:
        _fail(f"msckg: query failed: {error}")


@main.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--graph", default="https://w3id.org/msckg/graph/external", show_default=True,
              help="IRI of the named graph that receives the triples.")
@click.option("--batch-size", default=100_000, show_default=True, type=click.IntRange(1, 10_000_000),
              help="Triples per transaction.")
@DATA_DIR_OPTION
def load(files: tuple[Path, ...], graph: str, batch_size: int, data_dir: Path | None) -> None:
    """Bulk-load RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD; .gz too) into the store.

    Each file is checked whole before anything is written, then streamed in transactions:
    an interrupted load keeps every finished batch and no partial one.
    """
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    from msckg.graph.build import STORE_DIRNAME
    from msckg.graph.errors import StoreError
    from msckg.graph.store import check_rdf_file, open_store

    settings = _settings(data_dir)
    for path in files:
        try:
            with Progress(TextColumn(f"checking {path.name}"), BarColumn(), DownloadColumn(),
                          console=_stderr_console(), transient=True,
                          disable=not sys.stderr.isatty()) as progress:
                task = progress.add_task("check", total=path.stat().st_size)
                check_rdf_file(path, lambda n, t=task: progress.advance(t, n))
        except SyntaxError as error:
            _fail(f"{error.filename}:{error.lineno}:{error.offset}: {error.msg}; nothing was loaded")
        except ValueError as error:
            _fail(f"msckg: {error}")
    try:
        store = open_store(settings.data_dir / STORE_DIRNAME)
    except StoreError as error:
        _fail(f"msckg: {error}")
    for path in files:
        with Progress(TextColumn(f"loading {path.name}"), BarColumn(), DownloadColumn(),
                      TextColumn("{task.fields[triples]:,} triples"), TimeElapsedColumn(),
                      console=_stderr_console(), disable=not sys.stderr.isatty()) as progress:
            task = progress.add_task("load", total=path.stat().st_size, triples=0)
            report = store.load_rdf(
                path, graph, batch_size=batch_size,
                on_read=lambda n, t=task: progress.advance(t, n),
                on_commit=lambda _b, total, t=task: progress.update(t, triples=total),
            )
        seconds = progress.tasks[0].finished_time or progress.tasks[0].elapsed or 0.0
        rate = report.triples / seconds if seconds else 0.0
        click.echo(f"{path}: {report.triples} triples into <{graph}> in {report.batches} "
                   f"transaction(s), {seconds:.1f} s ({rate:,.0f} triples/s)")


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


if __name__ == "__main__":
    main()
