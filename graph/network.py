"""The asserted graph as a networkx MultiDiGraph with each edge's evidence, cached per build."""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from msckg.graph.model import EvidenceContext, Hedging
from msckg.graph.store import Store
from msckg.ontology import CONVERTER

__all__ = [
    "NETWORK_COLUMNS",
    "NETWORK_PARTS",
    "NETWORK_QUERY",
    "Citation",
    "EdgeStatement",
    "build_stamp",
    "clear_network_cache",
    "load_network",
    "mark_changed",
    "network_from_rows",
    "network_from_store",
    "network_query",
    "resolve_entity",
    "store_version",
    "supers_by_class",
]

#: The columns of every projection query.
NETWORK_COLUMNS = """?kind ?s ?label ?type ?value ?p ?o ?stmt ?evidence ?hedging ?polarity ?locator
       ?comment ?belief ?sourceDoi ?ref ?doi ?refLabel"""
#: The row shapes of the projection, by ``?kind``; each is a group graph pattern's body. Edges,
#: their statements and the statements' references are separate shapes (joined in
#: :func:`network_from_rows`), not one pattern with nested OPTIONALs: Oxigraph evaluates such an
#: OPTIONAL over every statement of the store, even when ``VALUES`` names three edges.
NETWORK_PARTS: dict[str, str] = {
    "node": """
    BIND("node" AS ?kind)
    GRAPH graph:asserted { ?s a ?type ; rdfs:label ?label . }
    FILTER(STRSTARTS(STR(?s), STR(ent:)) && STRSTARTS(STR(?type), STR(msckg:)))
    FILTER(?type != msckg:Publication)""",
    "synonym": """
    BIND("synonym" AS ?kind)
    GRAPH graph:asserted { ?s a ?type ; skos:altLabel ?value . }
    FILTER(STRSTARTS(STR(?s), STR(ent:)) && STRSTARTS(STR(?type), STR(msckg:)))
    FILTER(?type != msckg:Publication)""",
    "class": """
    BIND("class" AS ?kind)
    GRAPH graph:ontology { ?type rdfs:subClassOf* ?s . ?type a owl:Class . ?s rdfs:label ?label . }
    FILTER(STRSTARTS(STR(?type), STR(msckg:)) && STRSTARTS(STR(?s), STR(msckg:)))""",
    "predicate": """
    BIND("predicate" AS ?kind)
    GRAPH graph:ontology { ?p a owl:ObjectProperty ; rdfs:label ?label . }""",
    "edge": """
    BIND("edge" AS ?kind)
    GRAPH graph:asserted { ?s ?p ?o . }
    FILTER(STRSTARTS(STR(?p), STR(msckg:)) && STRSTARTS(STR(?o), STR(ent:)) && ?p != msckg:cites)""",
    "statement": """
    BIND("statement" AS ?kind)
    GRAPH graph:provenance {
      ?stmt rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
            msckg:evidence ?evidence ; msckg:hedging ?hedging ; msckg:polarity ?polarity .
      OPTIONAL { ?stmt msckg:locator ?locator }
      OPTIONAL { ?stmt rdfs:comment ?comment }
      OPTIONAL { ?stmt msckg:belief ?belief }
    }
    OPTIONAL {
      GRAPH graph:provenance { ?stmt msckg:statedIn ?source }
      GRAPH graph:asserted { ?source bibo:doi ?sourceDoi }
    }""",
    "reference": """
    BIND("reference" AS ?kind)
    GRAPH graph:provenance { ?stmt msckg:supportedBy ?ref }
    GRAPH graph:asserted { ?ref bibo:doi ?doi ; rdfs:label ?refLabel }""",
}


def network_query(kinds: Iterable[str], values: str = "") -> str:
    """The projection query for some row shapes, each restricted by a ``VALUES`` block.

    :param kinds: keys of :data:`NETWORK_PARTS`
    :param values: a ``VALUES`` block that restricts every part (e.g. to some ``?s``); it is
        written at the start of each part, where the planner starts from it (outside the
        union, Oxigraph evaluates every part whole and joins afterwards)
    """
    union = "\n  } UNION {".join(
        f"\n    {values}" * bool(values) + NETWORK_PARTS[kind] for kind in kinds
    )
    return f"SELECT {NETWORK_COLUMNS}\nWHERE {{\n  {{{union}\n  }}\n}}\n"


#: One query for the whole projection; ``?kind`` tells which row shape a row has.
NETWORK_QUERY = network_query(NETWORK_PARTS)

_EVIDENCE = {member.term: member for member in EvidenceContext}
_HEDGING = {member.term: member for member in Hedging}


@dataclass(frozen=True, slots=True)
class Citation:
    """A publication a statement cites: DOI, short label (``Hou et al. 2025``) and CURIE."""

    doi: str
    label: str
    id: str = ""


@dataclass(frozen=True, slots=True)
class EdgeStatement:
    """One curated statement behind an edge, with its evidence, hedging, polarity and citations."""

    id: str
    evidence: str
    evidence_rank: int
    hedging: str
    hedging_rank: int
    polarity: str
    locator: str
    comment: str
    references: tuple[Citation, ...] = field(default=())
    #: The statement's belief score (see :mod:`msckg.graph.belief`); None in graphs built before it.
    belief: float | None = None
    #: DOI of the publication the statement comes from (the editorial).
    source_doi: str = ""

    @property
    def positive(self) -> bool:
        """Whether the statement asserts (rather than denies) its relation."""
        return self.polarity == "positive"

    def as_dict(self) -> dict[str, Any]:
        """The statement as JSON-ready data."""
        return {
            "id": self.id,
            "evidence": self.evidence,
            "evidence_rank": self.evidence_rank,
            "hedging": self.hedging,
            "hedging_rank": self.hedging_rank,
            "polarity": self.polarity,
            "locator": self.locator,
            "comment": self.comment,
            "belief": self.belief,
            "references": [
                {"id": ref.id, "doi": ref.doi, "label": ref.label} for ref in self.references
            ],
        }


def _curie(iri: str) -> str:
    return CONVERTER.compress(iri) or iri


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _statement(stmt: str, row: dict[str, str], refs: list[Citation]) -> EdgeStatement:
    evidence = _EVIDENCE[_local(row["evidence"])]
    hedging = _HEDGING[_local(row["hedging"])]
    return EdgeStatement(
        id=_curie(stmt),
        evidence=evidence.code,
        evidence_rank=evidence.rank,
        hedging=hedging.code,
        hedging_rank=hedging.rank,
        polarity=_local(row["polarity"]).lower(),
        locator=row.get("locator", ""),
        comment=row.get("comment", ""),
        references=tuple(sorted(set(refs), key=lambda ref: (ref.label, ref.doi))),
        belief=float(row["belief"]) if "belief" in row else None,
        source_doi=row.get("sourceDoi", ""),
    )


def supers_by_class(rows: list[dict[str, str]]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """From the projection's ``class`` rows: each class CURIE's superclasses (most specific
    first, itself included) and each class's label."""
    supers: dict[str, list[str]] = defaultdict(list)
    labels: dict[str, str] = {}
    for row in rows:
        supers[_curie(row["type"])].append(_curie(row["s"]))
        labels[_curie(row["s"])] = row["label"]
    depth = {cls: len(chain) for cls, chain in supers.items()}
    ordered = {cls: sorted(chain, key=lambda c: -depth.get(c, 0)) for cls, chain in supers.items()}
    return ordered, labels


def network_from_rows(rows: list[dict[str, str]]) -> nx.MultiDiGraph[str]:
    """Assemble the MultiDiGraph from the rows of :data:`NETWORK_QUERY`.

    Nodes are entity CURIEs (``ent:vegf``) with ``label``, ``type`` (most specific class CURIE),
    ``type_label``, ``types`` (the class and its superclasses, most specific first) and
    ``synonyms``. Edges are keyed by predicate CURIE and carry ``predicate``, ``label`` and
    ``statements`` (a tuple of :class:`EdgeStatement`, sorted by id).

    :param rows: query rows, variable name to lexical value
    :returns: a new, unfrozen graph
    """
    by_kind: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_kind[row["kind"]].append(row)
    supers, class_labels = supers_by_class(by_kind["class"])
    predicate_labels = {_curie(row["p"]): row["label"] for row in by_kind["predicate"]}
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for row in by_kind["node"]:
        node, cls = _curie(row["s"]), _curie(row["type"])
        graph.add_node(
            node,
            id=node,
            label=row["label"],
            type=cls,
            type_label=class_labels.get(cls, _local(cls)),
            types=tuple(supers.get(cls, [cls])),
            synonyms=(),
        )
    synonyms: dict[str, set[str]] = defaultdict(set)
    for row in by_kind["synonym"]:
        synonyms[_curie(row["s"])].add(row["value"])
    for node, values in synonyms.items():
        if node in graph:
            graph.nodes[node]["synonyms"] = tuple(sorted(values))
    statements: dict[tuple[str, str, str], dict[str, dict[str, str]]] = {
        (_curie(row["s"]), _curie(row["p"]), _curie(row["o"])): {} for row in by_kind["edge"]
    }
    for row in by_kind["statement"]:
        key = (_curie(row["s"]), _curie(row["p"]), _curie(row["o"]))
        if key in statements:  # a statement about a relation not asserted makes no edge
            statements[key][row["stmt"]] = row
    references: dict[str, list[Citation]] = defaultdict(list)
    for row in by_kind["reference"]:
        references[row["stmt"]].append(Citation(row["doi"], row["refLabel"], _curie(row["ref"])))
    for (source, predicate, target), found in sorted(statements.items()):
        if source not in graph or target not in graph:
            continue
        graph.add_edge(
            source,
            target,
            key=predicate,
            predicate=predicate,
            label=predicate_labels.get(predicate, _local(predicate)),
            statements=tuple(
                _statement(stmt, row, references[stmt]) for stmt, row in sorted(found.items())
            ),
        )
    return graph


def network_from_store(store: Store) -> nx.MultiDiGraph[str]:
    """Project the asserted graph of ``store`` into a frozen MultiDiGraph.

    See :func:`network_from_rows` for the attributes.

    :param store: a built store
    :returns: a frozen graph; copy it (``nx.MultiDiGraph(g)``) to change it
    """
    frozen: nx.MultiDiGraph[str] = nx.freeze(network_from_rows(store.select(NETWORK_QUERY)))
    return frozen


#: Seconds a remote store's projection is reused: the store has no build version to key on.
REMOTE_CACHE_SECONDS = 60


def build_stamp(store_path: Path) -> int:
    """What tells one build (or load) of the store at ``store_path`` from the next: the
    modification time of the build manifest beside it (``msckg load`` touches it), else of the
    store folder. It survives the rename that puts a build in place, so files written beside
    the store during the build (the text index) carry the stamp they are read with.
    """
    manifest = store_path.parent / "build.json"
    stamp = manifest if manifest.exists() else store_path
    return stamp.stat().st_mtime_ns


def mark_changed(store_path: Path) -> None:
    """Record that the store at ``store_path`` changed in place (a load or an update): caches
    keyed by :func:`build_stamp` (text index, projection) then count as stale."""
    manifest = store_path.parent / "build.json"
    target = manifest if manifest.exists() else store_path
    before = target.stat().st_mtime_ns
    now = max(time.time_ns(), before + 1)
    os.utime(target, ns=(now, now))


def store_version(store: Store) -> tuple[str, int]:
    """What identifies one build of ``store``: its path and :func:`build_stamp` (a remote store:
    its URL and the current :data:`REMOTE_CACHE_SECONDS` window).

    :raises ValueError: for an in-memory store, which has no version
    """
    url = getattr(store, "url", None)
    if store.path is None and url is not None:
        return str(url), int(time.monotonic() // REMOTE_CACHE_SECONDS)
    if store.path is None:
        raise ValueError("an in-memory store has no build version")
    return str(store.path.resolve()), build_stamp(store.path)


_CACHE: dict[tuple[str, int], nx.MultiDiGraph[str]] = {}


def load_network(store: Store) -> nx.MultiDiGraph[str]:
    """The projection of ``store``, built once per store path and build version (manifest mtime).

    A remote store's projection is reused for :data:`REMOTE_CACHE_SECONDS`; an in-memory
    store has no version to key on and is projected on every call.

    :param store: the store of a build
    :returns: a frozen graph shared between callers
    """
    if store.path is None and getattr(store, "url", None) is None:
        return network_from_store(store)
    key = store_version(store)
    if key not in _CACHE:
        for stale in [old for old in _CACHE if old[0] == key[0]]:
            del _CACHE[stale]
        _CACHE[key] = network_from_store(store)
    return _CACHE[key]


def clear_network_cache() -> None:
    """Forget every cached projection."""
    _CACHE.clear()


def resolve_entity(graph: nx.MultiDiGraph[str], key: str) -> str:
    """The node of ``graph`` that ``key`` names: a CURIE, an IRI, a bare id, a label or a synonym.

    Names are resolved by :func:`msckg.graph.entities.resolve_entity` (the one resolver) over
    the graph's nodes.

    :param graph: a projection from :func:`network_from_rows`
    :param key: ``ent:vegf``, ``https://w3id.org/msckg/id/vegf``, ``vegf``, ``VEGF`` ...
    :returns: the node's CURIE
    :raises EntityNotFound: with the closest entities as suggestions
    """
    from msckg.graph.entities import EntityIndex, EntitySummary
    from msckg.graph.entities import resolve_entity as resolve_name

    if key in graph:
        return key
    index = EntityIndex(
        {
            CONVERTER.expand(node) or node: EntitySummary(
                CONVERTER.expand(node) or node,
                data.get("label", node),
                tuple(data.get("types", ())),
                tuple(data.get("synonyms", ())),
            )
            for node, data in graph.nodes(data=True)
        }
    )
    return _curie(resolve_name(index, key).iri)
