"""The benchmark harness works: synthetic data has the data model's shape, the quick run's
functions produce every expected key with sane numbers.  No timing is asserted."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph
import pytest
from entente.bench import (
    engine,
    harness,
    http,
    http_stage,
    lookup_stages,
    rdflib_peer,
    report,
    synth,
)
from entente.bench.measure import percentile
from entente.graph import canned

from entente.bench_cli import parse_sizes
from entente.errors import UsageError

BASE = "https://entente.example.org/"
ENT = "https://entente.example.org/ontology#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, synth.DatasetInfo]:
    path = tmp_path_factory.mktemp("synth") / "d.nq"
    return path, synth.write_dataset(path, 6000, seed=7, base=BASE)


def _store(path: Path) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def _one(store: pyoxigraph.Store, query: str) -> int:
    row = next(iter(store.query(query, use_default_graph_as_union=True)))
    return int(row[0].value)


def test_synthetic_dataset_is_deterministic_and_reaches_its_size(dataset, tmp_path) -> None:
    path, info = dataset
    again = synth.write_dataset(tmp_path / "again.nq", 6000, seed=7, base=BASE)
    digest = lambda p: hashlib.sha256(Path(p).read_bytes()).hexdigest()  # noqa: E731
    assert digest(path) == digest(again.path)
    assert info.triples >= 6000
    assert info.triples == sum(1 for _ in path.open())
    assert info.documents >= 1 and info.assertions >= 23  # the first document covers all


def test_synthetic_dataset_has_the_data_model_shape(dataset) -> None:
    path, info = dataset
    store = _store(path)
    # every sentence and mention anchor is the exact slice of its document's text
    rows = store.query(f"""PREFIX nif: <{NIF}>
        SELECT ?anchor ?b ?e ?text WHERE {{ ?x nif:anchorOf ?anchor ; nif:beginIndex ?b ;
        nif:endIndex ?e ; nif:referenceContext ?d . ?d nif:isString ?text }}""",
                       use_default_graph_as_union=True)
    checked = 0
    for row in rows:
        assert row["text"].value[int(row["b"].value):int(row["e"].value)] == row["anchor"].value
        checked += 1
    assert checked > 100
    # every assertion has its provenance, in its document's graph, with a quote = evidence
    missing = _one(store, f"""PREFIX ent: <{ENT}> PREFIX nif: <{NIF}>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT (COUNT(*) AS ?n) WHERE {{ ?a a ent:Assertion .
        FILTER NOT EXISTS {{ GRAPH ?g {{ ?a ent:subject ?s ; ent:predicate ?p ; ent:object ?o ;
          ent:polarity ?pol ; ent:certainty ?c ; ent:attributedTo ?who ; ent:evidence ?ev ;
          ent:quote ?q ; ent:rule ?r ; prov:wasDerivedFrom ?d ; prov:wasGeneratedBy ?b .
          ?ev nif:anchorOf ?q . ?d a ent:Document }} }} }}""")
    assert missing == 0
    # truthy triples exactly for affirmed, unhedged assertions (the background facts of
    # graph/entities, "Russia memberOf BRICS", are no assertion's: a hedged claim may match one)
    stray = _one(store, f"""PREFIX ent: <{ENT}>
        SELECT (COUNT(*) AS ?n) WHERE {{ ?a ent:subject ?s ; ent:predicate ?p ; ent:object ?o .
        {{ ?a ent:polarity ent:Negated }} UNION {{ ?a ent:certainty ?c
        FILTER(?c != ent:Asserted) }}
        FILTER NOT EXISTS {{ ?a2 ent:subject ?s ; ent:predicate ?p ; ent:object ?o ;
          ent:polarity ent:Affirmed ; ent:certainty ent:Asserted }}
        GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{BASE}graph/entities>) }}""")
    assert stray == 0
    assert _one(store, f"""PREFIX ent: <{ENT}> SELECT (COUNT(*) AS ?n) WHERE {{
        ?a ent:polarity ent:Negated }}""") > 0
    assert _one(store, f"""PREFIX ent: <{ENT}> SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{
        GRAPH ?g {{ ?d a ent:Document }} FILTER(STRSTARTS(STR(?g), "{BASE}graph/document/"))
        }}""") == info.documents


def test_synthetic_texts_have_metadata(tmp_path) -> None:
    info = synth.synth_texts(3, 1, tmp_path / "texts", base=BASE)
    meta = json.loads((tmp_path / "texts" / "metadata.json").read_text())
    assert info["documents"] == 3 == len(meta["documents"])
    for entry in meta["documents"]:
        text = (tmp_path / "texts" / entry["file"]).read_text()
        assert text.startswith(entry["title"])
    assert info["bytes"] == sum(f.stat().st_size for f in (tmp_path / "texts").glob("*.txt"))


def test_percentile_and_sizes() -> None:
    assert percentile([], 50) == 0.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert percentile([1.0, 2.0, 3.0], 100) == 3.0
    assert parse_sizes("100k,1m, 20000", []) == [20_000, 100_000, 1_000_000]
    assert parse_sizes(None, [5]) == [5]
    with pytest.raises(UsageError, match="--sizes"):
        parse_sizes("ten", [])


class _Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    paths: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        _Ok.paths.append(self.path)
        body = b'{"results": {"bindings": []}}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_python_load_tool_counts_requests() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/q"
        result = http.load_test(url, [1, 4], 0.3, use_wrk=False)
        latencies = http.http_latencies_urls({"q": url}, runs=3, budget_s=0.2)
    finally:
        server.shutdown()
        server.server_close()
    assert set(result) == {"1", "4"}
    for r in result.values():
        assert r["requests"] > 0 and r["errors"] == 0 and r["rps"] > 0
        assert 0 <= r["p50_ms"] <= r["p99_ms"]
    assert latencies["q"]["rows"] == 0 and latencies["q"]["runs"] >= 1


def test_load_over_a_list_of_urls_takes_each_in_turn() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Ok.paths.clear()
    try:
        root = f"http://127.0.0.1:{server.server_address[1]}"
        urls = [f"{root}/q?a={n}" for n in range(5)]
        one = http.rotating_latency(urls, runs=7, budget_s=30.0)
        assert http.rotating_latency(urls, runs=7, budget_s=0.0)["runs"] == 5  # one pass
        seen = list(_Ok.paths[:7])
        load = http.load_test(urls, [3], 0.3, use_wrk=False)["3"]
    finally:
        server.shutdown()
        server.server_close()
    assert seen == [f"/q?a={n}" for n in (0, 1, 2, 3, 4, 0, 1)]
    assert one["urls"] == 5 and one["runs"] == 7 and one["rows_total"] == 0
    assert load["requests"] >= 3 and load["errors"] == 0
    assert set(_Ok.paths[12:]) == {f"/q?a={n}" for n in range(5)}


def test_wrk_script_requests_the_paths_in_turn(tmp_path) -> None:
    script = http.wrk_script(["http://h:1/queries/x?a=https%3A%2F%2Fe.org%2F1&b=%22",
                              "http://h:1/sparql"], tmp_path / "r.lua").read_text()
    assert '"/queries/x?a=https%3A%2F%2Fe.org%2F1&b=%22",' in script
    assert '"/sparql",' in script
    assert "i = i % #paths + 1" in script and "wrk.format(nil, paths[i])" in script


def _non_negative(value: object, where: str = "") -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        assert value >= 0, where
    elif isinstance(value, dict):
        for k, v in value.items():
            _non_negative(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _non_negative(v, f"{where}[{i}]")


def test_quick_run_functions_write_every_key(tmp_path, monkeypatch) -> None:
    cfg = harness.BenchConfig.quick_config(tmp_path / "out", tmp_path / "work")
    cfg.sizes = [5000]
    cfg.include_corpus = False
    cfg.build = False
    cfg.http = False  # the live server is covered by the server's own tests
    cfg.runs = 2
    names = sorted(canned.load_all())
    preferred = [n for n in ("claims-by-source", "documents", "negated-claims",
                             "shared-memberships", "un-votes") if n in names]
    cfg.only_queries = preferred or names[:3]  # a few queries keep the suite fast
    results = harness.run(cfg, log=lambda line: None)
    path = harness.write_json(results, tmp_path / "out" / "quick.json")
    data = json.loads(path.read_text())
    for key in harness.REQUIRED_KEYS:
        assert key in data
    size = data["sizes"]["5000"]
    # every stage this configuration runs ran (a stage not reached is still a key), and those
    # it turns off say so
    off = {"virtuoso", "remote", "http"}
    for key in harness.SIZE_KEYS:
        assert ("skipped" in size[key]) == (key in off), (key, size[key])
        assert "error" not in size[key], (key, size[key])
    assert size["dataset"]["triples"] >= 5000
    assert 0.99 * size["dataset"]["triples"] <= size["load"]["quads"] <= size["dataset"][
        "triples"]  # the generator may repeat a quad; the store keeps one
    assert set(size["engine"]["queries"]) == set(data["queries"]) == set(cfg.only_queries)
    for name, q in size["engine"]["queries"].items():
        assert "p50_ms" in q or "timeout_s" in q, name
    # rdflib ran each query with the cap derived from the engine's p50, measured before it
    rule = (cfg.rdflib_query_timeout_s, cfg.rdflib_cap_factor, cfg.rdflib_max_query_timeout_s,
            cfg.rdflib_total_s)
    caps = rdflib_peer.rdflib_caps(cfg.only_queries, size["engine"]["queries"], base_s=rule[0],
                                   factor=rule[1], max_s=rule[2], total_s=rule[3])
    assert {n: q["cap_s"] for n, q in size["rdflib"]["queries"].items()} == caps
    assert size["rdflib"]["cap_rule"] == rdflib_peer.cap_rule(*rule)
    # the engine's floor: a bare bulk_load of the same dump, on disk and in memory
    floor = size["load"]["engine_load"]
    assert floor["disk"]["quads"] == floor["memory"]["quads"] == size["load"]["quads"]
    assert not list((tmp_path / "work" / "5000").glob("engine-load-*"))
    lookup = size["lookup"]
    assert lookup["query"] == lookup_stages.LOOKUP_QUERY == data["sizes"]["5000"]["cheap_query"]
    assert 2 <= len(lookup["params"]) <= lookup_stages.LOOKUP_VALUES
    assert all(p["a"] < p["b"] for p in lookup["params"])
    assert lookup["engine"]["runs"] >= 2 * len(lookup["params"])
    # the variants of claims-by-source and un-votes, narrowed by values from the store, and
    # their queries' own texts: the same rows
    narrowed = size["narrowed"]
    assert narrowed["values"]["source"] == lookup_stages.NARROWED_VALUES
    assert 1 <= narrowed["values"]["state"] <= lookup_stages.NARROWED_VALUES  # few states at 5000
    assert set(narrowed["queries"]) == {f"{q}{s}" for q in ("claims-by-source?source",
                                                             "un-votes?state")
                                        for s in ("", " (own text)")}
    for key in ("claims-by-source?source", "un-votes?state"):
        variant, own = narrowed["queries"][key], narrowed["queries"][f"{key} (own text)"]
        assert variant["rows"] == own["rows"]
        assert variant["answer"] == own["answer"]  # (of the first value)
        assert variant["runs"] >= narrowed["values"][key.split("?")[1]] and "p50_ms" in own
    assert narrowed["queries"]["claims-by-source?source"]["rows"] > 0
    for name in cfg.only_queries:  # the cache stage measured each query three ways
        cached = size["cache"][name]
        assert cached["wsgi_rps"] > 0 and cached["rps"] > 0 and cached["engine_rps"] > 0
        assert cached["wsgi_bytes"] > 0 and cached["engine_cached"] is True
        assert cached["wsgi_logged_rps"] > 0
    assert {t["id"] for t in data["targets"]} >= {"vs-rdflib", "load-1m", "cache", "rss-10m"}
    for t in data["targets"]:
        assert t["status"] in {"PASS", "MISS", "UNDECIDED", "N/A"}
    _non_negative(data)
    access = (tmp_path / "work" / "cache-access.log").read_text().splitlines()
    assert access and all(json.loads(line)["cached"] is True for line in access)
    text = report.format_report(data)
    assert "Targets" in text and "Canned queries at 5000 triples" in text
    assert "Canned queries narrowed by a parameter" in text
    assert re.search(r"5000 +claims-by-source\?source +8 ", text)
    # the overhead rounds of the HTTP stage: the lookup in-process on this store, then over
    # HTTP (here a stub server and the Python load tool), alternated
    monkeypatch.setattr(http, "wrk_available", lambda: False)
    cfg.load_duration_s = 0.2
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Ok.paths.clear()
    try:
        root = f"http://127.0.0.1:{server.server_address[1]}"
        urls = [f"{root}/queries/{lookup['query']}?n={n}" for n in range(len(lookup["params"]))]
        paired = http_stage.overhead_rounds(cfg, "5000", size["load"],
                                         engine.canned_workload(BASE), lookup, urls)
    finally:
        server.shutdown()
        server.server_close()
    assert len(paired["rounds"]) == cfg.overhead_rounds
    for r in paired["rounds"]:
        assert r["engine_p50_ms"] > 0 and r["http_p50_ms"] >= 0
    assert paired["engine_p50_ms"] > 0 and _Ok.paths and set(_Ok.paths) <= {
        u[len(root):] for u in urls}


def test_large_sizes_are_bounded(tmp_path) -> None:
    cfg = harness.BenchConfig(out=tmp_path / "out", work=tmp_path / "work", sizes=[10_000_000])
    assert cfg.synth_docs >= 1000  # requirement 2: a text corpus of 1,000+ documents
    assert harness.query_timeout(cfg, 1_000_000) == cfg.query_timeout_s
    assert harness.query_timeout(cfg, 10_000_000) == cfg.large_query_timeout_s < 60
    big = {"path": str(tmp_path / "none.nq"), "triples": 10_000_000}
    skipped = harness.stage_virtuoso(cfg, "10000000", big, {}, None, {})
    assert "skipped" in skipped and "2,000,000" in skipped["skipped"]
    assert "skipped" in harness.stage_remote(cfg, "10000000", big, {})


def test_entente_bench_quick_runs_every_stage_end_to_end(tmp_path: Path) -> None:
    """``entente bench --quick``, as a user runs it (the CLI in a child process, ~50 s): the
    build stage, both sizes through every stage run here (the server over HTTP, the load tool,
    its RSS), the table printed, the JSON and the chart written.  Virtuoso is off in this
    mode (tests/remote covers the peer)."""
    root = Path(__file__).resolve().parents[2]
    corpus = root / "corpus"
    out = tmp_path / "out"
    env = {**os.environ, "ENTENTE_CORPUS": str(corpus)}
    proc = subprocess.run([sys.executable, "-m", "entente", "bench", "--quick", "--out",
                           str(out)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    stages = proc.stdout.split("\n\n", 1)[0]  # (the stage lines, before the tables)
    assert "ERROR" not in proc.stdout, stages
    for section in ("Build (entente build", "Worst-case pages", "Load and serve",
                    "Canned queries at 20000 triples", "Canned queries at corpus",
                    "Cheap lookup", "HTTP load, cheap lookup", "Targets"):
        assert section in proc.stdout, section
    assert proc.stdout.rstrip().endswith(f"and {out / 'scaling-quick.png'}")
    assert (out / "scaling-quick.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in out.iterdir()) == ["quick.json", "scaling-quick.png"]
    data = json.loads((out / "quick.json").read_text())
    for key in harness.REQUIRED_KEYS:
        assert key in data
    assert set(data["sizes"]) == {"corpus", "20000"}
    for label, size in data["sizes"].items():
        for key in harness.SIZE_KEYS:  # each stage ran but the Virtuoso peer and the remote
            # backend (off in this mode: tests/remote covers them)
            assert ("skipped" in size[key]) == (key in {"virtuoso", "remote"}), (
                label, key, size[key])
            assert "error" not in size[key], (label, key, size[key])
        assert size["load"]["quads"] > 0 and size["engine"]["queries"]
        http_ = size["http"]
        assert set(http_["queries"]) == set(data["queries"])
        for name, q in http_["queries"].items():
            assert q.get("runs", 0) >= 1 and q["p50_ms"] > 0 and q["p99_ms"] >= q["p50_ms"], (
                label, name, q)
        assert set(http_["load_test"]) == {"1", "8", "32"}
        for c, run in http_["load_test"].items():  # (a loaded CI machine may time some
            # requests out: counted, not asserted)
            assert run["rps"] > 0 and 0 <= run["errors"] <= run["requests"], (label, c, run)
            assert run["seconds"] > 0 and run["concurrency"] == int(c), (label, c, run)
        for name, q in http_["queries"].items():  # the whole answer, as in-process
            assert q["rows"] == size["engine"]["queries"][name]["rows"], (label, name)
            assert q["answer"] == size["engine"]["queries"][name]["answer"], (label, name)
            assert "truncated" not in q, (label, name)
        for name, q in size["rdflib"]["queries"].items():  # (those within rdflib's cap)
            if "rows" in q:
                assert q["answer"] == size["engine"]["queries"][name]["answer"], (label, name)
        assert http_["memory"]["peak_rss_mb"] > 0 and http_["startup_to_first_answer_s"] > 0
    assert data["sizes"]["corpus"]["dataset"]["source"] == "corpus build"
    assert data["sizes"]["20000"]["dataset"]["triples"] >= 20000
    # (a growth exponent may be below 0: a page extracted in 0.4 ms at both sizes)
    _non_negative({**data, "build": {k: v for k, v in data["build"].items()
                                     if k != "worst-cases"}})
    # the build stage: the corpus and its copies with one worker, the synthetic texts with
    # one and two (the speed-up); the worst-case pages each at two sizes
    from entente.bench import worst_cases

    build = data["build"]
    assert build["corpus_copies_texts"] == {
        "copies": 2, "documents": 10, "bytes": 2 * sum(f.stat().st_size
                                                       for f in corpus.glob("*.txt"))}
    assert build["synthetic_texts"]["documents"] == 10
    for part, documents, workers in (("corpus", 5, {"1"}), ("corpus-copies", 10, {"1"}),
                                     ("synthetic", 10, {"1", "2"})):
        runs = build[part]
        assert set(runs) == workers, (part, runs)
        assert runs["1"]["speedup"] == 1.0
        for n, run in runs.items():
            assert run["documents"] == documents and run["workers"] == int(n)
            assert run["stages"]["processes"] == run["workers"]
            assert run["extract_cpu_s"] > 0 and run["extract_mb_per_cpu_s"] > 0
    assert set(build["worst-cases"]) == set(worst_cases.CASES)
    for name, case in build["worst-cases"].items():
        small, large = case["sizes"]
        assert small["cpu_s"] > 0 and large["cpu_s"] > 0, name
        assert 1.8 * small["chars"] <= large["chars"] <= 2.2 * small["chars"], name
        assert isinstance(case["growth_k"], float)
    ids = {t["id"] for t in data["targets"]}
    assert ids >= {"vs-rdflib", "load-1m", "cache", "rss-10m", "startup", "http-overhead"}
    run = data["run"]  # what ran: the commit and the versions measured
    assert run["versions"]["pyoxigraph"] == importlib.metadata.version("pyoxigraph")
    assert run["versions"]["rdflib"] == importlib.metadata.version("rdflib")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", run["started_utc"])


def test_the_virtuoso_peer_answers_a_query_past_8_kb(virtuoso: str, tmp_path: Path) -> None:
    """The peer sends queries by URL-encoded POST: as a GET, Virtuoso 7.2 mangled one past
    ~8 KB (the canned timeline, 8,211 characters, got "Parentheses are not balanced")."""
    from urllib.parse import urlsplit

    from entente.bench.virtuoso import Virtuoso, latencies

    server = Virtuoso(None, tmp_path, 0, urlsplit(virtuoso).port)  # the suite's Virtuoso
    long = ("# a comment (with brackets) that makes the query long\n" * 170
            + 'SELECT ?o WHERE { VALUES ?o { "(1)" "(2)" "3" } FILTER(CONTAINS(?o, "(")) }')
    assert len(long) > 9000
    found = latencies(server, {"long": {"text": long, "subs": {}}}, runs=2, budget_s=0.1,
                      timeout_s=30)
    assert found["long"]["rows"] == 2, found
