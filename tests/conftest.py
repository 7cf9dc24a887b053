"""Shared fixtures: the real corpus folder and one store built from it for the whole session."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BASE = "https://entente.example.org/"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The project's corpus/ folder (five .txt files and metadata.json)."""
    return REPO / "corpus"
