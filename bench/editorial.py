"""Time the editorial graph's two targets: ``msckg build`` cold (reasoning included) and ``msckg serve`` until /sparql answers.

Each is run ``--runs`` times in a fresh temporary data dir; prints and writes the median and
the range. Loopback only; every server is stopped.

Usage::

    .venv/bin/python bench/editorial.py --runs 3
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import Server, free_port
from run import HERE, MSCKG_BIN

#: Any answer at all: the built graph has no sentinel, so ask for something it always holds.
READY_ASK = "ASK { ?s a ?type }"


def main(argv: list[str] | None = None) -> int:
    """Build cold and serve, ``--runs`` times; write bench/out/editorial.json."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "editorial.json")
    options = parser.parse_args(argv)
    builds, serves, reasoners = [], [], []
    for _ in range(options.runs):
        work = Path(tempfile.mkdtemp(prefix="msckg-editorial-"))
        try:
            begin = time.monotonic()
            done = subprocess.run(
                [str(MSCKG_BIN), "build", "--out", str(work / "data")],
                capture_output=True,
                text=True,
                timeout=300,
                check=True,
            )
            builds.append(time.monotonic() - begin)
            reasoners += [line for line in done.stdout.splitlines() if line.startswith("reasoner:")]
            port = free_port()
            command = [
                str(MSCKG_BIN),
                "serve",
                "--data-dir",
                str(work / "data"),
                "--port",
                str(port),
            ]
            with Server(
                "msckg", command, f"http://127.0.0.1:{port}", "/sparql", work / "serve.log"
            ) as server:
                serves.append(server.start(READY_ASK, deadline_s=60))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    summary = {
        "runs": options.runs,
        "reasoner": sorted(set(reasoners)),
        "build_cold_s": {
            "median": statistics.median(builds),
            "min": min(builds),
            "max": max(builds),
        },
        "serve_until_answer_s": {
            "median": statistics.median(serves),
            "min": min(serves),
            "max": max(serves),
        },
    }
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
