"""The rdflib peer: the same canned queries on rdflib's in-memory ``Dataset``, each with a time
limit (its *cap*) long enough to decide the target "p50 <= 1/20 of rdflib's".

rdflib answers many canned queries at 1M triples in minutes.  A fixed cap (30 s) proves only
``cap / engine p50`` when it is hit, which is below 20 for our slow listings, so the cap of each
query is derived from our own engine's p50 at that size (measured before rdflib runs):
``max(base, factor x engine p50)``, rounded up to a tenth of a second, at most ``max_s``.  With
factor 21 a time-out proves rdflib at least 21x slower; an answer gives the real ratio.  The
caps of one size together stay within ``total_s`` (the longest caps are lowered first).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from entente.bench import engine


def rdflib_caps(names: list[str], engine_queries: dict[str, Any], *, base_s: float,
                factor: float, max_s: float, total_s: float) -> dict[str, float]:
    """name -> rdflib time limit in seconds: ``max(base_s, factor x engine p50)`` (rounded up
    to 0.1 s) capped at ``max_s``; a query the engine did not time (no p50) gets ``base_s``.
    When the caps sum to more than ``total_s``, the longest are lowered to one level (whole
    seconds, at least 1 s) so that they sum to at most ``total_s``."""
    caps: dict[str, float] = {}
    for name in names:
        p50_ms = (engine_queries.get(name) or {}).get("p50_ms")
        wanted = (base_s if p50_ms is None
                  else max(base_s, math.ceil(factor * p50_ms / 100.0) / 10))
        caps[name] = float(min(wanted, max(max_s, base_s)))
    if sum(caps.values()) <= total_s or not caps:
        return caps
    level = _level(sorted(caps.values()), total_s)
    return {name: min(cap, level) for name, cap in caps.items()}


def _level(ascending: list[float], total_s: float) -> float:
    """The highest whole-second level L (>= 1) with sum(min(c, L)) <= total_s."""
    spent = 0.0
    for i, cap in enumerate(ascending):
        left = len(ascending) - i
        if spent + cap * left > total_s:
            return float(max(1, math.floor((total_s - spent) / left)))
        spent += cap
    return ascending[-1]


def cap_rule(base_s: float, factor: float, max_s: float, total_s: float) -> str:
    """The cap rule in words, for the JSON and the report."""
    return (f"max({base_s:g} s, {factor:g} x pyoxigraph p50) per query, at most {max_s:g} s, "
            f"{total_s:g} s in all")


def run_rdflib(dump: Path, workload: dict[str, Any], work: Path, engine_queries: dict[str, Any],
               *, base_s: float, factor: float, max_s: float, total_s: float, single: bool,
               runs: int, budget_s: float, load_timeout_s: float) -> dict[str, Any]:
    """rdflib on ``dump``: load once, each query measured in a forked copy with its cap.  Each
    query entry records ``cap_s``; one over its cap is ``{"timeout_s": cap, "cap_s": cap}``.
    ``single`` (large sizes): few runs, :data:`FEW_RUNS` within :data:`FEW_BUDGET_S`."""
    caps = rdflib_caps(list(workload), engine_queries, base_s=base_s, factor=factor,
                       max_s=max_s, total_s=total_s)
    result = engine.run_engine("rdflib", dump, workload, work,
                               runs=min(runs, FEW_RUNS) if single else runs,
                               budget_s=min(budget_s, FEW_BUDGET_S) if single else budget_s,
                               query_timeout_s=base_s,
                               query_timeouts=caps, load_timeout_s=load_timeout_s,
                               max_restarts=3 if single else 20)
    for name, entry in result["queries"].items():
        if isinstance(entry, dict):
            entry["cap_s"] = caps[name]
    result["cap_rule"] = cap_rule(base_s, factor, max_s, total_s)
    if single:
        result["note"] = (f"at most {min(runs, FEW_RUNS)} runs per query after its first at "
                          f"this size, within {min(budget_s, FEW_BUDGET_S):g} s (a query whose "
                          "first run takes longer: that run alone)")
    return result


#: from ``rdflib_single_run_from`` triples: each query's runs after its first (those the p50
#: is taken from; the first, in a freshly forked copy, pays its page faults), and their budget
FEW_RUNS = 3
FEW_BUDGET_S = 2.0
