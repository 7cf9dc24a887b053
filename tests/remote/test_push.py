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
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


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


#: an RDF list of three (six blank-node triples), a plain triple, and a blank node in two
#: graphs (a reified note)
LISTED, OTHER = f"{TEST_BASE}graph/listed", f"{TEST_BASE}graph/other"
_S, _P = "<http://x.example/s>", "<http://x.example/p>"
BLANK_LINES = [
    f"{_S} {_P} _:l1 <{LISTED}>", f'_:l1 <{RDF}first> "a" <{LISTED}>',
    f"_:l1 <{RDF}rest> _:l2 <{LISTED}>", f'_:l2 <{RDF}first> "b" <{LISTED}>',
    f"_:l2 <{RDF}rest> _:l3 <{LISTED}>", f'_:l3 <{RDF}first> "c" <{LISTED}>',
    f"_:l3 <{RDF}rest> <{RDF}nil> <{LISTED}>", f'{_S} <http://x.example/q> "plain" <{LISTED}>',
    f'_:note <http://x.example/says> "n" <{LISTED}>',
    f'_:note <http://x.example/says> "n" <{OTHER}>']
LIST_MEMBERS = (f"SELECT ?m WHERE {{ GRAPH <{LISTED}> {{ {_S} {_P} ?l . "
                f"?l <{RDF}rest>*/<{RDF}first> ?m }} }} ORDER BY ?m")
SHARED_WARNING = (
    "entente push: warning: 1 blank node(s) in more than one graph: each graph's is a blank "
    "node of its own on the remote (a request's blank nodes are its own; give them IRIs to "
    "keep them one)")


def test_a_blank_node_s_triples_go_in_one_graph_store_request(
        entente, virtuoso: str, virtuoso_push_args: list[str], tmp_path: Path) -> None:
    """A request's blank nodes are its own: with one triple a batch, an RDF list was split
    into unconnected blank nodes, and the counts still matched.  Each set of triples its
    blank nodes join goes whole in one request; a blank node in two graphs is two on the
    remote, and the push says so.  (Virtuoso 7.2 refuses blank nodes in ``INSERT DATA``:
    the update path is tested against a pyoxigraph remote below.)"""
    data = write_nq(tmp_path / "lists.nq", BLANK_LINES)
    done = entente("push", "--data", str(data), "--base-iri", TEST_BASE, "--batch", "1",
                   "--quiet", *virtuoso_push_args)
    assert done.returncode == 0, done.stderr
    body = requests.post(f"{virtuoso}/sparql", data={"query": LIST_MEMBERS},
                         headers={"Accept": RESULTS}, timeout=30).content
    rows = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
    assert [str(row["m"]) for row in rows] == ['"a"', '"b"', '"c"']
    assert done.stderr.splitlines()[0] == SHARED_WARNING
    assert "pushed 10 triples in 2 graphs" in done.stderr


class EngineStore(BaseHTTPRequestHandler):
    """A SPARQL 1.1 Update and Query endpoint over an in-memory pyoxigraph store: each
    update runs as sent (its blank nodes fresh, as in any store)."""

    store = ox.Store()

    def log_message(self, *args) -> None:  # noqa: ANN002 - quiet
        return

    def do_POST(self) -> None:  # noqa: N802
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        if "update" in form:
            EngineStore.store.update(form["update"][0])
            self.send_response(204)
            self.end_headers()
            return
        results = EngineStore.store.query(form["query"][0], use_default_graph_as_union=False)
        body = results.serialize(format=ox.QueryResultsFormat.XML)
        self.send_response(200)
        self.send_header("Content-Type", RESULTS)
        self.end_headers()
        self.wfile.write(body)


def test_a_blank_node_s_triples_go_in_one_update(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), EngineStore)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    EngineStore.store = ox.Store()
    source = ox.Store()
    source.bulk_load(path=str(write_nq(tmp_path / "lists.nq", BLANK_LINES)),
                     format=ox.RdfFormat.N_QUADS)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        report = push(source, Target(endpoint=url), batch=1, quiet=True)
    finally:
        server.shutdown()
        server.server_close()
    members = [str(row["m"]) for row in EngineStore.store.query(LIST_MEMBERS)]
    assert members == ['"a"', '"b"', '"c"']
    assert (report.graphs, report.triples, report.shared_blank_nodes) == (2, 10, 1)


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
