"""The query child process: a loop that opens the store read-only and answers jobs sent by
a WSGI worker over a pipe (:func:`child_main`), evaluating each with pyoxigraph and writing
its results with :mod:`entente.server.results`; and the framing of the messages between the
two.  Every query runs in such a process, so that a runaway one can be stopped (pyoxigraph
has no cancellation): the worker kills the child and starts another.

Preloaded by the forkserver the children are forked from, so, like the writers, it imports
nothing but the standard library, pyoxigraph and project modules built on those alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import pickle
import re
import select
import signal
import threading
import time
from typing import Any

import pyoxigraph as ox
from entente.server.results import Unwritable, write_boolean, write_solutions, write_triples

from entente.sparql_tokens import star_columns


def _term(spec: tuple) -> Any:
    kind = spec[0]
    if kind == "iri":
        return ox.NamedNode(spec[1])
    if kind == "literal":
        _, lexical, datatype, language = spec
        if language:
            return ox.Literal(lexical, language=language)
        if datatype:
            return ox.Literal(lexical, datatype=ox.NamedNode(datatype))
        return ox.Literal(lexical)
    raise ValueError(f"unknown term kind {kind!r}")


@functools.cache
def _nothing() -> ox.Store:
    """An empty dataset, for jobs that only check a query's syntax (pyoxigraph has no parser
    of its own: ``Store.query`` parses and evaluates, here on nothing)."""
    return ox.Store()


def run_query(store: ox.Store, job: dict[str, Any]) -> tuple[bytes, str, bool, int]:
    """Execute one job in a child: returns (body, form, truncated, rows); a ``check_only`` job
    only parses the query (SyntaxError when malformed) and returns an empty body."""
    if job.get("check_only"):
        _nothing().query(job["query"])
        return b"", "CHECK", False, 0
    options: dict[str, Any] = {}
    if job["default_graphs"] or job["named_graphs"]:
        options["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
        options["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    elif not job.get("own_dataset"):
        # the default graph is the union of all graphs, unless the query says FROM
        options["use_default_graph_as_union"] = True
    if job["substitutions"]:
        options["substitutions"] = {
            ox.Variable(name): _term(spec) for name, spec in job["substitutions"].items()
        }
    result = store.query(job["query"], **options)
    media, max_rows = job["media_type"], job["max_rows"]
    if isinstance(result, ox.QueryBoolean):
        return write_boolean(bool(result), media), "ASK", False, 1
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        body, truncated, rows = write_solutions(
            variables, result, media, max_rows,
            star_columns(variables, job.get("star_variables")))
        return body, "SELECT", truncated, rows
    body, truncated, rows = write_triples(result, media, max_rows, job["prefixes"],
                                          job.get("context"))
    return body, "GRAPH", truncated, rows


def _limit_memory(memory_mb: int) -> None:
    """Cap the address space at what the process maps now plus ``memory_mb``.

    Set after opening the store: RocksDB's threads reserve address space (stacks, malloc
    arenas) that is not memory a query uses.
    """
    import resource

    try:
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        mapped = 0
    limit = mapped + memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


#: after a query that ran this long (big joins and groups: the ones that allocate), the child
#: looks at its free heap ...
_TRIM_AFTER_S = 0.05
#: ... and hands it back to the kernel when more than this is free; otherwise each of the
#: pool's children keeps the peak of its largest query (10M triples: ~0.4-0.9 GB each, 3.8 GB
#: for the server tree).  Not after every query: the next query pays page faults for every
#: page it takes back (relation-types at 1M: ~40 ms more, 155 -> 196 ms), and at 1M the
#: listings leave ~120 MB free, a cost a child can keep.
_TRIM_FREE_BYTES = 128 * 1024 * 1024


class _MallInfo2(ctypes.Structure):
    """glibc's ``struct mallinfo2`` (all arenas)."""

    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def _trim(force: bool = False) -> None:
    """glibc ``malloc_trim(0)`` when more than :data:`_TRIM_FREE_BYTES` of the heap is free,
    or always with ``force`` (no-op elsewhere than glibc)."""
    global _LIBC
    if _LIBC is None:
        try:
            _LIBC = ctypes.CDLL("libc.so.6")
            _LIBC.malloc_trim.argtypes = [ctypes.c_size_t]
            _LIBC.mallinfo2.restype = _MallInfo2
        except (OSError, AttributeError):
            _LIBC = False
    if _LIBC and (force or _LIBC.mallinfo2().fordblks > _TRIM_FREE_BYTES):
        _LIBC.malloc_trim(0)


_LIBC: Any = None


def _exit_when_worker_ends(conn: Any) -> None:
    """Watch the pipe to the WSGI worker from a daemon thread and end this process as soon as
    the worker's end closes, even in the middle of a query (pyoxigraph releases the GIL while
    it evaluates).  The forkserver that forked us outlives the worker while we run, so a
    parent-death signal would not fire: without this, stopping the server could leave a
    child running a long query on its own."""
    hangup = getattr(select, "POLLRDHUP", 0) | select.POLLHUP

    def watch() -> None:
        poller = select.poll()
        poller.register(conn.fileno(), hangup)
        poller.poll()  # only a hang-up, an error or a closed descriptor is reported
        os._exit(0)

    threading.Thread(target=watch, name="entente-worker-watch", daemon=True).start()


# --- messages between a WSGI worker and its query children --------------------------------
#
# Plain pickles framed by multiprocessing's Connection.send_bytes (one write for a small
# message), without ForkingPickler (a BytesIO and a Pickler subclass per message).  An answer
# whose body is RAW_BODY_BYTES or more travels as two messages: the pickled answer with the
# body left out (None), then the body's bytes as they are -- not copied into a pickle and out.

RAW_BODY_BYTES = 64 * 1024
_PROTOCOL = pickle.HIGHEST_PROTOCOL
#: the engine's evaluation errors that are the query's fault, not the store's: a 400, not a
#: 503 (a client retries a 503 as an outage)
_QUERY_FAULTS = re.compile(r"The custom function <[^>]*> is not supported")


def send_message(conn: Any, obj: Any) -> None:
    """Send a picklable object (a job, None to stop, a status tuple)."""
    conn.send_bytes(pickle.dumps(obj, _PROTOCOL))


def receive_message(conn: Any) -> Any:
    """The next object :func:`send_message` sent (EOFError when the other end closed)."""
    return pickle.loads(conn.recv_bytes())


def send_reply(conn: Any, reply: tuple[str, Any]) -> None:
    """Send a child's answer: ``(kind, payload)``; an ``ok`` payload is
    ``(body, form, truncated, rows)``, a large body follows in a raw message."""
    kind, payload = reply
    if kind == "ok" and len(payload[0]) >= RAW_BODY_BYTES:
        body, form, truncated, rows = payload
        send_message(conn, (kind, (None, form, truncated, rows)))
        conn.send_bytes(body)
    else:
        send_message(conn, reply)


def receive_reply(conn: Any) -> tuple[str, Any]:
    """The answer :func:`send_reply` sent, with its body put back in place."""
    kind, payload = receive_message(conn)
    if kind == "ok" and payload[0] is None:
        payload = (conn.recv_bytes(), *payload[1:])
    return kind, payload


_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _resident_mb() -> float:
    """This process's resident set, in MB (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_BYTES / 1048576
    except (OSError, IndexError, ValueError):
        return 0.0


def child_main(conn: Any, oxigraph_path: str, memory_mb: int, keep_mb: int = 0) -> None:
    """The loop of a query child: open the store read-only, then answer jobs forever.

    After a query that ran over :data:`_TRIM_AFTER_S`, the child trims its free heap
    (:func:`_trim`); if it holds more than ``keep_mb`` (0: no limit), it trims whatever is
    free, and if it still holds more, it closes and reopens the store.  What RocksDB keeps
    after a big query -- the index and filter blocks of every table it touched, its block
    cache -- lives as long as the open store: at 10M triples ~300-400 MB per child after one
    listing, in each of the server's children.  Reopening costs ~0.25 s there (the files
    stay in the page cache) and is paid after the answer has been sent; at 1M the children
    hold ~105-125 MB once trimmed, so it does not happen there.
    """
    # a Ctrl-C in the terminal reaches the whole process group: the server stops its
    # workers, and this child ends with its worker (_exit_when_worker_ends), quietly
    if threading.current_thread() is threading.main_thread():  # (a test runs it in a thread)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        store = ox.Store.read_only(oxigraph_path)
    except (OSError, RuntimeError, MemoryError) as exc:  # corruption is a RuntimeError
        with contextlib.suppress(OSError):  # (the worker may be gone: see below)
            send_message(conn, ("fatal", f"{oxigraph_path}: cannot open the store: {exc}"))
        return
    if memory_mb > 0:
        _limit_memory(memory_mb)
    _exit_when_worker_ends(conn)
    try:
        send_message(conn, ("ready", None))
    except OSError:  # the worker is gone: stopped while it started us (a broken pipe was a
        return       # "Process entente-query:" traceback on the server's stderr)
    while True:
        try:
            job = receive_message(conn)
        except (EOFError, OSError):
            return
        if job is None:
            return
        started = time.perf_counter()
        try:
            reply: tuple[str, Any] = ("ok", run_query(store, job))
        except SyntaxError as exc:
            reply = ("syntax", str(exc))
        except Unwritable as exc:
            reply = ("unwritable", str(exc))
        except MemoryError:
            reply = ("memory", "query exceeded the memory limit")
        except (ValueError, TypeError) as exc:
            reply = ("bad", str(exc))
        except (OSError, RuntimeError) as exc:  # an evaluation error: this child lives on
            fault = isinstance(exc, RuntimeError) and _QUERY_FAULTS.fullmatch(str(exc))
            reply = ("bad" if fault else "error", str(exc))
        try:
            send_reply(conn, reply)
        except MemoryError:
            try:
                send_message(conn, ("memory", "query result exceeded the memory limit"))
            except OSError:
                return
        except OSError:  # the worker is gone (killed while this query ran)
            return
        del reply  # (the body it holds is freed before the heap is trimmed)
        if time.perf_counter() - started > _TRIM_AFTER_S and not _trimmed_within(keep_mb):
            # what RocksDB holds goes only with the store: this was its one reference (the
            # store must be gone before the heap is trimmed, or the trim finds nothing free)
            del store
            _trim(force=True)
            try:
                store = ox.Store.read_only(oxigraph_path)
            except (OSError, RuntimeError, MemoryError):
                return  # the pool sees the pipe close and starts a successor


def _trimmed_within(keep_mb: int) -> bool:
    """After a long query: trim the free heap; over ``keep_mb`` (0: no limit), trim all of
    it.  True when the process then holds at most ``keep_mb``."""
    _trim()
    if not keep_mb or _resident_mb() <= keep_mb:
        return True
    _trim(force=True)  # what the heap holds free under _TRIM_FREE_BYTES
    return _resident_mb() <= keep_mb
