"""Turn bench/out/*.json into the Markdown tables of bench/RESULTS.md: medians, ratios, and each issue-7 target met or not.

Usage::

    .venv/bin/python bench/report.py > bench/out/tables.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
QUERIES = ("point", "regex", "two_hop", "group_by", "path_plus")
ENGINE_BOUND = ("regex", "group_by")
LIGHT = ("point", "two_hop", "path_plus")


def _ms(value: float) -> str:
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def size_tables(report: dict) -> list[str]:
    """Latency, throughput, load and memory tables of one size."""
    servers = report["servers"]
    msckg, ox, rdflib = (servers.get(name, {}) for name in ("msckg", "oxigraph", "rdflib-endpoint"))
    lines = [f"### {report['size']} ({report['file'].rsplit('/', 1)[-1]})", ""]
    lines += [
        "| query | rows | msckg median / p95 ms | Oxigraph median / p95 ms | rdflib-endpoint median / p95 ms "
        "| msckg ÷ Oxigraph | rdflib-endpoint ÷ msckg | q/s ×4: msckg / Oxigraph / rdflib-endpoint "
        "| msckg q/s ÷ rdflib-endpoint q/s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for query in QUERIES:
        m, o, r = (s.get(query) for s in (msckg, ox, rdflib))
        if not (m and o and r):
            continue
        rows = {m["rows"], o["rows"], r["rows"]}
        lines.append(
            f"| {query} | {'/'.join(str(n) for n in sorted(rows))} "
            f"| {_ms(m['median_ms'])} / {_ms(m['p95_ms'])} | {_ms(o['median_ms'])} / {_ms(o['p95_ms'])} "
            f"| {_ms(r['median_ms'])} / {_ms(r['p95_ms'])} | {m['median_ms'] / o['median_ms']:.2f}× "
            f"| {r['median_ms'] / m['median_ms']:.2f}× | {m['qps4']:.0f} / {o['qps4']:.0f} / {r['qps4']:.0f} "
            f"| {m['qps4'] / r['qps4']:.2f}× |"
        )
    lines += [
        "",
        "| server | load until the sentinel answers, s | peak RSS, largest process, MiB "
        "| peak RSS, process tree, MiB | peak RSS of the tree while serving, MiB |",
        "|---|---|---|---|---|",
    ]
    for name, data in servers.items():
        if "error" in data:
            lines.append(f"| {name} | failed: {data['error']} | | | |")
            continue
        prepare = (
            f" (`oxigraph load`: {data['peak_rss_prepare_mib']:.0f})"
            if data.get("peak_rss_prepare_mib")
            else ""
        )
        lines.append(
            f"| {name} | {data['load_s']:.2f} | {data['peak_rss_main_mib']:.0f}{prepare} "
            f"| {data['peak_rss_tree_mib']:.0f} | {data.get('peak_rss_serving_mib', 0):.0f} |"
        )
    rest = report.get("rest")
    if rest:
        lines += [
            "",
            "| msckg REST (TriG split into msckg's graphs) | first call ms | median / p95 ms | status | results |",
            "|---|---|---|---|---|",
        ]
        for name in ("search", "entity", "paths"):
            call = rest[name]
            lines.append(
                f"| `{call['path'][:90]}` | {call['first_ms']:.0f} | {_ms(call['median_ms'])} / "
                f"{_ms(call['p95_ms'])} | {call['status']} | {call['rows']} |"
            )
    return [*lines, ""]


def targets(report: dict) -> list[str]:
    """The targets of issues 7 and 11 on the largest size measured, each met or not."""
    servers = report["servers"]
    msckg, ox, rdflib = servers["msckg"], servers["oxigraph"], servers["rdflib-endpoint"]
    rows = []
    for query in ENGINE_BOUND:
        ratio_ox = msckg[query]["median_ms"] / ox[query]["median_ms"]
        ratio_rdflib = rdflib[query]["median_ms"] / msckg[query]["median_ms"]
        rows.append((f"{query}: within 1.5× of Oxigraph", f"{ratio_ox:.2f}×", ratio_ox <= 1.5))
        rows.append(
            (
                f"{query}: ≥ 10× faster than rdflib-endpoint",
                f"{ratio_rdflib:.1f}×",
                ratio_rdflib >= 10,
            )
        )
    for query in LIGHT:
        ratio_ox = msckg[query]["median_ms"] / ox[query]["median_ms"]
        ratio_rdflib = msckg[query]["median_ms"] / rdflib[query]["median_ms"]
        qps = msckg[query]["qps4"] / rdflib[query]["qps4"]
        rows.append((f"{query}: within 2× of Oxigraph", f"{ratio_ox:.2f}×", ratio_ox <= 2))
        rows.append(
            (
                f"{query}: never slower than rdflib-endpoint (msckg ÷ rdflib)",
                f"{ratio_rdflib:.2f}×",
                ratio_rdflib <= 1,
            )
        )
        rows.append((f"{query}: 4 clients ≥ 2× rdflib-endpoint's q/s", f"{qps:.2f}×", qps >= 2))
    load = msckg["load_s"] / ox["load_s"]
    rows.append(
        ("load: within 1.5× of Oxigraph (load + serve until sentinel)", f"{load:.2f}×", load <= 1.5)
    )
    rss = msckg.get("peak_rss_serving_mib", msckg["peak_rss_tree_mib"])
    rows.append(
        (
            "the process tree serving 1M stays under 1 GiB (server + workers)",
            f"{rss:.0f} MiB",
            rss < 1024,
        )
    )
    # Issue 11's REST targets: a median after the first call, and the first call after start.
    rest = report.get("rest", {})
    for name, median_target, first_target in (
        ("paths", 100, 2000),
        ("entity", 30, None),
        ("search", 30, 2000),
    ):
        call = rest.get(name)
        if not call:
            continue
        rows.append(
            (
                f"`{call['path'][:60]}`: median < {median_target} ms",
                f"{call['median_ms']:.1f} ms (status {call['status']})",
                call["median_ms"] < median_target and call["status"] == 200,
            )
        )
        if first_target is not None:
            rows.append(
                (
                    f"{name}: first call after start < {first_target} ms",
                    f"{call['first_ms']:.0f} ms",
                    call["first_ms"] < first_target,
                )
            )
    lines = [f"### Targets on {report['size']}", "", "| target | measured | met |", "|---|---|---|"]
    lines += [
        f"| {name} | {value} | {'met' if ok else '**not met**'} |" for name, value, ok in rows
    ]
    return [*lines, ""]


def main() -> int:
    """Print the tables of every size found, then the targets on the largest."""
    reports = [
        json.loads(path.read_text(encoding="utf-8")) for path in sorted(OUT.glob("results-*.json"))
    ]
    order = {"10k": 0, "100k": 1, "1m": 2}
    reports.sort(key=lambda report: order.get(report["size"], 9))
    lines: list[str] = []
    for report in reports:
        lines += size_tables(report)
    complete = [
        r
        for r in reports
        if all("error" not in s for s in r["servers"].values()) and len(r["servers"]) == 3
    ]
    if complete:
        lines += targets(complete[-1])
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
