"""The in-process lookup stages: the cheap parameterised lookup taking its parameter values
in turn, and each canned query narrowed by a parameter that has a variant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from entente.bench import engine
from entente.bench.config import BenchConfig, query_timeout

#: the cheap parameterised lookup load-tested over HTTP, with these many parameter values
LOOKUP_QUERY = "shared-memberships"
LOOKUP_VALUES = 64
#: the canned queries narrowed by a parameter that has a variant: this many values each
NARROWED_VALUES = 8


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
