"""``entente serve``: the app under gunicorn (gthread workers, see :class:`HotThreadWorker`),
after checking the store (or, with ``--backend URL`` / ENTENTE_BACKEND, that the remote SPARQL
endpoint answers)."""

from __future__ import annotations

import argparse
import logging
import multiprocessing as mp
import os
import select
import socket
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from entente.graph import store as gstore
from entente.server import prewarm
from entente.server.metrics_dir import metrics_directory
from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

from entente.config import Settings
from entente.errors import StoreError

#: how long a request thread waits on its kept-alive connection for the next request before
#: handing the connection back to the worker's main loop
KEEP_HOT_MS = 2


class HotThreadWorker(ThreadWorker):
    """gunicorn's gthread worker, with kept-alive connections kept hot for a moment.

    In gthread every request of a kept-alive connection goes through the main thread: it polls
    the idle connection, hands it to a pool thread, and gets it back (through a pipe) when the
    response is written -- two thread hand-offs, selector updates and a heartbeat per request
    that contend for the GIL with the request being answered.  Here the pool thread that wrote
    a response waits up to KEEP_HOT_MS for the client's next request on the same connection
    and answers it itself; the connection goes back to the main loop as before when no request
    comes, the worker is stopping, or other connections wait for a thread (so a busy client
    never keeps a thread from the others).

    The response is also corked (``TCP_CORK``) while the app writes it: gunicorn sends the
    head and the body in two writes, which would otherwise leave as two TCP segments (with
    TCP_NODELAY) and wake the client twice; uncorking at the end sends them together.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queue_lock = threading.Lock()
        self._queued = 0  # connections handed to the pool and not yet picked up by a thread

    def run(self) -> None:
        super().run()
        if not self.is_parent_alive():
            # The master is gone (killed: it would have stopped us itself).  gunicorn has
            # already given the requests in flight graceful_timeout; returning would make the
            # interpreter's exit wait for their threads, each up to the query time limit, and
            # nobody would kill us then.  The query processes end when our pipes close.
            self.log.warning("the master process is gone: worker %s exits", self.pid)
            os._exit(0)

    def enqueue_req(self, conn: Any) -> None:
        with self._queue_lock:
            self._queued += 1
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        with self._queue_lock:
            self._queued -= 1
        result = super().handle(conn)
        while result is True and self.alive and self._next_request_soon(conn):
            result = super().handle(conn)
        return result

    def handle_request(self, req: Any, conn: Any) -> Any:
        corked = _cork(conn.sock, True)
        try:
            return super().handle_request(req, conn)
        finally:
            if corked:
                _cork(conn.sock, False)

    def _next_request_soon(self, conn: Any) -> bool:
        if self._queued > 0:
            return False
        if conn.parser.unreader.buf.getvalue():  # a pipelined request is already read
            return True
        poller = select.poll()
        poller.register(conn.sock.fileno(), select.POLLIN)
        return bool(poller.poll(KEEP_HOT_MS))


def _cork(sock: Any, on: bool) -> bool:
    """Set TCP_CORK (Linux); False where the socket or the platform does not have it."""
    option = getattr(socket, "TCP_CORK", None)
    if option is None:
        return False
    try:
        sock.setsockopt(socket.IPPROTO_TCP, option, 1 if on else 0)
    except OSError:
        return False
    return True


class _Gunicorn(BaseApplication):
    """gunicorn run programmatically; each worker builds its own app (and query engine)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        s = self.settings
        url = f"http://{_host_for_url(s.host)}:{s.port}/"

        def when_ready(_server: Any) -> None:
            print(f"Entente is serving {url} (SPARQL endpoint: {url}sparql)", flush=True)

        def child_exit(_server: Any, worker: Any) -> None:
            # prometheus_client's bookkeeping for a worker that is gone (its counters stay)
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(worker.pid)

        options = {
            "bind": f"[{s.host}]:{s.port}" if ":" in s.host else f"{s.host}:{s.port}",
            "workers": s.workers,
            "threads": s.threads,
            "worker_class": HotThreadWorker,
            "preload_app": False,
            # A query may run for the whole time limit; give the worker some slack beyond it.
            "timeout": int(s.query_timeout + 30),
            "graceful_timeout": 10,
            # The app enforces ENTENTE_MAX_REQUEST_BYTES itself (413 in the JSON error shape).
            "limit_request_line": 0,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "when_ready": when_ready,
            "child_exit": child_exit,
        }
        if os.path.isdir("/dev/shm"):  # the workers' heartbeat file: tmpfs, not the disk
            options["worker_tmp_dir"] = "/dev/shm"
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from entente.server.app import create_app

        return create_app(self.settings)


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _open_and_close(info: gstore.StoreInfo) -> str | None:
    try:
        gstore.open_read_only(info)
    except StoreError as exc:
        return str(exc)
    except (OSError, RuntimeError) as exc:  # pyoxigraph reports corruption as RuntimeError
        return f"{info.oxigraph_path}: cannot open the store: {exc}"
    return None


def _probe(info: gstore.StoreInfo) -> None:
    """Open the store once in a throwaway process: fails clearly when it is corrupt.

    Not in this process: gunicorn forks its workers from it, and RocksDB's thread pools do
    not survive a fork.  The throwaway process is forked, not spawned: this process has not
    opened RocksDB (nothing to break), and a fork skips a fresh interpreter and its imports
    (about 0.5 s of start-up).
    """
    ctx = mp.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        problem = pool.submit(_open_and_close, info).result()
    if problem:
        raise StoreError(problem)


def _check_remote(settings: Settings) -> None:
    """The remote endpoint answers (StoreError naming the URL when not); settings fit."""
    from entente.server.engine import create_backend

    backend = create_backend(settings)  # UsageError for settings that cannot apply
    try:
        backend.start()
    finally:
        backend.close()


def main(args: argparse.Namespace, settings: Settings) -> int:
    """Validate the store, then serve until interrupted."""
    settings = settings.with_(**{
        name: value
        for name, value in (
            ("host", args.host), ("port", args.port), ("workers", args.workers),
            ("threads", args.threads), ("query_timeout", args.query_timeout),
            ("max_rows", args.max_rows), ("backend", getattr(args, "backend", None)),
        )
        if value is not None
    })
    warming = 0
    if settings.backend:
        _check_remote(settings)
    else:
        info = gstore.locate(settings.store)  # StoreError (exit 1) names the path
        _probe(info)
        warming, _ = prewarm.start(info.oxigraph_path, settings.prewarm_mb)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
    if warming:
        logging.getLogger("entente.serve").info(
            "reading %.0f MB of the store ahead into the page cache (ENTENTE_PREWARM_MB)",
            warming / (1 << 20))
    with metrics_directory():
        _Gunicorn(settings).run()
    return 0


