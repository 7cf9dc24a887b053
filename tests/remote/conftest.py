"""Fixtures of the remote-store tests (Virtuoso itself is started in tests/conftest.py)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest


@pytest.fixture
def entente() -> Callable[..., subprocess.CompletedProcess]:
    """Run the ``entente`` CLI in a child process: ``entente("push", ...)``."""

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "entente", *args], capture_output=True,
                              text=True, timeout=300)

    return run
