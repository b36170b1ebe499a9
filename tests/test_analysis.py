"""The library functions every read request calls: registry, answers, errors across processes."""

from __future__ import annotations

import csv
import inspect
import json
import os
import pickle
import shutil
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from msckg.graph import analysis
from msckg.graph.build import MANIFEST, STORE_DIRNAME, BuildReport
from msckg.graph.curation import CURATION_DIR
from msckg.graph.entities import UnknownEntity, resolve_entity
from msckg.graph.errors import (
    CurationError,
    EntityNotFound,
    ProjectionNotReady,
    TooBroad,
    ToolMissing,
    UnknownFormat,
)
from msckg.graph.exports import FORMATS
from msckg.graph.network import load_network
from msckg.graph.projection import RETRY_AFTER_SECONDS, build_projection, projection_path
from msckg.graph.remote import RemoteStore
from msckg.graph.statements import explain_statement
from msckg.graph.store import GraphStore, open_store

ERRORS = [
    EntityNotFound("vegff", [{"id": "ent:VEGF", "label": "VEGF"}]),
    UnknownEntity("ent:vegff", [{"id": "ent:VEGF", "label": "VEGF"}]),
    UnknownFormat("pdf", ["gexf", "graphml"]),
    ToolMissing("Graphviz 'dot' is not installed"),
    TooBroad("more than 10 entities lie within reach"),
    ProjectionNotReady(7, "started 3 s ago"),
    CurationError(["entities.tsv:3: no label"]),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_every_domain_error_survives_pickling_with_its_attributes(error: Exception) -> None:
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 (bytes we just wrote)
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)


def test_an_unknown_entity_names_its_suggestions_by_label() -> None:
    error = EntityNotFound("vegff", [{"id": "ent:VEGF", "label": "VEGF", "iri": "ignored"}])
    assert error.suggestions == [{"id": "ent:VEGF", "label": "VEGF"}]
    assert str(error) == "no entity 'vegff'; did you mean: VEGF"


def test_projection_not_ready_says_when_to_retry() -> None:
    error = ProjectionNotReady(12)
    assert error.retry_after == 12
    assert "retry in 12 s" in str(error)


def test_the_registry_names_every_request_function() -> None:
    assert {
        "paths": analysis.paths,
        "neighborhood": analysis.neighborhood,
        "metapaths": analysis.metapaths,
        "export": analysis.export,
        "search": analysis.search,
        "entity": analysis.entity,
        "stats": analysis.stats,
        "rank": analysis.rank,
        "node_types": analysis.node_types,
        "statement": explain_statement,
    } == analysis.REQUESTS
    for function in analysis.REQUESTS.values():
        first = next(iter(inspect.signature(function).parameters))
        assert first == "store"


def _json_ready(value: object) -> object:
    return json.loads(json.dumps(value))


def test_paths_answer_with_evidence(store: GraphStore) -> None:
    result = analysis.paths(store, "bone marrow", "VEGF", k=3, max_length=4)
    assert _json_ready(result) == result
    assert result["source"] == "ent:bone_marrow"
    assert result["target"] == "ent:VEGF"
    first = result["paths"][0]
    assert first["nodes"][0]["id"] == "ent:bone_marrow"
    assert first["nodes"][-1]["id"] == "ent:VEGF"
    assert all(edge["statements"] for edge in first["edges"])


def test_paths_and_neighborhood_agree_between_local_and_remote(
    store: GraphStore, remote_store: RemoteStore
) -> None:
    options = {"k": 5, "max_length": 4, "min_evidence": "animal_model"}
    assert analysis.paths(remote_store, "menstrual blood", "pregnancy rate", **options) == (
        analysis.paths(store, "menstrual blood", "pregnancy rate", **options)
    )
    assert analysis.neighborhood(remote_store, "VEGF", 1) == analysis.neighborhood(store, "VEGF", 1)


def test_neighborhood_has_summary_and_elements(store: GraphStore) -> None:
    result = analysis.neighborhood(store, "ent:VEGF", 1)
    assert result["center"]["id"] == "ent:VEGF"
    assert {node["distance"] for node in result["nodes"]} == {0, 1}
    node_ids = {element["data"]["id"] for element in result["elements"]["nodes"]}
    assert node_ids == {node["id"] for node in result["nodes"]}
    assert len(result["elements"]["edges"]) == len(result["edges"])


def test_unknown_entity_raises_with_suggestions(store: GraphStore) -> None:
    with pytest.raises(EntityNotFound) as caught:
        analysis.paths(store, "bone marow", "VEGF")
    assert {"id": "ent:bone_marrow", "label": "bone marrow"} in caught.value.suggestions


def test_export_is_a_named_file(store: GraphStore) -> None:
    result = analysis.export(store, "graphml", focus="VEGF", radius=1)
    assert result.format == "graphml"
    assert result.media_type == FORMATS["graphml"].media_type
    assert result.filename == "msckg.graphml"
    assert b"ent:VEGF" in result.data or b"VEGF" in result.data
    copy = pickle.loads(pickle.dumps(result))  # noqa: S301 (bytes we just wrote)
    assert copy == result


def test_export_errors(store: GraphStore) -> None:
    with pytest.raises(UnknownFormat) as caught:
        analysis.export(store, "pdf")
    assert "graphml" in caught.value.choices
    with pytest.raises(ValueError, match="radius must be between 0 and 4"):
        analysis.export(store, "graphml", radius=9)


def test_search_entity_and_stats(store: GraphStore) -> None:
    found = analysis.search(store, "TNF-\N{GREEK SMALL LETTER ALPHA}", limit=5)
    assert found["results"][0]["label"].startswith("TNF")
    detail = analysis.entity(store, "ent:VEGF")
    assert detail["label"] == "VEGF"
    assert detail["relations"]
    with pytest.raises(EntityNotFound) as caught:
        analysis.entity(store, "ent:VEGFF")
    assert caught.value.suggestions[0] == {"id": "ent:VEGF", "label": "VEGF"}
    counts = analysis.stats(store)
    assert set(counts) == {"graphs", "classes", "predicates"}


@pytest.fixture
def fresh_store(mini_built: BuildReport, tmp_path: Path) -> Iterator[GraphStore]:
    """A copy of the mini build, so its projection cache starts out missing."""
    copy = shutil.copytree(mini_built.out_dir, tmp_path / "data")
    # Another test (msckg rank) may have projected the mini build; a copy keeps that cache.
    projection_path(copy / STORE_DIRNAME).unlink(missing_ok=True)
    opened = open_store(copy / STORE_DIRNAME, read_only=True)
    yield opened
    opened.close()


def test_whole_graph_analysis_waits_for_the_projection(fresh_store: GraphStore) -> None:
    assert fresh_store.path is not None
    with pytest.raises(ProjectionNotReady) as caught:
        analysis.rank(fresh_store, "degree", 3)
    assert caught.value.retry_after == RETRY_AFTER_SECONDS
    with pytest.raises(ProjectionNotReady):
        analysis.export(fresh_store, "graphml")
    # A focused export reads only the neighbourhood, so it needs no projection.
    assert b"ent:vegf" in analysis.export(fresh_store, "graphml", focus="VEGF").data
    build_projection(fresh_store.path)
    ranked = analysis.rank(fresh_store, "degree", 1)["entities"]
    assert ranked[0]["id"] == "ent:msc"
    whole = analysis.export(fresh_store, "graphml")
    assert whole.data == FORMATS["graphml"].to_bytes(load_network(fresh_store))


def test_a_projection_of_an_older_build_is_not_used(fresh_store: GraphStore) -> None:
    assert fresh_store.path is not None
    build_projection(fresh_store.path)
    manifest = fresh_store.path.parent / MANIFEST
    manifest.touch()
    os.utime(manifest, ns=(manifest.stat().st_mtime_ns + 10**9,) * 2)
    with pytest.raises(ProjectionNotReady, match="the graph changed"):
        analysis.rank(fresh_store, "degree", 3)


def test_rank_lists_entities_by_score(store: GraphStore) -> None:
    assert store.path is not None
    build_projection(store.path)
    result = analysis.rank(store, "degree", 3)
    assert result["by"] == "degree"
    scores = [row["score"] for row in result["entities"]]
    assert len(scores) == 3 and scores == sorted(scores, reverse=True)
    with pytest.raises(ValueError, match="unknown ranking"):
        analysis.rank(store, "fame", 3)


def _curated_names() -> tuple[dict[str, set[str]], dict[str, str]]:
    """Every label and synonym of the shipped curation with the entity ids it names, and the
    entity each label is the label of."""
    names: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    with (CURATION_DIR / "entities.tsv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream, delimiter="\t"):
            labels[row["label"]] = f"ent:{row['id']}"
            for name in [row["label"], *row["synonyms"].split("|")]:
                if name.strip():
                    names[name].add(f"ent:{row['id']}")
    return names, labels


def test_every_curated_name_resolves_at_every_entry_point(store: GraphStore) -> None:
    names, labels = _curated_names()
    index = analysis.name_index(store)
    for name, ids in sorted(names.items()):
        found = analysis.search(store, name, limit=100)["results"]
        assert ids <= {entity["id"] for entity in found}, name
        # A name two entities share names the one whose label it is.
        expected = labels.get(name) or (next(iter(ids)) if len(ids) == 1 else None)
        if expected is None:
            with pytest.raises(EntityNotFound) as caught:
                resolve_entity(index, name)
            assert {s["id"] for s in caught.value.suggestions} == ids
            continue
        assert "ent:" + resolve_entity(index, name).iri.rsplit("/", 1)[-1] == expected, name
        center = analysis.neighborhood(store, name, 0)["center"]["id"]
        assert center == expected, name
        assert analysis.paths(store, name, expected, k=1, max_length=1)["source"] == expected


@pytest.mark.parametrize("name", ["TNF-a", "tnf alpha", "TNF-\N{GREEK SMALL LETTER ALPHA}"])
def test_paths_accept_a_name_that_search_finds(store: GraphStore, name: str) -> None:
    assert analysis.search(store, name, limit=1)["results"][0]["id"] == "ent:TNF_alpha"
    result = analysis.paths(store, name, "endometriosis", k=1, max_length=4)
    assert result["source"] == "ent:TNF_alpha"
    metapath = analysis.metapaths(store, name, "TNF-alpha", "ProinflammatoryCytokine,Entity")
    assert metapath["source"] == "ent:TNF_alpha"


def test_a_publication_is_not_a_path_end(store: GraphStore) -> None:
    with pytest.raises(ValueError, match="is a publication"):
        analysis.paths(store, "ent:saremi2025", "VEGF")


@pytest.mark.parametrize("name", ['") } } DROP ALL #', "x' OR '1'='1", 'a" OR "b'])
def test_a_hostile_name_is_looked_up_never_run(store: GraphStore, name: str) -> None:
    with pytest.raises(EntityNotFound):
        analysis.paths(store, name, "VEGF")
    assert analysis.search(store, name, limit=5) == {"results": []}
