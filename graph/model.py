"""Records of the knowledge graph as frozen dataclasses, each knowing the file line it came from."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = [
    "Entity",
    "EvidenceContext",
    "Hedging",
    "Locator",
    "Polarity",
    "Reference",
    "Source",
    "Statement",
]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was read: a file and a 1-based line number."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class EvidenceContext(enum.Enum):
    """The kind of study a claim rests on; ``rank`` orders them from weakest to strongest."""

    EXPERT_OPINION = ("expert_opinion", "ExpertOpinion", 1)
    CLINICAL_BACKGROUND = ("clinical_background", "ClinicalBackground", 2)
    PRECLINICAL_STUDY = ("preclinical_study", "PreclinicalStudy", 2)
    ANIMAL_MODEL = ("animal_model", "AnimalModel", 2)
    EARLY_CLINICAL_STUDY = ("early_clinical_study", "EarlyClinicalStudy", 3)
    CLINICAL_TRIAL = ("clinical_trial", "ClinicalTrial", 4)

    def __init__(self, code: str, term: str, rank: int) -> None:
        self.code = code
        self.term = term
        self.rank = rank

    @classmethod
    def from_code(cls, code: str) -> EvidenceContext:
        """Return the member whose curation code is ``code``.

        >>> EvidenceContext.from_code("animal_model").term
        'AnimalModel'
        """
        for member in cls:
            if member.code == code:
                return member
        raise ValueError(code)


class Hedging(enum.Enum):
    """How firmly the source words a claim, from most tentative to firmest."""

    HYPOTHESIZED = ("hypothesized", "Hypothesized", 1)
    SUGGESTED = ("suggested", "Suggested", 2)
    REPORTED = ("reported", "Reported", 3)
    ESTABLISHED = ("established", "Established", 4)

    def __init__(self, code: str, term: str, rank: int) -> None:
        self.code = code
        self.term = term
        self.rank = rank

    @classmethod
    def from_code(cls, code: str) -> Hedging:
        """Return the member whose curation code is ``code``."""
        for member in cls:
            if member.code == code:
                return member
        raise ValueError(code)


class Polarity(enum.Enum):
    """Whether a statement asserts its relation or denies it."""

    POSITIVE = ("positive", "Positive")
    NEGATIVE = ("negative", "Negative")

    def __init__(self, code: str, term: str) -> None:
        self.code = code
        self.term = term

    @classmethod
    def from_code(cls, code: str) -> Polarity:
        """Return the member whose curation code is ``code``."""
        for member in cls:
            if member.code == code:
                return member
        raise ValueError(code)


@dataclass(frozen=True, slots=True)
class Locator:
    """A place in the editorial: section, paragraph and sentence (both 1-based)."""

    section: str
    paragraph: int
    sentence: int

    def __str__(self) -> str:
        return f"{self.section}/p{self.paragraph}/s{self.sentence}"


@dataclass(frozen=True, slots=True)
class Entity:
    """A thing the graph talks about, typed by an ontology class."""

    id: str
    type: str
    label: str
    synonyms: tuple[str, ...]
    definition: str
    exact_match: tuple[str, ...]
    close_match: tuple[str, ...]
    broad_match: tuple[str, ...]
    narrow_match: tuple[str, ...]
    related_match: tuple[str, ...]
    broader: tuple[str, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class Reference:
    """A publication: the editorial itself or one of the works it cites."""

    id: str
    doi: str
    printed_doi: str
    authors: str
    title: str
    journal: str
    year: int
    volume: str
    pages: str
    cited_as: int | None
    source: Source


@dataclass(frozen=True, slots=True)
class Statement:
    """One claim of the editorial with its evidence, hedging, polarity, citations and locator."""

    id: str
    subject: str
    predicate: str
    object: str
    polarity: Polarity
    evidence: EvidenceContext
    hedging: Hedging
    references: tuple[str, ...]
    condition: str | None
    population: tuple[str, ...]
    via: tuple[str, ...]
    locator: Locator
    paraphrase: str
    source: Source
