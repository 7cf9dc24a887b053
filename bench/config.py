"""The benchmark's settings: what a run measures, at which sizes, with which limits (the
full run's defaults, and the quick mode's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: the server's row cap in the HTTP stage up to ``whole_answers_to``: above any canned query's
#: answer at 10M triples (``ENTENTE_MAX_ROWS``)
UNCAPPED_ROWS = 100_000_000


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
    #: the HTTP stage lifts the server's row cap up to this size, where the peers answer the
    #: same queries (whole answers on every side); above it the server runs as deployed, its
    #: cap 10,000 rows (the memory target at 10M), and an answer it cuts is marked as cut
    whole_answers_to: int = 2_000_000
    load_duration_s: float = 5.0
    #: rounds of the lookup in-process then over HTTP at c=1, alternated beside the running
    #: server: the overhead target compares figures taken in the same minute of the machine
    overhead_rounds: int = 3
    concurrencies: list[int] = field(default_factory=lambda: [1, 8, 32])
    build_workers: list[int] = field(default_factory=lambda: [1, 2])
    #: the worker counts of the corpus's builds and of its copies' (None: build_workers;
    #: the speed-up target is read on the synthetic texts)
    corpus_build_workers: list[int] | None = None
    #: rounds of the build stage (each worker count once per round); figures are medians
    build_repeats: int = 5
    #: the store load (``publish``) is timed this many times up to load_repeats_to triples, its
    #: figure the median (the lookups run on the last store); above, once (10M: about a minute)
    load_repeats: int = 3
    load_repeats_to: int = 2_000_000
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
        # rdflib capped at 0.05-0.1 s a query: the smoke run proves the peer runs, not the
        # ratio (the corpus and its copies built once each, with one worker: the two worker
        # counts are built on the synthetic texts)
        return cls(out=out, work=work, sizes=[20_000], quick=True, runs=5, budget_s=0.1,
                   engine_passes=2, query_timeout_s=5.0, load_duration_s=0.25,
                   overhead_rounds=1, synth_docs=10,
                   build_repeats=1, load_repeats=2,
                   corpus_copies=2, corpus_build_workers=[1],
                   virtuoso=False,
                   rdflib_single_run_from=0, rdflib_query_timeout_s=0.05,
                   rdflib_max_query_timeout_s=0.1, rdflib_total_s=1.0)


def query_timeout(cfg: BenchConfig, triples: int | None) -> float:
    """The per-query time limit at a size (capped from ``large_from`` triples on)."""
    if triples is not None and triples >= cfg.large_from:
        return min(cfg.query_timeout_s, cfg.large_query_timeout_s)
    return cfg.query_timeout_s
