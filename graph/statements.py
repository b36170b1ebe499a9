"""One statement explained: its belief term by term, locator, references, and the other
statements on the same triple that support or contradict it."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from msckg.graph.belief import belief, distinct_works
from msckg.graph.model import EvidenceContext, Hedging, Polarity
from msckg.graph.store import Store
from msckg.ontology import CONVERTER, STMT
from msckg.queries import load_query

__all__ = [
    "MAX_KEY_LENGTH",
    "STATEMENT_KEY_PATTERN",
    "StatementNotFound",
    "explain_statement",
    "statement_iri",
]

MAX_KEY_LENGTH = 500
#: What names a statement: its bare id, its CURIE or its IRI.
STATEMENT_KEY_PATTERN = "^(stmt:|" + re.escape(str(STMT)) + ")?(S[0-9]{3,})$"
_KEY = re.compile(STATEMENT_KEY_PATTERN)
_EVIDENCE = {member.term: member for member in EvidenceContext}
_HEDGING = {member.term: member for member in Hedging}
_POLARITY = {member.term: member for member in Polarity}


class StatementNotFound(LookupError):
    """No statement has the given id."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"no statement {key!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt from its key when it comes back from a worker process
        return (type(self), (self.key,))


def statement_iri(key: str) -> str:
    """The IRI of a statement given as a bare id, a CURIE or an IRI.

    >>> statement_iri("S001") == statement_iri("stmt:S001") == str(STMT) + "S001"
    True

    :raises ValueError: for anything else
    """
    match = _KEY.fullmatch(key) if len(key) <= MAX_KEY_LENGTH else None
    if match is None:
        raise ValueError(
            f"{key[:80]!r} is not a statement id (S followed by three or more digits, "
            "e.g. S001, stmt:S001 or its IRI)"
        )
    return str(STMT) + match[2]


def _curie(iri: str) -> str:
    return CONVERTER.compress(iri) or iri


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _term(iri: str, label: str | None) -> dict[str, str]:
    return {"id": _curie(iri), "label": label or _local(iri)}


def _summary(rows: list[dict[str, str]]) -> dict[str, Any]:
    first = rows[0]
    references: dict[str, dict[str, Any]] = {}
    for row in rows:
        if "reference" in row:
            doi = row.get("doi")
            references[row["reference"]] = {
                "id": _curie(row["reference"]),
                "label": row.get("referenceLabel") or _curie(row["reference"]),
                "doi": doi,
                "url": f"https://doi.org/{doi}" if doi else None,
            }
    return {
        "id": _curie(first["other"]),
        "polarity": _POLARITY[_local(first["polarity"])].code,
        "evidence": _EVIDENCE[_local(first["evidence"])].code,
        "hedging": _HEDGING[_local(first["hedging"])].code,
        "belief": float(first["belief"]) if "belief" in first else None,
        "locator": first.get("locator"),
        "paraphrase": first.get("paraphrase"),
        "references": sorted(references.values(), key=lambda ref: ref["id"]),
        "editorial_doi": first.get("editorialDoi", ""),
    }


def explain_statement(store: Store, key: str) -> dict[str, Any]:
    """How a statement's belief was reached, with its place in the editorial and its references.

    The score is recomputed from the statement's evidence, hedging, polarity and cited DOIs with
    :func:`msckg.graph.belief.belief`, next to the value stored at build time (``stored``).

    :param store: a built store
    :param key: ``S001``, ``stmt:S001`` or the statement's IRI
    :returns: JSON-ready: id, triple, polarity, evidence, hedging, locator, paraphrase,
        references, belief (score, stored, formula, terms, works), and the other statements on
        the same triple as ``supports`` (same polarity) and ``contradicts`` (opposite polarity)
    :raises ValueError: for a malformed id
    :raises StatementNotFound: when the store has no such statement
    """
    iri = statement_iri(key)
    rows = store.select(load_query("statement_evidence").text, {"statement": iri})
    by_statement: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_statement[row["other"]].append(row)
    if iri not in by_statement:
        raise StatementNotFound(key)
    this = _summary(by_statement[iri])
    first = by_statement[iri][0]
    works = distinct_works(
        (ref["doi"] for ref in this["references"] if ref["doi"]), this.pop("editorial_doi")
    )
    score = belief(
        EvidenceContext.from_code(this["evidence"]),
        Hedging.from_code(this["hedging"]),
        Polarity.from_code(this["polarity"]),
        works,
    )
    others = [_summary(found) for other, found in sorted(by_statement.items()) if other != iri]
    for other in others:
        del other["editorial_doi"]
    stored = this.pop("belief")
    return {
        "id": this.pop("id"),
        "iri": iri,
        "subject": _term(first["subject"], first.get("subjectLabel")),
        "predicate": _term(first["predicate"], first.get("predicateLabel")),
        "object": _term(first["object"], first.get("objectLabel")),
        **this,
        "belief": {**score.as_dict(), "stored": stored},
        "supports": [o for o in others if o["polarity"] == this["polarity"]],
        "contradicts": [o for o in others if o["polarity"] != this["polarity"]],
    }
