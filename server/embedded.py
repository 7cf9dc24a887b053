"""The embedded backend: SPARQL over the local pyoxigraph store in killable child processes.

pyoxigraph has no query timeout or cancellation, so every query runs in one of a pool of
long-lived child processes that each opened the store read-only once.  A request borrows an
idle child, sends the job over a pipe and waits with ``poll(timeout)``; on timeout the child
is SIGKILLed (which really frees the CPU) and replaced, and the request gets a 503.  Memory
per child is capped with RLIMIT_AS; a child that dies is replaced too.  Results are written
(and row-capped) in the child.  The store symlink is polled at most once a second: a rebuild
starts a new pool, in-flight queries finish on the old one.

The pool is elastic so that runaway queries cannot starve cheap ones: ``query_processes``
children are kept warm and requests queue for them while they turn over quickly (which keeps
the CPU from being oversubscribed under ordinary load).  But when every busy child has been on
its query for more than ``STALE_AFTER`` seconds (long-running, probably runaway queries), a
waiting request starts a child of its own, up to one per request thread (``threads``); the
kernel shares the CPU fairly between processes, so the cheap query is answered in milliseconds
beside the runaway ones until the time limit kills those.  Surplus children are retired when
their query ends.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue
import select
import threading
import time
from typing import Any

from entente.graph import store as gstore
from entente.server.engine import Backend
from entente.server.errors import QueryTimeout, ServiceUnavailable
from entente.server.query_child import child_main, receive_message, receive_reply, send_message

from entente.config import Settings
from entente.errors import StoreError

log = logging.getLogger("entente.server")

# forkserver: a clean single-threaded server process (started once per WSGI worker, with the
# child code preloaded) forks the query children, so starting or replacing one is fast and
# never forks a threaded web worker.
_CTX = mp.get_context("forkserver")
_CTX.set_forkserver_preload(["entente.server.query_child"])
_START_TIMEOUT = 60.0
#: a busy child older than this counts as long-running: waiting requests may then add children
STALE_AFTER = 0.5
_WAIT_SLICE = 0.05


class _Child:
    """One query child process and its end of the pipe."""

    def __init__(self, oxigraph_path: str, memory_mb: int, keep_mb: int = 0) -> None:
        self.conn, child_conn = _CTX.Pipe()
        self.process = _CTX.Process(
            target=child_main, args=(child_conn, oxigraph_path, memory_mb, keep_mb), daemon=True,
            name="entente-query",
        )
        self.process.start()
        child_conn.close()
        # one poll object per child, reused: Connection.poll builds a selector on every call
        self._poller = select.poll()
        self._poller.register(self.conn.fileno(), select.POLLIN)

    def answered(self, timeout: float) -> bool:
        """True when the child has written (or died) within ``timeout`` seconds."""
        return bool(self._poller.poll(max(0, int(timeout * 1000))))

    def wait_ready(self) -> None:
        if not self.conn.poll(_START_TIMEOUT):
            self.kill()
            raise StoreError("a query process did not start within a minute")
        try:
            kind, message = receive_message(self.conn)
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

    def __init__(self, info: Any, size: int, memory_mb: int, max_size: int | None = None,
                 keep_mb: int = 0) -> None:
        self.info = info
        self.version: str = info.version
        self.size = size
        self.max_size = max(size, max_size or size)
        self.memory_mb = memory_mb
        self.keep_mb = keep_mb
        self.idle: queue.Queue[_Child] = queue.Queue()
        self.lock = threading.Lock()
        self.inflight = 0
        self.total = size  # children alive or starting
        self.busy: dict[int, float] = {}  # id(child) -> when its current query started
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
        return _Child(str(self.info.oxigraph_path), self.memory_mb, self.keep_mb)

    def _drop(self, child: _Child) -> None:
        """Kill ``child``; start a successor in the background while below the warm size."""
        child.kill()
        with self.lock:
            self.busy.pop(id(child), None)
            self.total -= 1
            refill = not self.closed and self.total < self.size
            if refill:
                self.total += 1
        if refill:
            threading.Thread(target=self._refill, name="entente-respawn", daemon=True).start()

    def _refill(self) -> None:
        try:
            successor = self._new()
            successor.wait_ready()
        except StoreError as exc:
            with self.lock:
                self.total -= 1
            if not self.closed:  # (a worker stopping closed the pool under it: no error)
                log.error("cannot replace a query process: %s", exc)
            return
        if self.closed:
            successor.kill()
        else:
            self.idle.put(successor)

    def _checkout(self, timeout: float) -> _Child:
        """An idle child; else a new one when all busy ones are long-running; else wait."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                child = self.idle.get(timeout=_WAIT_SLICE)
            except queue.Empty:
                child = self._grow()
            if child is not None:
                with self.lock:
                    self.busy[id(child)] = time.monotonic()
                return child
            if time.monotonic() >= deadline:
                raise ServiceUnavailable(
                    f"all query processes stayed busy for {timeout:g} s; try again later"
                )

    def _grow(self) -> _Child | None:
        """A new child when below ``max_size`` and every busy child is long-running."""
        now = time.monotonic()
        with self.lock:
            stale = all(now - started > STALE_AFTER for started in self.busy.values())
            grow = not self.closed and self.total < self.max_size and stale
            if grow:
                self.total += 1
        if not grow:
            return None
        try:
            child = self._new()
            child.wait_ready()
        except StoreError as exc:
            with self.lock:
                self.total -= 1
            raise ServiceUnavailable(f"cannot start a query process: {exc}") from None
        return child

    def _checkin(self, child: _Child) -> None:
        """Back to the idle set, unless surplus or the pool has closed."""
        with self.lock:
            self.busy.pop(id(child), None)
        if self.closed or self.idle.qsize() >= self.size:
            self._drop(child)
        else:
            self.idle.put(child)

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
                send_message(child.conn, None)
            except OSError:
                pass
            child.kill()

    def run(self, job: dict[str, Any], timeout: float) -> tuple[str, Any]:
        child = self._checkout(timeout)
        try:
            send_message(child.conn, job)
            if not child.answered(timeout):
                self._drop(child)
                raise QueryTimeout(f"query exceeded the {timeout:g} s time limit")
            reply = receive_reply(child.conn)
        except (EOFError, OSError):
            self._drop(child)
            raise ServiceUnavailable("query exceeded the memory limit or crashed") from None
        if reply[0] == "memory":
            self._drop(child)
            raise ServiceUnavailable("query exceeded the memory limit or crashed")
        self._checkin(child)
        return reply


class QueryEngine(Backend):
    """The embedded backend: the current store version, queried in child processes."""

    kind = "embedded"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._pool: _Pool | None = None
        self._switch = threading.Lock()
        self._checked = 0.0
        # how often the store link is read (a readlink, ~7 us): once a second sees a rebuild
        # soon enough; with updates on, every request, so that a query sent after an update
        # answered by another worker sees it (read your writes: an audit saw 7-10% stale)
        self._check_every = 0.0 if settings.update_enabled else 1.0

    def start(self) -> QueryEngine:
        """Open the store (raises StoreError naming the path) and start the children."""
        info = gstore.locate(self.settings.store)
        self._pool = self._new_pool(info)
        self._checked = time.monotonic()
        return self

    def _new_pool(self, info: Any) -> _Pool:
        warm = max(1, self.settings.query_processes)
        # one child per request thread at most: no request ever waits for another's query
        return _Pool(info, warm, self.settings.query_memory_mb, max(warm, self.settings.threads),
                     keep_mb=self.settings.query_process_keep_mb)

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

    def locate(self) -> Any:
        """The store as it is on disk now (StoreError when it is gone or corrupt)."""
        return gstore.locate(self.settings.store)

    def _current(self) -> _Pool:
        pool = self._pool
        if pool is None:
            raise ServiceUnavailable("the query engine is not running")
        now = time.monotonic()
        if now - self._checked >= self._check_every and self._switch.acquire(blocking=False):
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

    # -- the Backend hooks ------------------------------------------------------------------

    def _acquire(self) -> tuple[str, Any]:
        pool = self._current()
        while not pool.enter():  # retired between the lookup and now: take its successor
            pool = self._current()
        return pool.version, pool

    def _release(self, handle: Any) -> None:
        handle.leave()

    def _run(self, handle: Any, job: dict[str, Any], timeout: float) -> tuple[str, Any]:
        return handle.run(job, timeout)

    def refresh(self) -> None:
        """Look at the store link on the next query (e.g. right after an update)."""
        self._checked = 0.0
