"""The load stage: our ``publish`` of a dump into a store, and the engine's floor beside it -- a
bare pyoxigraph ``bulk_load`` of the same N-Quads dump, on disk (a fresh directory, removed
afterwards) and in memory.

``publish`` adds the chunked concurrent load, the dump's hash and the compaction; set beside
the two bare figures, a reader sees which part of the load time is ours and which is the
engine's.  Each bare load runs in its own child process, so its peak RSS is its own.
"""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from entente.bench.measure import self_peak_rss_mb

from entente.errors import EntenteError

MODES = ("disk", "memory")


def publish(dump: Path, store: Path, *, base: str) -> dict[str, Any]:
    """Time ``entente.graph.store.publish`` of ``dump`` into ``store`` (earlier stores of that
    path removed first): seconds, quads, triples/s, the store's size on disk and the allocator
    the load ran under (as the build's default, ``ENTENTE_LOAD_ALLOCATOR=mimalloc``)."""
    from entente.graph import store as gstore
    from entente.graph.store_load import allocator_for

    for old in store.parent.glob("store-*"):
        shutil.rmtree(old, ignore_errors=True)
    store.unlink(missing_ok=True)
    t0 = time.perf_counter()
    info = gstore.publish(dump, store, base_iri=base, lenient=True)  # as the build does
    seconds = time.perf_counter() - t0
    disk = sum(f.stat().st_size for f in info.oxigraph_path.rglob("*") if f.is_file())
    return {"store": str(store), "oxigraph": str(info.oxigraph_path), "publish_s":
            round(seconds, 3), "quads": info.manifest.get("quads"),
            "triples_per_s": round((info.manifest.get("quads") or 0) / seconds),
            "store_mb": round(disk / 1e6, 1),
            "allocator": allocator_for(dump.stat().st_size, "mimalloc")}


def publish_repeated(dump: Path, store: Path, *, base: str, repeats: int) -> dict[str, Any]:
    """``publish`` ``repeats`` times into a fresh store (the last one kept): the last run's
    figures, with ``publish_s`` the median of the runs and every run in ``publish_runs_s``.
    One run on a VM's slow minute is not the load's time; the spread is reported with it."""
    runs = [publish(dump, store, base=base) for _ in range(max(1, repeats))]
    times = [r["publish_s"] for r in runs]
    out = dict(runs[-1])
    out["publish_s"] = round(statistics.median(times), 3)
    out["publish_runs_s"] = times
    out["triples_per_s"] = round((out.get("quads") or 0) / out["publish_s"])
    return out


def engine_load(dump: Path, work: Path, *, timeout_s: float = 900.0) -> dict[str, Any]:
    """{"disk": ..., "memory": ...}: each {"seconds", "cpu_s", "peak_rss_mb", "quads"} of a bare
    ``Store(...).bulk_load(path=dump, format=N_QUADS)`` in a child process; on disk into a fresh
    directory under ``work`` (same file system as the published store), removed afterwards.
    A load over ``timeout_s`` is ``{"timeout_s": ...}``."""
    if not dump.is_file():
        raise EntenteError(f"{dump}: no N-Quads dump to load")
    work.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {}
    for mode in MODES:
        target = Path(tempfile.mkdtemp(prefix=f"engine-load-{mode}-", dir=work))
        try:
            out[mode] = _run_child(mode, dump, target, timeout_s)
        finally:
            shutil.rmtree(target, ignore_errors=True)
    return out


def _run_child(mode: str, dump: Path, target: Path, timeout_s: float) -> dict[str, Any]:
    code = "import sys; from entente.bench.loading import child; child(*sys.argv[1:4])"
    try:
        proc = subprocess.run([sys.executable, "-c", code, mode, str(dump), str(target)],
                              capture_output=True, text=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        return {"timeout_s": timeout_s}
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        raise EntenteError(f"{dump}: bare bulk_load ({mode}) failed: {tail[0]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process
    return usage.ru_utime + usage.ru_stime


def child(mode: str, dump: str, target: str) -> None:
    """Child process: one bare bulk_load, timed (wall and CPU); prints one JSON line."""
    import pyoxigraph

    if mode not in MODES:
        raise SystemExit(f"unknown mode {mode!r}")
    store = pyoxigraph.Store(target) if mode == "disk" else pyoxigraph.Store()
    cpu0, t0 = _cpu_s(), time.perf_counter()
    store.bulk_load(path=dump, format=pyoxigraph.RdfFormat.N_QUADS)
    seconds, cpu = time.perf_counter() - t0, _cpu_s() - cpu0
    quads = len(store)
    print(json.dumps({"seconds": round(seconds, 3), "cpu_s": round(cpu, 3),
                      "peak_rss_mb": self_peak_rss_mb(), "quads": quads}), flush=True)
