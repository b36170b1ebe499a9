"""Entities for people: name search, an entity's card with relations and evidence, suggestions."""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from msckg.graph.errors import EntityNotFound
from msckg.graph.remote import bind_parameters
from msckg.graph.store import Store, named_node
from msckg.ontology import CONVERTER, ENT, MSCKG, PREFIXES
from msckg.queries import load_query

__all__ = [
    "EntityIndex",
    "EntitySummary",
    "NameIndex",
    "UnknownEntity",
    "entity_detail",
    "iri_from_key",
    "name_key",
    "resolve_entity",
    "suggestion",
    "type_curie",
]

MAX_KEY_LENGTH = 500
_GREEK = {
    chr(code): unicodedata.name(chr(code)).rsplit(" ", 1)[-1].lower()
    for code in range(0x3B1, 0x3CA)
    if unicodedata.name(chr(code), "").startswith("GREEK SMALL LETTER")
}
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")
_LOCAL_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")


def name_key(text: str) -> str:
    """Reduce a name to what matters for matching: no case, punctuation, spaces or Greek spelling.

    >>> alpha = "\N{GREEK SMALL LETTER ALPHA}"
    >>> name_key("TNF-" + alpha) == name_key("TNF-alpha") == name_key("tnf alpha")
    True
    >>> name_key("Asherman's syndrome")
    'ashermanssyndrome'
    """
    if text.isascii():  # most names: the same key, without three passes over Unicode tables
        return _NOT_ASCII_ALNUM.sub("", text.lower())
    folded = unicodedata.normalize("NFKC", text).casefold()
    spelled = "".join(_GREEK.get(char, char) for char in folded)
    stripped = unicodedata.normalize("NFKD", spelled)
    return "".join(char for char in stripped if char.isalnum() and not unicodedata.combining(char))


def type_curie(type_: str, known: frozenset[str]) -> str:
    """The class CURIE a search's ``type`` names (``GrowthFactor`` or ``msckg:GrowthFactor``).

    :param known: the CURIEs of the classes entities have
    :raises ValueError: naming the known classes, when ``type_`` is none of them
    """
    curie = type_ if ":" in type_ else f"msckg:{type_}"
    if curie not in known:
        raise ValueError(f"unknown type {type_!r}; choose one of: {', '.join(sorted(known))}")
    return curie


def _curie(iri: str) -> str:
    return CONVERTER.compress(iri) or iri


def iri_from_key(key: str) -> str:
    """Turn what a user gives for an entity (CURIE, full IRI or bare local id) into its IRI.

    >>> iri_from_key("ent:VEGF") == iri_from_key("VEGF") == "https://w3id.org/msckg/id/VEGF"
    True

    :raises ValueError: for an empty, over-long or malformed key
    """
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"an entity id must be 1 to {MAX_KEY_LENGTH} characters")
    if key.startswith(("http://", "https://")):
        if any(char.isspace() or char in '<>"{}|^`\\' for char in key):
            raise ValueError(f"{key!r} is not a valid IRI")
        return key
    prefix, sep, local = key.partition(":")
    if sep and prefix in PREFIXES and _LOCAL_ID.fullmatch(local):
        return PREFIXES[prefix] + local
    if not sep and _LOCAL_ID.fullmatch(key):
        return str(ENT) + key
    raise ValueError(f"{key!r} is not a CURIE (e.g. ent:VEGF), an IRI or an entity id")


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """An entity as a search result shows it."""

    iri: str
    label: str
    types: tuple[str, ...]
    synonyms: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, with the CURIE as ``id``."""
        return {
            "id": _curie(self.iri),
            "iri": self.iri,
            "label": self.label,
            "types": list(self.types),
            "synonyms": list(self.synonyms),
        }


class UnknownEntity(EntityNotFound):
    """No entity has the id; ``closest`` is ``suggestions`` (``{"id", "label"}``, closest first)."""

    @property
    def closest(self) -> list[dict[str, str]]:
        """The suggestions, under the name the service's error handler reads."""
        return self.suggestions


def suggestion(summary: EntitySummary) -> dict[str, str]:
    """An entity as an unknown-entity error suggests it: ``{"id": CURIE, "label": label}``."""
    return {"id": _curie(summary.iri), "label": summary.label}


class NameIndex(Protocol):
    """What resolving and searching names needs: :class:`EntityIndex` (in memory) and
    :class:`msckg.graph.textindex.TextIndex` (SQLite beside a local store) both provide it."""

    types: frozenset[str]

    def get(self, iri: str) -> EntitySummary | None:
        """The entity with this IRI, or ``None``."""
        ...

    def named(self, text: str) -> list[tuple[EntitySummary, bool]]:
        """Entities with a name matching ``text`` by name key, and whether it is their label."""
        ...

    def search(
        self, text: str, *, type_: str | None = None, limit: int = 20
    ) -> list[EntitySummary]:
        """Entities matching ``text``, best first."""
        ...

    def suggest(self, key: str, limit: int = 5) -> list[EntitySummary]:
        """Entities closest to an unknown ``key``."""
        ...


def resolve_entity(names: NameIndex, key: str) -> EntitySummary:
    """The entity ``key`` names: its CURIE, IRI or bare id, else a label or synonym.

    The one resolver of every entry point (paths, neighborhoods, metapaths, exports, detail).
    Names match as search matches them (:func:`name_key`: no case, punctuation, spaces or Greek
    spelling), so every name search finds resolves. A name shared by several entities resolves
    to the one whose label it is (exactly as typed first, then by name key), else fails listing
    them.

    :raises EntityNotFound: with the closest entities as ``{"id", "label"}`` suggestions
    """
    text = key.strip()
    try:
        iri: str | None = iri_from_key(text)
    except ValueError:
        iri = None
    if iri is not None and (known := names.get(iri)) is not None:
        return known
    matches = names.named(text)
    entities = {summary.iri: summary for summary, _ in matches}
    for candidates in (
        {s.iri for s, is_label in matches if is_label and s.label.casefold() == text.casefold()},
        {s.iri for s, is_label in matches if is_label},
        set(entities),
    ):
        if len(candidates) == 1:
            return entities[candidates.pop()]
    if entities:
        raise EntityNotFound(key, [suggestion(entities[iri]) for iri in sorted(entities)])
    raise EntityNotFound(key, [suggestion(summary) for summary in names.suggest(text)])


@dataclass(slots=True)
class _Names:
    label: str = ""
    synonyms: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)


class EntityIndex:
    """Every entity's names and types, read once from the store, for search and suggestions."""

    def __init__(self, entities: dict[str, EntitySummary]) -> None:
        self.entities = entities
        self.types = frozenset(type_ for summary in entities.values() for type_ in summary.types)

    @functools.cached_property
    def _keys(self) -> list[tuple[str, str, bool]]:
        # Computed on the first search, not when the index only feeds the SQLite text index.
        keys = (
            (name_key(name), iri, name == summary.label)
            for iri, summary in self.entities.items()
            for name in (summary.label, *summary.synonyms)
        )
        return sorted({key for key in keys if key[0]})

    @classmethod
    def from_store(cls, store: Store) -> EntityIndex:
        """Read the names and types of all entities with the ``entity_names`` query."""
        names: dict[str, _Names] = defaultdict(_Names)
        for row in store.select(load_query("entity_names").text):
            record = names[row["entity"]]
            if row["kind"] == "label":
                record.label = row["name"]
            elif row["kind"] == "synonym":
                record.synonyms.add(row["name"])
            elif row["type"] != str(MSCKG.Entity):
                record.types.add(_curie(row["type"]))
        return cls(
            {
                iri: EntitySummary(
                    iri, record.label, tuple(sorted(record.types)), tuple(sorted(record.synonyms))
                )
                for iri, record in names.items()
                if record.label  # an entity is what has a label; types alone name nothing
            }
        )

    def search(
        self, text: str, *, type_: str | None = None, limit: int = 20
    ) -> list[EntitySummary]:
        """Find entities whose label or a synonym matches ``text``, best first.

        Matching ignores case, punctuation, spaces and Greek spelling (alpha = the Greek letter).
        Ranking: exact name, then names starting with ``text``, then names containing it; a
        label beats a synonym; shorter labels first. An empty ``text`` lists entities by label.

        :param text: what the user typed
        :param type_: keep only entities of this class (``GrowthFactor`` or ``msckg:GrowthFactor``)
        :param limit: the most results returned
        :returns: matching entities
        :raises ValueError: for an unknown type
        """
        wanted_type = type_curie(type_, self.types) if type_ else None
        query = name_key(text)
        best: dict[str, tuple[int, int]] = {}
        for key, iri, is_label in self._keys:
            if wanted_type and wanted_type not in self.entities[iri].types:
                continue
            if not query or key == query:
                rank = 0
            elif key.startswith(query):
                rank = 1
            elif query in key:
                rank = 2
            else:
                continue
            score = (rank, 0 if is_label else 1)
            best[iri] = min(best.get(iri, score), score)
        ordered = sorted(
            best,
            key=lambda iri: (
                *best[iri],
                len(self.entities[iri].label),
                self.entities[iri].label.casefold(),
            ),
        )
        if not query:
            ordered.sort(key=lambda iri: self.entities[iri].label.casefold())
        return [self.entities[iri] for iri in ordered[:limit]]

    def get(self, iri: str) -> EntitySummary | None:
        """The entity with this IRI, or ``None``."""
        return self.entities.get(iri)

    def named(self, text: str) -> list[tuple[EntitySummary, bool]]:
        """Entities with a name that matches ``text`` exactly (by :func:`name_key`), and whether
        that name is their label."""
        key = name_key(text)
        start = bisect.bisect_left(self._keys, (key, "", False))
        found = []
        for found_key, iri, is_label in self._keys[start:]:
            if found_key != key:
                break
            found.append((self.entities[iri], is_label))
        return found

    def suggest(self, key: str, limit: int = 5) -> list[EntitySummary]:
        """Entities whose names or ids come closest to ``key`` (for "did you mean").

        :param key: an unknown id, CURIE or name
        :param limit: the most suggestions
        :returns: close entities, closest first
        """
        wanted = name_key(key.rsplit("/", 1)[-1].rsplit(":", 1)[-1])
        if not wanted:
            return []
        found = self.search(wanted, limit=limit)
        by_key = {name: iri for name, iri, _ in self._keys}
        by_key.update({name_key(iri.rsplit("/", 1)[-1]): iri for iri in self.entities})
        for close in difflib.get_close_matches(wanted, list(by_key), n=limit * 2, cutoff=0.6):
            summary = self.entities[by_key[close]]
            if summary not in found:
                found.append(summary)
        return found[:limit]


def _term(iri: str | None, label: str | None) -> dict[str, str] | None:
    if iri is None:
        return None
    return {"id": _curie(iri), "label": label or _curie(iri)}


def _predicate(row: dict[str, str]) -> dict[str, str | None]:
    """A relation's predicate, with how it reads from the object's side (``inverse_label``)."""
    curie = _curie(row["predicate"])
    return {
        "id": curie,
        "label": row.get("predicateLabel") or curie,
        "inverse_label": row.get("inverseLabel"),
    }


def _relations(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    statements: dict[str, dict[str, Any]] = {}
    for row in rows:
        group_key = (row["direction"], row["predicate"], row["other"])
        group = groups.setdefault(
            group_key,
            {
                "direction": row["direction"],
                "predicate": _predicate(row),
                "other": _term(row["other"], row.get("otherLabel")),
                "statements": [],
            },
        )
        statement_key = f"{row['direction']} {row['statement']}"
        if statement_key not in statements:
            statements[statement_key] = {
                "id": _curie(row["statement"]),
                "evidence": _term(row["evidence"], row.get("evidenceLabel")),
                "hedging": _term(row["hedging"], row.get("hedgingLabel")),
                "polarity": _term(row["polarity"], row.get("polarityLabel")),
                "references": [],
                "locator": row.get("locator"),
                "paraphrase": row.get("paraphrase"),
                "belief": float(row["belief"]) if "belief" in row else None,
            }
            group["statements"].append(statements[statement_key])
        if "reference" in row:
            doi = row.get("doi")
            statements[statement_key]["references"].append(
                {
                    "id": _curie(row["reference"]),
                    "label": row.get("referenceLabel") or _curie(row["reference"]),
                    "doi": doi,
                    "url": f"https://doi.org/{doi}" if doi else None,
                }
            )
    return list(groups.values())


def _supported_statements(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The statements a work supports, one entry each, in statement order."""
    return [
        {
            "id": _curie(row["statement"]),
            "subject": _term(row["subject"], row.get("subjectLabel")),
            "predicate": _term(row["predicate"], row.get("predicateLabel")),
            "object": _term(row["object"], row.get("objectLabel")),
            "evidence": _term(row["evidence"], row.get("evidenceLabel")),
            "hedging": _term(row["hedging"], row.get("hedgingLabel")),
            "polarity": _term(row["polarity"], row.get("polarityLabel")),
            "locator": row.get("locator"),
            "paraphrase": row.get("paraphrase"),
        }
        for row in rows
    ]


def _about(iri: str, query: str, variable: str) -> str:
    """The named query ``query`` with ``variable`` replaced by the IRI in its text.

    Bound as a substitution, the value reaches the engine only after it planned the query, so
    it scans every statement for the entity (seconds on a million triples); written into the
    text, the planner starts from it (tens of milliseconds). The IRI is checked strictly (by
    :func:`iri_from_key` and as an RDF term) before it becomes query text.

    :raises ValueError: for an IRI that is not a valid RDF IRI
    """
    return bind_parameters(load_query(query).text, {variable: named_node(iri)})


def entity_detail(store: Store, key: str, index: NameIndex | None = None) -> dict[str, Any]:
    """Everything the graph says about one entity: its card and its relations with their statements.

    :param store: the graph
    :param key: CURIE (``ent:VEGF``), full IRI, or bare id (``VEGF``)
    :param index: the entity index, used for suggestions when ``key`` is unknown
    :returns: id, iri, label, definition, types, synonyms, xrefs, doi, relations and, for a
        work, the statements it supports (JSON-ready)
    :raises ValueError: for a malformed key
    :raises UnknownEntity: when no entity has that id, with the closest entities
    """
    iri = iri_from_key(key)
    card = store.select(_about(iri, "entity_card", "entity"))
    if not any(row["field"] == "label" for row in card):
        closest = index.suggest(key) if index is not None else []
        raise UnknownEntity(key, [suggestion(summary) for summary in closest])
    values: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in card:
        values[row["field"]].append(row)
    types = [row for row in values["type"] if row["value"] != str(MSCKG.Entity)]
    doi = values["doi"][0]["value"] if values["doi"] else None
    return {
        "id": _curie(iri),
        "iri": iri,
        "label": values["label"][0]["value"],
        "definition": values["definition"][0]["value"] if values["definition"] else None,
        "types": [_term(row["value"], row.get("valueLabel")) for row in types],
        "synonyms": [row["value"] for row in values["synonym"]],
        "xrefs": [{"id": _curie(row["value"]), "iri": row["value"]} for row in values["xref"]],
        "doi": doi,
        "relations": _relations(store.select(_about(iri, "entity_statements", "entity"))),
        "supports": _supported_statements(
            store.select(_about(iri, "statements_citing", "reference"))
        ),
    }
