"""Against a live ``entente serve`` on the built corpus: a fuzz sample over real sockets,
runaway queries, a worker killed mid-request.  No worker crashes, no hung requests, and the
process tree returns to its configured shape."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote_from_bytes

import requests

from .conftest import (  # noqa: TID252
    Live,
    check_answer,
    descendants,
    processes,
    start_live,
    stop_live,
)
from .test_fuzz import SEEDS  # noqa: TID252

# Never finishes, in constant memory (a streamed count of every quad to the fourth power):
# a sorted cross product grows ~0.9 GB/s and could hit the memory cap before the time limit.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PATH_EXPLOSION = ("SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:x:p>|!<urn:x:q>)* ?b . "
                  "?b (^!<urn:x:q>)* ?c }")
CHEAP = "ASK {{ <https://entente.example.org/id/state/china> ?p ?o }} # {n}"


def _mutant(rng: random.Random) -> str:
    text = rng.choice(SEEDS)
    for _ in range(rng.randint(1, 3)):
        i = rng.randint(0, len(text))
        j = min(len(text), i + rng.randint(0, 10))
        text = rng.choice([text[:i], text[:i] + text[j:], text[:j] + text[i:j] + text[j:],
                           text[:i] + rng.choice("{}()<>\"'.;#\\?\x00") + text[i:]])
    return text


def _request(live: Live, rng: random.Random, n: int) -> tuple[str, requests.Response]:
    kind = n % 6
    if kind == 0:
        return "GET", live.get("sparql", params={"query": _mutant(rng)}, timeout=20)
    if kind == 1:
        return "POST", live.post("sparql", data={"query": _mutant(rng)}, timeout=20)
    if kind == 2:
        raw = _mutant(rng).encode()[: rng.randint(0, 60)] + bytes(rng.randbytes(4))
        return "POST", live.post("sparql", data=raw, timeout=20,
                                 headers={"Content-Type": "application/sparql-query"})
    if kind == 3:
        raw = bytes(rng.randbytes(rng.randint(0, 40)))
        return "GET", requests.get(f"{live.url}sparql?query={quote_from_bytes(raw)}", timeout=20)
    if kind == 4:
        accept = rng.choice(["text/html", "image/png", "*/*;q=x", "", "a" * 5000,
                             "application/sparql-results+xml;q=0.1, text/csv"])
        return "GET", live.get("sparql", params={"query": rng.choice(SEEDS)},
                               headers={"Accept": accept}, timeout=20)
    path = rng.choice(["id/state/china", "queries/actors", "queries/actors?limit=x",
                       "id/%00", "graph/x", "nope", "queries", "ontology", ""])
    return "GET", live.get(path, headers={"Accept": rng.choice(["text/html", "*/*"])},
                           timeout=20)


def test_live_fuzz_sample_crashes_nothing(corpus_live: Live) -> None:
    workers = sorted(p.pid for p in corpus_live.workers())
    rng = random.Random(6)
    statuses: dict[int, int] = {}

    def one(n: int) -> int:
        local = random.Random(rng.random() + n)
        method, response = _request(corpus_live, local, n)  # raises on a hung request
        check_answer(method, response.status_code, response.headers.get("Content-Type", ""),
                     response.content)
        return response.status_code

    with ThreadPoolExecutor(8) as pool:
        for status in pool.map(one, range(300)):
            statuses[status] = statuses.get(status, 0) + 1
    # garbage on the wire: the server answers or closes, and keeps serving
    for garbage in (b"\x00\x01\x02\r\n\r\n", b"GET /sparql?query=\xff\xfe HTTP/1.1\r\n\r\n",
                    b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", b"POST /sparql HTTP/1.1\r\n"
                    b"Content-Length: 99999\r\n\r\nshort"):
        with socket.create_connection(("127.0.0.1", corpus_live.port), timeout=10) as sock:
            sock.sendall(garbage)
            sock.shutdown(socket.SHUT_WR)
            reply = sock.recv(200)
            assert reply == b"" or reply.startswith(b"HTTP/1.1 4"), reply
    assert sum(statuses.values()) == 300 and max(statuses) < 500, statuses
    assert sorted(p.pid for p in corpus_live.workers()) == workers  # no worker died
    assert corpus_live.get("healthz").json()["status"] == "ok"


def test_runaway_queries_are_stopped_and_everything_returns_to_baseline(
        corpus_live: Live) -> None:
    children_before = sorted(p.pid for p in corpus_live.query_children())
    assert len(children_before) == 4  # 2 workers x 2 query processes
    queries = [RUNAWAY, PATH_EXPLOSION] * 10
    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(lambda q: corpus_live.get("sparql", params={"query": q},
                                                          timeout=120), queries))
    statuses = sorted({r.status_code for r in answers})
    assert statuses == [503], statuses
    assert {r.json()["error"] for r in answers} <= {
        "query exceeded the 2 s time limit",
        "all query processes stayed busy for 2 s; try again later"}
    assert "query exceeded the 2 s time limit" in {r.json()["error"] for r in answers}
    # the killed children were replaced: the pool is back to its size, nothing is left over,
    # and no query process still runs (a runaway one would be running, state R, for ever)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = corpus_live.query_children()
        zombies = [p for p in processes().values() if p.state == "Z"
                   and p.ppid in {c.ppid for c in now}]
        running = [p for p in now if p.state == "R"]
        if len(now) == 4 and not zombies and not running:
            break
        time.sleep(0.2)
    assert (len(now), zombies, running) == (4, [], []), now
    assert sorted(p.pid for p in now) != children_before  # the runaway ones were killed
    cheap = [corpus_live.get("sparql", params={"query": CHEAP.format(n=n)}) for n in range(10)]
    assert [r.status_code for r in cheap] == [200] * 10


def test_cheap_queries_answer_during_runaway_queries(corpus_live: Live) -> None:
    """Runaway queries hold query processes; a cheap query gets its own (the pool is elastic
    up to one process per request thread) and is answered while they run."""
    stop = threading.Event()

    def hog() -> None:
        while not stop.is_set():
            corpus_live.get("sparql", params={"query": RUNAWAY}, timeout=120)

    threads = [threading.Thread(target=hog) for _ in range(8)]
    for t in threads:
        t.start()
    try:
        # the cheap queries go in only once runaway queries hold every warm query process
        deadline = time.monotonic() + 30
        while sum(p.state == "R" for p in corpus_live.query_children()) < 4:
            assert time.monotonic() < deadline, "the runaway queries never started"
            time.sleep(0.05)
        codes = [corpus_live.get("sparql", params={"query": CHEAP.format(n=f"r{n}")},
                                 timeout=60).status_code for n in range(4)]
    finally:
        stop.set()
        for t in threads:
            t.join(120)
    assert codes == [200] * 4


def test_worker_killed_mid_request_is_replaced(serve_live, built_store) -> None:  # noqa: ANN001
    live = serve_live(built_store.link, "--workers", "1", "--threads", "4",
                      "--query-timeout", "20")
    [worker] = live.workers()
    outcome: dict[str, object] = {}

    def slow() -> None:
        try:
            outcome["response"] = live.get("sparql", params={"query": RUNAWAY}, timeout=60)
        except requests.RequestException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=slow)
    thread.start()
    deadline = time.monotonic() + 30  # (a bound only)
    while not any(p.state == "R" for p in live.query_children()):
        assert time.monotonic() < deadline, "the runaway query never started"
        time.sleep(0.05)
    # the runaway query is running in a query process of this worker: kill the worker
    os.kill(worker.pid, signal.SIGKILL)
    thread.join(60)
    # that request is lost with its worker: its connection closes with no answer
    assert list(outcome) == ["error"], outcome
    assert isinstance(outcome["error"], requests.ConnectionError), outcome
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = live.workers()
        if workers and workers[0].pid != worker.pid:
            try:
                if live.get("healthz", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
        time.sleep(0.2)
    assert [p.pid for p in live.workers()] != [worker.pid]
    r = live.get("sparql", params={"query": CHEAP.format(n="after-kill")})
    assert r.status_code == 200 and r.json()["boolean"] is True
    # the killed worker's query processes did not linger (no orphan burning CPU)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        orphans = [p for p in processes().values() if p.ppid == 1 and "forkserver" in p.cmdline
                   and str(live.port) not in p.cmdline and p.pid not in
                   {c.pid for c in live.query_children()}]
        if not orphans:
            break
        time.sleep(0.5)
    assert orphans == [], orphans


def test_a_killed_master_leaves_no_process_behind(built_store) -> None:  # noqa: ANN001
    """SIGKILL to the server's main process while a worker's query process runs a runaway query:
    every process it had started (workers, their forkservers, query processes) ends on its
    own, none is left running as an orphan."""
    live = start_live(built_store.link, "--workers", "2", "--threads", "2",
                      "--query-timeout", "60")

    def runaway() -> None:
        with contextlib.suppress(requests.RequestException):  # (its worker dies under it)
            live.get("sparql", params={"query": RUNAWAY}, timeout=90)

    thread = threading.Thread(target=runaway, daemon=True)
    tree: set[int] = set()
    try:
        thread.start()
        deadline = time.monotonic() + 30
        while not any(p.state == "R" for p in live.query_children()):
            assert time.monotonic() < deadline, "the runaway query never started"
            time.sleep(0.05)
        tree = {p.pid for p in descendants(live.process.pid)}
        assert len(live.workers()) == 2 and len(tree) >= 6  # 2 x (worker, forkserver, child)
        live.process.kill()
        live.process.wait()
        # the query runs for 60 s: the workers must not wait for it
        deadline = time.monotonic() + 30
        while True:
            table = processes()
            left = [table[pid] for pid in tree if pid in table and table[pid].state != "Z"]
            if not left or time.monotonic() > deadline:
                break
            time.sleep(0.25)
        assert left == []
        assert "the main process is gone" in live.output()
    finally:
        stop_live(live)
        for pid in tree:  # (on a failure: the master is gone, its processes are not)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
