"""The issue's targets read off a results dictionary: each with the measured value, the
threshold, the ratio and PASS / MISS (or UNDECIDED where a peer's time-out leaves only a lower
bound below the threshold, N/A where not measured)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from entente.bench.answers import difference
from entente.bench.config import UNCAPPED_ROWS


def dig(d: Any, *path: str) -> Any:
    """d[path[0]][path[1]]...; None where a key is missing or a value is not a dict."""
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _sized(results: dict[str, Any], want: int) -> tuple[str | None, dict[str, Any]]:
    """The size entry for ``want`` triples, else the synthetic size closest to it."""
    sizes = results.get("sizes", {})
    if str(want) in sizes:
        return str(want), sizes[str(want)]
    synthetic = [k for k in sizes if k.isdigit()]
    if not synthetic:
        return None, {}
    best = min(synthetic, key=lambda k: abs(math.log(int(k) / want)))
    return best, sizes[best]


def _target(tid: str, text: str, size: str | None, measured: float | None, threshold: float,
            *, higher_is_better: bool, unit: str, note: str = "") -> dict[str, Any]:
    if measured is None:
        return {"id": tid, "target": text, "size": size, "measured": None,
                "threshold": threshold, "ratio": None, "unit": unit, "status": "N/A",
                "note": note or "not measured in this run"}
    if higher_is_better:
        ratio = measured / threshold if threshold else math.inf
    else:
        ratio = threshold / measured if measured else math.inf
    return {"id": tid, "target": text, "size": size, "measured": round(measured, 4),
            "threshold": round(threshold, 4), "ratio": round(ratio, 3), "unit": unit,
            "status": "PASS" if ratio >= 1.0 else "MISS", "note": note}


#: the store size (triples) each target is set at
_SIZE_OF = {"http-throughput-vs-virtuoso": 100_000, "http-overhead": 100_000,
            "vs-rdflib": 1_000_000, "vs-virtuoso": 1_000_000, "cache": 1_000_000,
            "load-1m": 1_000_000, "startup": 1_000_000, "rss-10m": 10_000_000}


def _at_size(target: dict[str, Any]) -> dict[str, Any]:
    """A target measured at another size than its own (the nearest the run measured) keeps
    its figures but gets no verdict: status N/A, and a note that says so."""
    want, size = _SIZE_OF.get(target["id"]), target.get("size")
    if want is not None and size is not None and size != str(want) \
            and target["status"] != "N/A":
        size_text = f"{int(size):,} triples" if size.isdigit() else size
        note = (f"measured at {size_text}, not at the target's {want:,}: no verdict "
                f"(at that size: {target['status']})")
        target["note"] = f"{note}; {target['note']}" if target.get("note") else note
        target["status"] = "N/A"
    return target


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each with the measured value, the threshold, ratio and status
    (ratio >= 1 means met).  Sizes fall back to the nearest measured size, named in 'size';
    a target measured at another size than its own gets no verdict (:func:`_at_size`)."""
    return [_at_size(t) for t in _targets(results)]


def _targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    label, s = _sized(results, 100_000)
    cheap = s.get("cheap_query") or results.get("cheap_query")
    rotating = dig(s, "http", "lookup") is not None
    how = (f"{cheap}, {dig(s, 'http', 'lookup', 'urls')} parameter values in turn"
           if rotating else str(cheap))
    ours = dig(s, "http", "load_test", "8", "rps")
    virt = dig(s, "virtuoso", "load_test", "8", "rps")
    failed = dig(s, "http", "load_test", "8", "errors")
    out.append(_failed_requests(_target(
        "http-throughput-vs-virtuoso", f"cheap lookup ({how}) over HTTP at c=8: req/s >= "
        "Virtuoso's, every answer a 200", label, ours, virt, higher_is_better=True,
        unit="req/s"), failed, dig(s, "virtuoso", "load_test", "8", "errors")) if virt else
               _target("http-throughput-vs-virtuoso", "cheap lookup over HTTP at c=8 >= "
                       "Virtuoso", label, None, 1.0, higher_is_better=True, unit="req/s",
                       note="Virtuoso not measured"))
    paired = dig(s, "http", "overhead") or {}
    note = ""
    if paired.get("engine_p50_ms") is not None and paired.get("http_p50_ms") is not None:
        # both sides in alternated rounds beside the running server (http_stage.overhead_rounds)
        http_p50, eng_p50 = paired["http_p50_ms"], paired["engine_p50_ms"]
        rounds = paired["rounds"]
        how += f"; medians of {len(rounds)} alternated rounds"
        note = ("rounds of (in-process, HTTP c=1) p50: " + ", ".join(
            f"{_ms(r['engine_p50_ms'])} / {_ms(r['http_p50_ms'])} ms" for r in rounds)
            + f"; the lookup stage's in-process p50: "
            f"{_ms(dig(s, 'lookup', 'engine', 'p50_ms'))} ms")
    elif rotating:  # the load tool at c=1 (wrk: a C client) if run, else the Python client
        http_p50 = (dig(s, "http", "load_test", "1", "p50_ms")
                    or dig(s, "http", "lookup", "p50_ms"))
        eng_p50 = dig(s, "lookup", "engine", "p50_ms")
    else:
        http_p50 = dig(s, "http", "queries", cheap or "", "p50_ms")
        eng_p50 = dig(s, "engine", "queries", cheap or "", "p50_ms")
    out.append(_target("http-overhead", f"cheap lookup ({how}) HTTP p50 at c=1 <= in-process "
                       "engine p50 + 1 ms", label, http_p50, (eng_p50 or 0.0) + 1.0,
                       higher_is_better=False, unit="ms", note=note) if eng_p50 is not None else
               _target("http-overhead", "HTTP p50 <= in-process + 1 ms", label, None, 1.0,
                       higher_is_better=False, unit="ms"))
    label, s = _sized(results, 1_000_000)
    out.append(vs_rdflib(label, dig(s, "rdflib"), dig(s, "engine", "queries")))
    out.append(vs_virtuoso(label, dig(s, "virtuoso", "queries"), dig(s, "http", "queries")))
    cache = dig(s, "cache") or {}
    wsgi = [v["wsgi_rps"] for v in cache.values() if isinstance(v, dict) and "wsgi_rps" in v]
    rps = [v["engine_rps"] for v in cache.values() if isinstance(v, dict) and "engine_rps" in v]
    flask = [v["rps"] for v in cache.values() if isinstance(v, dict) and "rps" in v]
    logged = [v["wsgi_logged_rps"] for v in cache.values()
              if isinstance(v, dict) and "wsgi_logged_rps" in v]
    notes = []
    if logged:
        notes.append(f"with the access log written to a file: {min(logged):,.0f} req/s")
    if rps:
        notes.append(f"query engine alone: {min(rps):,.0f} req/s")
    if flask:
        notes.append(f"through Flask's test client: {min(flask):,.0f} req/s")
    out.append(_target("cache", "repeated canned queries with the cache on >= 10,000 "
                       "req/s in-process (GET /queries/<name> on the WSGI app called "
                       "directly, no socket, access log off; slowest query)", label,
                       min(wsgi) if wsgi else None, 10_000.0, higher_is_better=True,
                       unit="req/s", note="; ".join(notes)))
    out.append(_target("load-1m", "load 1M triples into the store <= 5 s (entente publish, "
                       "median run)", label, dig(s, "load", "publish_s"), 5.0,
                       higher_is_better=False, unit="s", note=engine_load_note(dig(s, "load"))))
    out.append(_target("startup", "server start-up to first answer <= 2 s on the 1M store",
                       label, dig(s, "http", "startup_to_first_answer_s"), 2.0,
                       higher_is_better=False, unit="s"))
    label, s = _sized(results, 10_000_000)
    out.append(_rss_target(label, dig(s, "http")))
    build = dig(results, "build", "synthetic") or {}
    one = dig(build, "1") or {}
    per_core, how = _build_rate(one)
    out.append(_target("build-throughput", "extraction >= 1 MB of text/s per core "
                       f"(synthetic corpus, 1 worker; {how})", "synthetic texts",
                       per_core, 1.0, higher_is_better=True, unit="MB/s/core",
                       note="; ".join(filter(None, [_wall_note(one),
                                                    _real_text_note(results)]))))
    two = dig(build, "2") or {}
    speedup, how = _build_speedup(one, two)
    whole = two.get("speedup") if how != "whole build" else None
    out.append(_target("build-speedup", "entente build --workers 2 speed-up over 1 worker "
                       f"(threshold ours: 1.5x; {how})", "synthetic texts", speedup, 1.5,
                       higher_is_better=True, unit="x",
                       note=f"the whole command, start-up and publish included: {whole:.2f}x"
                       if whole is not None else ""))
    return out


def vs_rdflib(size: str | None, rdflib: dict[str, Any] | None,
              engine_queries: dict[str, Any] | None, threshold: float = 20.0) -> dict[str, Any]:
    """The target "every canned query p50 <= 1/threshold of rdflib's".  Per query, rdflib p50 /
    engine p50 is a ratio; where rdflib went over its cap, cap / engine p50 is a lower bound.
    MISS if a ratio is below the threshold or our engine failed (time-out, error) on a query
    rdflib answered; else UNDECIDED if a lower bound is; else PASS.  A query rdflib answers
    with other rows than ours is left out (another result), and named in the note.
    ``measured`` is the worst figure that decides it (``lower_bound`` says which kind)."""
    text = f"every canned query p50 <= 1/{threshold:g} of rdflib's"
    split = _compare((rdflib or {}).get("queries") or {}, engine_queries or {}, "p50_ms",
                     "p50_ms", "rdflib", "engine")
    if not split.ratios and not split.bounds and not split.failed:
        why = ((rdflib or {}).get("skipped") or (rdflib or {}).get("error")
               or ("not compared: " + ", ".join(split.apart) if split.apart else ""))
        return _target("vs-rdflib", text, size, None, threshold, higher_is_better=True,
                       unit="x faster", note=why or "not measured in this run")
    status, worst, name, bound = split.verdict(lambda r: r < threshold)
    notes = [f"rdflib cap: {(rdflib or {}).get('cap_rule') or 'one limit for every query'}"]
    notes += split.notes("rdflib", "over their cap (ratio >= cap / engine p50",
                         lambda r: f"lowest {r:.1f}x")
    target = _target("vs-rdflib", f"{text} (worst query: {name})", size, worst, threshold,
                     higher_is_better=True, unit="x faster", note="; ".join(notes))
    target["status"] = status
    target["lower_bound"] = bound
    return target


def vs_virtuoso(size: str | None, virtuoso: dict[str, Any] | None,
                http_queries: dict[str, Any] | None, threshold: float = 2.0) -> dict[str, Any]:
    """The target "no canned query slower than ``threshold`` x Virtuoso's, first run, cache
    off": per query Virtuoso's first run / our first over HTTP (a lower bound where Virtuoso
    hit its time limit).  MISS if a measured ratio is below 1/threshold or we failed where
    Virtuoso answered; UNDECIDED if only a bound is; a query either answers with an error, or
    with other rows than the other, is left out and named.  ``measured`` is the worst query's
    time as a multiple of Virtuoso's."""
    if not virtuoso or not http_queries:
        return _target("vs-virtuoso", "no canned query slower than 2x Virtuoso's, first run, "
                       "cache off", size, None, threshold, higher_is_better=False,
                       unit="x Virtuoso's time", note="Virtuoso not measured"
                       if not virtuoso else "not measured in this run")
    split = _compare(virtuoso, http_queries, "first_ms", "first_ms", "Virtuoso", "HTTP")
    if not split.ratios and not split.bounds and not split.failed:
        return _target("vs-virtuoso", "no canned query slower than 2x Virtuoso's", size, None,
                       threshold, higher_is_better=False, unit="x Virtuoso's time",
                       note="not compared: " + ", ".join(split.apart) if split.apart
                       else "no common query")
    status, worst, name, bound = split.verdict(lambda r: r * threshold < 1.0)
    notes = split.notes("Virtuoso", "over its time limit (ours <= our first run / its limit",
                        lambda r: f"worst: ours {1.0 / max(r, 1e-9):.2f}x its time")
    target = _target("vs-virtuoso", f"no canned query slower than {threshold:g}x Virtuoso's, "
                     f"first run, cache off (worst: {name})", size,
                     None if worst is None else 1.0 / max(worst, 1e-9), threshold,
                     higher_is_better=False, unit="x Virtuoso's time", note="; ".join(notes))
    target["status"] = status
    # (Virtuoso over its limit: its time is at least the limit, so ours over its is at most
    # the figure)
    target["lower_bound"], target["upper_bound"] = False, bound
    return target


@dataclass
class _Split:
    """A peer's queries against ours: measured ratios (peer / ours), lower bounds (the peer
    over its limit), queries where we failed and the peer answered, and those left out."""

    ratios: list[tuple[float, str]] = field(default_factory=list)
    bounds: list[tuple[float, str]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    apart: list[str] = field(default_factory=list)

    def verdict(self, below: Callable[[float], bool]) -> tuple[str, float | None, str, bool]:
        """(status, the deciding figure, its query, whether that figure is a lower bound):
        MISS on a ratio below the threshold (the lowest), else MISS on our failure (no
        figure), else UNDECIDED on a bound below it, else PASS with the worst figure."""
        low = [r for r in self.ratios if below(r[0])]
        if low:
            worst, name = min(low)
            return "MISS", worst, name, False
        if self.failed:
            return "MISS", None, self.failed[0].split(" ")[0], False
        low = [b for b in self.bounds if below(b[0])]
        if low:
            worst, name = min(low)
            return "UNDECIDED", worst, name, True
        worst, name = min(self.ratios + self.bounds)
        return "PASS", worst, name, (worst, name) in self.bounds

    def notes(self, peer: str, over: str, show: Callable[[float], str]) -> list[str]:
        """The split in words; ``show`` writes a figure (a ratio or bound) for the reader."""
        out = []
        if self.failed:
            out.append(f"ours failed where {peer} answered: " + ", ".join(self.failed))
        if self.bounds:
            low, at = min(self.bounds)
            out.append(f"{len(self.bounds)} {over}; {show(low)}, {at})")
        if self.ratios:
            low, at = min(self.ratios)
            out.append(f"{len(self.ratios)} answered ({show(low)}, {at})")
        if self.apart:
            out.append("not compared: " + ", ".join(self.apart))
        return out


def _compare(peer: dict[str, Any], ours: dict[str, Any], peer_key: str, our_key: str,
             peer_name: str, our_name: str) -> _Split:
    """Each of the peer's queries sorted into a ratio peer/ours, a lower bound (the peer over
    its limit), our failure (the peer answered, we did not) or left out (both failed, the
    peer's error, another number of rows than ours, or as many rows with other values: the
    answers' fingerprints, :mod:`entente.bench.answers`, differ)."""
    split = _Split()
    for name, p in sorted(peer.items()):
        o = ours.get(name)
        o = o if isinstance(o, dict) else {}
        p = p if isinstance(p, dict) else {}
        if our_key not in o:
            if peer_key in p:
                split.failed.append(f"{name} ({our_name}: {_why(o)})")
            else:
                split.apart.append(f"{name} ({our_name}: {_why(o)})")
        elif "timeout_s" in p:
            split.bounds.append((p["timeout_s"] * 1000.0 / max(o[our_key], 1e-6), name))
        elif peer_key not in p:
            split.apart.append(f"{name} ({peer_name}: {_why(p)})")
        elif (kind := difference(p, o)) == "rows":
            split.apart.append(f"{name} ({peer_name}: {p['rows']:,} rows against our "
                               f"{o['rows']:,}, another result)")
        elif kind == "values":
            split.apart.append(f"{name} ({peer_name}: other values in as many rows as ours, "
                               f"{o.get('rows', 0):,}, another result)")
        else:
            split.ratios.append((p[peer_key] / max(o[our_key], 1e-6), name))
    return split


def _why(entry: dict[str, Any]) -> str:
    """Why a query entry has no figure: its time-out, or the first line of its error or skip
    reason, shortened."""
    if "timeout_s" in entry:
        return f"over {entry['timeout_s']:g} s"
    text = str(entry.get("error") or entry.get("skipped") or "not run").strip()
    return (text.splitlines() or ["not run"])[0][:120]


def engine_load_note(load: dict[str, Any] | None) -> str:
    """Our publish's runs (when the figure is their median) and the allocator it loaded
    under, and the engine's floor beside them: the bare bulk_load times of the same dump (on
    the system allocator)."""
    load = load or {}
    floor = load.get("engine_load") or {}
    runs = load.get("publish_runs_s") or []
    prefix = "median of " + ", ".join(f"{r:.2f}" for r in runs) + " s; " if len(runs) > 1 \
        else ""
    if load.get("allocator"):
        prefix += f"publish on {load['allocator']}; "
    parts = []
    for mode, where in (("disk", "on disk"), ("memory", "in memory")):
        run = floor.get(mode) or {}
        if "seconds" in run:
            parts.append(f"{run['seconds']:.1f} s {where} ({run['cpu_s']:.1f} CPU-s)")
        elif "timeout_s" in run:
            parts.append(f"over {run['timeout_s']:g} s {where}")
    if not parts:
        return prefix.removesuffix("; ")
    return prefix + "the engine's own load, a bare pyoxigraph bulk_load of the same dump: " + \
        ", ".join(parts)


def _build_rate(run: dict[str, Any]) -> tuple[float | None, str]:
    """MB of text per second per core: from the extraction CPU time the build reports
    (``--timings``), else from the whole build's wall-clock time."""
    if run.get("extract_mb_per_cpu_s"):
        return run["extract_mb_per_cpu_s"], "extraction CPU time the build reports"
    if run.get("mb_per_s_per_core") is not None:
        return run["mb_per_s_per_core"], "whole build, wall clock"
    return None, "not measured"


def _wall_note(run: dict[str, Any]) -> str:
    """The extraction stage by the wall clock (1 worker): the CPU figure counts the documents'
    extraction only, this one the stage's own work beside it too (runs written, pipes)."""
    if not run.get("extract_mb_per_s") or not run.get("extract_mb_per_cpu_s"):
        return ""
    return (f"the extraction stage by the wall clock, its other work included: "
            f"{run['extract_mb_per_s']:.2f} MB/s")


def _real_text_note(results: dict[str, Any]) -> str:
    """The same figure on real text: the corpus copied N times, 1 worker (not the target's
    measure, which is the denser synthetic corpus; shown beside it)."""
    real, _ = _build_rate(dig(results, "build", "corpus-copies", "1") or {})
    copies = dig(results, "build", "corpus_copies_texts", "copies")
    if real is None or not copies:
        return ""
    return f"on real text (the corpus copied {copies} times, 1 worker): {real:.2f} MB/s/core"


def _build_speedup(one: dict[str, Any], two: dict[str, Any]) -> tuple[float | None, str]:
    """Extraction wall-clock time with 1 worker / with 2, else the whole builds'."""
    if one.get("extract_s") and two.get("extract_s"):
        return round(one["extract_s"] / two["extract_s"], 3), "extraction stage"
    if two.get("speedup") is not None:
        return two["speedup"], "whole build"
    return None, "not measured"


def _failed_requests(target: dict[str, Any], ours: int | None,
                     theirs: int | None) -> dict[str, Any]:
    """A throughput with failed requests in it (non-2xx answers, socket errors) counts
    answers that are not answers: our failures make it a MISS, the peer's are named."""
    notes = [target["note"]] if target.get("note") else []
    if ours:
        notes.append(f"{ours:,} of our requests failed")
        if target["status"] == "PASS":
            target["status"] = "MISS"
    if theirs:
        notes.append(f"{theirs:,} of Virtuoso's requests failed")
    target["note"] = "; ".join(notes)
    return target


def _rss_target(label: str | None, http: dict[str, Any] | None) -> dict[str, Any]:
    """Server RSS at 10M, over the HTTP stage; the queries that stage left out (over the time
    limit in-process) are named, and with any left out the figure decides nothing."""
    memory = dig(http, "memory")
    skipped = sorted(n for n, q in (dig(http, "queries") or {}).items()
                     if isinstance(q, dict) and "skipped" in q)
    cap = dig(http, "max_rows")
    note = "; ".join(filter(None, [_rss_note(memory), "" if not isinstance(cap, int) else
                                   f"the server's row cap {cap:,} rows"
                                   if cap < UNCAPPED_ROWS else "the server's row cap lifted"]))
    target = _target("rss-10m", "serve 10M triples with server RSS <= 2 GB", label,
                     dig(memory, "peak_rss_mb"), 2048.0, higher_is_better=False, unit="MB",
                     note=note)
    if skipped and target["status"] != "N/A":
        target["note"] = "; ".join(filter(None, [
            f"the HTTP stage left out {', '.join(skipped)} (over the time limit in-process): "
            f"no verdict (with what ran: {target['status']})", note]))
        target["status"] = "UNDECIDED"
    return target


def _rss_note(memory: dict[str, Any] | None) -> str:
    """How the server's peak RSS was measured, and the upper bound beside it."""
    if not memory or "sum_of_peaks_mb" not in memory or memory.get("peak") is None:
        return ""
    return (f"highest sum of the server processes' RSS, {memory['peak']}; the sum of each "
            f"process's own peak (VmHWM, peaks that need not coexist) is "
            f"{memory['sum_of_peaks_mb']:,.1f} MB")
