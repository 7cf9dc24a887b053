"""``entente serve``: the app under granian (WSGI workers with request threads; the HTTP
protocol in Rust), after checking the store (or, with ``--backend URL`` / ENTENTE_BACKEND,
that the remote SPARQL endpoint answers)."""

from __future__ import annotations

import argparse
import http.client
import logging
import multiprocessing as mp
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any

from entente.graph import store as gstore
from entente.server import prewarm
from entente.server.metrics_dir import metrics_directory

from entente.config import Settings
from entente.errors import EntenteError, StoreError, UsageError

#: how often a web worker checks that the server's main process is still there
PARENT_CHECK_S = 1.0
#: how long the start-up probe waits for one answer before it asks again
READY_PROBE_S = 2.0


def _exit_with_parent(parent: int) -> None:
    """In a web worker: exit when the main process is gone (killed: it would have stopped us
    itself).  granian's workers would go on serving as orphans; the query processes end when
    our pipes close."""
    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_S)
            if os.getppid() != parent:
                logging.getLogger("entente.serve").warning(
                    "the main process is gone: worker %s exits", os.getpid())
                os._exit(0)

    threading.Thread(target=watch, name="entente-parent-watch", daemon=True).start()


class UnreadBody:
    """WSGI middleware for granian: what the app left unread of a request body is read before
    the response goes out, so that the kept-alive connection can carry the next request.

    granian closes a connection whose request body was not read to its end, and does not
    always say so (``Connection: close``): a client that had sent its next request meanwhile
    got a broken pipe (`entente soak`: 7 of 204,690 requests, each right after a POST answered
    415).  A body longer than ``limit`` (the app answered 413 without reading it) is not read:
    the response says ``Connection: close``, and the client opens a new connection."""

    def __init__(self, app: Any, limit: int) -> None:
        # (in the worker: server.ops imports prometheus_client, which must not be imported
        # before the metrics directory is set)
        from entente.server.ops import read_at_most

        self.app, self.limit, self.read_at_most = app, limit, read_at_most

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        declared = environ.get("CONTENT_LENGTH") or ""
        chunked = not declared and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        try:
            length = int(declared) if declared else 0
        except ValueError:
            length = 0
        if length <= 0 and not chunked:
            return self.app(environ, start_response)
        stream = environ["wsgi.input"]

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            # (a declared length over the limit is not read; any other body is read to its
            # end, unless that lies past the limit)
            if length > self.limit or len(self.read_at_most(stream, self.limit + 1)) > self.limit:
                headers = [*headers, ("Connection", "close")]
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def _stop_while_loading(signum: int, _frame: object) -> None:
    """A web worker's SIGTERM before granian has set its own handlers: exit at once.  The
    worker has served nothing yet; an exception raised wherever the signal landed could be
    swallowed (in a ``__del__`` Python prints it as "Exception ignored" and goes on)."""
    os._exit(0)


#: the granian server of this process (a forked worker holds its own copy of it)
_SERVER: Any = None


def _load_app(settings: Settings, parent: int, _target: str) -> Any:
    """granian's loader, run in each web worker: the app (and its own query engine).

    A forked worker inherits the main process's signal handlers, which only flag its copy
    of the server; granian sets the worker's own after the loader returns.  A SIGTERM that
    came before that (the server stopped right after its first worker answered) was lost:
    the worker served on until the main process killed it 10 s later.  So the loader exits
    when the flag is already set, and its SIGTERM handler exits until granian replaces it.

    A worker ignores SIGINT (:func:`_worker_signals`), and so do the processes it starts.
    A terminal's Ctrl-C reaches the whole process group, and the main process then stops
    its workers with SIGTERM: a worker that took both signals sometimes never ended (3 of 8
    Ctrl-Cs waited the 10 s until the main process killed it), and a query process still
    importing its modules printed a KeyboardInterrupt traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # (kept by the processes it execs)
    signal.signal(signal.SIGTERM, _stop_while_loading)
    if getattr(_SERVER, "interrupt_signal", False):  # signalled between the fork and here
        os._exit(0)
    import granian._signals

    granian._signals.set_sync_signals = partial(_worker_signals,
                                                granian._signals.set_sync_signals)
    from entente.server.app import create_app

    _exit_with_parent(parent)
    return UnreadBody(create_app(settings), settings.max_request_bytes)


def _worker_signals(set_sync_signals: Callable[[], Any]) -> Any:
    """granian's ``set_sync_signals`` in a web worker (it runs once the loader has returned),
    but SIGINT stays ignored: only the main process's SIGTERM stops the worker."""
    event = set_sync_signals()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return event


def _granian(settings: Settings) -> Any:
    """The granian server for ``settings``: WSGI, ``workers`` processes with ``threads``
    blocking threads each (the request threads), HTTP/1.1 with keep-alive and pipelining;
    the request head may take the whole ENTENTE_MAX_REQUEST_BYTES (the app answers 413 in
    the JSON error shape beyond it)."""
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels
    from granian.server import Server

    s = settings
    url = f"http://{_host_for_url(s.host)}:{s.port}/"
    server = Server(
        # (the target only names the app: main() hands granian a loader that builds it)
        "entente.server.app:create_app", address=s.host, port=s.port,
        interface=Interfaces.WSGI, workers=s.workers, blocking_threads=s.threads,
        http=HTTPModes.http1, websockets=False,
        http1_settings=HTTP1Settings(max_buffer_size=max(s.max_request_bytes + 65536, 417_792)),
        log_enabled=True, log_level=LogLevels.warning,
        # a worker that dies (the memory cap, a crash) is started again; SIGTERM gives the
        # requests in flight 10 s
        respawn_failed_workers=True, respawn_interval=0.5, workers_kill_timeout=10)

    # (granian advises against more request threads than 2 x cores + 1: ours mostly wait on
    # the query processes, not on the CPU)
    logging.getLogger("_granian").addFilter(
        lambda record: "Python threads, which seems quite high" not in record.getMessage())

    def ready() -> None:
        threading.Thread(target=_announce_when_answering, args=(server, s.host, s.port, url),
                         name="entente-ready", daemon=True).start()

    server.on_startup(ready)
    # which signal stopped the server: Ctrl-C (SIGINT) exits 130, as every command; SIGTERM,
    # a supervisor's stop, is a clean stop (0)
    stop = server.signal_handler_interrupt

    def record_and_stop(signum: int = 0, *rest: Any) -> None:
        server.stopped_by = server.stopped_by or signum
        stop(signum, *rest)

    server.stopped_by = 0
    server.signal_handler_interrupt = record_and_stop
    return server


def _announce_when_answering(server: Any, host: str, port: int, url: str) -> None:
    """Print the URL once a web worker answers ``/healthz`` (granian's start-up hook runs
    before its workers are forked and have loaded the app: the URL was printed ~1 s before
    a request to it could be answered).  Nothing is printed if the server stops first.

    (This thread runs while granian forks its workers: it must hold no lock a child could
    need.  ``http.client`` is imported with this module, not here: a fork during that import
    left the workers waiting forever on its module lock.)"""
    probe = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    while not server.interrupt_signal:
        connection = http.client.HTTPConnection(probe, port, timeout=READY_PROBE_S)
        try:
            connection.request("GET", "/healthz")
            connection.getresponse()  # (any answer: a 503 names a store or backend problem)
        except (OSError, http.client.HTTPException):
            time.sleep(0.05)
            continue
        finally:
            connection.close()
        print(f"Entente is serving {url} (SPARQL endpoint: {url}sparql)", flush=True)
        return


def _listen_address(host: str, port: int) -> str:
    """The IP address for ``host`` (a name such as ``localhost`` resolved), once a test bind
    shows the server can listen there: a host that names no address of this machine is a
    usage error (exit 2), a port in use one line (exit 1); granian raised either as a
    traceback of ~70 lines."""
    if not host.strip():
        raise UsageError("--host (ENTENTE_HOST) is empty: give an address such as 127.0.0.1")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise UsageError(f"--host (ENTENTE_HOST) {host!r}: not a host name or an IP "
                         f"address ({getattr(exc, 'strerror', None) or exc})") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # (as granian binds)
        try:
            probe.bind(address)
        except OSError as exc:
            raise EntenteError(f"cannot listen on {_host_for_url(host)}:{port}: "
                               f"{exc.strerror or exc}") from None
    return str(address[0])


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _open_and_close(info: gstore.StoreInfo) -> str | None:
    try:
        gstore.open_read_only(info)
    except StoreError as exc:  # (a damaged store too: open_read_only says so in one line)
        return str(exc)
    return None


def _probe(info: gstore.StoreInfo) -> None:
    """Open the store once in a throwaway process: fails clearly when it is corrupt.

    Not in this process: granian forks its web workers from it, and RocksDB's thread pools do
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
    if settings.update_enabled and not settings.update_token:
        # (the server started, and every update was a 403 "no ENTENTE_UPDATE_TOKEN")
        raise UsageError("ENTENTE_UPDATE_ENABLED is set but ENTENTE_UPDATE_TOKEN is not: set a "
                         "token (clients send it as 'Authorization: Bearer TOKEN'), or leave "
                         "updates off")
    settings = settings.with_(host=_listen_address(settings.host, settings.port))
    warming = 0
    if settings.backend:
        _check_remote(settings)
    else:
        info = gstore.locate(settings.store, settings.base)  # StoreError (exit 1): the path
        _probe(info)
        warming, _ = prewarm.start(info.oxigraph_path, settings.prewarm_mb)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
    if warming:
        logging.getLogger("entente.serve").info(
            "reading %.0f MB of the store ahead into the page cache (ENTENTE_PREWARM_MB)",
            warming / (1 << 20))
    global _SERVER
    _SERVER = _granian(settings)
    with metrics_directory():
        _SERVER.serve(target_loader=partial(_load_app, settings, os.getpid()),
                      wrap_loader=True)
    if _SERVER.stopped_by == signal.SIGINT:
        print("entente serve: interrupted", file=sys.stderr)
        return 130
    return 0


