"""A release: the QC report must hold no ERROR; then the dataset, its description, summary,
report, KGX export, SSSOM mappings, nanopublications, changelog and checksums are written to
``release/x.y.z/``, byte for byte the same each time for the same curation.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import metadata
from pathlib import Path

from msckg.graph.build import NAMED_GRAPHS, STORE_DIRNAME, build, validate
from msckg.graph.curation import CURATION_DIR
from msckg.graph.exports.kgx import KGXExporter
from msckg.graph.nanopubs import nanopublication
from msckg.graph.network import network_from_store
from msckg.graph.report import Finding, Report, run_report
from msckg.graph.sssom import mapping_rows, sssom_table
from msckg.graph.store import GraphStore, canonical_files, open_store
from msckg.graph.summary import summary_rows, summary_svg, summary_tsv
from msckg.graph.validate import Curation
from msckg.ontology import BASE

__all__ = [
    "CHANGE_FIELDS",
    "RELEASE_FILES",
    "ReleaseRefused",
    "ReleaseResult",
    "changelog",
    "licence_url",
    "make_release",
]

VERSION_PATTERN = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
#: The files of a release besides ``nanopubs/`` (one TriG file per statement), in checksum order.
RELEASE_FILES = (
    "msckg.trig",
    "msckg.nq",
    "void.ttl",
    "summary.tsv",
    "summary.svg",
    "report.tsv",
    "report.html",
    "kgx/nodes.tsv",
    "kgx/edges.tsv",
    "xrefs.sssom.tsv",
    "statements.tsv",
    "CHANGELOG.md",
)
CHECKSUMS = "SHA256SUMS"
#: What the changelog compares, besides presence: a statement "changed" when one of these did.
CHANGE_FIELDS = ("evidence", "hedging", "references")
_SNAPSHOT_COLUMNS = (
    "id",
    "subject",
    "predicate",
    "object",
    "polarity",
    "evidence",
    "hedging",
    "references",
)
_SPDX = "https://spdx.org/licenses/{}.html"

Progress = Callable[[str], None]


class ReleaseRefused(ValueError):
    """The QC report has ERROR findings; ``findings`` lists them."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__(f"the QC report has {len(findings)} error(s); no release written")


def licence_url() -> str:
    """The licence of the release: the project's own (pyproject), as its SPDX page."""
    return _SPDX.format(metadata("msckg")["License"] or "MIT")


def _version_key(name: str) -> tuple[int, ...] | None:
    match = VERSION_PATTERN.fullmatch(name)
    return tuple(int(part) for part in match.groups()) if match else None


def _snapshot(curation: Curation) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(_SNAPSHOT_COLUMNS)
    for s in sorted(curation.statements.values(), key=lambda s: s.id):
        writer.writerow(
            (
                s.id,
                s.subject,
                s.predicate,
                s.object,
                s.polarity.code,
                s.evidence.code,
                s.hedging.code,
                "|".join(sorted(s.references)),
            )
        )
    return buffer.getvalue().encode("utf-8")


def _read_snapshot(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle, delimiter="\t")}


def changelog(
    version: str,
    current: dict[str, dict[str, str]],
    previous: tuple[str, dict[str, dict[str, str]]] | None,
) -> bytes:
    """The changelog of ``version`` against the previous release's statements, by id.

    :param current: this release's statements (``statements.tsv`` rows by id)
    :param previous: the previous version and its statements, or ``None`` for a first release
    """
    lines = [f"# msckg {version}", ""]
    if previous is None:
        lines += [f"First release: {len(current)} statements.", ""]
        return "\n".join(lines).encode("utf-8")
    old_version, old = previous
    added = sorted(set(current) - set(old))
    removed = sorted(set(old) - set(current))
    changed = []
    for ident in sorted(set(current) & set(old)):
        diffs = [
            f"{field} {old[ident][field] or '(none)'} -> {current[ident][field] or '(none)'}"
            for field in CHANGE_FIELDS
            if old[ident][field] != current[ident][field]
        ]
        triple = [
            f
            for f in ("subject", "predicate", "object", "polarity")
            if old[ident][f] != current[ident][f]
        ]
        diffs += [f"{f} {old[ident][f]} -> {current[ident][f]}" for f in triple]
        if diffs:
            changed.append(f"- {ident}: " + "; ".join(diffs))
    lines += [
        f"Against {old_version}: {len(added)} added, {len(removed)} removed, "
        f"{len(changed)} changed.",
        "",
        "## Added",
        *(
            [
                f"- {i}: {current[i]['subject']} {current[i]['predicate']} {current[i]['object']}"
                for i in added
            ]
            or ["none"]
        ),
        "",
        "## Removed",
        *(
            [
                f"- {i}: {old[i]['subject']} {old[i]['predicate']} {old[i]['object']}"
                for i in removed
            ]
            or ["none"]
        ),
        "",
        "## Changed (evidence, hedging, references)",
        *(changed or ["none"]),
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def _previous(out_root: Path, version: str) -> tuple[str, dict[str, dict[str, str]]] | None:
    """The newest release in ``out_root`` older than ``version``, with its statements."""
    mine = _version_key(version)
    older: list[tuple[tuple[int, ...], str]] = []
    for child in out_root.iterdir():
        key = _version_key(child.name)
        if key is None or mine is None or key >= mine:
            continue
        if (child / "statements.tsv").exists():
            older.append((key, child.name))
    if not older:
        return None
    name = max(older)[1]
    return name, _read_snapshot(out_root / name / "statements.tsv")


@dataclass(frozen=True, slots=True)
class ReleaseResult:
    """Where the release went and what the QC report said."""

    path: Path
    files: tuple[str, ...]
    report: Report


def _quiet(_: str) -> None:
    return None


def _refuse_on_errors(report: Report) -> None:
    errors = [f for f in report.findings if f.level == "ERROR"]
    if errors:
        raise ReleaseRefused(errors)


def make_release(
    version: str,
    out_root: Path,
    curation_dir: Path = CURATION_DIR,
    *,
    profile: dict[str, str] | None = None,
    progress: Progress = _quiet,
    display_root: Path | None = None,
) -> ReleaseResult:
    """Check, build and write the release ``version`` into ``out_root/version``.

    :raises ValueError: for a version that is not ``x.y.z``
    :raises ReleaseRefused: when the QC report has an ERROR; nothing is written
    """
    if _version_key(version) is None:
        raise ValueError(f"version {version!r} is not x.y.z (e.g. 1.0.0)")
    progress("checking the curation (msckg report)")
    _refuse_on_errors(run_report(curation_dir, None, profile, display_root))
    curation = validate(curation_dir, display_root)
    out_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".msckg-release-", dir=out_root) as work:
        progress("building the graph")
        built = build(Path(work) / "data", curation_dir, display_root=display_root)
        store = open_store(built.out_dir / STORE_DIRNAME, read_only=True)
        try:
            progress("checking the built graph (msckg report)")
            report = run_report(curation_dir, store, profile, display_root)
            _refuse_on_errors(report)
            progress("writing the release files")
            files = _release_files(version, out_root, curation, store, built.out_dir, report)
        finally:
            store.close()
        staging = Path(work) / version
        for name, content in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(content)
        target = out_root / version
        old = Path(work) / "old"
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    progress(f"released {version} into {target}")
    return ReleaseResult(target, tuple(files), report)


def _release_files(
    version: str,
    out_root: Path,
    curation: Curation,
    store: GraphStore,
    build_dir: Path,
    report: Report,
) -> dict[str, bytes]:
    licence = licence_url()
    files = canonical_files(build_dir / "msckg.nq", NAMED_GRAPHS["void"])
    rows = summary_rows(curation, store)
    files["summary.tsv"] = summary_tsv(rows)
    files["summary.svg"] = summary_svg(rows, f"msckg {version}")
    files["report.tsv"] = report.tsv()
    files["report.html"] = report.html(f"msckg {version}: QC report")
    for name, content in KGXExporter().files(network_from_store(store)).items():
        files[f"kgx/{name}"] = content
    files["xrefs.sssom.tsv"] = sssom_table(
        mapping_rows(curation), f"{BASE}release/{version}/xrefs.sssom.tsv", version, licence
    )
    snapshot = _snapshot(curation)
    files["statements.tsv"] = snapshot
    current = {
        row["id"]: row for row in csv.DictReader(io.StringIO(snapshot.decode()), delimiter="\t")
    }
    files["CHANGELOG.md"] = changelog(version, current, _previous(out_root, version))
    for statement in sorted(curation.statements.values(), key=lambda s: s.id):
        files[f"nanopubs/{statement.id}.trig"] = nanopublication(
            statement, curation, version, licence
        )
    ordered = {
        name: files[name]
        for name in (*RELEASE_FILES, *sorted(n for n in files if n.startswith("nanopubs/")))
    }
    ordered[CHECKSUMS] = "".join(
        f"{hashlib.sha256(content).hexdigest()}  {name}\n" for name, content in ordered.items()
    ).encode("utf-8")
    return ordered
