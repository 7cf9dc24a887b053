"""``entente soak``: sustained load against a loopback server, with figures.

It starts ``entente serve`` on a free loopback port (or uses ``--url``, which must be a
loopback address), then runs ``clients`` threads for ``duration`` seconds, each sending a mix
of canned queries (40%), ad-hoc SPARQL (30%), resource pages (25%) and malformed requests
(5%).  Valid requests must answer 200 and malformed ones 4xx; anything else is an error.
The server's memory (RSS summed over its process tree) is sampled every second.  Then a
runaway phase: ``runaway`` threads send queries that can only end by the time limit while
4 clients send cheap queries; the cheap queries' p99 is reported, and afterwards the number
of query processes must be back to the pool size with no zombies.  Bounded in time and count,
loopback only; it stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from entente.config import Settings
from entente.errors import EntenteError, UsageError
from entente.output_paths import check_output, refuse_protected

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_CLIENTS, MAX_DURATION = 64, 3600.0
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?l ?a ?g"
ADHOC = [
    "SELECT ?s ?l WHERE {{ ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }} "
    "ORDER BY ?s LIMIT {n}",
    "SELECT ?c (COUNT(?s) AS ?n) WHERE {{ ?s a ?c }} GROUP BY ?c ORDER BY DESC(?n) LIMIT {n}",
    "ASK {{ ?s ?p ?o FILTER(STRLEN(STR(?o)) > {n}) }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {n}",
    "SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g # {n}",
]
MALFORMED = [
    ("GET", "/sparql?query=" + quote("SELECT * WHERE { ?s ?p "), None, None),
    ("GET", "/sparql?query=" + quote("SELECT * { ?s nope:x ?o }"), None, None),
    ("POST", "/sparql", b"ASK {} \xff\xfe", "application/sparql-query"),
    ("POST", "/sparql", b"query=ASK%20%7B%7D", "text/plain"),
    ("GET", "/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D", None, None),
    ("GET", "/queries/actors?limit=not-a-number", None, None),
    ("GET", "/sparql?query=" + quote("DROP ALL"), None, None),
]
CHEAP = "ASK {{ <{iri}> ?p ?o }} # {n}"


@dataclass
class Phase:
    """Counts and latencies of one phase."""

    sent: int = 0
    errors: int = 0
    malformed: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies_ms)
        return {"sent": self.sent, "errors": self.errors, "malformed": self.malformed,
                "statuses": dict(sorted(self.statuses.items())),
                "p50_ms": _pct(lat, 50), "p99_ms": _pct(lat, 99), "max_ms": _pct(lat, 100),
                "error_examples": self.examples[:5]}


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    index = min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))
    return round(values[index], 1)


class Client:
    """One keep-alive HTTP connection to the server."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None,
                content_type: str | None = None) -> tuple[int, bytes]:
        headers = {"Accept": "application/sparql-results+json, */*;q=0.1"}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            raise


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    out, frontier = [pid], [pid]
    while frontier:
        for child in children.get(frontier.pop(), []):
            out.append(child)
            frontier.append(child)
    return out


def _proc_field(pid: int, name: str) -> str | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def tree_rss_kb(pid: int) -> int:
    """RSS in KiB summed over ``pid`` and all its descendants."""
    total = 0
    for p in _tree(pid):
        value = _proc_field(p, "VmRSS")
        total += int(value.split()[0]) if value else 0
    return total


def tree_processes(pid: int) -> list[tuple[int, str, str]]:
    """(pid, state letter, cmdline) of every descendant of ``pid``."""
    out = []
    for p in _tree(pid)[1:]:
        state = (_proc_field(p, "State") or "?")[:1]
        try:
            cmd = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            cmd = ""
        out.append((p, state, cmd.strip()))
    return out


class Soak:
    """One soak run against ``host:port`` (server process ``server_pid`` for memory)."""

    def __init__(self, host: str, port: int, server_pid: int | None, seed: int = 7) -> None:
        self.host, self.port, self.server_pid = host, port, server_pid
        self.lock = threading.Lock()
        self.rng = random.Random(seed)
        setup = Client(host, port)
        status, body = setup.request("GET", "/queries")
        self.canned = [q["url"] for q in json.loads(body)["queries"]] if status == 200 else []
        query = ("SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(CONTAINS(STR(?s), '/id/')) } "
                 "ORDER BY ?s LIMIT 200")
        status, body = setup.request("GET", "/sparql?" + urlencode({"query": query}))
        if status != 200:
            raise EntenteError(f"the server did not answer a setup query ({status})")
        self.resources = [b["s"]["value"] for b in json.loads(body)["results"]["bindings"]]
        if not self.resources:
            raise EntenteError("the store has no /id/ resources to request")

    def _pick(self, rng: random.Random) -> tuple[str, str, bytes | None, str | None, bool]:
        roll = rng.random()
        if roll < 0.05:
            method, path, body, ctype = rng.choice(MALFORMED)
            return method, path, body, ctype, False
        if roll < 0.45 and self.canned:
            return "GET", rng.choice(self.canned), None, None, True
        if roll < 0.75:
            query = rng.choice(ADHOC).format(n=rng.randint(1, 50))
            if rng.random() < 0.5:
                return "GET", "/sparql?" + urlencode({"query": query}), None, None, True
            return "POST", "/sparql", query.encode(), "application/sparql-query", True
        path = urlsplit(rng.choice(self.resources)).path
        return "GET", path, None, None, True

    def _record(self, phase: Phase, status: int | None, ms: float, valid: bool,
                what: str) -> None:
        ok = status == 200 if valid else (status is not None and 400 <= status < 500)
        with self.lock:
            phase.sent += 1
            phase.malformed += 0 if valid else 1
            key = str(status) if status is not None else "no answer"
            phase.statuses[key] = phase.statuses.get(key, 0) + 1
            if valid:
                phase.latencies_ms.append(ms)
            if not ok:
                phase.errors += 1
                phase.examples.append(f"{key} {what[:200]}")

    def load(self, duration: float, clients: int) -> tuple[Phase, list[tuple[float, int]]]:
        """The mixed load; returns the phase and (seconds, RSS KiB) samples."""
        phase, samples = Phase(), []
        stop = time.monotonic() + duration

        def worker(n: int) -> None:
            rng = random.Random(n)
            client = Client(self.host, self.port)
            while time.monotonic() < stop:
                method, path, body, ctype, valid = self._pick(rng)
                started = time.perf_counter()
                try:
                    status, _ = client.request(method, path, body, ctype)
                except (OSError, http.client.HTTPException) as exc:
                    status = None
                    path = f"{path} ({exc!r})"
                self._record(phase, status, (time.perf_counter() - started) * 1000, valid,
                             f"{method} {path}")

        threads = [threading.Thread(target=worker, args=(n,), daemon=True)
                   for n in range(clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        while time.monotonic() < stop:
            if self.server_pid:
                samples.append((round(time.monotonic() - t0, 1), tree_rss_kb(self.server_pid)))
            time.sleep(1.0)
        for t in threads:
            t.join(90)
        return phase, samples

    def runaway(self, runaway: int, seconds: float) -> Phase:
        """``runaway`` endless queries at once; 4 clients measure cheap queries meanwhile."""
        cheap, stop = Phase(), time.monotonic() + seconds
        counter = iter(range(10**9))

        def hog() -> None:
            client = Client(self.host, self.port)
            while time.monotonic() < stop:
                try:
                    client.request("GET", "/sparql?" + urlencode({"query": RUNAWAY}))
                except (OSError, http.client.HTTPException):
                    pass

        def probe() -> None:
            client = Client(self.host, self.port)
            while time.monotonic() < stop:
                with self.lock:
                    n = next(counter)
                query = CHEAP.format(iri=self.resources[n % len(self.resources)], n=n)
                started = time.perf_counter()
                try:
                    status, _ = client.request("GET", "/sparql?" + urlencode({"query": query}))
                except (OSError, http.client.HTTPException):
                    status = None
                self._record(cheap, status, (time.perf_counter() - started) * 1000, True,
                             query)
                time.sleep(0.05)

        threads = [threading.Thread(target=hog, daemon=True) for _ in range(runaway)]
        threads += [threading.Thread(target=probe, daemon=True) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 120)
        return cheap


def _growth(samples: list[tuple[float, int]], window: float) -> dict[str, Any]:
    if len(samples) < 2:
        return {"samples": len(samples)}
    end = samples[-1][0]
    window = min(window, max(1.0, end / 4))
    first = [kb for t, kb in samples if t <= window] or [samples[0][1]]
    last = [kb for t, kb in samples if t >= end - window] or [samples[-1][1]]
    a, b = sum(first) / len(first), sum(last) / len(last)
    return {"samples": len(samples), "window_s": window, "first_mb": round(a / 1024, 1),
            "last_mb": round(b / 1024, 1), "growth_pct": round((b - a) / a * 100, 2)}


def run(duration: float, clients: int, runaway: int, server_pid: int | None, host: str,
        port: int, expected_children: int | None) -> dict[str, Any]:
    """Run the load and runaway phases; the report as a dict."""
    soak = Soak(host, port, server_pid)
    load, samples = soak.load(duration, clients)
    report: dict[str, Any] = {"duration_s": duration, "clients": clients,
                              "load": load.summary(), "memory": _growth(samples, 10.0)}
    if runaway:
        seconds = max(5.0, min(duration, 20.0))
        report["runaway"] = {"queries": runaway, "seconds": seconds,
                             "cheap": soak.runaway(runaway, seconds).summary()}
        if server_pid:
            report["runaway"]["after"] = _settled(server_pid, expected_children)
    return report


def _settled(server_pid: int, expected: int | None) -> dict[str, Any]:
    """Wait (bounded) for the query processes to be back to the pool size, no zombies."""
    deadline = time.monotonic() + 30
    while True:
        procs = tree_processes(server_pid)
        zombies = [p for p, state, _ in procs if state == "Z"]
        count = len(procs)
        if (expected is None or count == expected) and not zombies:
            break
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    return {"processes": count, "expected": expected, "zombies": len(zombies)}


def _stable_count(server_pid: int) -> int:
    """The size of the server's process tree once it stops changing (bounded wait)."""
    count, since, deadline = -1, time.monotonic(), time.monotonic() + 20
    while time.monotonic() < deadline:
        now = len(tree_processes(server_pid))
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= 2.0:
            break
        time.sleep(0.2)
    return count


def start_server(store: Path, workers: int, timeout: float) -> tuple[subprocess.Popen, int, Any]:
    """``entente serve`` on a free loopback port; (process, port, log file)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "entente", "serve", "--store", str(store), "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--threads", "16",
         "--query-timeout", str(timeout)],
        stdout=log, stderr=subprocess.STDOUT)
    try:  # (stopped here too: a SIGTERM or Ctrl-C while the server starts left it running)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log.seek(0)
                raise EntenteError(f"entente serve exited: {log.read().strip()[-500:]}")
            try:
                status, _ = Client("127.0.0.1", port).request("GET", "/healthz")
                if status == 200:
                    return process, port, log
            except OSError:
                pass
            time.sleep(0.2)
        raise EntenteError("entente serve did not become healthy within 60 s")
    except BaseException:
        _stop(process)
        log.close()
        raise


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 30 s (granian gives requests in flight 10 s)."""
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main(args: argparse.Namespace, settings: Settings) -> int:
    """``entente soak`` (flags declared in entente/cli_commands.py)."""
    if not 1 <= args.clients <= MAX_CLIENTS:
        raise UsageError(f"--clients must be 1..{MAX_CLIENTS}")
    if not 0 < args.duration <= MAX_DURATION:
        raise UsageError(f"--duration must be in (0, {MAX_DURATION:g}] seconds")
    if not 0 <= args.runaway <= MAX_CLIENTS:
        raise UsageError(f"--runaway must be 0..{MAX_CLIENTS}")
    if args.out:
        refuse_protected(Path(args.out), "--out", store=settings.store)
        check_output(Path(args.out), "the report")
    process, log, server_pid = None, None, None
    if args.url:
        parts = urlsplit(args.url)
        if parts.hostname not in LOOPBACK or parts.port is None:
            raise UsageError(f"--url must be a loopback address with a port, not {args.url}")
        host, port = parts.hostname, parts.port
    else:
        workers = 2
        process, port, log = start_server(settings.store, workers, args.query_timeout)
        host, server_pid = "127.0.0.1", process.pid
    try:
        expected = None
        if server_pid:  # workers, and per worker its forkserver and its query processes
            expected = _stable_count(server_pid)
        report = run(args.duration, args.clients, args.runaway, server_pid, host, port,
                     expected)
    finally:
        if process is not None:
            _stop(process)
        if log is not None:
            log.close()
    text = json.dumps(report, indent=2)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    print(text)
    failures = _failures(report, args.duration)
    for line in failures:
        print(f"entente soak: FAIL: {line}", file=sys.stderr)
    return 1 if failures else 0


def _failures(report: dict[str, Any], duration: float) -> list[str]:
    out = []
    if report["load"]["errors"]:
        out.append(f"{report['load']['errors']} errors under load")
    growth = report["memory"].get("growth_pct")
    if duration >= 60 and growth is not None and growth >= 10:
        out.append(f"server RSS grew {growth}% from the first to the last 10 s")
    runaway = report.get("runaway")
    if runaway:
        if runaway["cheap"]["errors"]:
            out.append(f"{runaway['cheap']['errors']} cheap queries failed during runaways")
        after = runaway.get("after", {})
        if after.get("zombies") or after.get("processes") != after.get("expected"):
            out.append(f"processes after the runaway phase: {after}")
    return out


