"""The benchmark run: each stage is a function that records its figures (or why it was
skipped) into one results dictionary; :func:`run` chains them for every size.

Sizes are "corpus" (the store built from the corpus) and synthetic triple counts.  The
JSON written at the end has the same keys in quick and full mode (see ``REQUIRED_KEYS``).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import statistics
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from entente.bench import (
    build_bench,
    cache_rates,
    engine,
    http,
    loading,
    rdflib_peer,
    remote_bench,
    synth,
    virtuoso,
    worst_cases,
)
from entente.bench.measure import TreeRssSampler, machine

from entente.errors import EntenteError

REQUIRED_KEYS = ("machine", "config", "build", "sizes", "targets", "scaling", "notes")
SIZE_KEYS = ("dataset", "load", "engine", "lookup", "narrowed", "rdflib", "virtuoso", "remote",
             "http", "cache")
#: the cheap parameterised lookup load-tested over HTTP, with these many parameter values
LOOKUP_QUERY = "shared-memberships"
LOOKUP_VALUES = 64
#: the canned queries narrowed by a parameter that has a variant: this many values each
NARROWED_VALUES = 8
#: rounds of the lookup in-process then over HTTP at c=1, alternated beside the running
#: server: the overhead target compares figures taken in the same minute of the machine
OVERHEAD_ROUNDS = 3


@dataclass
class BenchConfig:
    out: Path
    work: Path
    sizes: list[int]
    quick: bool = False
    include_corpus: bool = True
    corpus: Path = Path("corpus")
    seed: int = 42
    runs: int = 50
    budget_s: float = 3.0
    #: the engine and narrowed stages spread each query's runs over this many passes through
    #: all the queries, so a slow phase of the machine does not fall on a few queries alone
    engine_passes: int = 5
    query_timeout_s: float = 60.0
    #: rdflib answers some queries in minutes: each query's cap is max(this, factor x our
    #: engine's p50 there), at most rdflib_max_query_timeout_s, all caps of a size within
    #: rdflib_total_s (bench/rdflib_peer.py); factor 21 lets a time-out prove ">= 20x"
    rdflib_query_timeout_s: float = 30.0
    rdflib_cap_factor: float = 21.0
    rdflib_max_query_timeout_s: float = 180.0
    rdflib_total_s: float = 1200.0
    #: from this size on, a query is given at most large_query_timeout_s (then "timeout")
    large_from: int = 5_000_000
    large_query_timeout_s: float = 20.0
    #: Virtuoso (and the push into it) is run up to this size; above it the peer is skipped
    virtuoso_max_triples: int = 2_000_000
    load_duration_s: float = 5.0
    concurrencies: list[int] = field(default_factory=lambda: [1, 8, 32])
    build_workers: list[int] = field(default_factory=lambda: [1, 2])
    #: rounds of the build stage (each worker count once per round); figures are medians
    build_repeats: int = 5
    synth_docs: int = 1000
    #: the corpus copied this many times ("corpus-copies"): real text, built at a size where
    #: the first document's one-time costs weigh little (a throughput on real sentences)
    corpus_copies: int = 20
    rdflib_max_triples: int = 1_500_000
    rdflib_single_run_from: int = 500_000
    virtuoso: bool = True
    http: bool = True
    build: bool = True
    only_queries: list[str] | None = None  # None: every canned query
    base: str = "https://entente.example.org/"

    @classmethod
    def quick_config(cls, out: Path, work: Path) -> BenchConfig:
        # rdflib capped at 0.5-1 s a query: the smoke run proves the peer runs, not the ratio
        return cls(out=out, work=work, sizes=[20_000], quick=True, runs=5, budget_s=0.2,
                   engine_passes=2, query_timeout_s=5.0, load_duration_s=1.0, synth_docs=10,
                   build_repeats=1,
                   corpus_copies=2,
                   virtuoso=False,
                   rdflib_single_run_from=0, rdflib_query_timeout_s=0.5,
                   rdflib_max_query_timeout_s=1.0, rdflib_total_s=20.0)


def query_timeout(cfg: BenchConfig, triples: int | None) -> float:
    """The per-query time limit at a size (capped from ``large_from`` triples on)."""
    if triples is not None and triples >= cfg.large_from:
        return min(cfg.query_timeout_s, cfg.large_query_timeout_s)
    return cfg.query_timeout_s


def _stage(results: dict, key: str, fn: Callable[[], Any], log: Callable[[str], None]) -> Any:
    """Run one stage; a failure is recorded as {"error": ...} and the run goes on."""
    t0 = time.perf_counter()
    try:
        value = fn()
    except EntenteError as exc:
        value = {"error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - one failing stage must not lose the others
        value = {"error": f"{type(exc).__name__}: {exc}",
                 "trace": traceback.format_exc(limit=3)[-600:]}
    results[key] = value
    state = "skipped" if isinstance(value, dict) and "skipped" in value else (
        "ERROR" if isinstance(value, dict) and "error" in value else "ok")
    log(f"  {key}: {state} ({time.perf_counter() - t0:.1f} s)"
        + (f" - {value.get('error') or value.get('skipped')}" if state != "ok" else ""))
    return value


def stage_build(cfg: BenchConfig, log: Callable[[str], None]) -> dict[str, Any]:
    ok, why = build_bench.build_available()
    if not cfg.build:
        return {"skipped": "not run in this mode"}
    if not ok:
        return {"skipped": why}
    out: dict[str, Any] = {}
    work = cfg.work / "build"
    _stage(out, "corpus", lambda: build_bench.build_scaling(
        cfg.corpus, work / "corpus", cfg.build_workers, cfg.build_repeats), log)
    copies = work / "corpus-copies-texts"
    out["corpus_copies_texts"] = build_bench.replicate_corpus(cfg.corpus, copies,
                                                              cfg.corpus_copies)
    _stage(out, "corpus-copies", lambda: build_bench.build_scaling(
        copies, work / "corpus-copies", cfg.build_workers, cfg.build_repeats), log)
    texts = work / "synthetic-texts"
    if texts.exists():
        shutil.rmtree(texts)
    gen = synth.synth_texts(cfg.synth_docs, cfg.seed, texts, base=cfg.base)
    out["synthetic_texts"] = gen
    _stage(out, "synthetic", lambda: build_bench.build_scaling(
        texts, work / "synthetic", cfg.build_workers, cfg.build_repeats), log)
    _stage(out, "worst-cases", lambda: worst_cases.worst_cases(cfg.quick), log)
    return out


def dataset_for(cfg: BenchConfig, label: str, size: int | None) -> dict[str, Any]:
    """Where the N-Quads of one size come from: the corpus build's dump, or the generator."""
    if size is None:
        from entente.graph import store as gstore

        built = cfg.work / "build" / "corpus" / f"store-w{cfg.build_workers[0]}" / "store"
        if not built.exists():
            if not build_bench.build_available()[0]:
                return {"skipped": "no corpus store (the build is not there yet)"}
            build_bench.run_build(cfg.corpus, built, 1)
        info = gstore.locate(built)
        return {"path": str(info.dump_path), "triples": int(info.manifest.get("quads", 0)),
                "bytes": info.dump_path.stat().st_size, "source": "corpus build"}
    path = cfg.work / label / "dataset.nq"
    info = synth.write_dataset(path, size, seed=cfg.seed, base=cfg.base)
    return {"path": info.path, "triples": info.triples, "bytes": info.bytes,
            "documents": info.documents, "assertions": info.assertions,
            "generate_s": round(info.seconds, 3), "source": "synthetic"}


def stage_load(cfg: BenchConfig, label: str, dataset: dict[str, Any]) -> dict[str, Any]:
    return loading.publish(Path(dataset["path"]), cfg.work / label / "store", base=cfg.base)


def stage_rdflib(cfg: BenchConfig, label: str, dataset: dict[str, Any], workload: dict,
                 eng: dict[str, Any]) -> dict[str, Any]:
    """rdflib on the same dump, each query capped from our engine's p50 (``eng``, measured
    first) so that a time-out decides the 20x target."""
    triples = dataset["triples"]
    if triples > cfg.rdflib_max_triples:
        return {"skipped": f"rdflib in-memory is not run above {cfg.rdflib_max_triples:,} "
                           f"triples (load alone would take minutes and many GB)"}
    return rdflib_peer.run_rdflib(
        Path(dataset["path"]), workload, cfg.work / label, eng.get("queries") or {},
        base_s=min(query_timeout(cfg, triples), cfg.rdflib_query_timeout_s),
        factor=cfg.rdflib_cap_factor, max_s=cfg.rdflib_max_query_timeout_s,
        total_s=cfg.rdflib_total_s, single=triples >= cfg.rdflib_single_run_from,
        runs=cfg.runs, budget_s=cfg.budget_s, load_timeout_s=max(600.0, cfg.query_timeout_s))


def stage_virtuoso(cfg: BenchConfig, label: str, dataset: dict[str, Any], workload: dict,
                   cheap: str | None, lookup: dict[str, Any]) -> dict[str, Any]:
    if not cfg.virtuoso:
        return {"skipped": "not run in this mode"}
    if dataset["triples"] > cfg.virtuoso_max_triples:
        return {"skipped": f"Virtuoso is run up to {cfg.virtuoso_max_triples:,} triples "
                           "(BenchConfig.virtuoso_max_triples)"}
    ok, why = virtuoso.available()
    if not ok:
        return {"skipped": why}
    memory_gb = 1.0 if dataset["triples"] < 2_000_000 else 4.0
    timeout = query_timeout(cfg, dataset["triples"])
    with virtuoso.running(cfg.work / label / "virtuoso", memory_gb=memory_gb,
                          max_query_s=timeout) as server:
        out: dict[str, Any] = {"load": virtuoso.bulk_load(server, Path(dataset["path"]))}
        out["queries"] = virtuoso.latencies(server, workload, runs=cfg.runs,
                                            budget_s=cfg.budget_s, timeout_s=timeout)
        if lookup.get("params"):
            text = workload[lookup["query"]]["text"]
            rotate = engine.rotating_item(text, cfg.base, lookup["query"], lookup["params"])
            urls = [f"{server.sparql_url}?query={quote(virtuoso.inline(text, subs))}"
                    for subs in rotate["rotate"]]
            out["lookup"] = http.rotating_latency(urls, runs=max(cfg.runs, 2 * len(urls)),
                                                  budget_s=cfg.budget_s)
            out["load_test"] = http.load_test(urls, cfg.concurrencies, cfg.load_duration_s)
        elif cheap is not None:
            text = virtuoso.inline(workload[cheap]["text"], workload[cheap]["subs"])
            url = f"{server.sparql_url}?query={quote(text)}"
            out["load_test"] = http.load_test(url, cfg.concurrencies, cfg.load_duration_s)
        out["memory"] = server.memory()
    return out


def _http_targets(server_url: str, workload: dict, probe_name: str | None = None
                  ) -> dict[str, str]:
    """name -> URL: /queries/<name> when the server has it, else /sparql with the query.
    The probe (the first answer timed as start-up) is ``probe_name``: the cheap lookup, so
    that start-up is not the slowest canned query's run time."""
    import requests

    first = probe_name if probe_name in workload else next(iter(workload))
    probe = requests.get(http.query_url(server_url, first), timeout=60,
                         headers={"Accept": http.JSON_RESULTS})
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
    env = {"ENTENTE_CACHE_ENTRIES": "0", "ENTENTE_RATE_LIMIT": "0",
           "ENTENTE_QUERY_TIMEOUT": str(timeout), "ENTENTE_BASE_IRI": cfg.base}
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
                               else "sparql", "cache": "off", "query_timeout_s": timeout}
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
    :data:`OVERHEAD_ROUNDS` alternated rounds while the server runs.  The lookup stage's
    engine figure comes minutes before the HTTP stage, with the peers' stages in between: on
    these VMs a change of phase in that time moves a difference of tenths of a ms."""
    def in_process() -> float | None:
        return (lookup_in_process(cfg, load, workload, lookup["params"],
                                  cfg.work / label / "overhead") or {}).get("p50_ms")

    def over_http() -> float | None:
        return http.load_test(urls, [1], cfg.load_duration_s)["1"].get("p50_ms")

    return alternate(in_process, over_http, OVERHEAD_ROUNDS)


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


def stage_lookup(cfg: BenchConfig, label: str, load: dict[str, Any],
                 workload: dict) -> dict[str, Any]:
    """The cheap parameterised lookup: its parameter values (pairs of actors that share an
    organization, from the store) and its in-process engine time taking them in turn."""
    if LOOKUP_QUERY not in workload:
        return {"skipped": f"{LOOKUP_QUERY} is not among this run's queries"}
    oxigraph = Path(load["oxigraph"])
    raws = engine.member_pairs(oxigraph, LOOKUP_VALUES)
    if len(raws) < 2:
        return {"skipped": "fewer than two pairs of actors share an organization here"}
    return {"query": LOOKUP_QUERY, "params": raws,
            "engine": lookup_in_process(cfg, load, workload, raws, cfg.work / label)
            or {"error": "not run"}}


def lookup_in_process(cfg: BenchConfig, load: dict[str, Any], workload: dict,
                      raws: list[dict[str, str]], work: Path) -> dict[str, Any] | None:
    """The lookup's in-process figures (a child process on the store), its parameter values
    ``raws`` in turn, each at least twice; None if it did not run."""
    item = engine.rotating_item(workload[LOOKUP_QUERY]["text"], cfg.base, LOOKUP_QUERY, raws)
    result = engine.run_engine("oxigraph", Path(load["oxigraph"]), {LOOKUP_QUERY: item}, work,
                               runs=max(cfg.runs, 2 * len(raws)), budget_s=cfg.budget_s,
                               query_timeout_s=query_timeout(cfg, load.get("quads")),
                               load_timeout_s=120)
    return result["queries"].get(LOOKUP_QUERY)


def stage_narrowed(cfg: BenchConfig, label: str, load: dict[str, Any],
                   workload: dict) -> dict[str, Any]:
    """Each canned query with a variant for one parameter (``queries/<name>--<param>.rq``),
    narrowed by :data:`NARROWED_VALUES` values of it from the store taken in turn, in-process:
    the variant the server runs, and the query's own text (what the same answer costs
    without the variant)."""
    from entente.graph import canned

    oxigraph = Path(load["oxigraph"])
    items: dict[str, Any] = {}
    values: dict[str, list[str]] = {}
    for name, query in canned.load_all().items():
        for variant in query.variants:
            if name not in workload or len(variant.params) != 1:
                continue
            param = variant.params[0]
            if param not in values:
                values[param] = engine.parameter_values(oxigraph, param, NARROWED_VALUES)
            raws = [{param: v} for v in values[param]]
            if not raws:
                continue
            items[f"{name}?{param}"] = engine.rotating_item(variant.text, cfg.base, name, raws)
            items[f"{name}?{param} (own text)"] = engine.rotating_item(query.text, cfg.base,
                                                                        name, raws)
    if not items:
        return {"skipped": "no canned query of this run has a variant"}
    runs = max(cfg.runs, NARROWED_VALUES)
    result = engine.run_engine("oxigraph", oxigraph, items, cfg.work / label / "narrowed",
                               runs=runs, budget_s=cfg.budget_s, passes=cfg.engine_passes,
                               query_timeout_s=query_timeout(cfg, load.get("quads")),
                               load_timeout_s=120)
    return {"values": {p: len(v) for p, v in values.items()},
            "queries": {key: result["queries"].get(key, {"error": "not run"}) for key in items}}


def pick_cheap(engine_result: dict[str, Any]) -> str | None:
    """The cheapest canned lookup: the query with the lowest in-process p50 that has rows."""
    timed = [(v["p50_ms"], n) for n, v in engine_result.get("queries", {}).items()
             if "p50_ms" in v and v.get("rows")]
    return min(timed)[1] if timed else None


def stage_remote(cfg: BenchConfig, label: str, dataset: dict[str, Any],
                 workload: dict) -> dict[str, Any]:
    """`entente push` throughput into Virtuoso and canned queries through the remote backend."""
    if not cfg.virtuoso:
        return {"skipped": "Virtuoso peer off (quick mode)"}
    if dataset["triples"] > cfg.virtuoso_max_triples:
        return {"skipped": f"Virtuoso is run up to {cfg.virtuoso_max_triples:,} triples"}
    return remote_bench.run_remote(Path(dataset["path"]), workload, cfg.work / label / "remote",
                                   base=cfg.base)


def run_size(cfg: BenchConfig, label: str, size: int | None, workload: dict,
             cheap: str | None, log: Callable[[str], None]) -> dict[str, Any]:
    log(f"size {label}:")
    res: dict[str, Any] = {k: {"skipped": "not reached"} for k in SIZE_KEYS}
    dataset = _stage(res, "dataset", lambda: dataset_for(cfg, label, size), log)
    if "path" not in dataset:
        return res
    load = _stage(res, "load", lambda: stage_load(cfg, label, dataset), log)
    if "store" not in load:
        return res
    _stage(load, "engine_load", lambda: loading.engine_load(Path(dataset["path"]),
                                                            cfg.work / label), log)
    eng = _stage(res, "engine", lambda: engine.run_engine(
        "oxigraph", Path(load["oxigraph"]), workload, cfg.work / label, runs=cfg.runs,
        budget_s=cfg.budget_s, passes=cfg.engine_passes,
        query_timeout_s=query_timeout(cfg, dataset["triples"]), load_timeout_s=120), log)
    lookup = _stage(res, "lookup", lambda: stage_lookup(cfg, label, load, workload), log)
    if "p50_ms" not in lookup.get("engine", {}):
        lookup = {}
    _stage(res, "narrowed", lambda: stage_narrowed(cfg, label, load, workload), log)
    cheap = lookup.get("query") or cheap or pick_cheap(eng)
    res["cheap_query"] = cheap
    _stage(res, "rdflib", lambda: stage_rdflib(cfg, label, dataset, workload, eng), log)
    _stage(res, "virtuoso", lambda: stage_virtuoso(cfg, label, dataset, workload, cheap,
                                                   lookup), log)
    _stage(res, "remote", lambda: stage_remote(cfg, label, dataset, workload), log)
    if cheap is not None:
        _stage(res, "http", lambda: stage_http(cfg, label, load, workload, cheap, lookup, eng),
               log)
    large = dataset["triples"] >= cfg.large_from
    _stage(res, "cache", lambda: cache_rates.stage_cache(
        cfg, load, workload, eng, query_timeout(cfg, dataset["triples"]),
        max_fill_ms=1000.0 if large else None), log)
    return res


def run(cfg: BenchConfig, log: Callable[[str], None] = print,
        partial: Path | None = None) -> dict[str, Any]:
    """The whole benchmark; returns the results (also written as JSON by the CLI).
    ``partial``: a JSON file rewritten after each size while the run goes on."""
    from entente.bench import report, targets

    cfg.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": machine(), "config": _config_dict(cfg), "notes": []}
    started = time.perf_counter()
    _stage(results, "build", lambda: stage_build(cfg, log), log)
    workload = engine.canned_workload(cfg.base)
    if cfg.only_queries is not None:
        workload = {n: w for n, w in workload.items() if n in cfg.only_queries}
    results["queries"] = sorted(workload)
    sizes: dict[str, Any] = {}
    plan: list[tuple[str, int | None]] = [("corpus", None)] if cfg.include_corpus else []
    plan += [(str(n), n) for n in cfg.sizes]
    cheap: str | None = None
    for label, size in plan:  # the cheap lookup is chosen per size: costs shift with size
        sizes[label] = run_size(cfg, label, size, workload, None, log)
        cheap = cheap or sizes[label].get("cheap_query")
        if partial is not None:  # keep what is measured if a long run is stopped
            write_json({**results, "sizes": sizes, "partial": True}, partial)
    results["sizes"] = sizes
    results["cheap_query"] = cheap
    results["targets"] = targets.targets(results)
    results["scaling"] = report.scaling(results)
    if not cfg.virtuoso:
        results["notes"].append("Virtuoso peer not run in this mode")
    results["seconds"] = round(time.perf_counter() - started, 1)
    return results


def merge(results: dict[str, Any], earlier: dict[str, Any], only: str) -> dict[str, Any]:
    """Results of an ``--only build`` or ``--only sizes`` run completed with the other part
    of an earlier run; targets and scaling are recomputed, and a note says what was reused."""
    from entente.bench import report, targets

    merged = dict(results)
    if only == "build":
        for key in ("sizes", "cheap_query", "queries"):
            if key in earlier:
                merged[key] = earlier[key]
    else:
        merged["build"] = earlier.get("build", {"skipped": "not in the reused results"})
    reused = "per-size stages" if only == "build" else "build stage"
    merged["notes"] = list(results.get("notes", [])) + [
        f"{reused} taken from an earlier run on {earlier.get('machine', {}).get('cpu', '?')}"]
    merged["targets"] = targets.targets(merged)
    merged["scaling"] = report.scaling(merged)
    return merged


def _config_dict(cfg: BenchConfig) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(cfg).items()}


def write_json(results: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path
