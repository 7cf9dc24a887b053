"""Remote backend figures: push throughput into Virtuoso and canned-query latency through
Entente's remote backend (``ENTENTE_BACKEND``), for the benchmark harness.

:func:`run_remote` starts a private Virtuoso (:mod:`entente.bench.virtuoso`), pushes an
N-Quads dataset with ``entente push``'s code over the Graph Store protocol (one PUT/POST per
batch, the same path as the CLI), then runs every canned query through the server's remote
engine (policy, VALUES binding, re-serialisation with the row cap; the result cache off) and
reports p50/p99 per query.  When Virtuoso is missing the result says why.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from entente.bench import virtuoso
from entente.bench.answers import fingerprint_json
from entente.bench.measure import repeat, summary_ms

from entente.config import Settings
from entente.errors import EntenteError


def run_remote(nq: Path, workload: dict[str, dict[str, Any]], work: Path, *, base: str,
               runs: int = 20, budget_s: float = 10.0, batch: int = 10_000,
               memory_gb: float = 1.0) -> dict[str, Any]:
    """{"push": {...triples_per_s...}, "queries": {name: {p50_ms, p99_ms, rows...}}}."""
    ok, why = virtuoso.available()
    if not ok:
        return {"skipped": why}
    from entente.graph.push import Target, open_source, push

    with virtuoso.running(work, memory_gb=memory_gb) as server:
        root = f"http://127.0.0.1:{server.http_port}"
        target = Target(endpoint=f"{root}/sparql", graph_store=f"{root}/sparql-graph-crud-auth",
                        user="dba", password="dba", auth="digest")
        with open_source(None, [nq]) as (source, _):
            report = push(source, target, batch=batch, quiet=True)
        out: dict[str, Any] = {"push": {
            "triples": report.triples, "graphs": report.graphs, "requests": report.requests,
            "retries": report.retries, "seconds": round(report.seconds, 3),
            "triples_per_s": round(report.triples_per_s, 1), "batch": batch,
        }}
        # A private Virtuoso holding only the pushed data: its default graph is the union of
        # our graphs, so the dataset is left to the endpoint (docs/scaling.md); naming every
        # graph per query (the default for shared stores) costs Virtuoso seconds at 1,000 graphs.
        out["dataset"] = "endpoint"
        out["queries"] = _latencies(Settings().with_(backend=target.endpoint, base_iri=base,
                                                     backend_dataset="endpoint",
                                                     cache_entries=0, max_rows=100_000),
                                    workload, runs, budget_s)
    return out


def _latencies(settings: Settings, workload: dict[str, dict[str, Any]], runs: int,
               budget_s: float) -> dict[str, dict[str, Any]]:
    from entente.server.engine import QueryRequest, create_backend

    engine = create_backend(settings).start()
    out: dict[str, dict[str, Any]] = {}
    try:
        for name, item in workload.items():
            req = QueryRequest(item["text"], media_type="application/sparql-results+json",
                               substitutions={k: tuple(v) for k, v in item["subs"].items()},
                               use_cache=False)

            def run(req: QueryRequest = req) -> int:
                return engine.execute(req).row_count

            try:
                t0 = time.perf_counter()
                first = engine.execute(req)
                first_ms = (time.perf_counter() - t0) * 1000.0
                answer = fingerprint_json(json.loads(first.body))
                durations, rows = repeat(run, runs=runs, budget_s=budget_s, warmup=0)
            except (EntenteError, Exception) as exc:  # noqa: BLE001 - a failing query is a result
                out[name] = {"error": str(exc)[:300]}
                continue
            out[name] = {"rows": rows, "first_ms": round(first_ms, 3), **summary_ms(durations),
                         "answer": answer}
    finally:
        engine.close()
    return out


def main() -> None:  # pragma: no cover - manual use: python -m entente.bench.remote_bench X.nq
    import json
    import sys
    import tempfile

    from entente.bench.engine import canned_workload

    base = "https://entente.example.org/"
    with tempfile.TemporaryDirectory() as tmp:
        result = run_remote(Path(sys.argv[1]), canned_workload(base), Path(tmp) / "v", base=base)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":  # pragma: no cover
    main()
