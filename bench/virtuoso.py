"""Virtuoso (Debian's ``virtuoso-opensource``) as a peer: start, bulk-load, query, stop.

The harness starts a private Virtuoso on loopback with a temporary configuration (ports
from a free-port search, the database in a temporary directory), loads the same N-Quads
with ``ld_dir``/``rdf_loader_run`` through isql, and sends the same canned queries to its
``/sparql`` endpoint.  When Virtuoso is not installed, :func:`available` says why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from entente.bench.answers import fingerprint_json
from entente.bench.measure import free_port, repeat, summary_ms, tree_memory_mb
from entente.server.inject import bind_values_throughout

from entente.errors import EntenteError

SERVER = "virtuoso-t"
ISQL = ("isql-vt", "isql")
_VAD = Path("/usr/share/virtuoso-opensource-7/vad")


def available() -> tuple[bool, str]:
    """(True, path) when Virtuoso and isql are installed, else (False, reason)."""
    server = shutil.which(SERVER)
    isql = next((shutil.which(n) for n in ISQL if shutil.which(n)), None)
    if not server or not isql:
        return False, ("Virtuoso is not installed (Debian: apt-get install virtuoso-opensource)")
    return True, server


@dataclass
class Virtuoso:
    proc: subprocess.Popen
    workdir: Path
    isql_port: int
    http_port: int

    @property
    def sparql_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def isql(self, sql: str, timeout_s: float = 3600) -> str:
        exe = next(shutil.which(n) for n in ISQL if shutil.which(n))
        proc = subprocess.run([exe, str(self.isql_port), "dba", "dba", f"exec={sql}"],
                              capture_output=True, text=True, timeout=timeout_s, check=False)
        if proc.returncode != 0 or "*** Error" in proc.stdout:
            raise EntenteError(f"virtuoso isql {sql[:60]!r}: "
                               f"{(proc.stdout + proc.stderr).strip()[-300:]}")
        return proc.stdout

    def memory(self) -> dict[str, float]:
        return tree_memory_mb(self.proc.pid)


def _ini(workdir: Path, isql_port: int, http_port: int, buffers: int,
         max_query_s: float = 600.0) -> str:
    d = workdir
    return f"""[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql_port}
ServerThreads = 20
CheckpointInterval = 0
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {buffers * 3 // 4}
DirsAllowed = ., {d}, {_VAD}
VADInstallDir = {_VAD}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
ServerThreads = 20
MaxKeepAlives = 64
KeepAliveTimeout = 10
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = {max(1, round(max_query_s))}
MaxQueryCostEstimationTime = 0
"""


@contextmanager
def running(workdir: Path, *, memory_gb: float = 2.0, timeout_s: float = 90.0,
            max_query_s: float = 600.0) -> Iterator[Virtuoso]:
    """Start a private Virtuoso in ``workdir`` (created empty) and stop it afterwards;
    ``max_query_s`` is its query time limit (an "anytime" answer past it is partial)."""
    ok, why = available()
    if not ok:
        raise EntenteError(why)
    workdir = workdir.absolute()  # the server runs inside it; the ini names absolute paths
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    isql_port, http_port = free_port(), free_port()
    while http_port == isql_port:
        http_port = free_port()
    buffers = int(memory_gb * 1024 * 1024 * 1024 / 8192 * 0.66)
    ini = workdir / "virtuoso.ini"
    ini.write_text(_ini(workdir, isql_port, http_port, buffers, max_query_s))
    log = (workdir / "stdout.log").open("w")
    proc = subprocess.Popen([SERVER, "+foreground", "+configfile", str(ini)], cwd=workdir,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = Virtuoso(proc, workdir, isql_port, http_port)
    try:
        deadline = time.perf_counter() + timeout_s
        while True:
            if proc.poll() is not None:
                raise EntenteError(f"virtuoso exited with {proc.returncode} "
                                   f"(see {workdir}/virtuoso.log)")
            try:
                server.isql("status();", timeout_s=10)
                break
            except (EntenteError, subprocess.TimeoutExpired):
                if time.perf_counter() > deadline:
                    raise EntenteError(f"virtuoso did not start within {timeout_s:.0f} s "
                                       f"(see {workdir}/virtuoso.log)") from None
                time.sleep(0.5)
        yield server
    finally:
        if proc.poll() is None:
            try:
                server.isql("shutdown();", timeout_s=30)
            except (EntenteError, subprocess.TimeoutExpired):
                pass
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


def bulk_load(server: Virtuoso, nq: Path) -> dict[str, Any]:
    """Load ``nq`` with ld_dir + rdf_loader_run + checkpoint; time it, count the triples."""
    target = server.workdir / "data" / "dataset.nq"
    target.parent.mkdir(exist_ok=True)
    try:
        os.link(nq, target)
    except OSError:
        shutil.copyfile(nq, target)
    t0 = time.perf_counter()
    server.isql(f"ld_dir('{target.parent}', 'dataset.nq', 'urn:entente:bench:default');")
    server.isql("rdf_loader_run();")
    server.isql("checkpoint;")
    seconds = time.perf_counter() - t0
    errors = server.isql("SELECT ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;")
    target.unlink()
    count = sparql_rows(server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                                "FILTER(!STRSTARTS(STR(?g), 'http://www.openlinksw.com/') && "
                                "!STRSTARTS(STR(?g), 'http://localhost:')) }")
    return {"load_s": round(seconds, 3), "triples": count,
            "loader_errors": errors.count("\n") if "0 Rows" not in errors else 0}


def sparql_rows(server: Virtuoso, query: str) -> int:
    _, body = _post(server, query)
    bindings = body.get("results", {}).get("bindings", [])
    if len(bindings) == 1 and "n" in bindings[0]:
        return int(bindings[0]["n"]["value"])
    return len(bindings)


class VirtuosoTimeout(EntenteError):
    """Virtuoso gave up on a query at its time limit (or answered only partially);
    ``seconds`` is how long it ran before it did."""

    def __init__(self, message: str, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


def _post(server: Virtuoso, query: str, session: requests.Session | None = None,
          timeout_s: float = 600.0) -> tuple[float, dict]:
    """(seconds to the answer's last byte, the answer): the query by the Protocol's
    URL-encoded POST (Virtuoso 7.2 mangles a GET whose query is past ~8 KB: an error about
    parentheses or a stray '%', the encoded URL is cut).  The seconds stop where our HTTP
    timings stop, before the JSON is parsed (2-5% of a listing's time at 100K, which counted
    against Virtuoso until 2026-12-06)."""
    poster = session or requests
    t0 = time.perf_counter()
    try:
        resp = poster.post(server.sparql_url, data={"query": query},
                           headers={"Accept": "application/sparql-results+json"},
                           timeout=timeout_s + 30)
    except requests.Timeout:
        raise VirtuosoTimeout(f"no answer within {timeout_s + 30:.0f} s",
                              time.perf_counter() - t0) from None
    if "X-SQL-State" in resp.headers:  # an "anytime" answer: partial at the time limit
        raise VirtuosoTimeout(f"partial answer at the time limit: "
                              f"{resp.headers.get('X-SQL-Message', '')[:200]}",
                              time.perf_counter() - t0)
    if resp.status_code == 500 and "SR171" in resp.text[:300]:  # "Transaction timed out"
        raise VirtuosoTimeout(" ".join(resp.text.split())[:200], time.perf_counter() - t0)
    seconds = time.perf_counter() - t0  # (the body is read: no stream)
    if resp.status_code != 200:
        raise EntenteError(f"virtuoso HTTP {resp.status_code}: {resp.text.strip()[:200]}")
    return seconds, resp.json()


def inline(text: str, subs: dict[str, list]) -> str:
    """The query with its parameter bindings as VALUES blocks (Virtuoso has no SEP-0007
    substitutions), as the server's remote backend sends it (``bind_values_throughout``): one
    opening the top-level WHERE, and one opening each sub-select that projects a bound
    variable.  A block at the top alone is not pushed into sub-selects, which then compute
    every value first (``about-actor`` at 100K: Virtuoso 1.5-1.6 s against 0.75-0.81 s with
    the blocks in its sub-selects too, the same rows; until 2026-12-06 the harness sent the
    top block alone)."""
    if not subs:
        return text
    return bind_values_throughout(text, {name: tuple(spec) for name, spec in subs.items()})


def latencies(server: Virtuoso, workload: dict[str, dict[str, Any]], *, runs: int,
              budget_s: float, timeout_s: float = 600.0) -> dict[str, dict[str, Any]]:
    """p50/p99 of every canned query over Virtuoso's /sparql (one keep-alive session); a
    query Virtuoso gives up on (its limit ``timeout_s``, see :func:`running`, or its
    "Transaction timed out") is ``{"timeout_s": seconds it ran, "limit_s": timeout_s}``."""
    out: dict[str, dict[str, Any]] = {}
    with requests.Session() as session:
        for name, item in workload.items():
            text = inline(item["text"], item["subs"])
            first: list[dict[str, Any]] = []  # the first answer, for its fingerprint

            def run(text: str = text, first: list[dict[str, Any]] = first
                    ) -> tuple[float, int]:
                seconds, body = _post(server, text, session, timeout_s)
                if not first:
                    first.append(body)
                return seconds, len(body.get("results", {}).get("bindings", []))

            try:
                seconds, rows = run()
                first_ms = seconds * 1000.0
                if seconds >= budget_s:
                    durations = [seconds]
                else:
                    durations, rows = repeat(run, runs=runs, budget_s=budget_s, warmup=0,
                                             timed=True)
            except VirtuosoTimeout as exc:  # (a lower bound of its time: when it gave up)
                out[name] = {"timeout_s": max(round(min(exc.seconds, timeout_s), 3), 0.001),
                             "limit_s": timeout_s, "note": str(exc)[:200]}
                continue
            except (EntenteError, requests.RequestException, ValueError) as exc:
                out[name] = {"error": str(exc)[:300]}
                continue
            out[name] = {"rows": rows, "first_ms": round(first_ms, 4), **summary_ms(durations),
                         "answer": fingerprint_json(first[0])}
    return out
