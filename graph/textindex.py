"""The entity name index beside a local store: SQLite FTS5, built with the store, read by search.

Each entity's label and synonyms are stored reduced by :func:`msckg.graph.entities.name_key`
(no case, punctuation, spaces or Greek spelling), with an FTS5 trigram index over them, so a
search for any part of a name is an index lookup, not a scan of every name. The file is written
beside the store (``names.sqlite`` in the data folder) by ``msckg build`` and ``msckg load``,
into a temporary file renamed into place, and records the build it indexes
(:func:`msckg.graph.network.build_stamp`): an index of another build is never read.

:class:`TextIndex` answers as :class:`msckg.graph.entities.EntityIndex` does (search, exact
names, suggestions), with the same ranking; the in-memory index stays for remote stores.
"""

from __future__ import annotations

import difflib
import json
import os
import sqlite3
import threading
from pathlib import Path

from msckg.graph.entities import EntityIndex, EntitySummary, name_key, type_curie
from msckg.graph.network import build_stamp
from msckg.graph.store import Store, open_store

__all__ = [
    "INDEX_FILENAME",
    "TextIndex",
    "build_text_index",
    "index_path",
    "open_text_index",
    "text_index_is_current",
    "write_text_index",
]

#: The index file's name, in the folder that holds the store.
INDEX_FILENAME = "names.sqlite"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entity (
  id INTEGER PRIMARY KEY, iri TEXT UNIQUE NOT NULL, label TEXT NOT NULL,
  sort_label TEXT NOT NULL, types TEXT NOT NULL, synonyms TEXT NOT NULL
);
CREATE INDEX entity_by_label ON entity (sort_label, id);
CREATE TABLE name (entity INTEGER NOT NULL, key TEXT NOT NULL, is_label INTEGER NOT NULL);
CREATE INDEX name_by_key ON name (key);
CREATE TABLE entity_type (type TEXT NOT NULL, entity INTEGER NOT NULL,
  PRIMARY KEY (type, entity)) WITHOUT ROWID;
CREATE VIRTUAL TABLE name_gram USING fts5 (key, content='name', tokenize='trigram');
"""
#: FTS5's trigram tokenizer matches substrings of at least this many characters.
_TRIGRAM = 3
_CANDIDATES = 200


def index_path(store_path: Path) -> Path:
    """Where the name index of the store at ``store_path`` lives."""
    return store_path.parent / INDEX_FILENAME


def build_text_index(store_path: Path) -> Path:
    """Index the names of the store at ``store_path`` (opened read-only) into the file beside it.

    :returns: the index file
    :raises StoreError: when the store cannot be opened
    """
    store = open_store(store_path, read_only=True)
    try:
        return write_text_index(store, index_path(store_path), build_stamp(store_path))
    finally:
        store.close()


def write_text_index(store: Store, path: Path, stamp: int) -> Path:
    """Index every entity's names from ``store`` into ``path``, atomically (temporary file, rename).

    :param store: the store to index (its ``entity_names`` query is read once)
    :param path: the index file to write (see :func:`index_path`)
    :param stamp: the :func:`msckg.graph.network.build_stamp` of the build indexed
    :returns: ``path``
    """
    entities = EntityIndex.from_store(store).entities
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    connection = sqlite3.connect(partial)
    try:
        with connection:
            connection.executescript(_SCHEMA)
            for number, summary in enumerate(entities.values(), 1):
                connection.execute(
                    "INSERT INTO entity VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        number,
                        summary.iri,
                        summary.label,
                        summary.label.casefold(),
                        json.dumps(summary.types),
                        json.dumps(summary.synonyms),
                    ),
                )
                names = {name_key(summary.label): 1}
                for synonym in summary.synonyms:
                    names.setdefault(name_key(synonym), 0)
                connection.executemany(
                    "INSERT INTO name VALUES (?, ?, ?)",
                    [(number, key, is_label) for key, is_label in names.items() if key],
                )
                connection.executemany(
                    "INSERT INTO entity_type VALUES (?, ?)",
                    [(type_, number) for type_ in summary.types],
                )
            connection.execute("INSERT INTO name_gram (rowid, key) SELECT rowid, key FROM name")
            connection.execute("INSERT INTO name_gram (name_gram) VALUES ('optimize')")
            connection.execute("INSERT INTO meta VALUES ('stamp', ?)", (str(stamp),))
    finally:
        connection.close()
    os.replace(partial, path)
    return path


def text_index_is_current(store_path: Path) -> bool:
    """Whether the name index beside ``store_path`` indexes the store's current build."""
    index = open_text_index(index_path(store_path), build_stamp(store_path))
    if index is None:
        return False
    index.close()
    return True


def open_text_index(path: Path, stamp: int) -> TextIndex | None:
    """The index at ``path`` if it exists and indexes the build ``stamp``, else ``None``."""
    if not path.is_file():
        return None
    try:
        index = TextIndex(path)
        if index.stamp == str(stamp):
            return index
        index.close()
    except sqlite3.DatabaseError:
        pass
    return None


class TextIndex:
    """Search, exact names and suggestions over the SQLite name index (read-only)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # One connection, shared by the threads of a process under a lock.
        self._db = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
        self._lock = threading.Lock()
        row = self._db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
        self.stamp = row[0] if row else ""
        self.types = frozenset(
            type_ for (type_,) in self._db.execute("SELECT DISTINCT type FROM entity_type")
        )

    def close(self) -> None:
        """Release the file."""
        self._db.close()

    def _summaries(self, query: str, parameters: tuple[object, ...]) -> list[EntitySummary]:
        with self._lock:
            rows = self._db.execute(query, parameters).fetchall()
        return [
            EntitySummary(iri, label, tuple(json.loads(types)), tuple(json.loads(synonyms)))
            for iri, label, types, synonyms in rows
        ]

    def get(self, iri: str) -> EntitySummary | None:
        """The entity with this IRI, or ``None``."""
        found = self._summaries(
            "SELECT iri, label, types, synonyms FROM entity WHERE iri = ?", (iri,)
        )
        return found[0] if found else None

    def named(self, text: str) -> list[tuple[EntitySummary, bool]]:
        """Entities with a name that matches ``text`` exactly (by name key), and whether it is
        their label."""
        with self._lock:
            rows = self._db.execute(
                "SELECT e.iri, e.label, e.types, e.synonyms, n.is_label FROM name n "
                "JOIN entity e ON e.id = n.entity WHERE n.key = ? ORDER BY e.iri",
                (name_key(text),),
            ).fetchall()
        return [
            (EntitySummary(iri, label, tuple(json.loads(t)), tuple(json.loads(s))), bool(is_label))
            for iri, label, t, s, is_label in rows
        ]

    def search(
        self, text: str, *, type_: str | None = None, limit: int = 20
    ) -> list[EntitySummary]:
        """Entities whose label or a synonym matches ``text``, ranked as
        :meth:`msckg.graph.entities.EntityIndex.search` ranks them.

        :raises ValueError: for an unknown type
        """
        wanted = type_curie(type_, self.types) if type_ else None
        typed = " AND e.id IN (SELECT entity FROM entity_type WHERE type = ?)" if wanted else ""
        type_args: tuple[object, ...] = (wanted,) if wanted else ()
        key = name_key(text)
        columns = "e.iri, e.label, e.types, e.synonyms"
        # The SQL is put together from the constant fragments above; values are parameters.
        if not key:
            return self._summaries(
                f"SELECT {columns} FROM entity e WHERE 1{typed} "  # noqa: S608
                "ORDER BY e.sort_label, e.id LIMIT ?",
                (*type_args, limit),
            )
        if len(key) >= _TRIGRAM:
            where = "n.rowid IN (SELECT rowid FROM name_gram WHERE name_gram MATCH ?)"
            match: str = '"' + key + '"'
        else:
            where, match = "instr(n.key, ?) > 0", key
        return self._summaries(
            f"SELECT {columns} FROM name n JOIN entity e ON e.id = n.entity "  # noqa: S608
            f"WHERE {where}{typed} "
            "GROUP BY e.id ORDER BY MIN((CASE WHEN n.key = ? THEN 0 "
            "WHEN substr(n.key, 1, length(?)) = ? THEN 2 ELSE 4 END) + 1 - n.is_label), "
            "length(e.label), e.sort_label, e.id LIMIT ?",
            (match, *type_args, key, key, key, limit),
        )

    def suggest(self, key: str, limit: int = 5) -> list[EntitySummary]:
        """Entities whose names come closest to ``key`` (for "did you mean"), closest first."""
        wanted = name_key(key.rsplit("/", 1)[-1].rsplit(":", 1)[-1])
        if not wanted:
            return []
        found = self.search(wanted, limit=limit)
        if len(found) >= limit or len(wanted) < _TRIGRAM:
            return found
        grams = {wanted[i : i + _TRIGRAM] for i in range(len(wanted) - _TRIGRAM + 1)}
        with self._lock:
            rows = self._db.execute(
                "SELECT n.key, e.iri FROM name_gram g JOIN name n ON n.rowid = g.rowid "
                "JOIN entity e ON e.id = n.entity WHERE name_gram MATCH ? ORDER BY rank LIMIT ?",
                (" OR ".join(f'"{gram}"' for gram in sorted(grams)), _CANDIDATES),
            ).fetchall()
        by_key = dict(reversed(rows))
        for close in difflib.get_close_matches(wanted, list(by_key), n=limit * 2, cutoff=0.6):
            summary = self.get(by_key[close])
            if summary is not None and summary not in found:
                found.append(summary)
        return found[:limit]
