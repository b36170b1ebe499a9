"""The build pipeline in one screen: curation -> records -> RDF -> reasoning -> files and store.

Everything is written into a fresh folder beside the output and renamed into place only when
all of it succeeded, so a failed build leaves the previous one untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from msckg import __version__
from msckg.graph.curation import CURATION_DIR
from msckg.graph.errors import BuildError, CurationError
from msckg.graph.projection import build_projection
from msckg.graph.shapes import check_shapes
from msckg.graph.store import open_store
from msckg.graph.textindex import build_text_index
from msckg.graph.triples import asserted_graph, provenance_graph
from msckg.graph.validate import Curation, read_curation
from msckg.graph.void import void_graph
from msckg.ontology import GRAPH, ONTOLOGY_PATH
from msckg.ontology.reason import InconsistentOntology, reason

if TYPE_CHECKING:
    from msckg.graph.remote import RemoteStore

__all__ = [
    "NAMED_GRAPHS",
    "OUTPUT_FILES",
    "STORE_DIRNAME",
    "BuildReport",
    "build",
    "publish",
    "validate",
]

#: The named graphs of the dataset, by short name.
NAMED_GRAPHS: dict[str, str] = {
    "ontology": str(GRAPH.ontology),
    "asserted": str(GRAPH.asserted),
    "inferred": str(GRAPH.inferred),
    "provenance": str(GRAPH.provenance),
    "void": str(GRAPH.void),
}
#: Files a build writes: the dataset with its named graphs, and the union of all graphs flattened.
OUTPUT_FILES = ("msckg.trig", "msckg.nq", "msckg.ttl", "msckg.nt", "msckg.jsonld", "void.ttl")
STORE_DIRNAME = "store"
MANIFEST = "build.json"

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build made and how."""

    out_dir: Path
    triples: dict[str, int]
    entities: int
    statements: int
    references: int
    reasoner: str
    reasoner_note: str
    seconds: float
    files: tuple[str, ...] = field(default=OUTPUT_FILES)


def _quiet(_: str) -> None:
    return None


def validate(curation_dir: Path = CURATION_DIR, display_root: Path | None = None) -> Curation:
    """Run every check without writing anything: records, then SHACL shapes on the RDF.

    :raises CurationError: listing every problem as ``file:line: message``
    """
    curation = read_curation(curation_dir, display_root)
    problems = check_shapes(curation, asserted_graph(curation), provenance_graph(curation))
    if problems:
        raise CurationError(problems)
    return curation


def _ntriples(graph: Graph) -> bytes:
    return graph.serialize(format="nt", encoding="utf-8")


def _write_outputs(tmp: Path, graphs: dict[str, Graph]) -> dict[str, int]:
    store = open_store(tmp / STORE_DIRNAME)
    for name, graph in graphs.items():
        store.add_ntriples(_ntriples(graph), NAMED_GRAPHS[name])
    store.flush()
    for name in ("msckg.trig", "msckg.nq"):
        store.dump(tmp / name)
    counts = {name: len(graph) for name, graph in graphs.items()}
    for name in ("msckg.ttl", "msckg.nt", "msckg.jsonld"):
        counts["union"] = store.write_union(tmp / name)
    store.dump(tmp / "void.ttl", NAMED_GRAPHS["void"])
    store.close()  # release the lock before the folder is renamed
    return counts


def _swap_into_place(tmp: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``tmp`` by renames only, keeping the old build till the new is in."""
    previous = out_dir.with_name(out_dir.name + ".previous")
    if previous.exists():
        shutil.rmtree(previous)
    if out_dir.exists():
        os.replace(out_dir, previous)
    os.replace(tmp, out_dir)
    if previous.exists():
        shutil.rmtree(previous)


def build(
    out_dir: Path,
    curation_dir: Path = CURATION_DIR,
    *,
    reasoner: str = "auto",
    progress: Progress = _quiet,
    display_root: Path | None = None,
) -> BuildReport:
    """Build the knowledge graph from curation files into ``out_dir``.

    :param out_dir: folder that receives the dataset files and the on-disk store
    :param curation_dir: folder of entities.tsv, references.tsv and statements.tsv
    :param reasoner: ``auto``, ``hermit`` or ``owlrl`` (see :func:`msckg.ontology.reason.reason`)
    :param progress: called with a short message before each step
    :param display_root: file paths in error messages are shown relative to this folder
    :returns: a report of what was built
    :raises CurationError: for bad curation records; nothing is written
    :raises BuildError: when the ontology is inconsistent with the data; nothing is written
    """
    started = time.perf_counter()
    out_dir = out_dir.resolve()
    previous = out_dir.with_name(out_dir.name + ".previous")
    if not out_dir.exists() and previous.exists():
        os.replace(previous, out_dir)  # an earlier build died between its two renames
    progress("validating curation files")
    curation = validate(curation_dir, display_root)
    progress("assembling RDF graphs")
    ontology = Graph().parse(ONTOLOGY_PATH, format="turtle")
    asserted = asserted_graph(curation)
    provenance = provenance_graph(curation)
    progress("reasoning")
    try:
        reasoning = reason(ontology, asserted, reasoner)
    except InconsistentOntology as error:
        raise BuildError(f"the ontology and the data are inconsistent ({error})") from error
    graphs = {
        "ontology": ontology,
        "asserted": asserted,
        "inferred": reasoning.inferred,
        "provenance": provenance,
    }
    graphs["void"] = void_graph({NAMED_GRAPHS[name]: graph for name, graph in graphs.items()})
    progress("writing dataset files and store")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        counts = _write_outputs(tmp, graphs)
        report = BuildReport(
            out_dir,
            counts,
            len(curation.entities),
            len(curation.statements),
            len(curation.references),
            reasoning.reasoner,
            reasoning.note,
            round(time.perf_counter() - started, 3),
        )
        manifest = {
            "msckg_version": __version__,
            "reasoner": report.reasoner,
            "reasoner_note": report.reasoner_note,
            "triples": counts,
            "entities": report.entities,
            "statements": report.statements,
            "references": report.references,
            "named_graphs": NAMED_GRAPHS,
            "files": list(OUTPUT_FILES),
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        progress("indexing entity names")
        build_text_index(tmp / STORE_DIRNAME)  # stamped with the manifest, which the swap keeps
        progress("projecting the whole graph for whole-graph analysis")
        build_projection(tmp / STORE_DIRNAME)  # stamped the same way
        _swap_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    progress(f"built {out_dir} in {report.seconds:.1f} s")
    return report


def publish(out_dir: Path, remote: RemoteStore, *, progress: Progress = _quiet) -> dict[str, int]:
    """Upload each named graph of the build in ``out_dir`` to ``remote``, replacing it there.

    Other graphs on the remote store (e.g. from ``msckg load``) are left alone.

    :param out_dir: a folder :func:`build` wrote
    :param remote: the store to publish to
    :param progress: called with a short message before each graph
    :returns: the triples sent, by graph short name
    :raises StoreError: when the local build or the remote store cannot be read or written
    """
    local = open_store(out_dir / STORE_DIRNAME, read_only=True)
    sent = {}
    try:
        for name, iri in NAMED_GRAPHS.items():
            progress(f"uploading the {name} graph to {remote.url}")
            data = local.answer(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}",
                graph_format="ntriples",
                row_limit=2**62,
            ).body
            sent[name] = remote.replace_graph(iri, data)
    finally:
        local.close()
    return sent
