"""The query engine: SPARQL over the store in killable child processes.

pyoxigraph has no query timeout or cancellation, so every query runs in one of a pool of
long-lived child processes that each opened the store read-only once.  A request borrows an
idle child, sends the job over a pipe and waits with ``poll(timeout)``; on timeout the child
is SIGKILLed (which really frees the CPU) and replaced, and the request gets a 503.  Memory
per child is capped with RLIMIT_AS; a child that dies is replaced too.  Results are written
(and row-capped) in the child and cached per store version.  The store symlink is polled at
most once a second: a rebuild starts a new pool, in-flight queries finish on the old one.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue
import re
import threading
import time
from dataclasses import dataclass, replace
from typing import Any

from entente.graph import store as gstore
from entente.graph.namespaces import PREFIXES
from entente.server.cache import ResultCache
from entente.server.errors import BadRequest, QueryTimeout, ServiceUnavailable
from entente.server.lexer import check_query, form_of, has_dataset_clause
from entente.server.negotiation import GRAPH_FORMS, choose
from entente.server.results import child_main
from flask import Flask, current_app, g, has_request_context

from entente.config import Settings
from entente.errors import StoreError

log = logging.getLogger("entente.server")

__all__ = ["QueryEngine", "QueryRequest", "QueryResult", "form_of", "get_engine", "init_app"]


@dataclass
class QueryRequest:
    query: str
    media_type: str | None = None
    substitutions: dict[str, tuple] | None = None
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    use_cache: bool = True
    timeout: float | None = None
    max_rows: int | None = None  # None: Settings.max_rows (internal statistics may lift it)


@dataclass
class QueryResult:
    body: bytes
    media_type: str
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    truncated: bool
    row_count: int
    elapsed_ms: float
    cached: bool
    store_version: str


# forkserver: a clean single-threaded server process (started once per WSGI worker, with the
# child code preloaded) forks the query children, so starting or replacing one is fast and
# never forks a threaded gunicorn worker.
_CTX = mp.get_context("forkserver")
_CTX.set_forkserver_preload(["entente.server.results"])
_POSITION = re.compile(r"error at (\d+):(\d+)")
_START_TIMEOUT = 60.0
#: Larger results are not cached (the cache holds at most cache_entries x this many bytes).
MAX_CACHED_BYTES = 4 * 1024 * 1024


class _Child:
    """One query child process and its end of the pipe."""

    def __init__(self, oxigraph_path: str, memory_mb: int) -> None:
        self.conn, child_conn = _CTX.Pipe()
        self.process = _CTX.Process(
            target=child_main, args=(child_conn, oxigraph_path, memory_mb), daemon=True,
            name="entente-query",
        )
        self.process.start()
        child_conn.close()

    def wait_ready(self) -> None:
        if not self.conn.poll(_START_TIMEOUT):
            self.kill()
            raise StoreError("a query process did not start within a minute")
        try:
            kind, message = self.conn.recv()
        except EOFError:
            self.kill()
            raise StoreError("a query process died while opening the store") from None
        if kind != "ready":
            self.kill()
            raise StoreError(message)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class _Pool:
    """The children serving one store version."""

    def __init__(self, info: Any, size: int, memory_mb: int) -> None:
        self.info = info
        self.version: str = info.version
        self.size = size
        self.memory_mb = memory_mb
        self.idle: queue.Queue[_Child] = queue.Queue()
        self.lock = threading.Lock()
        self.inflight = 0
        self.retired = False
        self.closed = False
        children = [self._new() for _ in range(size)]
        try:
            for child in children:
                child.wait_ready()
        except StoreError:
            for child in children:
                child.kill()
            raise
        for child in children:
            self.idle.put(child)

    def _new(self) -> _Child:
        return _Child(str(self.info.oxigraph_path), self.memory_mb)

    def _replace(self, child: _Child) -> None:
        """Kill ``child`` now; start its successor in the background."""
        child.kill()

        def start() -> None:
            if self.closed:
                return
            try:
                successor = self._new()
                successor.wait_ready()
            except StoreError as exc:
                log.error("cannot replace a query process: %s", exc)
                return
            if self.closed:
                successor.kill()
            else:
                self.idle.put(successor)

        threading.Thread(target=start, name="entente-respawn", daemon=True).start()

    def enter(self) -> bool:
        """Count a query in; False when the pool is retiring (use the current one instead)."""
        with self.lock:
            if self.retired:
                return False
            self.inflight += 1
            return True

    def leave(self) -> None:
        with self.lock:
            self.inflight -= 1
            done = self.retired and self.inflight == 0
        if done:
            self.close()

    def retire(self) -> None:
        with self.lock:
            self.retired = True
            done = self.inflight == 0
        if done:
            self.close()

    def close(self) -> None:
        self.closed = True
        while True:
            try:
                child = self.idle.get_nowait()
            except queue.Empty:
                break
            try:
                child.conn.send(None)
            except OSError:
                pass
            child.kill()

    def run(self, job: dict[str, Any], timeout: float) -> tuple[str, Any]:
        try:
            child = self.idle.get(timeout=timeout)
        except queue.Empty:
            raise ServiceUnavailable(
                f"all query processes stayed busy for {timeout:g} s; try again later"
            ) from None
        try:
            child.conn.send(job)
            if not child.conn.poll(timeout):
                self._replace(child)
                raise QueryTimeout(f"query exceeded the {timeout:g} s time limit")
            reply = child.conn.recv()
        except (EOFError, OSError):
            self._replace(child)
            raise ServiceUnavailable("query exceeded the memory limit or crashed") from None
        if reply[0] == "memory":
            self._replace(child)
            raise ServiceUnavailable("query exceeded the memory limit or crashed")
        self.idle.put(child)
        return reply


class QueryEngine:
    """Runs SPARQL queries against the current store version, with limits and a cache."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cache: ResultCache[QueryResult] = ResultCache(settings.cache_entries)
        self.timeouts = 0
        self._pool: _Pool | None = None
        self._switch = threading.Lock()
        self._checked = 0.0

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> QueryEngine:
        """Open the store (raises StoreError naming the path) and start the children."""
        info = gstore.locate(self.settings.store)
        self._pool = self._new_pool(info)
        self._checked = time.monotonic()
        return self

    def _new_pool(self, info: Any) -> _Pool:
        return _Pool(info, max(1, self.settings.query_processes), self.settings.query_memory_mb)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.retire()

    @property
    def info(self) -> Any:
        """The StoreInfo of the store version being served."""
        return self._current().info

    @property
    def version(self) -> str:
        return self._current().version

    def _current(self) -> _Pool:
        pool = self._pool
        if pool is None:
            raise ServiceUnavailable("the query engine is not running")
        now = time.monotonic()
        if now - self._checked >= 1.0 and self._switch.acquire(blocking=False):
            try:
                self._checked = now
                self._maybe_switch(pool)
            finally:
                self._switch.release()
        return self._pool or pool

    def _maybe_switch(self, pool: _Pool) -> None:
        version = gstore.current_version(self.settings.store)
        if version is None or version == pool.version:
            return
        try:
            fresh = self._new_pool(gstore.locate(self.settings.store))
        except StoreError as exc:
            log.error("store changed to %s but cannot be opened: %s", version, exc)
            return
        log.info("store version %s -> %s", pool.version, fresh.version)
        self._pool = fresh
        self.cache.drop_versions_except(fresh.version)
        pool.retire()

    # -- queries --------------------------------------------------------------------------

    @staticmethod
    def form_of(query: str) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE (or UPDATE) by a cheap lexical look."""
        return form_of(query)

    def execute(self, req: QueryRequest) -> QueryResult:
        """Run ``req``; raises BadRequest, NotAcceptable, QueryTimeout or ServiceUnavailable."""
        form = check_query(req.query, self.settings.service_allowlist)
        media = req.media_type or choose(None, None, form)
        if media not in _media_for(form):
            media = choose(media, None, form)
        subs = req.substitutions or {}
        pool = self._current()
        while not pool.enter():  # retired between the lookup and now: take its successor
            pool = self._current()
        key = (pool.version, req.query, tuple(sorted(subs.items())), req.default_graph_uris,
               req.named_graph_uris, media, req.max_rows)
        if req.use_cache:
            hit = self.cache.get(key)
            if hit is not None:
                pool.leave()
                return _noted(req, replace(hit, cached=True, elapsed_ms=0.0))
        job = {
            "query": req.query, "media_type": media,
            "max_rows": req.max_rows or self.settings.max_rows,
            "substitutions": subs, "default_graphs": list(req.default_graph_uris),
            "named_graphs": list(req.named_graph_uris), "prefixes": PREFIXES,
            "own_dataset": has_dataset_clause(req.query),
        }
        timeout = req.timeout or self.settings.query_timeout
        started = time.perf_counter()
        try:
            kind, payload = pool.run(job, timeout)
        except QueryTimeout:
            self.timeouts += 1
            if has_request_context():
                g.setdefault("entente_timeouts", []).append(req.query)
            raise
        finally:
            pool.leave()
        elapsed = (time.perf_counter() - started) * 1000
        if kind == "syntax":
            raise BadRequest(f"malformed query: {payload}", position=_position(payload))
        if kind == "bad":
            raise BadRequest(f"cannot run the query: {payload}")
        if kind != "ok":
            raise ServiceUnavailable(f"the store could not answer: {payload}")
        body, real_form, truncated, rows = payload
        result = QueryResult(
            body=body, media_type=media, form=form if real_form == "GRAPH" else real_form,
            truncated=truncated, row_count=rows, elapsed_ms=elapsed, cached=False,
            store_version=pool.version,
        )
        if req.use_cache and len(body) <= MAX_CACHED_BYTES:
            self.cache.put(key, result)
        return _noted(req, result)

    def refresh(self) -> None:
        """Look at the store link on the next query (e.g. right after an update)."""
        self._checked = 0.0


def _noted(req: QueryRequest, result: QueryResult) -> QueryResult:
    """Remember the query and its result on the request (for the access log and metrics)."""
    if has_request_context():
        g.setdefault("entente_queries", []).append((req.query, result))
    return result


def _media_for(form: str) -> tuple[str, ...]:
    from entente.server.negotiation import available

    return available("CONSTRUCT" if form in GRAPH_FORMS else "SELECT")


def _position(message: str) -> str | None:
    """``line:column`` from a pyoxigraph syntax error ("error at 1:26: expected ...")."""
    match = _POSITION.search(message)
    return f"{match.group(1)}:{match.group(2)}" if match else None


_KEY = "entente.engine"


def init_app(app: Flask, settings: Settings) -> QueryEngine:
    """Start the engine for ``app`` (raises StoreError when the store cannot be opened)."""
    engine = QueryEngine(settings).start()
    app.extensions[_KEY] = engine
    return engine


def get_engine() -> QueryEngine:
    """The engine of the current Flask app."""
    return current_app.extensions[_KEY]
