"""msckg load: formats, compressed files, refusal of bad files, and durability under SIGKILL."""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from msckg.graph.store import open_store
from msckg.service.cli import main

TURTLE = textwrap.dedent("""\
    @prefix ex: <http://example.org/> .
    ex:a ex:p ex:b , ex:c .
    ex:b ex:label "b" .
    """)


def _count(data_dir: Path, graph: str) -> int:
    store = open_store(data_dir / "store", read_only=True)
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"])


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.ttl", TURTLE),
        (
            "a.nt",
            "<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n" * 1
            + "<http://example.org/a> <http://example.org/p> <http://example.org/c> .\n"
            + '<http://example.org/b> <http://example.org/label> "b" .\n',
        ),
        (
            "a.jsonld",
            json.dumps(
                {
                    "@context": {"ex": "http://example.org/"},
                    "@graph": [
                        {"@id": "ex:a", "ex:p": [{"@id": "ex:b"}, {"@id": "ex:c"}]},
                        {"@id": "ex:b", "ex:label": "b"},
                    ],
                }
            ),
        ),
        (
            "a.rdf",
            textwrap.dedent("""\
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
          <rdf:Description rdf:about="http://example.org/a"><ex:p rdf:resource="http://example.org/b"/>
            <ex:p rdf:resource="http://example.org/c"/></rdf:Description>
          <rdf:Description rdf:about="http://example.org/b"><ex:label>b</ex:label></rdf:Description>
        </rdf:RDF>"""),
        ),
    ],
)
def test_load_reads_each_format_into_the_named_graph(
    tmp_path: Path, data_dir: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["load", str(path), "--graph", "http://example.org/g", "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 0, result.stderr
    assert "3 triples into <http://example.org/g>" in result.stdout
    assert _count(data_dir, "http://example.org/g") == 3


def test_load_reads_gzip(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "a.ttl.gz"
    path.write_bytes(gzip.compress(TURTLE.encode()))
    result = CliRunner().invoke(main, ["load", str(path), "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.stderr
    assert _count(data_dir, "https://w3id.org/msckg/graph/external") == 3


def test_malformed_file_is_refused_with_line_and_nothing_is_written(
    tmp_path: Path, data_dir: Path
) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(TURTLE, encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    bad.write_text(TURTLE + 'ex:d ex:p "unterminated .\n', encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["load", str(good), "--data-dir", str(data_dir)]).exit_code == 0
    result = runner.invoke(
        main,
        [
            "load",
            str(good),
            str(bad),
            "--graph",
            "http://example.org/h",
            "--data-dir",
            str(data_dir),
        ],
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}:4:")
    assert "nothing was loaded" in result.stderr
    assert _count(data_dir, "http://example.org/h") == 0
    assert _count(data_dir, "https://w3id.org/msckg/graph/external") == 3  # earlier load kept


def test_unknown_extension_is_refused(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("a,b\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["load", str(path), "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert "unknown RDF format for extension 'csv'" in result.stderr


BATCH = 2000
CHILD = """
import sys
from pathlib import Path
from msckg.graph.store import open_store
store = open_store(Path(sys.argv[1]))
store.load_rdf(Path(sys.argv[2]), "http://example.org/kill", batch_size={batch},
               on_commit=lambda batch, total: print(f"committed {{batch}}", flush=True))
print("done", flush=True)
"""


def test_sigkill_during_load_keeps_committed_batches_whole(tmp_path: Path) -> None:
    batches = 40
    source = tmp_path / "big.nt"
    with source.open("w", encoding="utf-8") as handle:
        for batch in range(1, batches + 1):
            for i in range(BATCH):
                handle.write(f'<http://b/{batch}/{i}> <http://example.org/p> "value {i}" .\n')
    rng = random.Random(20261125)
    for trial in range(5):
        store_dir = tmp_path / f"store{trial}"
        kill_after = rng.randint(1, batches - 5)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD.format(batch=BATCH), str(store_dir), str(source)],
            stdout=subprocess.PIPE,
            text=True,
        )
        printed = 0
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("committed"):
                printed = int(line.split()[1])
            if printed >= kill_after or line.startswith("done"):
                break
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        store = open_store(store_dir)
        rows = store.select("""
            SELECT ?b (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
              BIND(STRBEFORE(STRAFTER(STR(?s), "http://b/"), "/") AS ?b) } GROUP BY ?b""")
        counts = {int(row["b"]): int(row["n"]) for row in rows}
        assert all(n == BATCH for n in counts.values()), f"trial {trial}: a partial batch {counts}"
        assert set(range(1, printed + 1)) <= set(counts), f"trial {trial}: lost a committed batch"
        assert set(counts) == set(range(1, len(counts) + 1))
        store.close()


def test_locked_store_is_a_clear_error(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "a.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    holder = open_store(data_dir / "store")  # a writer holds the lock
    exe = Path(sys.executable).with_name("msckg")
    done = subprocess.run(
        [str(exe), "load", str(path), "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    holder.close()
    assert done.returncode == 1
    assert "cannot open the store" in done.stderr
    assert "Traceback" not in done.stderr


def test_corrupt_store_is_a_clear_error(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "a.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    assert CliRunner().invoke(main, ["load", str(path), "--data-dir", str(data_dir)]).exit_code == 0
    for name in os.listdir(data_dir / "store"):
        if name.startswith(("CURRENT", "MANIFEST")):
            (data_dir / "store" / name).write_bytes(b"\x00garbage\x00")
    result = CliRunner().invoke(main, ["stats", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert "cannot open the store" in result.stderr


#: RDF/XML and Turtle whose IRIs are relative: "" and <> name the document itself.
RELATIVE = {
    "doc.rdf": textwrap.dedent("""\
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
                 xmlns:ex="http://example.org/">
          <rdf:Description rdf:about="#me"><ex:p rdf:resource=""/>
            <ex:q rdf:resource="../up/other.ttl"/></rdf:Description>
        </rdf:RDF>"""),
    "doc.ttl": "<#me> <http://example.org/p> <> ; <http://example.org/q> <../up/other.ttl> .\n",
}


def _triples(data_dir: Path, graph: str) -> set[tuple[str, str, str]]:
    store = open_store(data_dir / "store", read_only=True)
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    store.close()
    return {(row["s"], row["p"], row["o"]) for row in rows}


@pytest.mark.parametrize("name", sorted(RELATIVE))
def test_load_resolves_relative_iris_against_the_files_own_iri(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    folder = tmp_path / "my data"
    folder.mkdir()
    (folder / name).write_text(RELATIVE[name], encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # a path relative to the working directory gets an absolute IRI
    result = CliRunner().invoke(
        main,
        ["load", f"my data/{name}", "--graph", "http://example.org/g", "--data-dir", str(data_dir)],
    )
    assert result.exit_code == 0, result.stderr
    document = f"file://{tmp_path}/my%20data/{name}"
    assert _triples(data_dir, "http://example.org/g") == {
        (f"{document}#me", "http://example.org/p", document),
        (f"{document}#me", "http://example.org/q", f"file://{tmp_path}/up/other.ttl"),
    }


@pytest.mark.parametrize("name", sorted(RELATIVE))
def test_load_base_option_overrides_the_files_iri(
    tmp_path: Path, data_dir: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text(RELATIVE[name], encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "load",
            str(path),
            "--base",
            "http://example.org/base/doc",
            "--graph",
            "http://example.org/g",
            "--data-dir",
            str(data_dir),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert _triples(data_dir, "http://example.org/g") == {
        ("http://example.org/base/doc#me", "http://example.org/p", "http://example.org/base/doc"),
        (
            "http://example.org/base/doc#me",
            "http://example.org/q",
            "http://example.org/up/other.ttl",
        ),
    }


def test_load_of_a_gzipped_file_resolves_against_the_gz_files_iri(
    tmp_path: Path, data_dir: Path
) -> None:
    path = tmp_path / "doc.ttl.gz"
    path.write_bytes(gzip.compress(RELATIVE["doc.ttl"].encode()))
    result = CliRunner().invoke(
        main, ["load", str(path), "--graph", "http://example.org/g", "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 0, result.stderr
    assert (f"file://{path}#me", "http://example.org/p", f"file://{path}") in _triples(
        data_dir, "http://example.org/g"
    )


@pytest.mark.parametrize(
    ("base", "reason"),
    [
        ("data/doc", "No scheme found in an absolute IRI"),
        ("http://example.org/a b", "Invalid IRI code point ' '"),
    ],
)
def test_load_refuses_an_invalid_base_before_writing(
    tmp_path: Path, data_dir: Path, base: str, reason: str
) -> None:
    path = tmp_path / "doc.ttl"
    path.write_text(RELATIVE["doc.ttl"], encoding="utf-8")
    result = CliRunner().invoke(
        main, ["load", str(path), "--base", base, "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 2
    assert f"Invalid value for '--base': invalid base IRI {base!r}: {reason}" in result.stderr
    assert not data_dir.exists()
