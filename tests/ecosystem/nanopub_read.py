"""Read every nanopublication of a folder with the ``nanopub`` library; print, as JSON, what each
holds: whether the library finds it valid, the triples of each graph, and what its assertion was
derived from. Usage: ``python nanopub_read.py FOLDER``."""

import json
import sys
from pathlib import Path

from nanopub import Nanopub
from rdflib.namespace import PROV

read = {}
for path in sorted(Path(sys.argv[1]).glob("*.trig")):
    np = Nanopub(rdf=path)
    read[path.stem] = {
        "valid": bool(np.is_valid),
        "assertion": len(np.assertion),
        "provenance": len(np.provenance),
        "pubinfo": len(np.pubinfo),
        "derived_from": sorted(str(o) for o in np.provenance.objects(None, PROV.wasDerivedFrom)),
    }
sys.stdout.write(json.dumps(read) + "\n")
