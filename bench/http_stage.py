"""The HTTP stage: the server started on the store (cache off), each canned query's latency
over HTTP, the lookup's, its overhead against the engine in alternated rounds, the load test at
each concurrency and the server's memory."""

from __future__ import annotations

import importlib.util
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from entente.bench import http, virtuoso
from entente.bench.config import UNCAPPED_ROWS, BenchConfig, query_timeout
from entente.bench.lookup_stages import lookup_in_process
from entente.bench.measure import TreeRssSampler

from entente.config import Settings


def _http_targets(server_url: str, workload: dict, probe_name: str | None = None
                  ) -> dict[str, str]:
    """name -> URL: /queries/<name> when the server has it, else /sparql with the query.
    The probe (the first answer timed as start-up) is ``probe_name``: the cheap lookup, so
    that start-up is not the slowest canned query's run time."""
    import requests

    first = probe_name if probe_name in workload else next(iter(workload))
    probe = requests.get(http.query_url(server_url, first), timeout=60,
                         headers=http.CLIENT_HEADERS)
    if probe.status_code != 404:
        return {n: http.query_url(server_url, n) for n in workload}
    return {n: f"{server_url}/sparql?query={quote(virtuoso.inline(w['text'], w['subs']))}"
            for n, w in workload.items()}


def _in_time(workload: dict, eng: dict[str, Any]) -> tuple[dict, dict[str, Any]]:
    """(the queries the engine answered in time, {name: skip note} for the others): a query
    over the time limit in-process is over it through the server too."""
    late = {n for n, v in (eng.get("queries") or {}).items() if "timeout_s" in v}
    note = {n: {"skipped": "over the time limit in-process (engine stage)"} for n in late}
    return {n: w for n, w in workload.items() if n not in late}, note


def stage_http(cfg: BenchConfig, label: str, load: dict[str, Any], workload: dict,
               cheap: str, lookup: dict[str, Any], eng: dict[str, Any]) -> dict[str, Any]:
    if not cfg.http:
        return {"skipped": "not run in this mode"}
    if importlib.util.find_spec("entente.server.serve") is None:
        return {"skipped": "entente.server.serve is not there yet"}
    timeout = query_timeout(cfg, load.get("quads"))
    # (the row cap lifted where the peers run: each query's whole answer, as the engine and
    # the peers give it; the server's cap, 10,000 rows, made the largest listings look cheaper
    # over HTTP. Above, the server as deployed: a 150 MB answer at 10M took the server's RSS
    # past 2 GB, which its cap prevents, and the cut answers are marked)
    whole = (load.get("quads") or 0) <= cfg.whole_answers_to
    max_rows = UNCAPPED_ROWS if whole else Settings().max_rows
    env = {"ENTENTE_CACHE_ENTRIES": "0", "ENTENTE_RATE_LIMIT": "0",
           "ENTENTE_QUERY_TIMEOUT": str(timeout), "ENTENTE_BASE_IRI": cfg.base,
           "ENTENTE_MAX_ROWS": str(max_rows)}
    log = cfg.work / label / "server.log"
    with http.running_server(Path(load["store"]), "/healthz", log, env=env) as server, \
            TreeRssSampler(server.proc.pid) as memory:
        t_first = time.perf_counter()
        targets = _http_targets(server.url, workload, cheap)
        timely, late = _in_time(workload, eng)
        first_answer = server.startup_s + (time.perf_counter() - t_first)
        out: dict[str, Any] = {"startup_s": round(server.startup_s, 3),
                               "startup_to_first_answer_s": round(first_answer, 3),
                               "endpoint": "queries" if "/queries/" in targets[cheap]
                               else "sparql", "cache": "off", "query_timeout_s": timeout,
                               "max_rows": max_rows}
        out["queries"] = {**http.http_latencies_urls(
            {n: u for n, u in targets.items() if n in timely}, runs=cfg.runs,
            budget_s=cfg.budget_s, timeout_s=timeout), **late}
        if lookup.get("params") and out["endpoint"] == "queries":
            urls = [f"{http.query_url(server.url, lookup['query'])}?{urlencode(raw)}"
                    for raw in lookup["params"]]
            out["lookup"] = http.rotating_latency(urls, runs=max(cfg.runs, 2 * len(urls)),
                                                  budget_s=cfg.budget_s)
            out["overhead"] = overhead_rounds(cfg, label, load, workload, lookup, urls)
            out["load_test"] = http.load_test(urls, cfg.concurrencies, cfg.load_duration_s)
        else:
            out["load_test"] = http.load_test(targets[cheap], cfg.concurrencies,
                                              cfg.load_duration_s)
        out["memory"] = http.server_memory(server, memory.stop())
    return out


def overhead_rounds(cfg: BenchConfig, label: str, load: dict[str, Any], workload: dict,
                    lookup: dict[str, Any], urls: list[str]) -> dict[str, Any]:
    """The lookup's p50 in-process (a child process on the store the server has open, its
    parameter values in turn) and over HTTP at c=1 (the load tool on ``urls``), in
    ``cfg.overhead_rounds`` alternated rounds while the server runs.  The lookup stage's
    engine figure comes minutes before the HTTP stage, with the peers' stages in between: on
    these VMs a change of phase in that time moves a difference of tenths of a ms."""
    def in_process() -> float | None:
        return (lookup_in_process(cfg, load, workload, lookup["params"],
                                  cfg.work / label / "overhead") or {}).get("p50_ms")

    def over_http() -> float | None:
        return http.load_test(urls, [1], cfg.load_duration_s)["1"].get("p50_ms")

    return alternate(in_process, over_http, cfg.overhead_rounds)


def alternate(in_process: Callable[[], float | None], over_http: Callable[[], float | None],
              rounds: int) -> dict[str, Any]:
    """``rounds`` pairs of (in-process p50, HTTP p50), each pair taken one after the other,
    and the median of each side over the rounds that measured it."""
    pairs = [{"engine_p50_ms": in_process(), "http_p50_ms": over_http()}
             for _ in range(rounds)]
    out: dict[str, Any] = {"rounds": pairs}
    for key in ("engine_p50_ms", "http_p50_ms"):
        values = [p[key] for p in pairs if p[key] is not None]
        out[key] = round(statistics.median(values), 4) if values else None
    return out
