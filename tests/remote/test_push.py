"""'entente push': Graph Store and SPARQL Update paths, replacement, pruning, retries, checks."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox
import pytest
import requests
from entente.graph.push import PushError, Target, push

TEST_BASE = "https://push.test.example/"
RESULTS = "application/sparql-results+xml"


def remote_graph(base: str, graph: str) -> set[str]:
    query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    body = requests.post(f"{base}/sparql", data={"query": query}, headers={"Accept": RESULTS},
                         timeout=30).content
    results = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
    return {f"{s['s']} {s['p']} {s['o']}" for s in results}


def write_nq(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + " .\n" for line in lines), encoding="utf-8")
    return path


def test_update_path_matches_the_store(entente, virtuoso_corpus: str, built_store) -> None:
    base = virtuoso_corpus
    done = entente("push", "--store", str(built_store.link), "--endpoint", f"{base}/sparql",
                   "--update-endpoint", f"{base}/sparql-auth", "--user", "dba", "--password",
                   "dba", "--auth", "digest", "--batch", "500", "--quiet")
    assert done.returncode == 0, done.stderr
    quads = built_store.manifest["quads"]
    assert f"pushed {quads} triples in 8 graphs" in done.stderr
    assert "by update" in done.stderr and "remote counts match" in done.stderr
    # the push marker names the store that was pushed (its dump's SHA-256)
    marker = "https://entente.example.org/push"
    assert remote_graph(base, marker) == {
        f'<{marker}> <http://purl.org/dc/terms/identifier> "{built_store.manifest["sha256"]}"'}


def test_changed_graph_replaced_and_stale_graph_pruned(entente, virtuoso: str, virtuoso_push_args,
                                                       tmp_path: Path) -> None:
    a, b = f"<{TEST_BASE}graph/a>", f"<{TEST_BASE}graph/b>"
    s, p = "<http://x.example/s>", "<http://x.example/p>"
    first = write_nq(tmp_path / "1.nq", [f'{s} {p} "one" {a}', f'{s} {p} "two" {a}',
                                          f'{s} {p} "é\\"q" {b}'])
    done = entente("push", "--data", str(first), "--base-iri", TEST_BASE, "--quiet",
                   *virtuoso_push_args)
    assert done.returncode == 0, done.stderr
    assert remote_graph(virtuoso, f"{TEST_BASE}graph/b") == {
        '<http://x.example/s> <http://x.example/p> "é\\"q"'}
    second = write_nq(tmp_path / "2.nq", [f'{s} {p} "three" {a}'])
    done = entente("push", "--data", str(second), "--prune", "--base-iri", TEST_BASE,
                   "--quiet", *virtuoso_push_args)
    assert done.returncode == 0, done.stderr
    assert "1 stale graph(s) removed" in done.stderr
    assert remote_graph(virtuoso, f"{TEST_BASE}graph/a") == {
        '<http://x.example/s> <http://x.example/p> "three"'}
    assert remote_graph(virtuoso, f"{TEST_BASE}graph/b") == set()


def test_wrong_password_is_one_clear_line(entente, virtuoso: str, tmp_path: Path) -> None:
    data = write_nq(tmp_path / "x.nq", [f"<http://x/s> <http://x/p> <http://x/o> "
                                        f"<{TEST_BASE}graph/x>"])
    done = entente("push", "--data", str(data), "--endpoint", f"{virtuoso}/sparql",
                   "--graph-store", f"{virtuoso}/sparql-graph-crud-auth", "--user", "dba",
                   "--password", "wrong", "--auth", "digest", "--quiet")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "refused (HTTP 401" in lines[0], done.stderr


# --- retries and the final check, against a scripted fake store ---------------------------


class FakeStore(BaseHTTPRequestHandler):
    """PUT answers 503 ``failures`` times, then 201; SELECT answers the count ``reported``."""

    failures = 0
    reported = 0
    puts: list[str] = []

    def log_message(self, *args) -> None:  # noqa: ANN002 - quiet
        return

    def do_PUT(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        graph = parse_qs(urlparse(self.path).query)["graph"][0]
        FakeStore.puts.append(graph)
        if FakeStore.failures:
            FakeStore.failures -= 1
            self.send_response(503)
            self.end_headers()
            return
        self.send_response(201)
        self.end_headers()

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        graph = FakeStore.puts[-1]
        body = (f'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
                f'<variable name="g"/><variable name="n"/></head><results><result>'
                f'<binding name="g"><uri>{graph}</uri></binding><binding name="n"><literal>'
                f'{FakeStore.reported}</literal></binding></result></results></sparql>')
        self.send_response(200)
        self.send_header("Content-Type", RESULTS)
        self.end_headers()
        self.wfile.write(body.encode())


@pytest.fixture()
def fake_store() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeStore)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeStore.puts = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def small_source() -> ox.Store:
    store = ox.Store()
    graph = ox.NamedNode(f"{TEST_BASE}graph/g")
    for n in range(5):
        store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"),
                          ox.Literal(str(n)), graph))
    return store


def test_retries_with_exponential_backoff(fake_store: str) -> None:
    FakeStore.failures, FakeStore.reported = 2, 5
    waits: list[float] = []
    target = Target(endpoint=fake_store + "/sparql", graph_store=fake_store + "/gsp")
    report = push(small_source(), target, quiet=True, sleep=waits.append)
    assert waits == [0.5, 1.0]
    assert (report.graphs, report.triples, report.retries) == (1, 5, 2)
    assert FakeStore.puts == [f"{TEST_BASE}graph/g"] * 3


def test_batches_and_the_count_check(fake_store: str) -> None:
    FakeStore.failures, FakeStore.reported = 0, 4
    target = Target(endpoint=fake_store + "/sparql", graph_store=fake_store + "/gsp")
    with pytest.raises(PushError, match=r"1 graph\(s\) differ after the push: "
                                        r"<https://push.test.example/graph/g> \(local 5, "
                                        r"remote 4\)"):
        push(small_source(), target, batch=2, quiet=True, sleep=lambda _s: None)


def test_gives_up_after_the_retries(fake_store: str) -> None:
    FakeStore.failures = 100
    target = Target(endpoint=fake_store + "/sparql", graph_store=fake_store + "/gsp")
    with pytest.raises(PushError, match=r"failed after 6 attempts \(HTTP 503"):
        push(small_source(), target, quiet=True, sleep=lambda _s: None)
