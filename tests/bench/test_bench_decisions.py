"""How the harness decides: the rdflib cap per query, the 20x target's PASS / MISS / UNDECIDED,
the engine's own load beside ours, HTTP time-outs reported as such, the engine stage's runs
spread over passes and the machine's pageout scheme named (synthetic inputs and small local
servers; no timing is asserted)."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from entente.bench import http, loading, rdflib_peer, report, synth, targets

BASE = "https://entente.example.org/"
CAPS = {"base_s": 30.0, "factor": 21.0, "max_s": 180.0, "total_s": 1200.0}


def test_rdflib_cap_is_21_times_our_p50_within_its_bounds() -> None:
    engine = {"assertions": {"p50_ms": 2639.7}, "lookup": {"p50_ms": 11.6},
              "late": {"timeout_s": 20.0}, "huge": {"p50_ms": 10_000.0}}
    names = ["assertions", "lookup", "late", "huge", "absent"]
    assert rdflib_peer.rdflib_caps(names, engine, **CAPS) == {
        "assertions": 55.5, "lookup": 30.0, "late": 30.0, "huge": 180.0, "absent": 30.0}
    # over the total, the longest caps come down to one whole-second level
    tight = {**CAPS, "total_s": 180.0}
    assert rdflib_peer.rdflib_caps(names, engine, **tight) == {
        "assertions": 45.0, "lookup": 30.0, "late": 30.0, "huge": 45.0, "absent": 30.0}
    assert rdflib_peer.cap_rule(**CAPS) == (
        "max(30 s, 21 x pyoxigraph p50) per query, at most 180 s, 1200 s in all")


def test_a_timeout_at_the_cap_proves_the_20x_target() -> None:
    engine = {"assertions": {"p50_ms": 2639.7}, "about-actor": {"p50_ms": 1337.0},
              "lookup": {"p50_ms": 11.6}}
    caps = rdflib_peer.rdflib_caps(list(engine), engine, **CAPS)
    rdflib = {"cap_rule": rdflib_peer.cap_rule(**CAPS),
              "queries": {"assertions": {"timeout_s": caps["assertions"]},
                          "about-actor": {"timeout_s": caps["about-actor"]},
                          "lookup": {"p50_ms": 483.6}}}
    t = targets.vs_rdflib("1000000", rdflib, engine)
    assert t["status"] == "PASS" and t["lower_bound"] is True
    assert t["measured"] == round(55.5 / 2.6397, 4)  # the worst figure: a lower bound >= 21
    assert t["target"].endswith("(worst query: assertions)")
    assert t["note"] == ("rdflib cap: max(30 s, 21 x pyoxigraph p50) per query, at most 180 s, "
                         "1200 s in all; 2 over their cap (ratio >= cap / engine p50; lowest "
                         "21.0x, assertions); 1 answered (lowest 41.7x, lookup)")


@pytest.mark.parametrize(("rdflib", "status", "measured", "worst", "bound"), [
    # a measured ratio below 20 is a MISS even when a lower bound is lower still
    ({"a": {"timeout_s": 11.0}, "b": {"p50_ms": 15_000.0}}, "MISS", 15.0, "b", False),
    # only a lower bound below 20: undecided
    ({"a": {"timeout_s": 11.0}, "b": {"p50_ms": 30_000.0}}, "UNDECIDED", 11.0, "a", True),
    # every ratio and bound >= 20: the worst of them is reported
    ({"a": {"timeout_s": 40.0}, "b": {"p50_ms": 25_000.0}}, "PASS", 25.0, "b", False),
    ({"a": {"p50_ms": 19_999.0}, "b": {"p50_ms": 20_000.0}}, "MISS", 19.999, "a", False),
])
def test_vs_rdflib_status(rdflib: dict, status: str, measured: float, worst: str,
                          bound: bool) -> None:
    engine = {"a": {"p50_ms": 1000.0}, "b": {"p50_ms": 1000.0}}
    t = targets.vs_rdflib("1000000", {"queries": rdflib}, engine)
    assert (t["status"], t["measured"], t["lower_bound"]) == (status, measured, bound)
    assert t["target"].endswith(f"(worst query: {worst})")
    assert t["ratio"] == round(measured / 20.0, 3)


def test_vs_rdflib_names_the_queries_it_cannot_compare() -> None:
    engine = {"a": {"p50_ms": 10.0}, "b": {"p50_ms": 10.0}, "c": {"timeout_s": 20.0}}
    rdflib = {"queries": {"a": {"p50_ms": 500.0}, "b": {"error": "TypeError: '<' not supported"},
                          "c": {"p50_ms": 9.0}}}
    t = targets.vs_rdflib("1000000", rdflib, engine)
    # our engine over its limit where rdflib answered: a MISS, named first
    assert (t["status"], t["measured"]) == ("MISS", None)
    assert t["target"].endswith("(worst query: c)")
    assert t["note"] == ("rdflib cap: one limit for every query; ours failed where rdflib "
                         "answered: c (engine: over 20 s); 1 answered (lowest 50.0x, a); not "
                         "compared: b (rdflib: TypeError: '<' not supported)")
    rdflib["queries"]["c"] = {"timeout_s": 30.0}  # both over their limits: left out
    rdflib["queries"]["a"]["rows"], engine["a"]["rows"] = 4, 5  # another result: left out
    rdflib["queries"]["d"], engine["d"] = {"p50_ms": 400.0}, {"p50_ms": 10.0}
    t = targets.vs_rdflib("1000000", rdflib, engine)
    assert (t["status"], t["measured"]) == ("PASS", 40.0)
    assert t["note"].endswith("1 answered (lowest 40.0x, d); not compared: a (rdflib: 4 rows "
                              "against our 5, another result), b (rdflib: TypeError: '<' not "
                              "supported), c (engine: over 20 s)")
    skipped = targets.vs_rdflib("10000000", {"skipped": "not run above 1,500,000"}, engine)
    assert (skipped["status"], skipped["note"]) == ("N/A", "not run above 1,500,000")
    unloaded = targets.vs_rdflib("1000000", {"queries": {
        "a": {"skipped": "load did not finish in 600 s"}}}, engine)
    assert (unloaded["status"], unloaded["note"]) == (
        "N/A", "not compared: a (rdflib: load did not finish in 600 s)")


def _results() -> dict:
    """A results dictionary of one size, as a run writes it, with time-outs in it."""
    engine = {"assertions": {"rows": 15, "p50_ms": 2000.0, "p99_ms": 2100.0},
              "lookup": {"rows": 3, "p50_ms": 10.0, "p99_ms": 12.0}}
    return {"machine": {"nproc": 2}, "build": {"skipped": "not run in this mode"},
            "sizes": {"1000000": {
                "dataset": {"triples": 1_000_000},
                "load": {"publish_s": 11.4, "store_mb": 318.5, "allocator": "mimalloc",
                         "engine_load": {
                    "disk": {"seconds": 10.9, "cpu_s": 12.1, "peak_rss_mb": 900.0,
                             "quads": 1_000_000},
                    "memory": {"seconds": 4.0, "cpu_s": 4.1, "peak_rss_mb": 1500.0,
                               "quads": 1_000_000}}},
                "engine": {"queries": engine},
                "rdflib": {"load_s": 49.5, "cap_rule": rdflib_peer.cap_rule(**CAPS),
                           "queries": {"assertions": {"timeout_s": 42.0, "cap_s": 42.0},
                                       "lookup": {"p50_ms": 480.0, "cap_s": 30.0}}},
                "http": {"queries": {"assertions": {"timeout_s": 20.0, "by": "query exceeded "
                                                    "the 20 s time limit"},
                                     "lookup": {"error": "GET /x: HTTP 500:\nboom"}}}}}}


def test_report_names_a_peer_that_answers_other_rows() -> None:
    results = _results()
    results["sizes"]["1000000"]["rdflib"]["queries"]["lookup"]["rows"] = 45
    results["sizes"]["1000000"]["virtuoso"] = {"queries": {
        "assertions": {"rows": 15, "p50_ms": 900.0}, "lookup": {"rows": 2, "p50_ms": 9.0}}}
    lines = report.format_report(results).splitlines()
    differ = [line for line in lines if "rows against the engine's" in line]
    assert differ == [
        "  lookup, rdflib: 45 rows against the engine's 3 (a different answer: its time is not "
        "for the same result)",
        "  lookup, virtuoso: 2 rows against the engine's 3 (a different answer: its time is not "
        "for the same result)"]


def test_report_says_timeout_with_its_limit_and_shows_the_engine_floor() -> None:
    results = _results()
    results["targets"] = targets.targets(results)
    text = report.format_report(results)
    lines = text.splitlines()
    row = next(line for line in lines if line.startswith("assertions "))
    assert "timeout (>20 s)" in row and "timeout (>42 s)" in row and ">=21.0x" in row
    assert "error" not in row
    assert "  lookup, HTTP: GET /x: HTTP 500: boom" in lines
    load = next(line for line in lines if line.startswith("1000000 "))
    assert load.split() == ["1000000", "1,000,000", "11.40", "10.90", "4.00", "318.5", "49.50",
                            "-", "-", "-", "-"]
    assert ("  load-1m: publish on mimalloc; the engine's own load, a bare pyoxigraph "
            "bulk_load of the same dump: 10.9 s on "
            "disk (12.1 CPU-s), 4.0 s in memory (4.1 CPU-s)") in lines
    rdf = next(t for t in results["targets"] if t["id"] == "vs-rdflib")
    assert (rdf["status"], rdf["measured"]) == ("PASS", 21.0)
    assert any(line.startswith("every canned query p50 <= 1/20 of rdflib's (worst query: "
                               "assertions)") and ">= 21.00 x faster" in line
               and line.rstrip().endswith("PASS") for line in lines)


class _Slow(BaseHTTPRequestHandler):
    """/limit: the server's time-limit 503; /busy: another 503; /hang: no answer until
    released; /ok: an empty result."""

    protocol_version = "HTTP/1.1"
    paths: list[str] = []
    release = threading.Event()

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        _Slow.paths.append(self.path)
        if self.path == "/hang":
            _Slow.release.wait(10)
            return
        status, body = {
            "/limit": (503, {"error": "query exceeded the 20 s time limit", "status": 503}),
            "/busy": (503, {"error": "the store is not open", "status": 503}),
            "/cut": (200, {"results": {"bindings": [{}, {}]}}),
        }.get(self.path, (200, {"results": {"bindings": [{}]}}))
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        if self.path == "/cut":  # the server's row cap
            self.send_header("X-SPARQL-Truncated", "true")
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # noqa: N802 - Virtuoso's answer past its transaction limit
        self.rfile.read(int(self.headers["Content-Length"]))
        data = (b"Virtuoso S1T00 Error SR171: Transaction timed out\n\nSPARQL query:\n"
                b"SELECT ...")
        self.send_response(500)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_http_query_over_its_limit_is_a_timeout_requested_once(monkeypatch) -> None:
    monkeypatch.setattr(http, "CLIENT_GRACE_S", 0.1)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Slow.paths.clear()
    _Slow.release.clear()
    root = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        out = http.http_latencies_urls({n: f"{root}/{n}" for n in ("limit", "busy", "hang", "ok",
                                                                  "cut")},
                                       runs=3, budget_s=5.0, timeout_s=0.2)
    finally:
        _Slow.release.set()
        server.shutdown()
        server.server_close()
    assert out["limit"] == {"timeout_s": 0.2, "by": "query exceeded the 20 s time limit"}
    assert out["hang"] == {"timeout_s": 0.2, "by": "no answer within the time limit"}
    assert out["busy"]["error"].endswith('HTTP 503: {"error": "the store is not open", '
                                         '"status": 503}')
    assert out["ok"]["rows"] == 1 and out["ok"]["runs"] == 3 and "truncated" not in out["ok"]
    assert (out["cut"]["rows"], out["cut"]["truncated"]) == (2, True)  # named as cut
    assert [p for p in _Slow.paths if p not in ("/ok", "/cut")] == ["/limit", "/busy", "/hang"]


def test_virtuoso_giving_up_on_a_query_is_a_time_out_not_an_error(tmp_path) -> None:
    """Virtuoso's "SR171: Transaction timed out" (an HTTP 500) is its time limit: recorded as
    a time-out, with how long it ran (a lower bound of its time), not as an error."""
    from entente.bench import virtuoso

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        peer = virtuoso.Virtuoso(None, tmp_path, 0, server.server_address[1])  # type: ignore[arg-type]
        out = virtuoso.latencies(peer, {"q": {"text": "SELECT * WHERE { ?s ?p ?o }",
                                              "subs": {}}}, runs=3, budget_s=1.0,
                                 timeout_s=60.0)
    finally:
        server.shutdown()
        server.server_close()
    assert set(out["q"]) == {"timeout_s", "limit_s", "note"}
    assert 0 < out["q"]["timeout_s"] < 60.0 and out["q"]["limit_s"] == 60.0
    assert out["q"]["note"] == ("Virtuoso S1T00 Error SR171: Transaction timed out SPARQL "
                                "query: SELECT ...")


def test_merged_results_mark_the_verdicts_that_rest_on_the_earlier_run() -> None:
    from entente.bench import harness

    build = {"synthetic": {"1": {"extract_mb_per_cpu_s": 0.5, "extract_s": 4.0},
                           "2": {"extract_s": 2.0}}}
    sizes = {"1000000": {"dataset": {"triples": 1_000_000}, "load": {"publish_s": 4.0}}}
    fresh_build = {"machine": {"cpu": "A"}, "build": build, "notes": []}
    earlier_sizes = {"machine": {"cpu": "B"}, "sizes": sizes, "build": {}}
    earlier_sizes["run"] = {"commit": "abc1234", "versions": {"pyoxigraph": "0.5.13"}}
    merged = harness.merge(fresh_build, earlier_sizes, "build")
    assert merged["reused_run"] == earlier_sizes["run"]  # what the reused half ran on
    assert "reused stages from commit abc1234" in report.format_report(merged)
    reused = {t["id"] for t in merged["targets"] if t.get("reused")}
    assert "load-1m" in reused and not reused & {"build-throughput", "build-speedup"}
    load = next(t for t in merged["targets"] if t["id"] == "load-1m")
    assert load["note"].startswith("from the earlier run's per-size stages")
    assert merged["notes"][-1] == ("per-size stages taken from an earlier run on B at commit "
                                   "abc1234")
    merged = harness.merge({"machine": {"cpu": "A"}, "sizes": sizes, "notes": []},
                           {"machine": {"cpu": "B"}, "build": build}, "sizes")
    reused = {t["id"] for t in merged["targets"] if t.get("reused")}
    assert reused == {"build-throughput", "build-speedup"}


def test_rdflib_runs_each_query_with_its_own_cap(tmp_path: Path) -> None:
    dump = tmp_path / "d.nq"
    synth.write_dataset(dump, 3000, seed=3, base=BASE)
    workload = {
        "ask": {"text": "ASK { ?s ?p ?o }", "subs": {}},
        "endless": {"text": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                    "subs": {}},
    }
    engine = {"ask": {"p50_ms": 0.1}, "endless": {"p50_ms": 60.0}}
    result = rdflib_peer.run_rdflib(dump, workload, tmp_path / "work", engine, base_s=1.0,
                                    factor=21.0, max_s=5.0, total_s=60.0, single=True, runs=1,
                                    budget_s=0.0, load_timeout_s=120.0)
    assert result["queries"]["endless"] == {"timeout_s": 1.3, "cap_s": 1.3}
    assert result["queries"]["ask"]["rows"] == 1 and result["queries"]["ask"]["cap_s"] == 1.0
    assert result["reloads"] == 0  # the time-out killed a forked copy, not the loaded dataset
    assert result["cap_rule"] == ("max(1 s, 21 x pyoxigraph p50) per query, at most 5 s, "
                                  "60 s in all")


def test_engine_floor_loads_the_same_dump_and_leaves_nothing(tmp_path: Path) -> None:
    dump = tmp_path / "d.nq"
    info = synth.write_dataset(dump, 2000, seed=5, base=BASE)
    work = tmp_path / "work"
    floor = loading.engine_load(dump, work)
    distinct = len(set(dump.read_text(encoding="utf-8").splitlines()))
    assert set(floor) == {"disk", "memory"}
    for run in floor.values():
        assert run["quads"] == distinct <= info.triples
        assert run["seconds"] >= 0 and run["cpu_s"] >= 0 and run["peak_rss_mb"] > 0
    assert list(work.iterdir()) == []


def test_tree_rss_sampler_sees_memory_held_at_one_moment() -> None:
    import os

    from entente.bench.measure import TreeRssSampler, tree_memory_mb

    before = tree_memory_mb(os.getpid())["rss_mb"]
    with TreeRssSampler(os.getpid()) as sampler:
        block = bytearray(64 * 1024 * 1024)
        block[::4096] = b"\x01" * len(block[::4096])  # touch every page
        peak = sampler.stop()  # the last sample is taken while the block is held
        del block
    assert peak >= before + 60
    assert sampler.stop() == peak  # stopping again answers the same peak


def test_rss_target_reads_the_sampled_peak_and_names_the_upper_bound() -> None:
    memory = {"processes": 11, "rss_mb": 1109.4, "sum_of_peaks_mb": 3059.2,
              "peak_rss_mb": 1712.5, "peak": "sampled every 0.2 s over the HTTP stage"}
    results = {"sizes": {"10000000": {"dataset": {"triples": 10_000_530},
                                      "http": {"memory": memory}}}}
    [rss] = [t for t in targets.targets(results) if t["id"] == "rss-10m"]
    assert (rss["measured"], rss["status"]) == (1712.5, "PASS")
    assert rss["note"] == ("highest sum of the server processes' RSS, sampled every 0.2 s over "
                           "the HTTP stage; the sum of each process's own peak (VmHWM, peaks "
                           "that need not coexist) is 3,059.2 MB")


def _vs_virtuoso(virtuoso: dict, ours: dict) -> dict:
    results = {"sizes": {"1000000": {"dataset": {"triples": 1_000_000},
                                     "virtuoso": {"queries": virtuoso},
                                     "http": {"queries": ours}}}}
    [t] = [t for t in targets.targets(results) if t["id"] == "vs-virtuoso"]
    return t


def test_vs_virtuoso_names_the_queries_the_peer_answered_with_an_error() -> None:
    """A query Virtuoso answered with an error has no time to compare: it is left out of the
    ratio, and the target's note says which and why (the error's first line)."""
    t = _vs_virtuoso({"a": {"first_ms": 10.0},
                      "b": {"error": "virtuoso HTTP 500: Virtuoso 42000 Error SQ200: bad\n\n"
                                     "SPARQL query:\n..."}},
                     {"a": {"first_ms": 15.0}, "b": {"first_ms": 800.0}})
    assert (t["measured"], t["status"], t["lower_bound"]) == (1.5, "PASS", False)
    assert t["note"] == ("1 answered (worst: ours 1.50x its time, a); not compared: b "
                         "(Virtuoso: virtuoso HTTP 500: Virtuoso 42000 Error SQ200: bad)")


@pytest.mark.parametrize(("virtuoso", "ours", "status", "measured", "note"), [
    # we time out where Virtuoso answers: a MISS, whatever the other ratios
    ({"a": {"first_ms": 10.0, "rows": 3}, "b": {"first_ms": 50.0, "rows": 7}},
     {"a": {"first_ms": 5.0, "rows": 3}, "b": {"timeout_s": 60.0}}, "MISS", None,
     "ours failed where Virtuoso answered: b (HTTP: over 60 s); 1 answered (worst: ours "
     "0.50x its time, a)"),
    # another number of rows: another result, left out of the ratio (and named)
    ({"a": {"first_ms": 10.0, "rows": 3}, "b": {"first_ms": 50.0, "rows": 6}},
     {"a": {"first_ms": 15.0, "rows": 3}, "b": {"first_ms": 500.0, "rows": 7}}, "PASS", 1.5,
     "1 answered (worst: ours 1.50x its time, a); not compared: b (Virtuoso: 6 rows against "
     "our 7, another result)"),
    # as many rows with other values (the answers' fingerprints differ): left out and named;
    # the same fingerprint, or one side without one, is compared
    ({"a": {"first_ms": 10.0, "rows": 3, "answer": "aa"},
      "b": {"first_ms": 50.0, "rows": 7, "answer": "bb"}},
     {"a": {"first_ms": 15.0, "rows": 3, "answer": "aa"},
      "b": {"first_ms": 500.0, "rows": 7, "answer": "cc"}}, "PASS", 1.5,
     "1 answered (worst: ours 1.50x its time, a); not compared: b (Virtuoso: other values in "
     "as many rows as ours, 7, another result)"),
    ({"a": {"first_ms": 10.0, "rows": 3, "answer": "aa"}, "b": {"first_ms": 50.0, "rows": 7}},
     {"a": {"first_ms": 15.0, "rows": 3, "answer": "aa"},
      "b": {"first_ms": 500.0, "rows": 7, "answer": "cc"}}, "MISS", 10.0,
     "2 answered (worst: ours 10.00x its time, b)"),
    # Virtuoso over its time limit: a lower bound, which decides only when it is below 1/2
    ({"a": {"first_ms": 10.0}, "b": {"timeout_s": 1.0}},
     {"a": {"first_ms": 15.0}, "b": {"first_ms": 800.0}}, "PASS", 1.5,
     "1 over its time limit (ours <= our first run / its limit; worst: ours 0.80x its time, "
     "b); 1 answered (worst: ours 1.50x its time, a)"),
    ({"a": {"first_ms": 10.0}, "b": {"timeout_s": 1.0}},
     {"a": {"first_ms": 15.0}, "b": {"first_ms": 2500.0}}, "UNDECIDED", 2.5,
     "1 over its time limit (ours <= our first run / its limit; worst: ours 2.50x its time, "
     "b); 1 answered (worst: ours 1.50x its time, a)"),
    ({"a": {"first_ms": 10.0}}, {"a": {"first_ms": 25.0}}, "MISS", 2.5,
     "1 answered (worst: ours 2.50x its time, a)"),
])
def test_vs_virtuoso_status(virtuoso: dict, ours: dict, status: str, measured: float | None,
                            note: str) -> None:
    t = _vs_virtuoso(virtuoso, ours)
    assert (t["status"], t["measured"], t["note"]) == (status, measured, note)
    # a figure from Virtuoso's time-out bounds ours over its from above, never from below
    assert (t["lower_bound"], t["upper_bound"]) == (False, status == "UNDECIDED")


def test_the_report_prints_each_verdicts_reason_and_the_direction_of_a_bound() -> None:
    """A MISS by our failure has no figure but its note is printed; a bound from Virtuoso's
    time-out is printed as '<=' (our time over its is at most the figure)."""
    results = {"sizes": {"1000000": {"dataset": {"triples": 1_000_000},
                                     "virtuoso": {"queries": {"b": {"timeout_s": 1.0}}},
                                     "http": {"queries": {"b": {"first_ms": 2500.0}}},
                                     "rdflib": {"queries": {"c": {"p50_ms": 900.0}}},
                                     "engine": {"queries": {"c": {"timeout_s": 20.0}}}}}}
    results["targets"] = targets.targets(results)
    text = "\n".join(report._targets_section(results))
    assert "  vs-rdflib: rdflib cap: one limit for every query; ours failed where rdflib " \
           "answered: c (engine: over 20 s)" in text
    assert re.search(r"<= 2\.50 x Virtuoso's time +2\.00 +0\.80 +UNDECIDED", text), text


def test_the_report_names_each_peer_that_answered_another_result() -> None:
    """A peer with another number of rows, or as many rows with other values (another
    fingerprint), is named under the size's table; one with the engine's answer is not."""
    def entry(rows: int, answer: str) -> dict:
        return {"rows": rows, "answer": answer, "first_ms": 1.0, "p50_ms": 1.0, "p99_ms": 1.0}

    results = {"sizes": {"1000000": {
        "engine": {"queries": {"a": entry(3, "aa"), "b": entry(7, "bb")}},
        "http": {"queries": {"a": entry(3, "aa"), "b": entry(7, "bb")}},
        "rdflib": {"queries": {"a": entry(4, "xx"), "b": entry(7, "bb")}},
        "virtuoso": {"queries": {"a": entry(3, "aa"), "b": entry(7, "cc")}}}}}
    text = "\n".join(report._canned_sections(results))
    assert "  a, rdflib: 4 rows against the engine's 3 (a different answer" in text
    assert "  b, virtuoso: other values than the engine's in as many rows, 7 (a different " \
           "answer" in text
    assert not re.search(r"a, virtuoso|, HTTP:|b, rdflib", text), text


def test_the_report_names_what_the_remote_backend_answers_otherwise() -> None:
    results = {"sizes": {"1000000": {
        "engine": {"queries": {"a": {"rows": 3, "answer": "aa"}, "b": {"rows": 7, "answer": "bb"},
                               "c": {"rows": 5, "answer": "cc"}}},
        "remote": {"push": {"triples_per_s": 9000.0, "seconds": 111.0}, "queries": {
            "a": {"rows": 3, "answer": "aa", "p50_ms": 2.0},
            "b": {"rows": 7, "answer": "xx", "p50_ms": 4.0},
            "c": {"rows": 4, "answer": "yy", "p50_ms": 6.0}}}}}}
    lines = report._remote_section(results)
    assert lines[-4:] == [
        "  Answered otherwise than by our engine (the endpoint's answers are served as they "
        "are):", "  1000000, b: other values than the engine's in as many rows",
        "  1000000, c: 4 rows against the engine's 5", ""]
    results["sizes"]["1000000"]["remote"]["queries"]["b"]["answer"] = "bb"
    results["sizes"]["1000000"]["remote"]["queries"]["c"].update(rows=5, answer="cc")
    assert not any("otherwise" in line for line in report._remote_section(results))


def test_the_report_names_a_variant_that_answers_otherwise_than_its_own_text() -> None:
    def entry(answer: str) -> dict:
        return {"rows": 2, "answer": answer, "p50_ms": 1.0, "p99_ms": 1.0}

    results = {"sizes": {"1000000": {"narrowed": {"values": {"party": 8, "state": 8}, "queries": {
        "agreements?party": entry("aa"), "agreements?party (own text)": entry("aa"),
        "un-votes?state": entry("bb"), "un-votes?state (own text)": entry("cc")}}}}}
    lines = report._narrowed_section(results)
    assert [line for line in lines if "answer" in line] == [
        "  1000000, un-votes?state: the variant's answer is not the query's own text's "
        "(first value)"]


def test_repeated_builds_report_the_median_of_each_figure() -> None:
    from entente.bench.build_bench import MEDIAN_FIELDS, median_run

    def run(seconds: float, cpu: float) -> dict:
        figures = {k: seconds for k in MEDIAN_FIELDS} | {"extract_cpu_s": cpu}
        return figures | {"workers": 1, "documents": 10,
                          "stages": {"extract_s": seconds, "processes": 1, "note": "x"}}

    runs = [run(3.0, 9.0), run(1.0, 7.0), run(2.0, 8.0)]
    merged = median_run(runs)
    assert merged["seconds"] == merged["extract_mb_per_cpu_s"] == 2.0
    assert merged["extract_cpu_s"] == 8.0
    assert merged["stages"] == {"extract_s": 2.0, "processes": 1, "note": "x"}
    assert [r["seconds"] for r in merged["repeats"]] == [3.0, 1.0, 2.0]
    assert (merged["workers"], merged["documents"]) == (1, 10)
    assert median_run(runs[:1]) is runs[0]  # one run: as it is, without repeats


def test_corpus_copies_keep_each_documents_metadata_under_its_own_slug(tmp_path) -> None:
    from entente.bench.build_bench import replicate_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("China and Russia signed a deal.", encoding="utf-8")
    (corpus / "b.txt").write_text("India abstained.", encoding="utf-8")
    (corpus / "notes.md").write_text("not a document", encoding="utf-8")
    (corpus / "metadata.json").write_text(json.dumps({"documents": [
        {"file": "a.txt", "slug": "deal", "title": "A deal", "date": "2022"}]}),
        encoding="utf-8")
    info = replicate_corpus(corpus, tmp_path / "copies", 2)
    assert info == {"copies": 2, "documents": 4, "bytes": 2 * (31 + 16)}
    assert sorted(f.name for f in (tmp_path / "copies").iterdir()) == [
        "00_a.txt", "00_b.txt", "01_a.txt", "01_b.txt", "metadata.json"]
    meta = json.loads((tmp_path / "copies" / "metadata.json").read_text(encoding="utf-8"))
    assert meta["documents"] == [
        {"file": "00_a.txt", "slug": "deal-copy00", "title": "A deal", "date": "2022"},
        {"file": "00_b.txt"},
        {"file": "01_a.txt", "slug": "deal-copy01", "title": "A deal", "date": "2022"},
        {"file": "01_b.txt"}]


def test_build_throughput_target_shows_the_real_text_figure_beside_it() -> None:
    results = {"build": {"synthetic": {"1": {"extract_mb_per_cpu_s": 0.9}},
                         "corpus-copies": {"1": {"extract_mb_per_cpu_s": 1.234}},
                         "corpus_copies_texts": {"copies": 20}}}
    [t] = [t for t in targets.targets(results) if t["id"] == "build-throughput"]
    assert (t["measured"], t["status"]) == (0.9, "MISS")
    assert t["note"] == "on real text (the corpus copied 20 times, 1 worker): 1.23 MB/s/core"
    del results["build"]["corpus-copies"]
    [t] = [t for t in targets.targets(results) if t["id"] == "build-throughput"]
    assert t["note"] == ""


def test_the_build_speedup_target_names_the_whole_commands_beside_the_stages() -> None:
    """The target is the extraction stage's speed-up; the whole command's, start-up and
    publish included, is shown beside it (a review read the label as the command's)."""
    results = {"build": {"synthetic": {"1": {"extract_s": 4.0},
                                       "2": {"extract_s": 2.07, "speedup": 1.49}}}}
    [t] = [t for t in targets.targets(results) if t["id"] == "build-speedup"]
    assert (t["measured"], t["status"]) == (1.932, "PASS")
    assert t["note"] == "the whole command, start-up and publish included: 1.49x"
    del results["build"]["synthetic"]["1"]["extract_s"]  # (the whole builds' alone)
    [t] = [t for t in targets.targets(results) if t["id"] == "build-speedup"]
    assert (t["measured"], t["status"], t["note"]) == (1.49, "MISS", "")


def test_a_target_measured_at_another_size_gets_no_verdict() -> None:
    """A run of 1M alone: the 100K and 10M targets fall back to 1M and show its figures, but
    say N/A and why; the 1M targets keep theirs."""
    results = _results()
    results["sizes"]["1000000"]["http"]["memory"] = {"peak_rss_mb": 700.0}
    results["sizes"]["1000000"]["http"]["load_test"] = {"8": {"rps": 600.0}}
    results["sizes"]["1000000"]["virtuoso"] = {"load_test": {"8": {"rps": 800.0}}}
    found = {t["id"]: t for t in targets.targets(results)}
    lookup = found["http-throughput-vs-virtuoso"]
    assert (lookup["status"], lookup["size"], lookup["measured"]) == ("N/A", "1000000", 600.0)
    assert lookup["note"] == ("measured at 1,000,000 triples, not at the target's 100,000: "
                              "no verdict (at that size: MISS)")
    rss = found["rss-10m"]
    assert (rss["status"], rss["measured"]) == ("N/A", 700.0)
    assert rss["note"] == ("measured at 1,000,000 triples, not at the target's 10,000,000: "
                           "no verdict (at that size: PASS)")
    assert (found["load-1m"]["status"], found["load-1m"]["measured"]) == ("MISS", 11.4)


def _steps_run(work: Path, engine_name: str = "oxigraph") -> list[tuple[int, str]]:
    lines = (work / f"{engine_name}-out-1.jsonl").read_text(encoding="utf-8").splitlines()
    return [(r["pass"], r["start"]) for r in map(json.loads, lines) if "start" in r]


def test_engine_spreads_each_querys_runs_over_passes_through_all_queries(tmp_path) -> None:
    from entente.bench import engine

    dump = tmp_path / "d.nq"
    synth.write_dataset(dump, 3000, seed=3, base=BASE)
    store = Path(loading.publish(dump, tmp_path / "store", base=BASE)["oxigraph"])
    workload = {"ask": {"text": "ASK { ?s ?p ?o }", "subs": {}},
                "broken": {"text": "SELECT ?s WHERE { ?s ?p }",
                           "subs": {}},
                "count": {"text": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "subs": {}}}
    spread = engine.run_engine("oxigraph", store, workload, tmp_path / "spread", runs=6,
                               budget_s=60.0, query_timeout_s=30.0, load_timeout_s=120.0,
                               passes=3)
    # a query that fails is not asked again in the later passes
    assert _steps_run(tmp_path / "spread") == [(0, "ask"), (0, "broken"), (0, "count"),
                                               (1, "ask"), (1, "count"), (2, "ask"),
                                               (2, "count")]
    assert set(spread["queries"].pop("broken")) == {"error"}
    for name, rows in (("ask", 1), ("count", 1)):
        result = spread["queries"][name]
        assert (result["rows"], result["runs"], result["passes"]) == (rows, 6, 3)
        assert result["first_ms"] > 0 and result["min_ms"] <= result["p50_ms"] <= result["p99_ms"]
    assert spread["reloads"] == 0
    # a query whose first run takes its whole budget is one run, in pass 0 only
    slow = engine.run_engine("oxigraph", store, workload, tmp_path / "slow", runs=6,
                             budget_s=0.0, query_timeout_s=30.0, load_timeout_s=120.0,
                             passes=3)
    assert _steps_run(tmp_path / "slow") == [(0, "ask"), (0, "broken"), (0, "count")]
    assert [(q["runs"], q["passes"]) for n, q in slow["queries"].items()
            if n != "broken"] == [(1, 1), (1, 1)]


def test_passes_are_merged_into_one_summary_and_a_failed_pass_wins() -> None:
    from entente.bench.engine import merge_passes

    first = {"rows": 7, "first_ms": 9.0, "durations_ms": [4.0, 2.0], "passes": 3}
    merged = merge_passes([first, {"rows": 7, "durations_ms": [3.0, 5.0]},
                           {"rows": 7, "durations_ms": [1.0]}])
    assert merged == {"rows": 7, "first_ms": 9.0, "runs": 5, "p50_ms": 3.0, "p99_ms": 4.96,
                      "mean_ms": 3.0, "min_ms": 1.0, "passes": 3}
    assert merge_passes([first, {"error": "boom"}]) == {"error": "boom"}


def test_after_a_restart_only_the_passes_not_measured_are_run() -> None:
    from entente.bench.engine import _pending_steps

    workload = dict.fromkeys(("a", "b", "c", "d"))
    done = {"a": [{"passes": 3}, {}], "b": [{"passes": 1}], "c": [], "d": [{"passes": 3}]}
    assert _pending_steps(workload, 3, done, {}) == [[0, "c"], [1, "c"], [1, "d"], [2, "a"],
                                                     [2, "c"], [2, "d"]]
    assert _pending_steps(workload, 3, done, {"c": {"timeout_s": 1.0}, "d": {}}) == [[2, "a"]]


def test_machine_names_a_running_pageout_scheme_and_nothing_else(tmp_path) -> None:
    from entente.bench.measure import proactive_reclaim

    def scheme(kdamond: str, state: str, action: str) -> None:
        context = tmp_path / kdamond / "contexts" / "0"
        files = {tmp_path / kdamond / "state": state,
                 context / "monitoring_attrs/intervals/aggr_us": "5000000",
                 context / "schemes/0/action": action,
                 context / "schemes/0/access_pattern/age/min": "12",
                 context / "schemes/0/quotas/bytes": str(128 << 20),
                 context / "schemes/0/quotas/reset_interval_ms": "1000"}
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text + "\n")

    scheme("0", "on", "pageout")
    scheme("1", "off", "pageout")
    scheme("2", "on", "stat")
    assert proactive_reclaim(tmp_path) == [
        "0: pageout of memory not accessed for 60 s, at most 128 MiB per 1 s"]
    assert proactive_reclaim(tmp_path / "absent") == []
    text = report.format_report({"machine": {"nproc": 2, "cpu": "X", "ram_gb": 1.0,
                                             "python": "3.11",
                                             "proactive_reclaim": ["0: pageout"]}})
    assert text.splitlines()[:2] == ["Entente benchmark - 2 cores, X, 1.0 GB RAM, Python 3.11",
                                     "proactive reclaim (kernel DAMON) 0: pageout"]


def _overhead_results(paired: dict | None) -> dict:
    size = {"lookup": {"query": "shared-memberships", "engine": {"p50_ms": 0.4}},
            "http": {"lookup": {"urls": 64, "p50_ms": 3.0},
                     "load_test": {"1": {"p50_ms": 1.55}, "8": {"rps": 1800.0}}}}
    if paired is not None:
        size["http"]["overhead"] = paired
    return {"cheap_query": "shared-memberships", "sizes": {"100000": size}}


def test_overhead_target_compares_the_rounds_taken_beside_the_server() -> None:
    """With the alternated rounds of the HTTP stage, the target compares their medians (not
    the lookup stage's engine figure, taken minutes earlier) and lists every round."""
    paired = {"rounds": [{"engine_p50_ms": 0.41, "http_p50_ms": 1.02},
                         {"engine_p50_ms": 0.62, "http_p50_ms": 1.5},
                         {"engine_p50_ms": 0.45, "http_p50_ms": None}],
              "engine_p50_ms": 0.45, "http_p50_ms": 1.26}
    found = {t["id"]: t for t in targets.targets(_overhead_results(paired))}
    t = found["http-overhead"]
    assert (t["measured"], t["threshold"], t["status"]) == (1.26, 1.45, "PASS")
    assert "64 parameter values in turn; medians of 3 alternated rounds" in t["target"]
    assert t["note"] == ("rounds of (in-process, HTTP c=1) p50: 0.41 / 1.02 ms, "
                         "0.62 / 1.50 ms, 0.45 / - ms; the lookup stage's in-process p50: "
                         "0.40 ms")
    # without the rounds (a run before them): the load tool at c=1 against the lookup stage
    t = {t["id"]: t for t in targets.targets(_overhead_results(None))}["http-overhead"]
    assert (t["measured"], t["threshold"], t["status"], t["note"]) == (1.55, 1.4, "MISS", "")


def test_overhead_rounds_alternate_and_take_the_median_of_what_was_measured() -> None:
    from entente.bench import http_stage

    calls: list[str] = []
    engine_p50 = iter([0.5, None, 0.3, 0.4])
    http_p50 = iter([1.0, 1.4, 1.2, 9.0])

    def in_process() -> float | None:
        calls.append("engine")
        return next(engine_p50)

    def over_http() -> float | None:
        calls.append("http")
        return next(http_p50)

    out = http_stage.alternate(in_process, over_http, 3)
    assert calls == ["engine", "http"] * 3
    assert out["rounds"] == [{"engine_p50_ms": 0.5, "http_p50_ms": 1.0},
                             {"engine_p50_ms": None, "http_p50_ms": 1.4},
                             {"engine_p50_ms": 0.3, "http_p50_ms": 1.2}]
    assert (out["engine_p50_ms"], out["http_p50_ms"]) == (0.4, 1.2)
    none = http_stage.alternate(lambda: None, lambda: None, 2)
    assert (none["engine_p50_ms"], none["http_p50_ms"]) == (None, None)


def test_the_load_is_the_median_of_its_runs_each_into_a_fresh_store(tmp_path) -> None:
    import statistics

    import pyoxigraph

    dump = tmp_path / "d.nq"
    info = synth.write_dataset(dump, 2000, seed=5, base=BASE)
    store = tmp_path / "store"
    load = loading.publish_repeated(dump, store, base=BASE, repeats=3)
    runs = load["publish_runs_s"]
    assert len(runs) == 3 and load["publish_s"] == round(statistics.median(runs), 3)
    assert load["quads"] == info.triples
    assert load["triples_per_s"] == round(info.triples / load["publish_s"])
    # the last run's store is the one kept, whole; the earlier runs' are gone
    assert [p.name for p in tmp_path.glob("store-*")] == [Path(load["oxigraph"]).parent.name]
    assert len(pyoxigraph.Store.read_only(load["oxigraph"])) == info.triples
    note = targets.engine_load_note({**load, "engine_load": {}})
    assert note == ("median of " + ", ".join(f"{r:.2f}" for r in runs) + " s; publish on "
                    + load["allocator"])
