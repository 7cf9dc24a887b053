"""Read a results dictionary: targets with PASS/MISS, scaling curves, the printed table and
the PNG chart."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any


def _get(d: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


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


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each with the measured value, the threshold, ratio and status
    (ratio >= 1 means met).  Sizes fall back to the nearest measured size, named in 'size'."""
    out = []
    label, s = _sized(results, 100_000)
    cheap = s.get("cheap_query") or results.get("cheap_query")
    rotating = _get(s, "http", "lookup") is not None
    how = (f"{cheap}, {_get(s, 'http', 'lookup', 'urls')} parameter values in turn"
           if rotating else str(cheap))
    ours = _get(s, "http", "load_test", "8", "rps")
    virt = _get(s, "virtuoso", "load_test", "8", "rps")
    out.append(_target("http-throughput-vs-virtuoso", f"cheap lookup ({how}) over HTTP at "
                       "c=8: req/s >= Virtuoso's", label, ours, virt,
                       higher_is_better=True, unit="req/s") if virt else
               _target("http-throughput-vs-virtuoso", "cheap lookup over HTTP at c=8 >= "
                       "Virtuoso", label, None, 1.0, higher_is_better=True, unit="req/s",
                       note="Virtuoso not measured"))
    if rotating:  # the load tool at c=1 (wrk: a C client) if run, else the Python client
        http_p50 = (_get(s, "http", "load_test", "1", "p50_ms")
                    or _get(s, "http", "lookup", "p50_ms"))
        eng_p50 = _get(s, "lookup", "engine", "p50_ms")
    else:
        http_p50 = _get(s, "http", "queries", cheap or "", "p50_ms")
        eng_p50 = _get(s, "engine", "queries", cheap or "", "p50_ms")
    out.append(_target("http-overhead", f"cheap lookup ({how}) HTTP p50 at c=1 <= in-process "
                       "engine p50 + 1 ms", label, http_p50, (eng_p50 or 0.0) + 1.0,
                       higher_is_better=False, unit="ms") if eng_p50 is not None else
               _target("http-overhead", "HTTP p50 <= in-process + 1 ms", label, None, 1.0,
                       higher_is_better=False, unit="ms"))
    label, s = _sized(results, 1_000_000)
    worst_rdf = _worst_ratio(_get(s, "rdflib", "queries"), _get(s, "engine", "queries"),
                             "p50_ms", "p50_ms")
    rdf = _target("vs-rdflib", "every canned query p50 <= 1/20 of rdflib's (worst "
                  f"query: {worst_rdf[1]})", label, worst_rdf[0], 20.0,
                  higher_is_better=True, unit="x faster")
    timed_out = (_get(s, "rdflib", "queries") or {}).get(worst_rdf[1], {})
    if rdf["status"] == "MISS" and isinstance(timed_out, dict) and "timeout_s" in timed_out:
        # rdflib did not finish: the ratio is only a lower bound, so the target is undecided
        rdf["status"] = "UNDECIDED"
        rdf["note"] = (f"rdflib did not finish {worst_rdf[1]} within {timed_out['timeout_s']:g} s"
                       f": at least {worst_rdf[0]:.1f}x")
    out.append(rdf)
    worst_virt = _worst_ratio(_get(s, "virtuoso", "queries"), _get(s, "http", "queries"),
                              "first_ms", "first_ms")
    out.append(_target("vs-virtuoso", "no canned query slower than 2x Virtuoso's, first run, "
                       f"cache off (worst: {worst_virt[1]})", label,
                       None if worst_virt[0] is None else 1.0 / worst_virt[0], 2.0,
                       higher_is_better=False, unit="x Virtuoso's time"))
    cache = _get(s, "cache") or {}
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
    out.append(_target("load-1m", "load 1M triples into the store <= 5 s", label,
                       _get(s, "load", "publish_s"), 5.0, higher_is_better=False, unit="s"))
    out.append(_target("startup", "server start-up to first answer <= 2 s on the 1M store",
                       label, _get(s, "http", "startup_to_first_answer_s"), 2.0,
                       higher_is_better=False, unit="s"))
    label, s = _sized(results, 10_000_000)
    out.append(_target("rss-10m", "serve 10M triples with server RSS <= 2 GB", label,
                       _get(s, "http", "memory", "peak_rss_mb"), 2048.0,
                       higher_is_better=False, unit="MB"))
    build = _get(results, "build", "synthetic") or {}
    one = _get(build, "1") or {}
    per_core, how = _build_rate(one)
    out.append(_target("build-throughput", "extraction >= 1 MB of text/s per core "
                       f"(synthetic corpus, 1 worker; {how})", "synthetic texts",
                       per_core, 1.0, higher_is_better=True, unit="MB/s/core"))
    two = _get(build, "2") or {}
    speedup, how = _build_speedup(one, two)
    out.append(_target("build-speedup", "entente build --workers 2 speed-up over 1 worker "
                       f"(threshold ours: 1.5x; {how})", "synthetic texts", speedup, 1.5,
                       higher_is_better=True, unit="x"))
    return out


def _build_rate(run: dict[str, Any]) -> tuple[float | None, str]:
    """MB of text per second per core: from the extraction CPU time the build reports
    (``--timings``), else from the whole build's wall-clock time."""
    if run.get("extract_mb_per_cpu_s"):
        return run["extract_mb_per_cpu_s"], "extraction CPU time the build reports"
    if run.get("mb_per_s_per_core") is not None:
        return run["mb_per_s_per_core"], "whole build, wall clock"
    return None, "not measured"


def _build_speedup(one: dict[str, Any], two: dict[str, Any]) -> tuple[float | None, str]:
    """Extraction wall-clock time with 1 worker / with 2, else the whole builds'."""
    if one.get("extract_s") and two.get("extract_s"):
        return round(one["extract_s"] / two["extract_s"], 3), "extraction stage"
    if two.get("speedup") is not None:
        return two["speedup"], "whole build"
    return None, "not measured"


def _worst_ratio(peer: dict | None, ours: dict | None, peer_key: str,
                 our_key: str) -> tuple[float | None, str]:
    """min over queries of peer/ours (how many times faster we are), and that query."""
    if not peer or not ours:
        return None, "not measured"
    ratios = []
    for name, p in peer.items():
        o = ours.get(name, {})
        if "timeout_s" in p and our_key in o:  # the peer did not finish: a lower bound
            ratios.append((p["timeout_s"] * 1000.0 / max(o[our_key], 1e-6), name))
        elif peer_key in p and our_key in o:
            ratios.append((p[peer_key] / max(o[our_key], 1e-6), name))
    if not ratios:
        return None, "no common query"
    value, name = min(ratios)
    return value, name


def scaling(results: dict[str, Any]) -> dict[str, Any]:
    """Per size (by triples): load time, server memory, each query's p50; and the growth
    exponent k between consecutive synthetic sizes (same shape of data; time ~ triples^k:
    1 linear, < 1 sub-linear)."""
    points = []
    for label, s in results.get("sizes", {}).items():
        triples = _get(s, "dataset", "triples")
        if not triples:
            continue
        queries = {n: v["p50_ms"] for n, v in (_get(s, "engine", "queries") or {}).items()
                   if "p50_ms" in v}
        points.append({"size": label, "triples": triples, "load_s": _get(s, "load", "publish_s"),
                       "store_mb": _get(s, "load", "store_mb"),
                       "server_peak_rss_mb": _get(s, "http", "memory", "peak_rss_mb"),
                       "query_p50_ms": queries})
    points.sort(key=lambda p: p["triples"])
    growth = []
    same_shape = [p for p in points if p["size"].isdigit()]  # synthetic sizes only
    for a, b in zip(same_shape, same_shape[1:], strict=False):
        factor = math.log(b["triples"] / a["triples"]) if b["triples"] != a["triples"] else 0
        if factor <= 0:
            continue

        def k(x: float | None, y: float | None, factor: float = factor) -> float | None:
            return round(math.log(y / x) / factor, 2) if x and y else None

        growth.append({"from": a["size"], "to": b["size"], "load": k(a["load_s"], b["load_s"]),
                       "memory": k(a["server_peak_rss_mb"], b["server_peak_rss_mb"]),
                       "queries": {n: k(a["query_p50_ms"].get(n), b["query_p50_ms"].get(n))
                                   for n in b["query_p50_ms"]}})
    return {"points": points, "growth": growth}


# --- printing ----------------------------------------------------------------------------


def _f(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _cell(entry: dict | None, key: str = "p50_ms") -> str:
    if not entry:
        return "-"
    if "timeout_s" in entry:
        return f">{entry['timeout_s']:.0f}s"
    if "error" in entry:
        return "error"
    if "skipped" in entry:
        return "skip"
    return _f(entry.get(key), 2)


def _ratio(a: dict | None, b: dict | None, key_a: str = "p50_ms", key_b: str = "p50_ms") -> str:
    if not a or not b or key_a not in a or key_b not in b or not b[key_b]:
        if a and "timeout_s" in a and b and key_b in b and b[key_b]:
            return f">{a['timeout_s'] * 1000 / b[key_b]:.0f}x"
        return "-"
    return f"{a[key_a] / b[key_b]:.1f}x"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    for r in rows:
        out.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    return out


def format_report(results: dict[str, Any]) -> str:
    m = results.get("machine", {})
    lines = [f"Entente benchmark - {m.get('nproc')} cores, {m.get('cpu')}, "
             f"{m.get('ram_gb')} GB RAM, Python {m.get('python')}", ""]
    build = results.get("build", {})
    if isinstance(build, dict) and "skipped" not in build and "error" not in build:
        rows = []
        for corpus in ("corpus", "synthetic"):
            for workers, r in (build.get(corpus) or {}).items():
                if isinstance(r, dict) and "seconds" in r:
                    rows.append([corpus, workers, r["documents"], _f(r["text_mb"], 3),
                                 _f(r["seconds"], 2), _f(r["docs_per_s"], 1),
                                 _f(r["mb_per_s"], 3), _f(r.get("speedup"), 2),
                                 _f(r.get("extract_s"), 2), _f(r.get("extract_mb_per_s"), 3),
                                 _f(r.get("extract_mb_per_cpu_s"), 3)])
        lines += ["Build (entente build --no-reason; extract = the extraction stage as the "
                  "build reports it)"]
        lines += _table(["corpus", "workers", "docs", "MB", "s", "docs/s", "MB/s", "speed-up",
                         "extract s", "extract MB/s", "extract MB/CPU-s"], rows) + [""]
    else:
        lines += [f"Build: {build.get('skipped') or build.get('error')}", ""]
    rows = []
    for label, s in results.get("sizes", {}).items():
        rows.append([label, _f(_get(s, "dataset", "triples")), _f(_get(s, "load", "publish_s"), 2),
                     _f(_get(s, "load", "store_mb")), _f(_get(s, "rdflib", "load_s"), 2),
                     _f(_get(s, "virtuoso", "load", "load_s"), 2),
                     _f(_get(s, "http", "startup_to_first_answer_s"), 2),
                     _f(_get(s, "http", "memory", "peak_rss_mb")),
                     _f(_get(s, "virtuoso", "memory", "peak_rss_mb"))])
    lines += ["Load and serve"]
    lines += _table(["size", "triples", "load s", "store MB", "rdflib load s", "virtuoso load s",
                     "start-up s", "server RSS MB", "virtuoso RSS MB"], rows) + [""]
    rows = []
    for label, s in results.get("sizes", {}).items():
        remote = _get(s, "remote", "queries") or {}
        if _get(s, "remote", "push") is None:
            continue
        p50s = sorted(q["p50_ms"] for q in remote.values() if q.get("p50_ms") is not None)
        rows.append([label, _f(_get(s, "remote", "push", "triples_per_s")),
                     _f(_get(s, "remote", "push", "seconds"), 2),
                     _f(p50s[len(p50s) // 2] if p50s else None, 1),
                     _f(p50s[-1] if p50s else None, 1)])
    if rows:
        lines += ["Remote backend (entente push into Virtuoso; canned queries via serve --backend)"]
        lines += _table(["size", "push triples/s", "push s", "median query p50 ms",
                         "slowest query p50 ms"], rows) + [""]
    for label, s in results.get("sizes", {}).items():
        eng = _get(s, "engine", "queries") or {}
        if not eng:
            continue
        rdf = _get(s, "rdflib", "queries") or {}
        virt = _get(s, "virtuoso", "queries") or {}
        web = _get(s, "http", "queries") or {}
        rows = []
        for name, e in eng.items():
            rows.append([name, _f(e.get("rows")), _cell(e), _cell(e, "p99_ms"),
                         _cell(web.get(name)), _cell(web.get(name), "p99_ms"),
                         _cell(rdf.get(name)), _ratio(rdf.get(name), e), _cell(virt.get(name)),
                         _ratio(virt.get(name), e),
                         _ratio(web.get(name), virt.get(name), "first_ms", "first_ms")])
        lines += [f"Canned queries at {label} triples (ms; in-process = pyoxigraph; "
                  "HTTP = /queries/<name>, cache off; x = how many times the first is slower)"]
        lines += _table(["query", "rows", "p50", "p99", "HTTP p50", "HTTP p99", "rdflib p50",
                         "rdflib/engine", "virtuoso p50", "virtuoso/engine",
                         "HTTP/virtuoso 1st"], rows) + [""]
    rows = []
    for label, s in results.get("sizes", {}).items():
        if _get(s, "lookup", "engine") is None:
            continue
        rows.append([label, _get(s, "lookup", "query"), _f(len(_get(s, "lookup", "params") or [])),
                     _cell(_get(s, "lookup", "engine")), _cell(_get(s, "http", "lookup")),
                     _cell(_get(s, "http", "load_test", "1")),
                     _cell(_get(s, "virtuoso", "lookup")),
                     _cell(_get(s, "virtuoso", "load_test", "1"))])
    if rows:
        lines += ["Cheap lookup, parameter values in turn (ms; HTTP at concurrency 1, cache off; "
                  "client = Python requests, at least one pass over the values within the time "
                  "budget; load tool = repeated passes for the load duration, where Virtuoso "
                  "reuses each query text's compiled plan)"]
        lines += _table(["size", "query", "values", "engine p50", "HTTP p50 client",
                         "HTTP p50 load tool", "virtuoso p50 client",
                         "virtuoso p50 load tool"], rows) + [""]
    rows = []
    for label, s in results.get("sizes", {}).items():
        for name, c in sorted((_get(s, "cache") or {}).items()):
            if isinstance(c, dict) and "rps" in c:
                rows.append([label, name, _f(c.get("wsgi_rps"), 0),
                             _f(c.get("wsgi_logged_rps"), 0), _f(c.get("rps"), 0),
                             _f(c.get("engine_rps"), 0)])
    if rows:
        lines += ["Cache on, repeated canned queries in-process (req/s: WSGI app called "
                  "directly, access log off / on (to a file) / Flask test client / query "
                  "engine alone)"]
        lines += _table(["size", "query", "WSGI", "WSGI + access log", "test client",
                         "engine"], rows) + [""]
    rows = []
    for label, s in results.get("sizes", {}).items():
        for who, key in (("entente", "http"), ("virtuoso", "virtuoso")):
            for c, r in (_get(s, key, "load_test") or {}).items():
                rows.append([label, who, c, _f(r["rps"]), _f(r["p50_ms"], 2),
                             _f(r["p99_ms"], 2), r["errors"], r["tool"]])
    if rows:
        cheap = {k: v.get("cheap_query") for k, v in results.get("sizes", {}).items()}
        lines += ["HTTP load, cheap lookup (" + ", ".join(f"{k}: {v}" for k, v in cheap.items())
                  + ")"]
        lines += _table(["size", "server", "concurrency", "req/s", "p50 ms", "p99 ms", "errors",
                         "tool"], rows) + [""]
    lines += ["Targets"]
    lines += _table(["target", "size", "measured", "threshold", "ratio", "status"], [
        [t["target"], t["size"] or "-", f"{_f(t['measured'], 2)} {t['unit']}",
         _f(t["threshold"], 2), _f(t["ratio"], 2), t["status"]]
        for t in results.get("targets", [])]) + [""]
    sc = results.get("scaling", {})
    if sc.get("growth"):
        lines += ["Scaling (exponent k: time ~ triples^k; 1 = linear, < 1 = sub-linear)"]
        names = sorted({n for g in sc["growth"] for n in g["queries"]})
        rows = [[f"{g['from']} -> {g['to']}", _f(g["load"], 2), _f(g["memory"], 2)]
                + [_f(g["queries"].get(n), 2) for n in names] for g in sc["growth"]]
        lines += _table(["sizes", "load", "memory"] + names, rows) + [""]
    for note in results.get("notes", []):
        lines.append(f"note: {note}")
    return "\n".join(lines)


def chart(results: dict[str, Any], path: Path) -> Path | None:
    """A PNG of the scaling curves (log-log): load time, server memory, query latency."""
    points = _get(results, "scaling", "points") or []
    if len(points) < 2:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = [p["triples"] for p in points]
    fig, axes = plt.subplots(1, 3, figsize=(16, 5))
    ax = axes[0]
    ax.plot(x, [p["load_s"] or math.nan for p in points], "o-", label="load (publish)")
    ax.set(xscale="log", yscale="log", xlabel="triples", ylabel="seconds", title="Store load")
    ax = axes[1]
    ax.plot(x, [p["server_peak_rss_mb"] or math.nan for p in points], "o-", label="server")
    ax.plot(x, [p["store_mb"] or math.nan for p in points], "s--", label="store on disk")
    ax.set(xscale="log", yscale="log", xlabel="triples", ylabel="MB", title="Memory and disk")
    ax.legend()
    ax = axes[2]
    names = sorted({n for p in points for n in p["query_p50_ms"]})
    for n in names:
        ax.plot(x, [p["query_p50_ms"].get(n, math.nan) for p in points], "o-", label=n,
                linewidth=1)
    ax.set(xscale="log", yscale="log", xlabel="triples", ylabel="p50 ms",
           title="Canned queries (in-process)")
    ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
