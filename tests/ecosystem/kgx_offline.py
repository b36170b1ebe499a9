"""Run the ``kgx`` command line offline, against the Biolink model of the pinned PyPI package.

kgx and bmt fetch the Biolink model, its predicate map and its JSON-LD context from GitHub at
run time, and this machine reaches only PyPI. The same model ships in the ``biolink-model``
package, so this launcher points them there before kgx starts:

- bmt's ``Toolkit`` reads ``biolink_model/schema/biolink_model.yaml``; its predicate map (used
  only to translate non-canonical predicates, which the export never writes) is empty;
- kgx's JSON-LD contexts are the package's Biolink prefix map, plus msckg's own prefixes
  (``ent:``, ``msckg:``, ``stmt:``), which the Biolink registry does not carry. Every other
  check (categories, predicates, required properties, value types) is kgx's own.

Usage: ``python kgx_offline.py validate -i tsv nodes.tsv edges.tsv -o report.json``
"""

import json
import sys
from importlib.resources import files

from bmt import Toolkit

MODEL = files("biolink_model")
Toolkit.__init__.__defaults__ = (  # type: ignore[misc]
    str(MODEL / "schema" / "biolink_model.yaml"),
    {"predicate mappings": []},
)

import kgx.config  # noqa: E402  (after the Toolkit defaults: kgx builds one on import)

MSCKG_PREFIXES = {
    "ent": "https://w3id.org/msckg/id/",
    "msckg": "https://w3id.org/msckg/vocab/",
    "stmt": "https://w3id.org/msckg/statement/",
}
context = json.loads((MODEL / "prefixmaps" / "biolink_model_prefix_map.json").read_text())
context.update(MSCKG_PREFIXES)
for name in ("biolink", "monarch_context", "obo_context"):
    kgx.config.jsonld_context_map[name] = context

from kgx.cli import cli  # noqa: E402

if __name__ == "__main__":
    sys.argv = ["kgx", *sys.argv[1:]]
    cli()
