"""The store's files read ahead into the page cache when the server starts (server/prewarm.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from entente.server import prewarm

from tests.server.conftest import start_server, stop_server


def _files(root: Path, sizes: dict[str, int]) -> None:
    for name, size in sizes.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)


@pytest.mark.parametrize(("budget", "expected"), [
    (10_000, [("000012.sst", 3000), ("MANIFEST-5", 200), ("sub/000009.sst", 5000)]),
    (8_200, [("000012.sst", 3000), ("MANIFEST-5", 200), ("sub/000009.sst", 5000)]),
    # (the last file cut at the budget, and none after it)
    (3_100, [("000012.sst", 3000), ("MANIFEST-5", 100)]),
    (3_000, [("000012.sst", 3000)]),
    (0, []),
])
def test_plan_takes_the_files_in_name_order_up_to_the_budget(tmp_path: Path, budget: int,
                                                             expected) -> None:
    _files(tmp_path, {"000012.sst": 3000, "MANIFEST-5": 200, "sub/000009.sst": 5000,
                      "LOCK": 0})
    got = [(str(path.relative_to(tmp_path)), size) for path, size in
           prewarm.plan(tmp_path, budget)]
    assert got == expected


def test_start_reads_the_whole_store_ahead_within_the_budget(test_store) -> None:
    total = sum(p.stat().st_size for p in test_store.oxigraph_path.rglob("*") if p.is_file())
    planned, thread = prewarm.start(test_store.oxigraph_path, 1024)
    assert thread is not None
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert planned == total > 0


def test_a_zero_budget_starts_nothing(test_store) -> None:
    assert prewarm.start(test_store.oxigraph_path, 0) == (0, None)


def test_serve_says_what_it_reads_ahead_and_answers(test_store) -> None:
    server = start_server(test_store.link)
    try:
        assert server.get("healthz").status_code == 200
    finally:
        output = stop_server(server)
    assert "of the store ahead into the page cache (ENTENTE_PREWARM_MB)" in output
    server = start_server(test_store.link, env={"ENTENTE_PREWARM_MB": "0"})
    try:
        assert server.get("healthz").status_code == 200
    finally:
        output = stop_server(server)
    assert "ahead into the page cache" not in output
