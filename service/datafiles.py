"""Serve plain RDF files (``msckg serve --data``): load them into a temporary on-disk store first, then serve that store."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from msckg.graph.build import STORE_DIRNAME
from msckg.graph.store import open_store
from msckg.graph.textindex import build_text_index

__all__ = ["loaded_data_dir"]


@contextmanager
def loaded_data_dir(
    paths: Sequence[Path],
    progress: Callable[[str], None] = lambda _: None,
    *,
    base_iri: str | None = None,
) -> Iterator[Path]:
    """Load RDF files into a new store in a temporary data dir, yield that dir, remove it afterwards.

    Triples go to the default graph, quads keep their named graph; queries see the union, as
    for a built graph. Every file is loaded, and the entities' names indexed, before the dir is
    yielded, so a server started on it answers only once all of it is in.

    :param paths: RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD; ``.gz`` too)
    :param progress: called with a line per loaded file
    :param base_iri: resolves relative IRIs in every file; by default each file's own
        ``file://`` IRI
    :returns: the data dir, holding the store where ``create_app`` looks for it
    :raises SyntaxError: with the file, line and column of the first error; nothing is served
    :raises ValueError: for a file of unknown format, or an invalid ``base_iri``
    """
    data_dir = Path(tempfile.mkdtemp(prefix="msckg-serve-"))
    try:
        store = open_store(data_dir / STORE_DIRNAME)
        try:
            for path in paths:
                store.load_file(path, base_iri=base_iri)
                progress(f"loaded {path}")
            progress(f"{len(store):,} triples in all")
        finally:
            # Releases the write lock, so the server and its query workers can open it read-only.
            store.close()
        # Like 'msckg load': the first search is answered from the index, not by building it.
        build_text_index(data_dir / STORE_DIRNAME)
        progress("indexed the entities' names")
        yield data_dir
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
