"""The SQLite name index beside the store: same answers as the in-memory index, built with the
store, rebuilt after a load, never read for another build."""

from __future__ import annotations

import csv
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from msckg.graph import analysis
from msckg.graph.build import STORE_DIRNAME, BuildReport
from msckg.graph.curation import CURATION_DIR
from msckg.graph.entities import EntityIndex
from msckg.graph.network import build_stamp, mark_changed
from msckg.graph.remote import RemoteStore
from msckg.graph.store import GraphStore, open_store
from msckg.graph.textindex import (
    INDEX_FILENAME,
    TextIndex,
    build_text_index,
    index_path,
    open_text_index,
)
from msckg.service.cli import main


@pytest.fixture(scope="module")
def text_index(built: BuildReport) -> Iterator[TextIndex]:
    store_path = built.out_dir / STORE_DIRNAME
    index = open_text_index(index_path(store_path), build_stamp(store_path))
    assert index is not None  # msckg build wrote it
    yield index
    index.close()


@pytest.fixture(scope="module")
def memory_index(store: GraphStore) -> EntityIndex:
    return EntityIndex.from_store(store)


def _queries() -> list[str]:
    """Whole names, their starts and middles, Greek and punctuation variants, and nothing."""
    queries = {"", "a", "il", "TNF-a", "TNF-\N{GREEK SMALL LETTER ALPHA}", "tnf alpha", "zzzq"}
    with (CURATION_DIR / "entities.tsv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream, delimiter="\t"):
            label = row["label"]
            queries |= {label, label.upper(), label[:3], label[1:5], label[-4:]}
    return sorted(queries)


def test_the_build_writes_the_index_beside_the_store(built: BuildReport) -> None:
    assert (built.out_dir / INDEX_FILENAME).is_file()
    assert not list(built.out_dir.glob(f".{INDEX_FILENAME}*"))  # no partial file left


def test_search_ranks_as_the_in_memory_index_on_every_query(
    text_index: TextIndex, memory_index: EntityIndex
) -> None:
    for query in _queries():
        for limit in (1, 20):
            assert text_index.search(query, limit=limit) == memory_index.search(
                query, limit=limit
            ), query


@pytest.mark.parametrize("type_", ["GrowthFactor", "msckg:CellType", "Disorder"])
def test_the_type_filter_agrees(
    text_index: TextIndex, memory_index: EntityIndex, type_: str
) -> None:
    assert text_index.types == memory_index.types
    for query in ("", "e", "cell", "endometri"):
        assert text_index.search(query, type_=type_, limit=50) == memory_index.search(
            query, type_=type_, limit=50
        )
    with pytest.raises(ValueError, match="unknown type 'Spaceship'; choose one of: "):
        text_index.search("", type_="Spaceship")


def test_suggestions_for_a_misspelt_name(text_index: TextIndex) -> None:
    assert text_index.suggest("ent:VEGFF")[0].label == "VEGF"
    assert text_index.suggest("angiogenessis")[0].label == "angiogenesis"
    assert text_index.suggest("") == []


def test_an_index_of_another_build_is_not_read(built: BuildReport, tmp_path: Path) -> None:
    copy = shutil.copytree(built.out_dir, tmp_path / "data")
    store_path = copy / STORE_DIRNAME
    stamp = build_stamp(store_path)
    assert open_text_index(index_path(store_path), stamp) is not None
    mark_changed(store_path)
    assert build_stamp(store_path) > stamp
    assert open_text_index(index_path(store_path), build_stamp(store_path)) is None
    build_text_index(store_path)
    assert open_text_index(index_path(store_path), build_stamp(store_path)) is not None


def test_a_store_without_an_index_gets_one_on_first_use(
    mini_built: BuildReport, tmp_path: Path
) -> None:
    copy = shutil.copytree(mini_built.out_dir, tmp_path / "data")
    (copy / INDEX_FILENAME).unlink()
    store = open_store(copy / STORE_DIRNAME, read_only=True)
    found = analysis.search(store, "vascular endothelial", limit=5)["results"]
    assert [entity["id"] for entity in found] == ["ent:vegf"]
    assert (copy / INDEX_FILENAME).is_file()


def test_msckg_load_indexes_the_loaded_names(mini_built: BuildReport, tmp_path: Path) -> None:
    copy = shutil.copytree(mini_built.out_dir, tmp_path / "data")
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        textwrap.dedent("""\
        @prefix ent: <https://w3id.org/msckg/id/> .
        @prefix msckg: <https://w3id.org/msckg/vocab/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ent:zorblax a msckg:GrowthFactor ; rdfs:label "zorblax factor" .
        """),
        encoding="utf-8",
    )
    graph = "https://w3id.org/msckg/graph/asserted"
    result = CliRunner().invoke(
        main, ["load", str(extra), "--graph", graph, "--data-dir", str(copy)]
    )
    assert result.exit_code == 0, result.output
    store = open_store(copy / STORE_DIRNAME, read_only=True)
    found = analysis.search(store, "zorbl", limit=5)["results"]
    assert [entity["id"] for entity in found] == ["ent:zorblax"]
    index = open_text_index(index_path(copy / STORE_DIRNAME), build_stamp(copy / STORE_DIRNAME))
    assert index is not None  # written by the load, not on first use
    assert [entity.label for entity in index.search("zorblax")] == ["zorblax factor"]


def test_a_remote_store_searches_in_memory_with_the_same_answers(
    store: GraphStore, remote_store: RemoteStore
) -> None:
    assert isinstance(analysis.name_index(remote_store), EntityIndex)
    for query in ("cell", "TNF-a", "", "vegf"):
        assert analysis.search(remote_store, query, limit=10) == analysis.search(
            store, query, limit=10
        )
