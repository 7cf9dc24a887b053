"""Read a results dictionary: scaling curves, the printed table and the PNG chart (the
targets with PASS/MISS are computed in ``entente.bench.targets``)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from entente.bench.answers import difference
from entente.bench.config import UNCAPPED_ROWS
from entente.bench.targets import dig as _get


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
                       "engine_load_s": _get(s, "load", "engine_load", "disk", "seconds"),
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
    if "timeout_s" in entry:  # over its time limit: the limit, the cause spelled out once
        return (f"timeout (>{entry['timeout_s']:g} s)" if key in ("p50_ms", "seconds")
                else f">{entry['timeout_s']:g} s")
    if "error" in entry:
        return "error"
    if "skipped" in entry:
        return "skip"
    return _f(entry.get(key), 2)


def _ratio(a: dict | None, b: dict | None, key_a: str = "p50_ms", key_b: str = "p50_ms") -> str:
    if not a or not b or key_a not in a or key_b not in b or not b[key_b]:
        if a and "timeout_s" in a and b and key_b in b and b[key_b]:
            return f">={a['timeout_s'] * 1000 / b[key_b]:.1f}x"
        return "-"
    return f"{a[key_a] / b[key_b]:.1f}x"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    for r in rows:
        out.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    return out


def _worst_cases(cases: Any) -> list[str]:
    """The worst-case pages table (bench/worst_cases.py), if they were measured."""
    if not isinstance(cases, dict) or "error" in cases or "skipped" in cases:
        return []
    rows = []
    for name, case in cases.items():
        sizes = case.get("sizes") or [{}]
        cells = []
        for s in sizes[:2]:
            cells += [_f(s.get("chars")), _f(s.get("cpu_s"), 3)
                      if "cpu_s" in s else ("timeout" if "timeout_s" in s else "error")]
        cells += ["", ""] * (2 - len(sizes[:2]))
        rows.append([name, *cells, _f(sizes[-1].get("chars_per_cpu_s")),
                     _f(case.get("growth_k"), 2)])
    return (["Worst-case pages (one document each, extraction CPU s at two sizes; growth k: "
             "time ~ size^k)"]
            + _table(["page", "chars", "CPU s", "chars", "CPU s", "chars/CPU-s", "k"], rows)
            + [""])


def _passes_note(results: dict[str, Any]) -> str:
    """How the in-process runs were spread (BenchConfig.engine_passes), or nothing for one."""
    passes = (results.get("config") or {}).get("engine_passes") or 1
    return (f", each query's runs spread over {passes} passes through all the queries "
            "where its first run fits one pass's share of the time budget") if passes > 1 else ""


def _header_section(results: dict[str, Any]) -> list[str]:
    """The machine the run was on."""
    m = results.get("machine", {})
    lines = [f"Entente benchmark - {m.get('nproc')} cores, {m.get('cpu')}, "
             f"{m.get('ram_gb')} GB RAM, Python {m.get('python')}"]
    for key, what in (("run", ""), ("reused_run", "reused stages from ")):
        run = results.get(key) or {}
        if run:
            versions = ", ".join(f"{k} {v}" for k, v in sorted((run.get("versions") or {}).items())
                                 if v)
            lines += [f"{what}commit {run.get('commit') or 'unknown'}, started "
                      f"{run.get('started_utc') or 'unknown'}; {versions}"]
    lines += [f"proactive reclaim (kernel DAMON) {line}" for line in
              m.get("proactive_reclaim") or []] + [""]
    return lines


def _build_section(results: dict[str, Any]) -> list[str]:
    """The build throughput table and the worst-case pages."""
    lines: list[str] = []
    build = results.get("build", {})
    if isinstance(build, dict) and "skipped" not in build and "error" not in build:
        rows = []
        copies = (build.get("corpus_copies_texts") or {}).get("copies")
        names = {"corpus-copies": f"corpus x{copies}" if copies else "corpus-copies"}
        for corpus in ("corpus", "corpus-copies", "synthetic"):
            for workers, r in (build.get(corpus) or {}).items():
                if isinstance(r, dict) and "seconds" in r:
                    rows.append([names.get(corpus, corpus), workers, r["documents"],
                                 _f(r["text_mb"], 3),
                                 _f(r["seconds"], 2), _f(r["docs_per_s"], 1),
                                 _f(r["mb_per_s"], 3), _f(r.get("speedup"), 2),
                                 _f(r.get("extract_s"), 2), _f(r.get("extract_mb_per_s"), 3),
                                 _f(r.get("extract_mb_per_cpu_s"), 3)])
        repeats = max((len(r.get("repeats") or [1])
                       for part in ("corpus", "corpus-copies", "synthetic")
                       for r in (build.get(part) or {}).values() if isinstance(r, dict)),
                      default=1)
        each = f"; medians of {repeats} runs of each build" if repeats > 1 else ""
        lines += ["Build (entente build --no-reason; extract = the extraction stage as the "
                  f"build reports it{each})"]
        lines += _table(["corpus", "workers", "docs", "MB", "s", "docs/s", "MB/s", "speed-up",
                         "extract s", "extract MB/s", "extract MB/CPU-s"], rows) + [""]
        lines += _worst_cases(build.get("worst-cases"))
    else:
        lines += [f"Build: {build.get('skipped') or build.get('error')}", ""]
    return lines


def _load_section(results: dict[str, Any]) -> list[str]:
    """Load and serve: load time, store size, start-up and memory per size."""
    lines: list[str] = []
    rows = []
    for label, s in results.get("sizes", {}).items():
        rows.append([label, _f(_get(s, "dataset", "triples")), _f(_get(s, "load", "publish_s"), 2),
                     _cell(_get(s, "load", "engine_load", "disk"), "seconds"),
                     _cell(_get(s, "load", "engine_load", "memory"), "seconds"),
                     _f(_get(s, "load", "store_mb")), _f(_get(s, "rdflib", "load_s"), 2),
                     _f(_get(s, "virtuoso", "load", "load_s"), 2),
                     _f(_get(s, "http", "startup_to_first_answer_s"), 2),
                     _f(_get(s, "http", "memory", "peak_rss_mb")),
                     _f(_get(s, "virtuoso", "memory", "peak_rss_mb"))])
    lines += ["Load and serve (load = entente publish; engine = a bare pyoxigraph bulk_load of "
              "the same dump, on disk and in memory)"]
    lines += _table(["size", "triples", "load s", "engine disk s", "engine memory s",
                     "store MB", "rdflib load s", "virtuoso load s", "start-up s",
                     "server RSS MB", "virtuoso RSS MB"], rows) + [""]
    return lines


def _remote_section(results: dict[str, Any]) -> list[str]:
    """The remote backend (entente push into Virtuoso), where it ran."""
    lines: list[str] = []
    rows = []
    other: list[str] = []  # the queries it answers otherwise than our engine
    for label, s in results.get("sizes", {}).items():
        remote = _get(s, "remote", "queries") or {}
        if _get(s, "remote", "push") is None:
            continue
        p50s = sorted(q["p50_ms"] for q in remote.values() if q.get("p50_ms") is not None)
        rows.append([label, _f(_get(s, "remote", "push", "triples_per_s")),
                     _f(_get(s, "remote", "push", "seconds"), 2),
                     _f(p50s[len(p50s) // 2] if p50s else None, 1),
                     _f(p50s[-1] if p50s else None, 1)])
        eng = _get(s, "engine", "queries") or {}
        for name, q in sorted(remote.items()):
            kind = difference(q, eng[name]) if isinstance(eng.get(name), dict) else None
            if kind == "rows":
                other.append(f"  {label}, {name}: {_f(q['rows'])} rows against the engine's "
                             f"{_f(eng[name]['rows'])}")
            elif kind == "values":
                other.append(f"  {label}, {name}: other values than the engine's in as many "
                             "rows")
    if rows:
        lines += ["Remote backend (entente push into Virtuoso; canned queries via serve --backend)"]
        lines += _table(["size", "push triples/s", "push s", "median query p50 ms",
                         "slowest query p50 ms"], rows)
        if other:
            lines += ["  Answered otherwise than by our engine (the endpoint's answers are served "
                      "as they are):", *other]
        lines += [""]
    return lines


def _canned_sections(results: dict[str, Any]) -> list[str]:
    """One table per size: each canned query in-process, over HTTP and at the peers."""
    lines: list[str] = []
    for label, s in results.get("sizes", {}).items():
        eng = _get(s, "engine", "queries") or {}
        if not eng:
            continue
        rdf = _get(s, "rdflib", "queries") or {}
        virt = _get(s, "virtuoso", "queries") or {}
        web = _get(s, "http", "queries") or {}
        rows = []
        for name, e in eng.items():
            rows.append([name, _f(e.get("rows")), _runs(e), _cell(e), _cell(e, "p99_ms"),
                         _runs(web.get(name)), _cell(web.get(name)),
                         _cell(web.get(name), "p99_ms"), _runs(rdf.get(name)),
                         _cell(rdf.get(name)), _ratio(rdf.get(name), e),
                         _cell(virt.get(name)), _ratio(virt.get(name), e),
                         _ratio(web.get(name), virt.get(name), "first_ms", "first_ms")])
        cap = _get(s, "http", "max_rows")
        rows_cap = ("" if not isinstance(cap, int) else " the row cap lifted," if
                    cap >= UNCAPPED_ROWS else f" the server's row cap, {cap:,} rows (as deployed),")
        lines += [f"Canned queries at {label} triples (ms; in-process = pyoxigraph"
                  f"{_passes_note(results)}; HTTP = /queries/<name>, cache off,{rows_cap} "
                  "timed to the answer's last byte; n = timed runs, the first run "
                  "apart unless it is the only one; p99 of n runs: below 100 runs it is near "
                  "the slowest run, with 1 run the run itself; x = how many times the first "
                  "is slower)"]
        lines += _table(["query", "rows", "n", "p50", "p99", "HTTP n", "HTTP p50", "HTTP p99",
                         "rdflib n", "rdflib p50", "rdflib/engine", "virtuoso p50",
                         "virtuoso/engine", "HTTP/virtuoso 1st"], rows)
        if _get(s, "rdflib", "note"):
            lines += [f"  rdflib: {_get(s, 'rdflib', 'note')}"]
        lines += [f"  {name}, {where}: {' '.join(entry['error'].split())[:160]}" for name in eng
                  for where, entry in (("in-process", eng[name]), ("HTTP", web.get(name)),
                                       ("rdflib", rdf.get(name)), ("virtuoso", virt.get(name)))
                  if isinstance(entry, dict) and "error" in entry]
        for name in eng:
            for peer, entry in (("HTTP", web.get(name)), ("rdflib", rdf.get(name)),
                                ("virtuoso", virt.get(name))):
                kind = difference(entry, eng[name]) if isinstance(entry, dict) else None
                if kind == "rows":
                    lines.append(f"  {name}, {peer}: {_f(entry['rows'])} rows against the "
                                 f"engine's {_f(eng[name]['rows'])} (a different answer: its "
                                 "time is not for the same result)"
                                 + (", cut at the server's row cap" if entry.get("truncated")
                                    else ""))
                elif kind == "values":
                    lines.append(f"  {name}, {peer}: other values than the engine's in as many "
                                 f"rows, {_f(entry['rows'])} (a different answer: its time is "
                                 "not for the same result)")
        lines += [""]
    return lines


def _runs(entry: dict | None) -> str:
    """How many timed runs an entry's p50/p99 come from ('-' where it has none)."""
    return _f((entry or {}).get("runs"))


def _lookup_section(results: dict[str, Any]) -> list[str]:
    """The cheap lookup, its parameter values in turn."""
    lines: list[str] = []
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
    return lines


def _narrowed_section(results: dict[str, Any]) -> list[str]:
    """The canned queries narrowed by a parameter: the variant against the own text."""
    lines: list[str] = []
    rows = []
    other: list[str] = []  # variants whose answer (first value) is not their own text's
    for label, s in results.get("sizes", {}).items():
        narrowed = _get(s, "narrowed", "queries") or {}
        for key in sorted(k for k in narrowed if not k.endswith(" (own text)")):
            own = narrowed.get(f"{key} (own text)")
            rows.append([label, key, _f(_get(s, "narrowed", "values", key.split("?")[1]), 0),
                         _f(_get(narrowed, key, "rows")), _cell(narrowed[key]),
                         _cell(narrowed[key], "p99_ms"), _cell(own),
                         _ratio(own, narrowed[key])])
            if isinstance(own, dict) and difference(narrowed[key], own) == "values":
                other.append(f"  {label}, {key}: the variant's answer is not the query's own "
                             "text's (first value)")
    if rows:
        lines += ["Canned queries narrowed by a parameter, its values in turn (ms in-process"
                  f"{_passes_note(results)}; "
                  "the variant the server runs, queries/<name>--<param>.rq, against the query's "
                  "own text; rows of the last value)"]
        lines += _table(["size", "query", "values", "rows", "variant p50", "variant p99",
                         "own text p50", "speed-up"], rows) + other + [""]
    return lines


def _cache_section(results: dict[str, Any]) -> list[str]:
    """Repeated canned queries with the result cache on."""
    lines: list[str] = []
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
    return lines


def _load_test_section(results: dict[str, Any]) -> list[str]:
    """HTTP load on the cheap lookup, per concurrency."""
    lines: list[str] = []
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
    return lines


def _targets_section(results: dict[str, Any]) -> list[str]:
    """The issue's targets, each with its status."""
    lines: list[str] = []
    lines += ["Targets"]
    lines += _table(["target", "size", "measured", "threshold", "ratio", "status"], [
        [t["target"], t["size"] or "-",
         (">= " if t.get("lower_bound") else "<= " if t.get("upper_bound") else "")
         + f"{_f(t['measured'], 2)} {t['unit']}",
         _f(t["threshold"], 2), _f(t["ratio"], 2), t["status"]]
        for t in results.get("targets", [])])
    # (a note for every figure, and for every verdict without one: a MISS by our failure)
    lines += [f"  {t['id']}: {t['note']}" for t in results.get("targets", [])
              if t.get("note") and (t.get("measured") is not None or t["status"] != "N/A")]
    return lines + [""]


def _scaling_section(results: dict[str, Any]) -> list[str]:
    """How load, memory and each query grow with the size."""
    lines: list[str] = []
    sc = results.get("scaling", {})
    if sc.get("growth"):
        lines += ["Scaling (exponent k: time ~ triples^k; 1 = linear, < 1 = sub-linear)"]
        names = sorted({n for g in sc["growth"] for n in g["queries"]})
        rows = [[f"{g['from']} -> {g['to']}", _f(g["load"], 2), _f(g["memory"], 2)]
                + [_f(g["queries"].get(n), 2) for n in names] for g in sc["growth"]]
        lines += _table(["sizes", "load", "memory"] + names, rows) + [""]
    return lines


def _notes_section(results: dict[str, Any]) -> list[str]:
    """The run's notes."""
    lines: list[str] = []
    for note in results.get("notes", []):
        lines.append(f"note: {note}")
    return lines


#: the sections of the report, in order
_SECTIONS = (_header_section, _build_section, _load_section, _remote_section, _canned_sections,
             _lookup_section, _narrowed_section, _cache_section, _load_test_section,
             _targets_section, _scaling_section, _notes_section)


def format_report(results: dict[str, Any]) -> str:
    """The report of a run as the text table `entente bench` prints, section by section."""
    lines: list[str] = []
    for section in _SECTIONS:
        lines += section(results)
    return "\n".join(lines)


_MARKERS = ("o", "s", "^", "v", "D", "P", "X", "*", "<", ">", "h", "p")
_LINE_STYLES = ("-", "--", ":")


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
    ax.plot(x, [p.get("engine_load_s") or math.nan for p in points], "s--",
            label="bare bulk_load (engine)")
    ax.legend()
    ax.set(xscale="log", yscale="log", xlabel="triples", ylabel="seconds", title="Store load")
    ax = axes[1]
    ax.plot(x, [p["server_peak_rss_mb"] or math.nan for p in points], "o-", label="server")
    ax.plot(x, [p["store_mb"] or math.nan for p in points], "s--", label="store on disk")
    ax.set(xscale="log", yscale="log", xlabel="triples", ylabel="MB", title="Memory and disk")
    ax.legend()
    ax = axes[2]
    names = sorted({n for p in points for n in p["query_p50_ms"]})
    # (matplotlib cycles ten colours: each query also gets its own marker and line style,
    # so no two of the 16 lines look alike)
    for i, n in enumerate(names):
        ax.plot(x, [p["query_p50_ms"].get(n, math.nan) for p in points], label=n,
                color=f"C{i % 10}", marker=_MARKERS[i % len(_MARKERS)],
                linestyle=_LINE_STYLES[i // 10 % len(_LINE_STYLES)], linewidth=1)
    ax.set(xscale="log", yscale="log", xlabel="triples", ylabel="p50 ms",
           title="Canned queries (in-process)")
    ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
