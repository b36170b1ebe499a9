"""The shipped curation files (entities, references, statements); see README.md beside them."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["CURATION_DIR"]

#: Folder of the shipped curation files.
CURATION_DIR = Path(str(files(__name__)))
