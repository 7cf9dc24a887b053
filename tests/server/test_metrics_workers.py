"""/metrics under `entente serve` with several web workers: server-wide totals, whichever
worker answers the scrape, that keep what a worker counted before it was restarted."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests
from entente.server.metrics_dir import METRICS_PREFIX, remove_stale_metrics_directories
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from .conftest import BASE, LiveServer, start_server, stop_server  # noqa: TID252

LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
STATES = ("china", "russia", "india")  # three queries: misses and cache hits on each worker
THREADS, PER_THREAD = 8, 15
SPARQL_200 = ("entente_requests_total", (("endpoint", "sparql.sparql"), ("status", "200")))
SECONDS_COUNT = ("entente_query_seconds_count", (("query", "sparql.sparql"),))
HITS = ("entente_cache_hits_total", ())

pytestmark = pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def _workers(master: int) -> set[int]:
    """The web workers: the main process's child processes."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            found.add(int(entry.name))
    return found


def _counter_file(worker: int) -> str | None:
    """The file a worker keeps its counters in (mapped once its app is built), if any yet."""
    try:
        maps = Path(f"/proc/{worker}/maps").read_text()
    except OSError:
        return None
    return next((line.split()[-1] for line in maps.splitlines()
                 if "/entente-metrics-" in line
                 and line.split()[-1].endswith(f"/counter_{worker}.db")), None)


def _booted(server: LiveServer, deadline: float) -> set[int]:
    """Wait until both workers have built their app (a worker still importing would get no
    request); returns their pids."""
    while time.monotonic() < deadline:
        workers = _workers(server.process.pid)
        if len(workers) == 2 and all(_counter_file(w) for w in workers):
            return workers
        time.sleep(0.1)
    pytest.fail(f"the workers did not start: {_workers(server.process.pid)}")


def _worker_requests(worker: int) -> float:
    """What one worker counted itself (entente_requests_total for /sparql, 200)."""
    path = _counter_file(worker)
    assert path is not None
    return _samples_of(MultiProcessCollector.merge([path])).get(SPARQL_200, 0.0)


def _samples_of(metrics) -> dict:  # noqa: ANN001
    return {(s.name, tuple(sorted(s.labels.items()))): s.value for m in metrics for s in m.samples}


def _send(server: LiveServer, count: int) -> list[str]:
    """``count`` GET /sparql, each on a new connection, from THREADS threads at once."""
    failures: list[str] = []

    def run(offset: int) -> None:
        for i in range(count // THREADS):
            state = STATES[(offset + i) % len(STATES)]
            query = f"SELECT ?l WHERE {{ <{BASE}id/state/{state}> <{LABEL}> ?l }}"
            try:
                r = requests.get(server.url + "sparql", params={"query": query}, timeout=30)
            except requests.RequestException as exc:
                failures.append(repr(exc))
                continue
            if r.status_code != 200:
                failures.append(f"{r.status_code} {r.text}")

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return failures


def _scrapes(server: LiveServer, times: int) -> list[dict]:
    out = []
    for _ in range(times):
        r = server.get("metrics")  # a new connection each time: either worker answers
        assert r.status_code == 200
        out.append(_samples(r.text))
    return out


@pytest.fixture()
def two_workers(test_store):  # noqa: ANN001, ANN201
    server = start_server(test_store.link, "--workers", "2", "--threads", "4")
    yield server
    stop_server(server)


def test_metrics_are_the_totals_of_all_workers(two_workers: LiveServer) -> None:
    server = two_workers
    up_since = time.time()  # the server was running before this
    n = THREADS * PER_THREAD
    deadline = time.monotonic() + 90  # a bound on waiting, not a timing assertion
    workers = _booted(server, deadline)
    sent = 0
    for _ in range(10):  # the kernel picks the worker of a connection: send until both served
        assert _send(server, n) == []
        sent += n
        own = {w: _worker_requests(w) for w in workers}
        if all(own.values()):
            break
    assert sum(own.values()) == sent and all(own.values()), own  # both workers answered some
    for got in _scrapes(server, 12):
        assert got[SPARQL_200] == sent
        # every request was a miss (timed) or a hit of one of the two caches, on some worker
        assert got[SECONDS_COUNT] + got[HITS] == sent
        assert got["entente_query_timeouts_total", ()] == 0
        assert got["entente_store_quads", ()] == 353

    # a worker killed and replaced: what it counted stays in the totals
    victim = min(workers)
    os.kill(victim, signal.SIGKILL)
    while victim in _workers(server.process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    replaced = _booted(server, deadline)
    assert victim not in replaced and len(replaced & workers) == 1
    assert _send(server, n) == []
    for got in _scrapes(server, 12):
        assert got[SPARQL_200] == sent + n
        assert got[SECONDS_COUNT] + got[HITS] == sent + n
    # /healthz's uptime is the server's, also from the worker started after the kill
    running = time.time() - up_since
    for _ in range(12):
        assert server.get("healthz").json()["uptime_s"] >= round(running, 1) - 0.1


def test_the_metrics_directory_is_removed_at_shutdown(test_store) -> None:  # noqa: ANN001
    server = start_server(test_store.link, "--workers", "2", "--threads", "2")
    try:
        workers = _booted(server, time.monotonic() + 90)
        directories = {Path(str(_counter_file(w))).parent for w in workers}
        assert len(directories) == 1  # one directory for the whole server
        directory = directories.pop()
        assert directory.is_dir()
        assert oct(directory.stat().st_mode & 0o777) == "0o700"  # private
    finally:
        stop_server(server)
    assert not directory.exists()


def test_directories_of_killed_servers_are_removed(tmp_path: Path) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()  # a pid that no longer runs
    stale = tmp_path / f"{METRICS_PREFIX}{gone.pid}-abc"
    mine = tmp_path / f"{METRICS_PREFIX}{os.getpid()}-def"  # a running server's
    other = tmp_path / "entente-metrics-notapid"
    for directory in (stale, mine, other):
        directory.mkdir()
        (directory / "counter_1.db").write_bytes(b"x")
    assert remove_stale_metrics_directories(str(tmp_path)) == [str(stale)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, other.name])
