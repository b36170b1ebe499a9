"""Updates run in a writer process: all or nothing, killed at the deadline, seen after reopening."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from msckg.graph.build import STORE_DIRNAME, BuildReport
from msckg.graph.errors import QueryTimeout, StoreError
from msckg.graph.store import open_store
from msckg.graph.writer import UpdateFailed, apply_update

MARK = "ASK { ent:VEGF rdfs:comment 'written by test_writer' }"
INSERT = "INSERT DATA { ent:VEGF rdfs:comment 'written by test_writer' }"


@pytest.fixture
def store_copy(built: BuildReport, tmp_path: Path) -> Path:
    target = tmp_path / STORE_DIRNAME
    shutil.copytree(built.out_dir / STORE_DIRNAME, target)
    return target


def _ask(path: Path, query: str) -> bool:
    store = open_store(path, read_only=True)
    try:
        return bool(store.query(query))
    finally:
        store.close()


def test_an_update_is_seen_by_a_store_opened_after_it(store_copy: Path) -> None:
    before = open_store(store_copy, read_only=True)
    apply_update(store_copy, INSERT, timeout=60)
    assert _ask(store_copy, MARK)
    # A read-only handle opened before the write keeps its snapshot: why the service reopens.
    assert not bool(before.query(MARK))
    before.close()


def test_an_update_past_the_deadline_is_killed_and_stores_nothing(store_copy: Path) -> None:
    size = len(open_store(store_copy, read_only=True))
    # Updates match the real default graph (empty in a build), so the runaway names its graphs.
    runaway = (
        "INSERT { ?a rdfs:comment 'never' . ent:VEGF rdfs:comment 'written by test_writer' } "
        "WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } GRAPH ?z { ?g ?h ?i } }"
    )
    with pytest.raises(QueryTimeout):
        apply_update(store_copy, runaway, timeout=0.5)
    assert not _ask(store_copy, MARK)
    assert len(open_store(store_copy, read_only=True)) == size


def test_a_malformed_update_reports_line_and_column(store_copy: Path) -> None:
    with pytest.raises(SyntaxError) as error:
        apply_update(store_copy, "INSERT DATA {\n  ent:VEGF rdfs:comment }", timeout=60)
    assert (error.value.lineno, error.value.offset) == (2, 24)
    assert error.value.msg == (
        "the triple pattern 'ent:VEGF rdfs:comment' has no object: expected one before '}'"
    )


def test_a_failing_update_stores_nothing(store_copy: Path) -> None:
    failing = INSERT + " ; LOAD <http://127.0.0.1:9/nothing.ttl>"
    with pytest.raises(UpdateFailed):
        apply_update(store_copy, failing, timeout=60)
    assert not _ask(store_copy, MARK)


def test_a_locked_store_is_reported(store_copy: Path) -> None:
    writer = open_store(store_copy)
    try:
        with pytest.raises(StoreError, match="cannot open"):
            apply_update(store_copy, INSERT, timeout=60)
    finally:
        writer.close()
