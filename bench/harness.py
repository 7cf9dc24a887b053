"""The benchmark run: each stage is a function that records its figures (or why it was
skipped) into one results dictionary; :func:`run` chains them for every size.

Sizes are "corpus" (the store built from the corpus) and synthetic triple counts.  The
JSON written at the end has the same keys in quick and full mode (see ``REQUIRED_KEYS``).
"""

from __future__ import annotations

import json
import shutil
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

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
from entente.bench.config import BenchConfig, query_timeout
from entente.bench.http_stage import stage_http
from entente.bench.lookup_stages import stage_lookup, stage_narrowed
from entente.bench.measure import machine, provenance

from entente.errors import EntenteError

REQUIRED_KEYS = ("machine", "config", "build", "sizes", "targets", "scaling", "notes")
SIZE_KEYS = ("dataset", "load", "engine", "lookup", "narrowed", "rdflib", "virtuoso", "remote",
             "http", "cache")


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
    real_text_workers = cfg.corpus_build_workers or cfg.build_workers
    _stage(out, "corpus", lambda: build_bench.build_scaling(
        cfg.corpus, work / "corpus", real_text_workers, cfg.build_repeats), log)
    copies = work / "corpus-copies-texts"
    out["corpus_copies_texts"] = build_bench.replicate_corpus(cfg.corpus, copies,
                                                              cfg.corpus_copies)
    _stage(out, "corpus-copies", lambda: build_bench.build_scaling(
        copies, work / "corpus-copies", real_text_workers, cfg.build_repeats), log)
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

        first = (cfg.corpus_build_workers or cfg.build_workers)[0]
        built = cfg.work / "build" / "corpus" / f"store-w{first}" / "store"
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
    repeats = cfg.load_repeats if dataset["triples"] <= cfg.load_repeats_to else 1
    return loading.publish_repeated(Path(dataset["path"]), cfg.work / label / "store",
                                    base=cfg.base, repeats=repeats)


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
    results: dict[str, Any] = {"machine": machine(),
                               "run": provenance(Path(__file__).resolve().parent),
                               "config": _config_dict(cfg), "notes": []}
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
    merged["reused_run"] = earlier.get("run")  # (its commit and versions, where it kept them)
    commit = (earlier.get("run") or {}).get("commit")
    merged["notes"] = list(results.get("notes", [])) + [
        f"{reused} taken from an earlier run on {earlier.get('machine', {}).get('cpu', '?')}"
        + (f" at commit {commit}" if commit else "")]
    merged["targets"] = targets.targets(merged)
    build_targets = {"build-throughput", "build-speedup"}
    for target in merged["targets"]:  # the verdicts that rest on the earlier run's figures
        if (target["id"] in build_targets) == (only == "sizes"):
            note = f"from the earlier run's {reused}"
            target["note"] = f"{note}; {target['note']}" if target.get("note") else note
            target["reused"] = True
    merged["scaling"] = report.scaling(merged)
    return merged


def _config_dict(cfg: BenchConfig) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(cfg).items()}


def write_json(results: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path
