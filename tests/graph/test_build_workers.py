"""The build's worker pool (``entente.graph.build_workers.extract_all``) when the build is
interrupted."""

from __future__ import annotations

import threading
from concurrent.futures.process import _ExecutorManagerThread
from pathlib import Path

import pytest
from entente.graph.build_workers import bundled_tools, extract_all
from entente.graph.corpus import load_corpus
from entente.graph.extract import Tools
from entente.graph.linking import Linker
from entente.graph.relations import RelationExtractor
from entente.graph.sorted_runs import SortedRuns

from tests.graph.conftest import BUNDLED_BASE


def _manager_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if isinstance(t, _ExecutorManagerThread)]


def test_an_interrupted_extraction_has_ended_its_pool_s_manager_thread(
        tools: tuple[Linker, RelationExtractor], corpus_dir: Path, tmp_path: Path) -> None:
    """Ctrl-C while workers extract: by the time the interrupt leaves ``extract_all``, the
    executor's manager thread has ended.  Left running, it closed its wake-up pipe while the
    interpreter's exit wrote to it, and "entente build: interrupted" was followed by
    ``OSError: [Errno 9] Bad file descriptor`` (now and then, Python 3.11)."""
    docs, _ = load_corpus(corpus_dir)
    assert len(docs) >= 3 and not _manager_threads()
    outcomes = extract_all(docs, 2, (BUNDLED_BASE, BUNDLED_BASE + "build/x", {}, bundled_tools),
                           Tools(*tools), SortedRuns(tmp_path), None)
    (file, lines, _, _), in_runs = next(outcomes)  # the pool runs: one chunk is back
    assert file == docs[0].file and lines is not None and in_runs  # (lines: in the run)
    assert len(_manager_threads()) == 1
    with pytest.raises(KeyboardInterrupt):
        outcomes.throw(KeyboardInterrupt)
    assert _manager_threads() == []
