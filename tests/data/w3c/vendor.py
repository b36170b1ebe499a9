"""Copy the W3C SPARQL 1.1 query-evaluation tests that msckg's tests run into this folder.

Usage: ``python tests/data/w3c/vendor.py RDF_TESTS_CHECKOUT`` (a checkout of
https://github.com/w3c/rdf-tests). Copies each query manifest of
``sparql/sparql11/manifest-sparql11-query.ttl`` that holds evaluation tests, and every
query, data and result file its ``mf:QueryEvaluationTest`` entries name; nothing else.
Record the checkout's commit in README.md.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyoxigraph as ox

HERE = Path(__file__).parent
#: The folders of manifest-sparql11-query.ttl with evaluation tests (syntax-query has none).
FOLDERS = (
    "aggregates",
    "bind",
    "bindings",
    "cast",
    "construct",
    "exists",
    "functions",
    "grouping",
    "negation",
    "project-expression",
    "property-path",
    "subquery",
)
FILES = """
PREFIX mf: <http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#>
PREFIX qt: <http://www.w3.org/2001/sw/DataAccess/tests/test-query#>
SELECT DISTINCT ?file WHERE {
  ?test a mf:QueryEvaluationTest ; mf:action ?action ; mf:result ?result .
  { ?action qt:query|qt:data|qt:graphData ?file } UNION { ?test mf:result ?file }
}
"""


def main(checkout: Path) -> None:
    """Copy the manifests and the files their evaluation tests use."""
    source = checkout / "sparql" / "sparql11"
    for folder in FOLDERS:
        manifest = source / folder / "manifest.ttl"
        store = ox.Store()
        store.load(path=manifest, format=ox.RdfFormat.TURTLE, base_iri=manifest.as_uri())
        files = {Path(unquote(urlparse(row["file"].value).path)) for row in store.query(FILES)}
        for path in sorted(files | {manifest}):
            target = HERE / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
