"""Which curated statements stand as plain ("truthy") triples in the asserted graph.

Every statement becomes a statement node in the provenance graph; only some also become a plain
``subject predicate object`` triple, the part of the graph most users and tools read. As on
Wikidata, where only best-rank statements are truthy, a triple stands when

- at least one positive statement carries it with a *firm* wording (hedging ``reported`` or
  ``established``), or with a relation that is hedged by its own meaning (``msckg:tentative``
  in the ontology: ``proposedFor``, ``studiedToTreat``, ``hasRisk``, ...); and
- no negative statement denies it: a plain triple never stands beside its own negation.

So a suggested or hypothesized claim never yields a plain triple whose relation reads as
settled. ``msckg validate`` refuses curation rows that would try (see :mod:`msckg.graph.validate`).
"""

from __future__ import annotations

from collections.abc import Iterable

from msckg.graph.model import Hedging, Statement
from msckg.ontology.schema import Schema

__all__ = ["FIRM_HEDGING", "Triple", "is_firm", "plain_triples", "triple_of"]

#: Triples as (subject id, predicate local name, object id).
Triple = tuple[str, str, str]
#: Hedging levels worded firmly enough for a settled-reading relation to stand as a plain triple.
FIRM_HEDGING = frozenset({Hedging.REPORTED, Hedging.ESTABLISHED})


def triple_of(statement: Statement) -> Triple:
    """The (subject, predicate, object) a statement is about, whatever its polarity."""
    return (statement.subject, statement.predicate, statement.object)


def is_firm(statement: Statement, schema: Schema) -> bool:
    """Tell whether a positive statement may carry its triple on its own.

    True when it is worded firmly, or when its relation is tentative by meaning.
    """
    relation = schema.relations.get(statement.predicate)
    return statement.hedging in FIRM_HEDGING or (relation is not None and relation.tentative)


def plain_triples(statements: Iterable[Statement], schema: Schema) -> dict[Triple, list[Statement]]:
    """The triples that stand in the asserted graph, each with the positive statements behind it.

    :param statements: validated statements
    :param schema: the ontology's relations (which ones are tentative)
    :returns: triple -> its positive statements, in file order; triples denied by a negative
        statement, or carried only by tentatively worded statements of a settled-reading
        relation, are left out
    """
    positive: dict[Triple, list[Statement]] = {}
    denied: set[Triple] = set()
    for statement in statements:
        if statement.polarity.code == "positive":
            positive.setdefault(triple_of(statement), []).append(statement)
        else:
            denied.add(triple_of(statement))
    return {
        triple: carried
        for triple, carried in positive.items()
        if triple not in denied and any(is_firm(s, schema) for s in carried)
    }
