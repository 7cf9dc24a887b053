"""Fixtures of the graph tests: the bundled linker and relation extractor, built once per
test process (neither keeps anything of a document for the next)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys

import pytest
from entente.graph.build_workers import bundled_tools
from entente.graph.linking import Linker
from entente.graph.relations import RelationExtractor

from entente.cli import main

BUNDLED_BASE = "https://entente.example.org/"


@pytest.fixture(scope="session")
def tools() -> tuple[Linker, RelationExtractor]:
    """The linker (minting under BUNDLED_BASE) and the relation extractor of the bundled
    entities and rules (those the builds in this process use)."""
    built = bundled_tools(BUNDLED_BASE)
    return built.linker, built.extractor


def build_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``entente build --no-reason ARGS``: its exit code and what it printed.  Run in this
    process (``main``, as the console script calls it), whose bundled tools are built once
    (a child process spends ~1.7 s importing and building them); with ``env``, in a child
    process with those environment variables."""
    argv = ["build", "--no-reason", *args]
    if env is not None:
        return subprocess.run([sys.executable, "-m", "entente", *argv], capture_output=True,
                              text=True, timeout=300, env={**os.environ, **env})
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # (argparse's usage errors)
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())
