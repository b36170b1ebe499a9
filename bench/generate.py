"""Write a deterministic synthetic graph in the msckg schema, of about N triples, ending with a sentinel triple.

The graph has what the real one has, scaled up: entities typed with msckg classes and with
synthetic subclasses (``rdfs:subClassOf`` chains under the ontology's classes), labels and
``skos:altLabel`` synonyms, plain relations with msckg predicates, and one statement node per
relation (evidence, hedging, polarity, reference, locator) as ``graph/triples.py`` makes them.

The last triple written is always ``bench:sentinel bench:loaded true``, so a client can poll a
server with :data:`SENTINEL_ASK` until it has loaded the whole file. The same seed and size give
the same bytes on every run and machine (one ``random.Random``, no set or dict-order effects).

Formats by extension: ``.ttl`` (Turtle, one triple per line), ``.nt`` (N-Triples), ``.trig``
(the same triples split into msckg's named graphs ``graph:ontology``, ``graph:asserted`` and
``graph:provenance``, as ``msckg build`` lays them out, so msckg's REST API can read them).

Usage::

    python bench/generate.py --triples 100000 --out bench/data/g100k.ttl
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BENCH",
    "SENTINEL",
    "SENTINEL_ASK",
    "SIZES",
    "Triple",
    "generate",
    "triples",
    "write_graph",
]

BASE = "https://w3id.org/msckg/"
MSCKG = BASE + "vocab/"
ENT = BASE + "id/"
STMT = BASE + "statement/"
GRAPH = BASE + "graph/"
#: Namespace of the synthetic classes and of the sentinel.
BENCH = BASE + "bench/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
BIBO = "http://purl.org/ontology/bibo/"
PREFIXES = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "skos": SKOS,
    "xsd": XSD,
    "bibo": BIBO,
    "msckg": MSCKG,
    "ent": ENT,
    "stmt": STMT,
    "bench": BENCH,
}

SENTINEL = (BENCH + "sentinel", BENCH + "loaded", "true")
#: The query a client polls until it answers ``true``: the whole file is loaded.
SENTINEL_ASK = f"ASK {{ <{SENTINEL[0]}> <{SENTINEL[1]}> true }}"
#: The sizes the benchmark uses, by name.
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}

#: Classes of msckg's ontology and their parents (ontology/msckg.ttl), in a fixed order.
CLASS_PARENTS: tuple[tuple[str, str], ...] = (
    ("Disorder", "Entity"),
    ("ClinicalFeature", "Entity"),
    ("Process", "Entity"),
    ("BiologicalProcess", "Process"),
    ("PathologicalProcess", "Process"),
    ("CellCapacity", "Entity"),
    ("Molecule", "Entity"),
    ("GrowthFactor", "Molecule"),
    ("Cytokine", "Molecule"),
    ("ProinflammatoryCytokine", "Cytokine"),
    ("CellType", "Entity"),
    ("AnatomicalEntity", "Entity"),
    ("CellSource", "AnatomicalEntity"),
    ("Therapy", "Entity"),
    ("ConventionalTherapy", "Therapy"),
    ("CellBasedTherapy", "Therapy"),
    ("DeliveryMethod", "Entity"),
    ("Biomaterial", "Entity"),
    ("Outcome", "Entity"),
    ("Risk", "Entity"),
    ("Challenge", "Entity"),
    ("Publication", "Entity"),
)
#: The classes entities are drawn from, with a weight (how many entities of each).
FAMILIES: tuple[tuple[str, int], ...] = (
    ("Disorder", 3),
    ("ClinicalFeature", 4),
    ("BiologicalProcess", 6),
    ("PathologicalProcess", 4),
    ("CellCapacity", 2),
    ("GrowthFactor", 5),
    ("Cytokine", 5),
    ("ProinflammatoryCytokine", 3),
    ("CellType", 5),
    ("CellSource", 3),
    ("CellBasedTherapy", 3),
    ("ConventionalTherapy", 2),
    ("DeliveryMethod", 2),
    ("Biomaterial", 2),
    ("Outcome", 3),
    ("Risk", 2),
    ("Challenge", 1),
)
#: Typed relations: predicate, subject class, object class (domains and ranges of msckg.ttl).
RELATIONS: tuple[tuple[str, str, str], ...] = (
    ("hasFeature", "Disorder", "ClinicalFeature"),
    ("involvesProcess", "Disorder", "PathologicalProcess"),
    ("leadsTo", "PathologicalProcess", "ClinicalFeature"),
    ("impairs", "PathologicalProcess", "BiologicalProcess"),
    ("treats", "CellBasedTherapy", "Disorder"),
    ("studiedToTreat", "ConventionalTherapy", "Disorder"),
    ("hasCapacity", "CellType", "CellCapacity"),
    ("isolatedFrom", "CellType", "CellSource"),
    ("secretes", "CellType", "GrowthFactor"),
    ("secretes", "CellType", "Cytokine"),
    ("promotes", "GrowthFactor", "BiologicalProcess"),
    ("reduces", "CellType", "ProinflammatoryCytokine"),
    ("modulates", "Cytokine", "BiologicalProcess"),
    ("activates", "ProinflammatoryCytokine", "PathologicalProcess"),
    ("improves", "CellBasedTherapy", "Outcome"),
    ("usesCellType", "CellBasedTherapy", "CellType"),
    ("deliveredBy", "CellBasedTherapy", "DeliveryMethod"),
    ("usesBiomaterial", "CellBasedTherapy", "Biomaterial"),
    ("hasRisk", "CellBasedTherapy", "Risk"),
    ("hasOpenChallenge", "CellBasedTherapy", "Challenge"),
    ("partOf", "BiologicalProcess", "BiologicalProcess"),
)
EVIDENCE = (
    "ExpertOpinion",
    "ClinicalBackground",
    "PreclinicalStudy",
    "AnimalModel",
    "EarlyClinicalStudy",
    "ClinicalTrial",
)
HEDGING = ("Hypothesized", "Suggested", "Reported", "Established")
SECTIONS = ("introduction", "asherman", "endometriosis", "mechanisms", "safety", "outlook")
_SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ra",
    "ten",
    "vor",
    "zu",
    "pel",
    "dri",
    "sha",
    "nox",
    "qui",
    "bel",
    "tar",
    "fen",
    "gu",
    "hal",
    "ix",
    "jo",
    "cyt",
    "ang",
    "fib",
    "mes",
    "end",
)
#: Triples one entity brings on average (7 of its own, 1.8 relations of ~15): sizes the graph.
TRIPLES_PER_ENTITY = 34
#: Entities per publication and per synthetic class.
ENTITIES_PER_PUBLICATION = 50
ENTITIES_PER_CLASS = 20


@dataclass(frozen=True, slots=True)
class Triple:
    """One triple as N-Triples terms (``<iri>``, ``"literal"@en`` ...), and the named graph it belongs in."""

    subject: str
    predicate: str
    object: str
    graph: str


def _iri(iri: str) -> str:
    return f"<{iri}>"


def _text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"@en'


def _typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def _name(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables))


def _skewed(rng: random.Random, pool: list[str]) -> str:
    """Pick from ``pool`` with a heavy head, so some entities become hubs as in real graphs."""
    return pool[int(len(pool) * rng.random() ** 2.5)]


def triples(size: int, seed: int = 7) -> Iterator[Triple]:
    """Yield the triples of a synthetic graph of about ``size`` triples, the sentinel last.

    :param size: the number of triples wanted (the result is within a few percent)
    :param seed: the random seed; the same seed and size give the same triples in the same order
    :raises ValueError: for a size under 1,000
    """
    if size < 1_000:
        raise ValueError(f"size must be at least 1000 triples, got {size}")
    rng = random.Random(seed)
    ontology, asserted, provenance = GRAPH + "ontology", GRAPH + "asserted", GRAPH + "provenance"
    a, label, sub = _iri(RDF + "type"), _iri(RDFS + "label"), _iri(RDFS + "subClassOf")
    owl_class = _iri(OWL + "Class")

    # The ontology: msckg's classes, synthetic subclass chains below the entity classes, predicates.
    yield Triple(_iri(MSCKG + "Entity"), a, owl_class, ontology)
    yield Triple(_iri(MSCKG + "Entity"), label, _text("entity"), ontology)
    for name, parent in CLASS_PARENTS:
        yield Triple(_iri(MSCKG + name), a, owl_class, ontology)
        yield Triple(_iri(MSCKG + name), sub, _iri(MSCKG + parent), ontology)
        yield Triple(_iri(MSCKG + name), label, _text(name.lower()), ontology)
    for predicate in sorted({relation[0] for relation in RELATIONS}):
        yield Triple(_iri(MSCKG + predicate), a, _iri(OWL + "ObjectProperty"), ontology)
        yield Triple(_iri(MSCKG + predicate), label, _text(predicate), ontology)
    for term, kind in [(e, "EvidenceContext") for e in EVIDENCE] + [
        (h, "HedgingLevel") for h in HEDGING
    ]:
        yield Triple(_iri(MSCKG + term), a, _iri(MSCKG + kind), ontology)
        yield Triple(_iri(MSCKG + term), label, _text(term), ontology)

    entity_count = max(size // TRIPLES_PER_ENTITY, len(FAMILIES) * 4)
    weight_total = sum(weight for _, weight in FAMILIES)
    classes: dict[str, list[str]] = {}
    for family, weight in FAMILIES:
        chain: list[str] = []
        for number in range(max(2, entity_count * weight // weight_total // ENTITIES_PER_CLASS)):
            iri = f"{BENCH}class/{family}-{number}"
            # Mostly extend the newest class: long subClassOf chains; sometimes branch.
            parent = (
                MSCKG + family
                if not chain
                else (chain[-1] if rng.random() < 0.7 else rng.choice(chain))
            )
            yield Triple(_iri(iri), a, owl_class, ontology)
            yield Triple(_iri(iri), sub, _iri(parent), ontology)
            yield Triple(
                _iri(iri), label, _text(f"{family} subclass {_name(rng, 2)} {number}"), ontology
            )
            chain.append(iri)
        classes[family] = chain

    publications = [
        f"{ENT}bench-pub-{number}"
        for number in range(max(3, entity_count // ENTITIES_PER_PUBLICATION))
    ]
    for number, iri in enumerate(publications):
        yield Triple(_iri(iri), a, _iri(MSCKG + "Publication"), asserted)
        yield Triple(
            _iri(iri),
            label,
            _text(f"{_name(rng, 3).title()} et al. {2000 + number % 26}"),
            asserted,
        )
        yield Triple(_iri(iri), _iri(BIBO + "doi"), f'"10.5555/bench.{number}"', asserted)

    # Entities, each with its family, a synthetic leaf class, a label, a definition and synonyms.
    by_family: dict[str, list[str]] = {family: [] for family, _ in FAMILIES}
    cumulative = []
    running = 0
    for family, weight in FAMILIES:
        running += weight
        cumulative.append((running, family))
    for number in range(entity_count):
        pick = rng.randrange(weight_total)
        family = next(name for bound, name in cumulative if pick < bound)
        iri = f"{ENT}bench-{number}"
        node = _iri(iri)
        name = f"{_name(rng, rng.randint(2, 4))} {family.lower()} {number}"
        yield Triple(node, a, _iri(OWL + "NamedIndividual"), asserted)
        yield Triple(node, a, _iri(MSCKG + family), asserted)
        yield Triple(node, a, _iri(rng.choice(classes[family])), asserted)
        yield Triple(node, label, _text(name), asserted)
        yield Triple(
            node, _iri(SKOS + "definition"), _text(f"A synthetic {family} named {name}."), asserted
        )
        for synonym in range(rng.randint(0, 3)):
            yield Triple(
                node,
                _iri(SKOS + "altLabel"),
                _text(f"{_name(rng, 2).upper()}-{number}-{synonym}"),
                asserted,
            )
        by_family[family].append(iri)

    # Relations: a plain triple (positive ones) and a statement node with its provenance.
    relation_count = entity_count * 18 // 10
    for number in range(relation_count):
        predicate, subject_family, object_family = rng.choice(RELATIONS)
        subject = rng.choice(by_family[subject_family] or by_family["CellType"])
        target = _skewed(rng, by_family[object_family] or by_family["Outcome"])
        positive = rng.random() >= 0.05
        if positive:
            yield Triple(_iri(subject), _iri(MSCKG + predicate), _iri(target), asserted)
        node = _iri(f"{STMT}bench-{number}")
        section, paragraph, sentence = rng.choice(SECTIONS), rng.randint(1, 12), rng.randint(1, 8)
        yield Triple(node, a, _iri(MSCKG + "Statement"), provenance)
        yield Triple(node, _iri(RDF + "subject"), _iri(subject), provenance)
        yield Triple(node, _iri(RDF + "predicate"), _iri(MSCKG + predicate), provenance)
        yield Triple(node, _iri(RDF + "object"), _iri(target), provenance)
        yield Triple(
            node,
            _iri(MSCKG + "polarity"),
            _iri(MSCKG + ("Positive" if positive else "Negative")),
            provenance,
        )
        yield Triple(node, _iri(MSCKG + "evidence"), _iri(MSCKG + rng.choice(EVIDENCE)), provenance)
        yield Triple(node, _iri(MSCKG + "hedging"), _iri(MSCKG + rng.choice(HEDGING)), provenance)
        yield Triple(node, _iri(MSCKG + "statedIn"), _iri(publications[0]), provenance)
        yield Triple(node, _iri(MSCKG + "supportedBy"), _iri(rng.choice(publications)), provenance)
        yield Triple(node, _iri(MSCKG + "section"), f'"{section}"', provenance)
        yield Triple(
            node, _iri(MSCKG + "paragraph"), _typed(paragraph, "positiveInteger"), provenance
        )
        yield Triple(
            node, _iri(MSCKG + "sentence"), _typed(sentence, "positiveInteger"), provenance
        )
        yield Triple(
            node, _iri(MSCKG + "locator"), f'"{section} ¶{paragraph} s{sentence}"', provenance
        )
        yield Triple(
            node,
            _iri(RDFS + "comment"),
            _text(f"Synthetic claim {number}: {predicate} between two bench entities."),
            provenance,
        )

    yield Triple(_iri(SENTINEL[0]), _iri(SENTINEL[1]), _typed("true", "boolean"), "")


def _shorten(term: str) -> str:
    """Write an IRI term as a prefixed name where the local part is plainly safe."""
    if not term.startswith("<"):
        return term.replace(f"^^<{XSD}boolean>", "^^xsd:boolean").replace(
            f"^^<{XSD}positiveInteger>", "^^xsd:positiveInteger"
        )
    iri = term[1:-1]
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and local.replace("-", "").replace("_", "").isalnum() and local[-1] != "-":
                return f"{prefix}:{local}"
    return term


def write_graph(size: int, out: Path, seed: int = 7) -> int:
    """Write the synthetic graph to ``out`` (format from its extension: ``.ttl``, ``.nt`` or ``.trig``).

    :returns: the number of triples written, the sentinel included
    :raises ValueError: for another extension or a size under 1,000
    """
    fmt = out.suffix
    if fmt not in {".ttl", ".nt", ".trig"}:
        raise ValueError(f"{out}: unknown format {fmt!r}; choose one of: .ttl, .nt, .trig")
    count = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as stream:
        if fmt != ".nt":
            stream.writelines(
                f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items()
            )
        if fmt == ".trig":
            # Group by named graph; the sentinel stays last, in the default graph.
            blocks: dict[str, list[str]] = {}
            sentinel = ""
            for triple in triples(size, seed):
                line = f"{_shorten(triple.subject)} {_shorten(triple.predicate)} {_shorten(triple.object)} .\n"
                count += 1
                if triple.graph:
                    blocks.setdefault(triple.graph, []).append(line)
                else:
                    sentinel = line
            for graph, lines in blocks.items():
                stream.write(f"<{graph}> {{\n")
                stream.writelines(lines)
                stream.write("}\n")
            stream.write(sentinel)
            return count
        shorten = _shorten if fmt == ".ttl" else str
        for triple in triples(size, seed):
            stream.write(
                f"{shorten(triple.subject)} {shorten(triple.predicate)} {shorten(triple.object)} .\n"
            )
            count += 1
    return count


def generate(argv: list[str] | None = None) -> int:
    """Command line: ``--triples N`` (or a size name 10k/100k/1m), ``--seed``, ``--out FILE``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--triples", default="10k", help="number of triples, or one of: 10k, 100k, 1m"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True, help="output file: .ttl, .nt or .trig")
    options = parser.parse_args(argv)
    size = SIZES.get(options.triples.lower()) or int(options.triples.replace("_", ""))
    count = write_graph(size, options.out, options.seed)
    print(f"{options.out}: {count} triples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(generate())
