"""A release's summary: counts by class, predicate, evidence context and hedging, as a TSV table
and as an SVG bar chart drawn from the same rows (no plotting library needed)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from html import escape

from msckg.graph.model import EvidenceContext, Hedging
from msckg.graph.stats import graph_stats
from msckg.graph.store import Store
from msckg.graph.validate import Curation

__all__ = ["SUMMARY_COLUMNS", "SummaryRow", "summary_rows", "summary_svg", "summary_tsv"]

SUMMARY_COLUMNS = ("dimension", "id", "label", "count")
_BAR = 14
_GAP = 4
_LABEL_WIDTH = 300
_CHART_WIDTH = 420
_WIDTH = _LABEL_WIDTH + _CHART_WIDTH + 60


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One count of the summary."""

    dimension: str
    id: str
    label: str
    count: int


def summary_rows(curation: Curation, store: Store) -> list[SummaryRow]:
    """Entities by class and relations by predicate (from the built graph), statements by
    evidence context and by hedging (from the curation); each dimension largest first."""
    stats = graph_stats(store)
    rows = [SummaryRow("class", c.id, c.label, c.count) for c in stats.classes]
    rows += [SummaryRow("predicate", p.id, p.label, p.count) for p in stats.predicates]
    evidence = Counter(s.evidence for s in curation.statements.values())
    rows += [
        SummaryRow("evidence", f"msckg:{e.term}", e.code, evidence[e])
        for e in EvidenceContext
        if evidence[e]
    ]
    hedging = Counter(s.hedging for s in curation.statements.values())
    rows += [
        SummaryRow("hedging", f"msckg:{h.term}", h.code, hedging[h]) for h in Hedging if hedging[h]
    ]
    order = {"class": 0, "predicate": 1, "evidence": 2, "hedging": 3}
    return sorted(rows, key=lambda r: (order[r.dimension], -r.count, r.id))


def summary_tsv(rows: list[SummaryRow]) -> bytes:
    """The summary as TSV with a header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(SUMMARY_COLUMNS)
    writer.writerows((r.dimension, r.id, r.label, r.count) for r in rows)
    return buffer.getvalue().encode("utf-8")


def summary_svg(rows: list[SummaryRow], title: str) -> bytes:
    """A horizontal bar chart: one titled block per dimension, bars scaled within the block."""
    parts: list[str] = []
    y = 40
    for dimension in dict.fromkeys(r.dimension for r in rows):
        block = [r for r in rows if r.dimension == dimension]
        most = max(r.count for r in block)
        parts.append(f'<text x="10" y="{y + 14}" font-weight="bold">{escape(dimension)}</text>')
        y += 24
        for row in block:
            width = round(_CHART_WIDTH * row.count / most) if most else 0
            parts.append(
                f'<text x="{_LABEL_WIDTH - 6}" y="{y + 11}" text-anchor="end">'
                f"{escape(row.label or row.id)}</text>"
                f'<rect x="{_LABEL_WIDTH}" y="{y}" width="{width}" height="{_BAR}" fill="#4c78a8">'
                f"<title>{escape(row.id)}: {row.count}</title></rect>"
                f'<text x="{_LABEL_WIDTH + width + 4}" y="{y + 11}">{row.count}</text>'
            )
            y += _BAR + _GAP
        y += 12
    body = "\n".join(parts)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{y}" '
        f'viewBox="0 0 {_WIDTH} {y}" font-family="sans-serif" font-size="11">\n'
        f'<rect width="100%" height="100%" fill="white"/>\n'
        f'<text x="10" y="24" font-size="16" font-weight="bold">{escape(title)}</text>\n'
        f"{body}\n</svg>\n"
    )
    return svg.encode("utf-8")
