"""Build throughput: ``entente build`` on a corpus folder with N worker processes.

The build runs as the user runs it (the CLI in a child process) into a throw-away store,
so ``seconds`` includes start-up, extraction, RDF output and the store load.  The text
size is the sum of the ``.txt`` files' bytes.  The build's own ``--timings`` give the
extraction stage alone (``extract_s``, wall clock, all worker processes; ``extract_cpu_s``,
CPU seconds summed over the processes): ``extract_mb_per_s`` and
``extract_mb_per_cpu_s`` (= MB per second per core) are the issue's throughput figures.
Single builds of 1,000 documents spread by ~10% on a 2-core VM, so a full run repeats each
build (``BenchConfig.build_repeats``) and reports the medians.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from entente.errors import EntenteError


def build_available() -> tuple[bool, str]:
    if importlib.util.find_spec("entente.graph.build") is None:
        return False, "entente.graph.build is not there yet"
    return True, ""


def corpus_size(folder: Path) -> tuple[int, int]:
    """(documents, bytes of text) of the .txt files in ``folder``."""
    files = sorted(Path(folder).glob("*.txt"))
    return len(files), sum(f.stat().st_size for f in files)


def replicate_corpus(corpus: Path, dest: Path, copies: int) -> dict[str, Any]:
    """``copies`` copies of the corpus's ``.txt`` documents in ``dest`` ("00_<name>", ...),
    with a metadata.json whose entries keep each document's metadata (its slug suffixed
    "-copy00", ...): the real texts, enough of them that one-time costs in the first
    document (the tokenizer's vocabulary, lazily compiled expressions) weigh little.  No
    result is cached between documents, so each copy is extracted in full."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    files = sorted(Path(corpus).glob("*.txt"))
    try:
        entries = json.loads((Path(corpus) / "metadata.json").read_text(encoding="utf-8"))
        by_file = {e["file"]: e for e in entries.get("documents", []) if isinstance(e, dict)}
    except (OSError, ValueError, AttributeError):
        by_file = {}
    documents = []
    for k in range(copies):
        for f in files:
            name = f"{k:02d}_{f.name}"
            shutil.copyfile(f, dest / name)
            entry = dict(by_file.get(f.name) or {})
            entry["file"] = name
            if entry.get("slug"):
                entry["slug"] = f"{entry['slug']}-copy{k:02d}"
            documents.append(entry)
    (dest / "metadata.json").write_text(json.dumps({"documents": documents}, indent=1),
                                        encoding="utf-8")
    docs, size = corpus_size(dest)
    return {"copies": copies, "documents": docs, "bytes": size}


def run_build(corpus: Path, store: Path, workers: int, *, reason: bool = False,
              out: Path | None = None, timeout_s: float = 3600) -> dict[str, Any]:
    """Time one ``entente build``; documents/s and MB of text/s (per process and total)."""
    docs, size = corpus_size(corpus)
    if docs == 0:
        raise EntenteError(f"{corpus}: no .txt documents to build")
    timings_file = Path(store).parent / "timings.json"
    cmd = [sys.executable, "-m", "entente.cli", "build", "--corpus", str(corpus), "--store",
           str(store), "--workers", str(workers), "--quiet", "--timings", str(timings_file)]
    if not reason:
        cmd.append("--no-reason")
    if out is not None:
        cmd += ["--out", str(out)]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s,
                              check=False)
    except subprocess.TimeoutExpired:
        raise EntenteError(f"entente build on {corpus} did not finish in {timeout_s:.0f} s"
                           ) from None
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise EntenteError(f"entente build on {corpus} failed (exit {proc.returncode}): {tail}")
    mb = size / 1_000_000
    result: dict[str, Any] = {
        "corpus": str(corpus), "workers": workers, "reasoning": reason, "documents": docs,
        "text_mb": round(mb, 4), "seconds": round(seconds, 3),
        "docs_per_s": round(docs / seconds, 2),
        "mb_per_s": round(mb / seconds, 4),
        "mb_per_s_per_core": round(mb / seconds / workers, 4),
    }
    try:
        stages = json.loads(timings_file.read_text(encoding="utf-8"))["timings"]
    except (OSError, ValueError, KeyError):
        return result  # an older build without --timings figures
    result["stages"] = stages
    for key in ("extract_s", "extract_cpu_s", "extract_mb_per_s", "extract_mb_per_cpu_s"):
        result[key] = stages.get(key)
    return result


#: the figures of a run that are medians over the repeats (and kept per repeat)
MEDIAN_FIELDS = ("seconds", "docs_per_s", "mb_per_s", "mb_per_s_per_core", "extract_s",
                 "extract_cpu_s", "extract_mb_per_s", "extract_mb_per_cpu_s")


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One run's record whose figures (:data:`MEDIAN_FIELDS`, and each stage's seconds) are
    the medians over ``runs``, builds of the same corpus with the same workers; ``repeats``
    keeps each run's figures.  A single run is returned as it is."""
    if len(runs) == 1:
        return runs[0]
    merged = dict(runs[-1])
    for key in MEDIAN_FIELDS:
        values = [r[key] for r in runs if r.get(key) is not None]
        if values:
            merged[key] = round(statistics.median(values), 4)
    stages = [r["stages"] for r in runs if isinstance(r.get("stages"), dict)]
    if stages:
        merged["stages"] = {
            k: round(statistics.median(s[k] for s in stages), 4)
            if all(isinstance(s.get(k), int | float) for s in stages) else stages[-1][k]
            for k in stages[-1]}
    merged["repeats"] = [{k: r.get(k) for k in MEDIAN_FIELDS} for r in runs]
    return merged


def build_scaling(corpus: Path, work: Path, workers: list[int], repeats: int = 1,
                  **kw: Any) -> dict[str, Any]:
    """Builds of the same corpus with each worker count (``repeats`` rounds, each worker count
    once per round; figures are the medians: :func:`median_run`), and the speed-up over the
    first worker count."""
    done: dict[str, list[dict[str, Any]]] = {str(n): [] for n in workers}
    for _ in range(max(1, repeats)):
        for n in workers:
            done[str(n)].append(run_build(corpus, work / f"store-w{n}" / "store", n, **kw))
    runs = {n: median_run(rs) for n, rs in done.items()}
    first = runs[str(workers[0])]["seconds"]
    for n in workers:
        runs[str(n)]["speedup"] = round(first / runs[str(n)]["seconds"], 3)
    return runs
