"""msckg: a knowledge graph of mesenchymal stem cell therapy for Asherman's syndrome and endometriosis."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
