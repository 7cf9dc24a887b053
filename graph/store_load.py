"""Loading a dump into a new on-disk store for :func:`entente.graph.store.publish`: the dump
cut into chunks (by graph where it comes in runs of one graph: :mod:`entente.graph.
load_partition`) that concurrent ``bulk_load`` calls load (one batch is one thread in
pyoxigraph), then a compaction on one core while the dump is copied and hashed and the quads
per graph counted on the other (see docs/performance.md, "Load 1M triples").  A large load
runs in a child process under mimalloc (:mod:`entente.graph.load_allocator`)."""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import logging
import mmap
import operator
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from entente.graph import load_allocator, load_partition

from entente.errors import StoreError

#: Bytes of N-Quads handed to one ``bulk_load`` call.  pyoxigraph parses and sorts one batch
#: of up to a million quads on a single thread, so a dump is cut (at line ends) into chunks
#: that :data:`LOAD_THREADS` calls load side by side (the GIL is released while they run).
#: Each chunk becomes one more sorted run in RocksDB (merged by a compaction at the end).
#: 64 MiB (~250,000 quads) published the 1M benchmark dump (248 MB) in 4.8-5.3 s, against
#: 5.0-5.5 s with 32-96 MiB and 5.8-5.9 s with 128 MiB (two chunks, one per core, so a core
#: waits for the slower one), with the same query times afterwards (2026-12-01, 2 vCPU).
CHUNK_BYTES = 64 << 20
#: Concurrent ``bulk_load`` calls (the machine this was tuned on has two cores).
LOAD_THREADS = 2
#: From this size up a dump is handed whole to one ``bulk_load(path=...)``: pyoxigraph then
#: cuts it into batches of a million quads itself and loads them on every core, with less
#: work than our chunks (10M triples, 2.5 GB, on the 2-core VM: 67 s against 85-88 s; with
#: the compaction and the counts after it 94 s against 122 s, and the same query times).  At
#: 1M (250 MB: one batch, so one thread) the chunks win, 9-10 s against 11 s.  512 MB is
#: about two million quads: two batches, two threads.
WHOLE_FILE_BYTES = 512 << 20
#: From this size up a load runs in a child process under mimalloc (when installed and
#: chosen).  Below it the child costs more than the allocator saves: the 100K benchmark dump
#: (25 MB) published in 0.67-1.05 s in a child against 0.71-0.79 s in-process; the 1M dump
#: (245 MB) in 4.62-5.97 s (median 5.27) against 5.29-5.95 s (5.49), 10-15% less CPU
#: (alternated runs, 2-core VM, 2026-12-05).
CHILD_MIN_BYTES = 128 << 20
_READ_BYTES = 8 << 20
_LINE_IN_ERROR = re.compile(r"\bline (\d+)")
_log = logging.getLogger(__name__)


@dataclass
class Loaded:
    sha256: str
    counts: dict[str, int]


def _chunks(source: Path) -> Iterator[tuple[int, bytes]]:
    """Yield (first line number, bytes) chunks of whole lines of ``source``."""
    line = 1
    pending: list[bytes] = []
    size = 0
    with source.open("rb") as fh:
        while True:
            block = fh.read(_READ_BYTES)
            if block:
                pending.append(block)
                size += len(block)
            if size and (size >= CHUNK_BYTES or not block):
                data = b"".join(pending)
                cut = data.rfind(b"\n") + 1 if block else len(data)
                chunk, rest = data[:cut], data[cut:]
                if chunk:
                    yield line, chunk
                    line += chunk.count(b"\n")
                pending, size = ([rest], len(rest)) if rest else ([], 0)
            if not block:
                return


def _pieces(source: Path, mapped: bool) -> Iterator[tuple[Callable[[int], int], bytes]]:
    """The chunks to load, each with the function from its line numbers to the file's.

    A file of two chunks or more is cut by graph (:func:`load_partition.graph_parts`): each
    chunk holds the lines of one range of the store's order of graphs, so that the chunks'
    runs in the graph-first indexes are disjoint and the compaction leaves them as they are
    (the 1M benchmark dump: compaction 0.7-1.1 s against 1.7-1.8 s).  A file whose lines do
    not come in runs of one graph is cut by position (:func:`_chunks`).

    With ``mapped`` the file is mapped into memory rather than read (0.15 s less at 1M): for
    the load process only, where a file cut short under the map (SIGBUS) kills the load
    process, which is reported, and not the process that publishes."""
    parts = -(-source.stat().st_size // CHUNK_BYTES)
    if parts >= 2:
        data: load_partition.Buffer
        with source.open("rb") as fh:  # (a map is closed once no chunk's function holds it)
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if mapped else fh.read()
        split = load_partition.graph_parts(data, parts)
        # (the build's dumps have no blank node: it skolemises; the scan 0.07 s at 1M)
        blank = _BLANK_LABEL.search(data) is not None
        if split is not None and not (blank and _blank_nodes_shared(data, split)):
            for part in split:
                yield functools.partial(part.source_line, data), part.join(data)
            return
        if blank:  # (a blank node's lines may fall in two chunks: one call)
            yield functools.partial(operator.add, 0), bytes(data)
            return
        del data
    for first_line, chunk in _chunks(source):
        yield functools.partial(operator.add, first_line - 1), chunk


#: what may be a blank node's label in N-Quads (a false one, in a literal or an IRI, only
#: costs the cut)
_BLANK_LABEL = re.compile(rb"_:[^\s<>\"]+")


def _blank_nodes_shared(data: load_partition.Buffer, parts: list[load_partition.Part]
                        ) -> bool:
    """Whether a blank node's label occurs in two of ``parts``.  Each ``bulk_load`` call
    names the blank nodes it reads anew, so the lines of one blank node loaded by two calls
    would be two blank nodes (an OWL class expression cut from its property)."""
    owner: dict[bytes, int] = {}
    for i, part in enumerate(parts):
        for a, b in part.ranges:
            for label in _BLANK_LABEL.findall(data, a, b):
                if owner.setdefault(label, i) != i:
                    return True
    return False


def _syntax_error(dataset_nq: Path, exc: SyntaxError, line_in_file: Callable[[int], int]
                  ) -> StoreError:
    """The parser's message with the line number counted from the start of the file
    (``line_in_file``: from the line number in what was loaded)."""
    message = str(exc.args[0] if exc.args else exc)
    if exc.lineno is not None:
        absolute = line_in_file(exc.lineno)
        message = _LINE_IN_ERROR.sub(f"line {absolute}", message, count=1)
    return StoreError(f"{dataset_nq}: invalid N-Quads: {message}")


def _graph_counts(store: pyoxigraph.Store) -> dict[str, int]:
    counts: dict[str, int] = {}
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    for row in store.query(query):
        counts[row["g"].value] = int(row["n"].value)
    default = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # the default graph
    n_default = int(next(iter(default))["n"].value)
    if n_default:
        counts[""] = n_default
    return counts


def allocator_for(size: int, allocator: str) -> str:
    """The allocator a load of a ``size``-byte dump runs under when ``allocator`` is asked for:
    "mimalloc" (in a child process) when it is asked for, installed and the dump is at least
    :data:`CHILD_MIN_BYTES`; else "system" (in the calling process)."""
    if allocator not in load_allocator.ALLOCATORS:
        raise ValueError(f"unknown allocator {allocator!r}")
    if allocator == "mimalloc" and size >= CHILD_MIN_BYTES \
            and load_allocator.mimalloc_library() is not None:
        return "mimalloc"
    return "system"


def load_dump(oxigraph_path: Path, dataset_nq: Path, dump: Path, lenient: bool = False,
              allocator: str = "mimalloc") -> Loaded:
    """Load ``dataset_nq`` into a new on-disk store (:func:`load_here`), in a child process
    under mimalloc when :func:`allocator_for` says so."""
    if allocator_for(dataset_nq.stat().st_size, allocator) == "mimalloc":
        return _load_in_child(oxigraph_path, dataset_nq, dump, lenient)
    return load_here(oxigraph_path, dataset_nq, dump, lenient)


def load_here(oxigraph_path: Path, dataset_nq: Path, dump: Path, lenient: bool = False,
              *, mapped: bool = False) -> Loaded:
    """Load ``dataset_nq`` into a new on-disk store, then copy it to ``dump`` and hash it.

    Below :data:`WHOLE_FILE_BYTES` the file is cut into chunks that :data:`LOAD_THREADS`
    concurrent ``bulk_load`` calls load; above it pyoxigraph loads the file itself, in its
    own batches on every core.  Then :func:`_finish` merges, counts, copies and hashes.  The
    file is read twice (to load, to copy), so a file that changes meanwhile (another
    identity, size or modification time afterwards) is refused: the version's hash must be
    that of what was loaded.  Returns the SHA-256 and the quads per graph IRI (``""`` for
    the default graph).  ``mapped``: see :func:`_pieces` (the load process's choice).
    """
    before = _identity(dataset_nq)
    store = pyoxigraph.Store(str(oxigraph_path))
    try:
        with ThreadPoolExecutor(LOAD_THREADS) as pool:
            if dataset_nq.stat().st_size >= WHOLE_FILE_BYTES:
                try:
                    store.bulk_load(path=str(dataset_nq), format=pyoxigraph.RdfFormat.N_QUADS,
                                    lenient=lenient)
                except SyntaxError as exc:
                    raise _syntax_error(dataset_nq, exc, int) from None
                runs = 2  # pyoxigraph's batches: merge them whatever their number
            else:
                runs = _load_chunks(store, pool, dataset_nq, lenient, mapped)
            loaded = _finish(store, pool, dataset_nq, dump, merge=runs > 1)
        if _identity(dataset_nq) != before:
            raise StoreError(f"{dataset_nq}: the file changed while it was being published")
        store.flush()
    finally:
        del store
        gc.collect()  # release the RocksDB lock before the directory is renamed
    return loaded


_CHILD_CODE = "from entente.graph.store_load import child_main; child_main()"


def _load_in_child(oxigraph_path: Path, dataset_nq: Path, dump: Path, lenient: bool
                   ) -> Loaded:
    """:func:`load_here` in a child process started with mimalloc preloaded.  The child
    answers one JSON line; a :class:`StoreError` of its load comes back as one here.  The
    child dies with this process (``PR_SET_PDEATHSIG``), and is killed when this thread is
    interrupted (Ctrl-C, a signal handler's exception)."""
    library = load_allocator.mimalloc_library()
    assert library is not None
    args = [sys.executable, "-c", _CHILD_CODE, str(os.getpid()), str(oxigraph_path),
            str(dataset_nq), str(dump), "1" if lenient else "0"]
    proc = subprocess.Popen(args, env=load_allocator.preloaded_environment(library),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    answer = _last_json_line(out)
    if proc.returncode == 0 and "sha256" in answer:
        if answer.get("allocator") != "mimalloc":
            _log.warning("%s was loaded on the system allocator: the load process could not "
                         "preload %s (%s)", dataset_nq, library, err.strip()[-300:])
        return Loaded(answer["sha256"], answer["counts"])
    if "error" in answer:
        raise StoreError(answer["error"])
    if proc.returncode < 0:
        how = f"was killed by {signal.Signals(-proc.returncode).name}"
    else:
        how = f"exited with status {proc.returncode}"
    last = (err.strip().splitlines() or ["no message"])[-1]
    raise StoreError(f"{dataset_nq}: the load process (mimalloc; ENTENTE_LOAD_ALLOCATOR=system "
                     f"loads in this process) {how}: {last}")


def _last_json_line(out: str) -> dict:
    for line in reversed(out.strip().splitlines()):
        try:
            answer = json.loads(line)
        except ValueError:
            continue
        if isinstance(answer, dict):
            return answer
    return {}


def child_main(argv: list[str] | None = None) -> None:
    """The load child's entry: ``parent_pid oxigraph_path dataset_nq dump lenient``; prints
    ``{"sha256", "counts", "allocator"}`` or ``{"error"}`` (exit status 1)."""
    parent, oxigraph_path, dataset_nq, dump, lenient = (argv or sys.argv[1:])[:5]
    _die_with_parent(int(parent))
    try:
        loaded = load_here(Path(oxigraph_path), Path(dataset_nq), Path(dump), lenient == "1",
                           mapped=True)
    except StoreError as exc:
        print(json.dumps({"error": str(exc)}), flush=True)
        sys.exit(1)
    allocator = "mimalloc" if load_allocator.mapped() else "system"
    print(json.dumps({"sha256": loaded.sha256, "counts": loaded.counts,
                      "allocator": allocator}), flush=True)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies (``prctl(PR_SET_PDEATHSIG)``),
    and exit now if it already has."""
    import ctypes

    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        sys.exit(1)


def _load_chunks(store: pyoxigraph.Store, pool: ThreadPoolExecutor, dataset_nq: Path,
                 lenient: bool, mapped: bool) -> int:
    """Load the chunks of ``dataset_nq`` (:func:`_pieces`), :data:`LOAD_THREADS` at a time;
    returns how many there were."""
    slots = threading.BoundedSemaphore(LOAD_THREADS)
    failed = threading.Event()

    # (the store is an argument, not a closure's variable: a failed load's traceback keeps
    # the function, and clearing its frames must let the store close)
    def load(store: pyoxigraph.Store, line_in_file: Callable[[int], int], chunk: bytes
             ) -> None:
        try:
            if not failed.is_set():
                store.bulk_load(input=chunk, format=pyoxigraph.RdfFormat.N_QUADS,
                                lenient=lenient)
        except SyntaxError as exc:
            failed.set()
            raise _syntax_error(dataset_nq, exc, line_in_file) from None
        except BaseException:
            failed.set()
            raise
        finally:
            slots.release()

    futures = []
    for line_in_file, chunk in _pieces(dataset_nq, mapped):
        slots.acquire()
        if failed.is_set():
            slots.release()
            break
        futures.append(pool.submit(load, store, line_in_file, chunk))
    for future in futures:
        future.result()
    return len(futures)


def _finish(store: pyoxigraph.Store, pool: ThreadPoolExecutor, dataset_nq: Path, dump: Path,
            *, merge: bool) -> Loaded:
    """The loaded store's last steps: with ``merge`` a full compaction on one core, and on
    this thread meanwhile the quads per graph (:func:`_graph_counts`) and the copy of the
    file with its hash (:func:`_copy_and_hash`).

    Each chunk we loaded, like each batch of pyoxigraph's own ``bulk_load`` of a large file,
    is a sorted run of its own in every index; merging them keeps queries as fast as on a
    store loaded in one batch (1M in four chunks without it: every canned query 1.2-1.5x
    slower; 10M loaded whole without it: up to 2.3x, ``claims-by-source`` 35 s against 17 s).
    The compaction uses one core, so the copy and the counts cost no time beside it (1M on
    2 vCPU: 5.3-5.6 s when the copy went through Python during the loads)."""
    merging = pool.submit(store.optimize) if merge else None
    counts = _graph_counts(store)
    sha256 = _copy_and_hash(dataset_nq, dump)
    if merging is not None:
        merging.result()
    return Loaded(sha256, counts)


def _copy_and_hash(source: Path, dump: Path) -> str:
    """Copy ``source`` to ``dump`` in the kernel (``copy_file_range``/``sendfile``: a tenth of
    the CPU of a copy through Python), then hash and sync the copy: the version's SHA-256 is
    that of the file it keeps."""
    shutil.copyfile(source, dump)
    return sha256_file(dump, sync=True)


def _identity(path: Path) -> tuple[int, int, int, int]:
    st = path.stat()
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def sha256_file(path: Path, *, sync: bool = False) -> str:
    """The file's SHA-256; with ``sync`` the file is also written to disk (``fsync``)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(_READ_BYTES), b""):
            digest.update(block)
        if sync:
            os.fsync(fh.fileno())
    return digest.hexdigest()

