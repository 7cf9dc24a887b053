"""Fixtures of the graph tests: the bundled linker and relation extractor, built once per
test process (neither keeps anything of a document for the next)."""

from __future__ import annotations

import pytest
from entente.graph.build_workers import bundled_tools
from entente.graph.linking import Linker
from entente.graph.relations import RelationExtractor

BUNDLED_BASE = "https://entente.example.org/"


@pytest.fixture(scope="session")
def tools() -> tuple[Linker, RelationExtractor]:
    """The linker (minting under BUNDLED_BASE) and the relation extractor of the bundled
    entities and rules (those the builds in this process use)."""
    built = bundled_tools(BUNDLED_BASE)
    return built.linker, built.extractor
