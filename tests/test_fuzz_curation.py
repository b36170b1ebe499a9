"""Property: whatever a curator types, validation answers with file:line problems, never a crash."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msckg.graph.build import validate
from msckg.graph.errors import CurationError
from msckg.graph.reader import COLUMNS

MINI = Path(__file__).parent / "data" / "curation"
PROBLEM = re.compile(r"[\w./-]+\.tsv:\d+: \S")

cell = st.one_of(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r"),
        max_size=30,
    ),
    st.sampled_from(
        [
            "",
            "msc",
            "vegf",
            "secretes",
            "S001",
            "ref1",
            "MONDO:0015299",
            "HGNC:x",
            "positive",
            "animal_model",
            "introduction/p1/s1",
            "10.1/x",
            "|",
            "||",
            " ",
        ]
    ),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(sorted(COLUMNS)),
    cells=st.lists(cell, min_size=0, max_size=12),
    raw=st.binary(max_size=40),
)
def test_any_row_gives_problems_not_crashes(
    tmp_path_factory, name: str, cells: list[str], raw: bytes
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(MINI, folder, dirs_exist_ok=True)
    path = folder / name
    path.write_bytes(path.read_bytes() + "\t".join(cells).encode("utf-8") + b"\n" + raw)
    try:
        validate(folder, display_root=folder)
    except CurationError as error:
        assert error.problems
        for problem in error.problems:
            assert PROBLEM.match(problem), problem
