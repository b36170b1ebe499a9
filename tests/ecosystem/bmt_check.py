"""Check categories, predicates, slots and enum values with bmt against the Biolink model of the
pinned ``biolink-model`` package (bmt would fetch it from GitHub otherwise).

Usage: ``python bmt_check.py '{"categories": [...], "predicates": [...], "slots": [...],
"enums": {"slot": "value"}}'``; prints what is not in the model, as JSON.
"""

import json
import sys
from importlib.resources import files

from bmt import Toolkit

toolkit = Toolkit(
    schema=str(files("biolink_model") / "schema" / "biolink_model.yaml"),
    predicate_map={"predicate mappings": []},
)
terms = json.loads(sys.argv[1])
slot_names = {}
for slot in terms["slots"]:
    element = toolkit.get_element(slot)
    slot_names[slot] = element.name.replace(" ", "_") if element is not None else None
bad_enums = []
for slot, value in terms["enums"].items():
    enum = toolkit.view.get_enum(toolkit.view.induced_slot(slot.replace("_", " ")).range)
    if enum is None or value not in enum.permissible_values:
        bad_enums.append(f"{slot}={value}")
sys.stdout.write(
    json.dumps(
        {
            "version": toolkit.get_model_version(),
            "not_categories": [c for c in terms["categories"] if not toolkit.is_category(c)],
            "not_predicates": [p for p in terms["predicates"] if not toolkit.is_predicate(p)],
            "not_slots": [s for s, name in slot_names.items() if name is None],
            "slot_names": slot_names,
            "bad_enums": bad_enums,
        }
    )
)
