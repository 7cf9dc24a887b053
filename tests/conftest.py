"""Shared fixtures: the real corpus folder and one store built from it for the whole session."""

from __future__ import annotations

from pathlib import Path

import pytest
from entente.graph.store import StoreInfo

REPO = Path(__file__).resolve().parent.parent
BASE = "https://entente.example.org/"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The project's corpus/ folder (five .txt files and metadata.json)."""
    return REPO / "corpus"


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> StoreInfo:
    """The real corpus built once (no OWL reasoning, for speed); returns the StoreInfo."""
    from entente.graph.build import build

    root = tmp_path_factory.mktemp("built")
    summary = build(corpus_dir, root / "store", base=BASE, reason=False, warn=lambda _l: None)
    return summary.store
