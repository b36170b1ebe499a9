"""Run the doctests of msckg's modules (imported once, as msckg.*)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import msckg.graph
import msckg.ontology
import msckg.queries
import msckg.service


def _modules() -> list[str]:
    names = []
    for package in (msckg.ontology, msckg.graph, msckg.queries, msckg.service):
        names.append(package.__name__)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.endswith("__main__"):
                names.append(info.name)
    return names


@pytest.mark.parametrize("name", _modules())
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
