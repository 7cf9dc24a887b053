"""Safe by default: time limit, memory limit, row cap, request-size cap, SERVICE refused,
CORS, one error shape without stack traces, rate limiting."""

from __future__ import annotations

import multiprocessing
import os
import re
import select
import socket
import struct
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from entente.server import query_child
from entente.server.errors import BadRequest
from entente.server.lexer import check_query, check_update
from flask import Flask

from .conftest import BASE, ENT, RDF_TYPE, dataset_lines, publish_dataset  # noqa: TID252

# Never finishes, in constant memory (a streamed count of every quad to the fourth power):
# a sorted cross product grows ~0.9 GB/s and could hit the memory cap before the time limit.
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP = "ASK { <https://entente.example.org/id/state/china> ?p ?o }"


def test_timeout_stops_the_query_while_others_are_served(live_server) -> None:
    slow_result: dict[str, object] = {}
    slow_done = threading.Event()

    def slow() -> None:
        slow_result["response"] = live_server.get("sparql", params={"query": PATHOLOGICAL})
        slow_done.set()

    thread = threading.Thread(target=slow)
    thread.start()
    answered_meanwhile, statuses, n = 0, [], 0
    while not slow_done.is_set():
        n += 1  # a different query text each time, so the cache does not answer
        r = live_server.get("sparql", params={"query": f"{CHEAP} # {n}"})
        statuses.append(r.status_code)
        if not slow_done.is_set():
            answered_meanwhile += 1
        slow_done.wait(0.2)
    thread.join(60)
    assert set(statuses) == {200}
    assert answered_meanwhile >= 1, "no cheap query was answered while the slow one ran"
    response = slow_result["response"]
    assert response.status_code == 503
    assert response.json() == {
        "error": f"query exceeded the {live_server.timeout:g} s time limit", "status": 503}
    # the killed child was replaced: the pool still answers, and the timeout was counted
    assert live_server.get("sparql", params={"query": CHEAP + " # after"}).status_code == 200
    assert "entente_query_timeouts_total 1" in live_server.get("metrics").text


def test_memory_limit_is_a_clear_503_and_the_engine_recovers(make_app) -> None:
    app = make_app(query_memory_mb=100, query_processes=1)
    client = app.test_client()
    three_way = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?i"
    r = client.get("/sparql", query_string={"query": three_way})
    assert r.status_code == 503
    assert r.get_json()["error"] == "query exceeded the memory limit or crashed"
    assert client.get("/sparql", query_string={"query": CHEAP}).get_json()["boolean"] is True


def test_row_cap_is_stated_in_header_and_json(live_server) -> None:
    r = live_server.get("sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"})
    assert r.status_code == 200
    assert r.headers["X-SPARQL-Truncated"] == "true"
    assert r.headers["X-SPARQL-Max-Rows"] == str(live_server.max_rows)
    body = r.json()
    assert len(body["results"]["bindings"]) == live_server.max_rows
    assert body["entente"] == {"truncated": True, "maxRows": live_server.max_rows}
    small = live_server.get("sparql", params={"query": "SELECT ?s WHERE { ?s a ?c } LIMIT 3"})
    assert "X-SPARQL-Truncated" not in small.headers
    assert "entente" not in small.json()


def test_row_cap_applies_to_graphs(live_server) -> None:
    r = live_server.get("sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert r.headers["X-SPARQL-Truncated"] == "true"
    assert len(r.text.strip().splitlines()) == live_server.max_rows


def test_oversized_post_is_413(live_server) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (1_048_576 + 10)
    r = live_server.post("sparql", data={"query": big})
    assert r.status_code == 413
    assert r.json()["status"] == 413


def _chunked(data: bytes) -> Iterator[bytes]:
    """A body requests sends with Transfer-Encoding: chunked (no Content-Length)."""
    for i in range(0, len(data), 65_536):
        yield data[i:i + 65_536]


def test_oversized_chunked_body_is_413_not_cut(live_server) -> None:
    """A body without Content-Length over the limit is refused whole: cut at the limit, the
    query below would have run over every graph, its graph parameter lost."""
    graph = "https://entente.example.org/graph/build"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } #"
    form = urlencode({"query": count + "x" * 1_100_000, "default-graph-uri": graph})
    too_big = [
        live_server.post("sparql", data=_chunked(form.encode()),
                         headers={"Content-Type": "application/x-www-form-urlencoded"}),
        live_server.post("sparql", data=_chunked((count + "x" * 1_100_000).encode()),
                         headers={"Content-Type": "application/sparql-query"}),
    ]
    for r in too_big:
        assert r.request.headers.get("Transfer-Encoding") == "chunked"
        assert "Content-Length" not in r.request.headers
        assert r.status_code == 413 and r.json()["status"] == 413, r.text[:300]
    small_form = urlencode({"query": count, "default-graph-uri": graph}).encode()
    whole = live_server.post("sparql", data=_chunked(small_form),
                             headers={"Content-Type": "application/x-www-form-urlencoded",
                                      "Accept": "text/csv"})
    declared = live_server.post("sparql", data=small_form,
                                headers={"Content-Type": "application/x-www-form-urlencoded",
                                         "Accept": "text/csv"})
    assert whole.status_code == declared.status_code == 200
    assert whole.text == declared.text  # the graph parameter was read: the build graph only
    union = live_server.get("sparql", params={"query": count}, headers={"Accept": "text/csv"})
    assert union.text != whole.text


def test_oversized_query_string_is_413(make_app) -> None:
    app = make_app(max_request_bytes=2000)
    r = app.test_client().get("/sparql", query_string={"query": "ASK {} #" + "x" * 3000})
    assert r.status_code == 413
    assert r.get_json() == {
        "error": "the query string is larger than the 2000-byte limit", "status": 413}


def _raw_get(url: str, target: str, headers: str = "") -> tuple[int, dict[str, str], bytes]:
    """GET ``target`` as it is written (status, headers in lower case, body)."""
    host, port = url.split("//")[1].strip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n{headers}"
                     "Connection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(1 << 16):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    fields = dict(line.lower().split(": ", 1) for line in lines)
    return int(status.split()[1]), fields, body


def test_a_get_whose_url_passes_64_kib_is_an_empty_414(live_server) -> None:
    """README: "a GET's URL stops at 64 KiB, an empty 414 from the HTTP layer" (hyper refuses
    a request target over 65,534 bytes, before the app: no JSON, no CORS header)."""
    start = "/sparql?query=ASK%20%7B%7D%20%23"
    origin = "Origin: https://x.example\r\nAccept: text/csv\r\n"
    status, fields, body = _raw_get(live_server.url, start + "x" * (65_534 - len(start)), origin)
    assert (status, body) == (200, b"_askResult\r\ntrue\r\n")
    assert fields["access-control-allow-origin"] == "*"
    status, fields, body = _raw_get(live_server.url, start + "x" * (65_535 - len(start)), origin)
    assert (status, fields.get("content-length"), body) == (414, "0", b"")
    assert "access-control-allow-origin" not in fields


def test_service_makes_no_connection(live_server) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    port = listener.getsockname()[1]
    try:
        for query in [
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
            f"PREFIX x: <http://127.0.0.1:{port}/> "
            "SELECT * { SERVICE SILENT x:sparql { ?s ?p ?o } }",
            f"SELECT * {{ ?s ?p ?o OPTIONAL {{ service <http://127.0.0.1:{port}/> {{ ?s ?q ?r }} }}"
            " }",
            # escapes the engine reads inside a token: the lexer once took the '#' after them
            # for a comment and let the SERVICE through (the engine connected)
            "PREFIX ex: <http://ex.example/>\nSELECT * WHERE { BIND(ex:a\\# AS ?q) "
            f"SERVICE <http://127.0.0.1:{port}/sparql> {{ ?x ?y ?z }} }}",
            "SELECT * WHERE { BIND(<http://ex.example/\\u0041#> AS ?q) "
            f"SERVICE <http://127.0.0.1:{port}/sparql> {{ ?x ?y ?z }} }}",
            "PREFIX ex: <http://ex.example/>\nSELECT * WHERE { BIND(ex:a\U00010000\\# AS ?q) "
            f"SERVICE <http://127.0.0.1:{port}/sparql> {{ ?x ?y ?z }} }}",
            f"PREFIX ex: <http://127.0.0.1:{port}/> "
            "SELECT * { SERVICE ex:sp\\#x { ?s ?p ?o } }",
        ]:
            r = live_server.get("sparql", params={"query": query})
            assert r.status_code == 400, query
            assert r.json()["error"].startswith(f"SERVICE <http://127.0.0.1:{port}/")
            assert "ENTENTE_SERVICE_ALLOWLIST" in r.json()["error"]
        readable, _, _ = select.select([listener], [], [], 0.5)
        assert readable == [], "the server connected to the SERVICE endpoint"
    finally:
        listener.close()


def test_service_allowlist_lets_a_named_endpoint_through() -> None:
    query = "SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    assert check_query(query, ["https://query.wikidata.org/sparql"]) == "SELECT"
    with pytest.raises(BadRequest):
        check_query(query, ["https://example.org/sparql"])


@pytest.mark.parametrize(("query", "error"), [
    ("SELECT * WHERE { ?s ?p ?o } \\ # SERVICE <http://x/> { }",
     "malformed query: error at 1:29: unexpected '\\'"),
    ("SELECT * WHERE { SERVICE <http://x/\\u0073parql> { ?s ?p ?o } }",
     "SERVICE <http://x/sparql> is not allowed"),
    ("PREFIX ex: <http://ex/> SELECT * { BIND(ex:a\\# AS ?q) " + "{" * 300 + "}" * 300 + " }",
     "query nests brackets 301 deep"),
])
def test_what_the_lexer_cannot_read_as_the_engine_does_is_refused(query: str, error: str) -> None:
    with pytest.raises(BadRequest, match=re.escape(error)):
        check_query(query)


def test_escaped_service_targets_match_the_allowlist_as_the_engine_reads_them() -> None:
    allowed = ["http://x/sparql#a"]
    assert check_query("SELECT * { SERVICE <http://x/\\u0073parql#a> { ?s ?p ?o } }",
                       allowed) == "SELECT"
    assert check_query("PREFIX x: <http://x/> SELECT * { SERVICE x:sparql\\#a { ?s ?p ?o } }",
                       allowed) == "SELECT"
    with pytest.raises(BadRequest, match="LOAD is not allowed"):
        check_update("PREFIX ex: <http://ex/> INSERT DATA { ex:a ex:b ex:c\\# } ; "
                     "LOAD <http://127.0.0.1:1/data.ttl>")


def test_keywords_inside_strings_and_iris_are_not_refused() -> None:
    query = ('SELECT * { ?s <http://x/SERVICE> "LOAD <http://x> INSERT" . '
             "?s ?p 'DELETE' # SERVICE <http://evil/>\n }")
    assert check_query(query) == "SELECT"


def test_cors_headers_and_preflight(live_server) -> None:
    r = live_server.get("sparql", params={"query": CHEAP},
                        headers={"Origin": "https://analyst.example"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip() for h in r.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"X-SPARQL-Truncated", "Link", "ETag", "Retry-After"} <= exposed
    pre = live_server.session_options("sparql", {
        "Origin": "https://analyst.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 200
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert pre.headers["Access-Control-Allow-Headers"] == "content-type"


def test_cors_origin_list(make_app) -> None:
    app = make_app(cors_origins=("https://ok.example",))
    client = app.test_client()
    ok = client.get("/healthz", headers={"Origin": "https://ok.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://ok.example"
    assert "Origin" in ok.headers["Vary"]
    other = client.get("/healthz", headers={"Origin": "https://other.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_with_cors_every_answer_varies_by_origin(make_app) -> None:
    """With ``*`` the allow header is sent only to requests with an Origin, so a shared
    cache must key on it: ``Vary: Origin`` with or without one, on both paths."""
    client = make_app(cors_origins=("*",)).test_client()
    query = "/sparql?query=ASK%20%7B%7D"
    for headers in ({}, {"Origin": "https://a.example"}):
        for path in (query, "/queries/shared-memberships", "/healthz", "/no/such/page"):
            response = client.get(path, headers=headers)
            assert "Origin" in response.headers.get("Vary", ""), (path, headers)
            assert ("Access-Control-Allow-Origin" in response.headers) == bool(headers)
    closed = make_app(cors_origins=()).test_client().get(query)
    assert "Origin" not in closed.headers.get("Vary", "")


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "no/such/path", 404), ("PUT", "sparql", 405), ("DELETE", "healthz", 405),
])
def test_errors_are_one_json_shape(live_server, method: str, path: str, status: int) -> None:
    import requests

    r = requests.request(method, live_server.url + path, timeout=10)
    assert r.status_code == status
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["status"] == status and isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in r.text


def test_errors_are_html_for_browsers(live_server) -> None:
    r = live_server.get("no/such/page", headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("text/html")
    assert "<h1>404 Not Found</h1>" in r.text
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_unexpected_exception_is_a_generic_500(make_app, caplog: pytest.LogCaptureFixture) -> None:
    app: Flask = make_app()
    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("secret internal detail")

    r = app.test_client().get("/boom")
    assert r.status_code == 500
    assert r.get_json() == {
        "error": "internal server error; the problem has been logged", "status": 500}
    assert "secret" not in r.get_data(as_text=True)
    assert "Traceback" not in r.get_data(as_text=True)
    assert any("secret internal detail" in (rec.exc_text or "") for rec in caplog.records)


def test_rate_limit_answers_429_with_retry_after(make_app) -> None:
    app = make_app(rate_limit_per_minute=2)
    client = app.test_client()
    codes = [client.get("/sparql", query_string={"query": CHEAP}).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]
    r = client.get("/sparql", query_string={"query": CHEAP})
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) >= 1
    assert r.get_json()["status"] == 429
    assert client.get("/healthz").status_code == 200  # health checks are exempt


class OpenWatch:
    """The names of the files opened in a folder (inotify's IN_OPEN events), as they come."""

    IN_OPEN = 0x20

    def __init__(self, folder: Path) -> None:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        assert self.fd >= 0, os.strerror(ctypes.get_errno())
        assert libc.inotify_add_watch(self.fd, str(folder).encode(), self.IN_OPEN) >= 0

    def opened(self) -> list[str]:
        """The files opened since the last call (events are queued when the file opens)."""
        names: list[str] = []
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return names
            at = 0
            while at < len(data):
                _wd, _mask, _cookie, size = struct.unpack_from("iIII", data, at)
                names.append(data[at + 16:at + 16 + size].rstrip(b"\0").decode())
                at += 16 + size

    def close(self) -> None:
        os.close(self.fd)


def test_a_query_process_over_its_keep_limit_reopens_the_store_and_answers_on(
        make_app, tmp_path: Path) -> None:
    # keep 1 MB: after every query over 50 ms the child closes and reopens the store, which
    # opens its files again (RocksDB's CURRENT first); a store of its own, opened by nothing else
    info = publish_dataset(tmp_path / "store", dataset_lines())
    app = make_app(store=info.link, query_process_keep_mb=1, query_processes=1)
    client = app.test_client()
    watch = OpenWatch(info.oxigraph_path)
    try:
        n = client.get("/sparql", query_string={
            "query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).get_json()
        quads = int(n["results"]["bindings"][0]["n"]["value"])
        assert watch.opened() == []  # a short query: the store stays open
        # 353 quads squared, counted 16 times: ~0.3 s, far over the 50 ms
        squared = ("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . "
                   "VALUES ?k { 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 } } # ")
        for i in range(2):
            r = client.get("/sparql", query_string={"query": f"{squared}{i}"})
            assert r.status_code == 200
            assert r.get_json()["results"]["bindings"][0]["n"]["value"] == str(16 * quads ** 2)
            # the child reopens the store once it has answered, before its next query
            cheap = client.get("/sparql", query_string={"query": f"{CHEAP} # {i}"})
            assert cheap.get_json()["boolean"] is True
            assert watch.opened().count("CURRENT") == 1
        assert client.get("/sparql", query_string={"query": CHEAP}).get_json()["boolean"]
        assert watch.opened() == []
    finally:
        watch.close()


def test_a_query_process_closes_its_store_before_handing_its_memory_back(monkeypatch) -> None:
    # what RocksDB holds after a big query is freed only when the store closes: the child must
    # drop its one reference to the store before the trim that hands the heap back (it held
    # it through the trim, and stayed at 334 MB after a 10M listing instead of ~60)
    opened: list[weakref.ref] = []

    class Store:  # (a stand-in: only its lifetime matters here)
        pass

    def read_only(path: str) -> Store:
        store = Store()
        opened.append(weakref.ref(store))
        return store

    def slow_query(store: Store, job: dict) -> tuple[bytes, str, bool, int]:
        time.sleep(2 * query_child._TRIM_AFTER_S)
        return b"{}", "SELECT", False, 0

    open_at_full_trims: list[int] = []

    def trim(force: bool = False) -> None:
        if force:
            open_at_full_trims.append(sum(ref() is not None for ref in opened))

    monkeypatch.setattr(query_child, "ox",
                        SimpleNamespace(Store=SimpleNamespace(read_only=read_only)))
    monkeypatch.setattr(query_child, "run_query", slow_query)
    monkeypatch.setattr(query_child, "_trim", trim)
    # over the 160 MB it may keep while its first store is open, under it once that is closed
    monkeypatch.setattr(query_child, "_resident_mb", lambda: 400.0 if opened[0]() else 60.0)
    monkeypatch.setattr(query_child, "_exit_when_worker_ends", lambda conn: None)
    ours, theirs = multiprocessing.Pipe()
    child = threading.Thread(target=query_child.child_main, args=(theirs, "store", 0, 160))
    child.start()
    assert query_child.receive_message(ours) == ("ready", None)
    query_child.send_message(ours, {"query": "SELECT * {}"})
    assert query_child.receive_reply(ours) == ("ok", (b"{}", "SELECT", False, 0))
    query_child.send_message(ours, None)
    child.join(5)
    assert not child.is_alive()
    # one full trim with the store open (the heap alone), one after closing it; then reopened
    assert open_at_full_trims == [1, 0]
    assert len(opened) == 2


@pytest.mark.parametrize("gone", ["before it is ready", "while it queries"])
def test_a_query_process_whose_worker_is_gone_ends_quietly(monkeypatch, gone: str) -> None:
    """A worker stopped while it started its query processes (a Ctrl-C right after the server
    answered, under load): the child's "ready" met a broken pipe, and the server's stderr got
    a "Process entente-query:" traceback."""
    monkeypatch.setattr(query_child, "ox", SimpleNamespace(
        Store=SimpleNamespace(read_only=lambda path: object())))
    monkeypatch.setattr(query_child, "_exit_when_worker_ends", lambda conn: None)
    ours, theirs = multiprocessing.Pipe()
    if gone == "before it is ready":
        ours.close()
    else:
        def query_then_gone(store: object, job: dict) -> tuple[bytes, str, bool, int]:
            ours.close()
            return b"{}", "SELECT", False, 0

        monkeypatch.setattr(query_child, "run_query", query_then_gone)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            query_child.child_main(theirs, "store", 0)
        except BaseException as exc:  # (what the process would print as a traceback)
            failures.append(exc)

    child = threading.Thread(target=run)
    child.start()
    if gone == "while it queries":
        assert query_child.receive_message(ours) == ("ready", None)
        query_child.send_message(ours, {"query": "SELECT * {}"})  # (then the worker is gone)
    child.join(10)
    assert not child.is_alive() and failures == []


def test_a_client_timeout_shortens_the_limit_but_never_lengthens_it(make_app) -> None:
    client = make_app(query_timeout=1.0).test_client()
    shorter = client.get("/sparql", query_string={"query": PATHOLOGICAL, "timeout": "0.3"})
    assert shorter.status_code == 503
    assert shorter.get_json()["error"] == "query exceeded the 0.3 s time limit"
    longer = client.post("/sparql", data={"query": PATHOLOGICAL, "timeout": "3600"})
    assert longer.status_code == 503
    assert longer.get_json()["error"] == "query exceeded the 1 s time limit"
    for bad in ("0", "-1", "soon", "nan", "inf", "5e-324", "0.05"):
        r = client.get("/sparql", query_string={"query": "ASK {}", "timeout": bad})
        assert r.status_code == 400 and r.get_json()["parameter"] == "timeout", bad
    canned = client.get("/queries/shared-memberships", query_string={"timeout": "5"})
    assert canned.status_code == 200  # a reserved name, not an unknown parameter
    bad = client.get("/queries/shared-memberships", query_string={"timeout": "soon"})
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "timeout"


#: a class hierarchy 2,000 deep below ent:Actor, one actor of each class: the 'actors' canned
#: query (the most specific type of every actor) takes ~10 s over it on the CI machine
DEEP_CLASSES = 2000


@pytest.fixture(scope="module")
def deep_hierarchy_store(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    subclass = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
    graph = f"<{BASE}graph/ontology>"
    lines, broader = [], f"<{ENT}Actor>"
    for n in range(DEEP_CLASSES):
        cls = f"<{ENT}Deep{n}>"
        lines += [f"{cls} {subclass} {broader} {graph} .",
                  f"<{BASE}id/deep/{n}> <{RDF_TYPE}> {cls} {graph} ."]
        broader = cls
    return publish_dataset(tmp_path_factory.mktemp("deep") / "store", sorted(lines)).link


def test_a_client_timeout_shortens_the_limit_of_a_canned_query(make_app,
                                                              deep_hierarchy_store) -> None:
    """``timeout=`` on /queries/<name> (README: "here and on the canned queries"), on the
    results (the fast path) and on the HTML form: the query stops at the client's 0.3 s, not
    the server's 3 s (nor runs to its end, ~10 s)."""
    client = make_app(store=deep_hierarchy_store, query_timeout=3.0).test_client()
    results = client.get("/queries/actors", query_string={"timeout": "0.3"},
                         headers={"Accept": "application/sparql-results+json"})
    assert (results.status_code, results.get_json()) == (
        503, {"error": "query exceeded the 0.3 s time limit", "status": 503})
    form = client.get("/queries/actors", query_string={"timeout": "0.3"},
                      headers={"Accept": "text/html"})
    assert (form.status_code, form.mimetype) == (503, "text/html")
    assert "<h1>503 Service Unavailable</h1><p>query exceeded the 0.3 s time limit</p>" \
        in form.text


def test_an_allowlisted_service_is_called_and_its_rows_joined(live_server, make_app) -> None:
    remote = live_server.url + "sparql"
    app = make_app(service_allowlist=(remote,))
    label = "http://www.w3.org/2004/02/skos/core#prefLabel"
    query = (f"SELECT ?label WHERE {{ SERVICE <{remote}> "
             f"{{ <{BASE}id/state/iran> <{label}> ?label }} }}")
    r = app.test_client().get("/sparql", query_string={"query": query},
                              headers={"Accept": "text/csv"})
    assert (r.status_code, r.text) == (200, "label\r\nIran\r\n")
    other = app.test_client().get("/sparql", query_string={
        "query": query.replace(remote, live_server.url + "other")})
    assert other.status_code == 400
    assert "ENTENTE_SERVICE_ALLOWLIST" in other.get_json()["error"]


@pytest.mark.parametrize("tag", ["@data", "@values", "@DATA", "@en-data"])
def test_a_language_tag_does_not_open_a_block_of_flat_data(tag: str) -> None:
    """'"a"@data' was read as '@' and the keyword DATA: the rest of the query up to its next
    closing brace was exempt from the token limit, and a chain of 20,000 terms there crashed
    the query process (a 503, from one unauthenticated request)."""
    chain = " + ".join(["1"] * 3000)
    with pytest.raises(BadRequest, match="tokens outside VALUES and DATA blocks"):
        check_query(f'SELECT ("a"{tag} AS ?x) WHERE {{ FILTER(({chain}) > 0) }}')
    with pytest.raises(BadRequest, match="tokens outside VALUES and DATA blocks"):
        check_update(f'INSERT {{ <x:s> <x:p> "a"{tag} }} WHERE {{ FILTER(({chain}) > 0) }}')
    # the blocks themselves are still flat data: a query of VALUES and a batch of INSERT DATA
    values = " ".join(str(i) for i in range(20_000))
    assert check_query(f'SELECT * {{ VALUES ?v {{ {values} }} ?s ?p "a"{tag} }}') == "SELECT"
    triples = " ".join(f'<x:s{i}> <x:p> "v"{tag} .' for i in range(3000))
    check_update(f"INSERT DATA {{ {triples} }}")
