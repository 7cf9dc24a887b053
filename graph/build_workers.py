"""The extraction of ``entente build`` in worker processes: the tools each process uses
(built once, before the fork), the documents sent to the workers in chunks, each chunk's
lines sorted into a run file by its worker, and a document that kills its process extracted
again alone, reported and skipped (see :func:`extract_all`)."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from entente.graph.extract import Tools, extract_document, warm_up
from entente.graph.model import DocStats, SourceDocument
from entente.graph.rdfize import document_quads
from entente.graph.sorted_runs import SortedRuns, write_run

CHUNK_DOCS = 16  # documents per task sent to a worker process
#: how long an interrupted build waits for its pool's manager thread to end (_await_manager)
MANAGER_WAIT_S = 5.0


@lru_cache(maxsize=4)
def bundled_tools(base: str) -> Tools:
    """The linker and relation extractor over the bundled entities and rules, built once per
    process and base IRI (0.6-0.8 s), as the bundled files are parsed once (``bundled``): every
    later build in the process uses the same tools.  They keep nothing of a document for the
    next (their tables of words and types seen are caches), so a build's dataset does not
    depend on what the process extracted before."""
    from entente.graph.linking import Linker
    from entente.graph.relations import RelationExtractor

    return Tools(Linker.from_bundled(base), RelationExtractor.from_bundled(base))


_WORKER: dict[str, object] = {}
Outcome = tuple[str, list[str] | None, "DocStats | str", float]


def init_worker(base: str, build_iri: str, index: dict[str, str],
                 factory: Callable[[str], Tools], parent: int | None = None) -> None:
    if parent is not None:
        die_with_parent(parent)
    _WORKER.update(base=base, build_iri=build_iri, index=index, tools=factory(base))


_PR_SET_PDEATHSIG = 1  # (linux/prctl.h)


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the build process ``parent`` dies (Linux's
    ``PR_SET_PDEATHSIG``): a pool worker holds both ends of its task queue, so a build killed
    with SIGKILL otherwise leaves it waiting for a task forever.  Exits at once if ``parent``
    is already gone.  Ctrl-C is left to the build process (:func:`leave_interrupts`)."""
    leave_interrupts()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # (no prctl: the worker may outlive a killed build)
            pass
    if os.getppid() != parent:
        os._exit(1)


def leave_interrupts() -> None:
    """Ignore SIGINT in a worker: Ctrl-C reaches every process of the terminal's group, and
    the build process stops its workers itself (:func:`_stop_workers`); a worker that took it
    printed a traceback of its own, or stopped in a state the pool then waited on forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's worker processes at once (the build was interrupted: ``shutdown``
    would wait for their chunks).  Python 3.14 has ``kill_workers``; before it the executor
    keeps its processes in ``_processes``."""
    kill = getattr(pool, "kill_workers", None)
    if kill is not None:
        kill()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()


def _await_manager(manager: threading.Thread | None) -> None:
    """Wait (a few seconds at most) for the executor's manager thread of a pool whose workers
    were killed to end.  It closes its wake-up pipe as it ends, and the interpreter's exit
    writes to that pipe unless it is closed (``concurrent.futures.process._python_exit``):
    an exit while the thread was closing it printed ``OSError: [Errno 9] Bad file
    descriptor`` after "interrupted" (Python 3.11; one Ctrl-C in a few hundred)."""
    if manager is not None and manager.is_alive():
        manager.join(MANAGER_WAIT_S)


def _extract_one(doc: SourceDocument) -> Outcome:
    """(file, N-Quads lines, stats, CPU seconds) or (file, None, error message, CPU seconds)."""
    started = time.process_time()
    try:
        tools = _WORKER["tools"]
        ex = extract_document(doc, tools.linker, tools.extractor)  # type: ignore[attr-defined]
        lines = document_quads(ex, str(_WORKER["base"]), str(_WORKER["build_iri"]),
                               _WORKER["index"])  # type: ignore[arg-type]
    except Exception as exc:  # one bad document must not sink the build
        return (doc.file, None, f"extraction failed: {type(exc).__name__}: {exc}",
                time.process_time() - started)
    # (a mention is a span: an anaphor that stands for two entities is one mention)
    stats = DocStats(doc.file, len(ex.sentences), len({m[:2] for m in ex.mentions}),
                     len(ex.assertions))
    for a in ex.assertions:
        stats.by_predicate[a.predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]] += 1
        stats.by_polarity["Negated" if a.negated else "Affirmed"] += 1
        stats.by_certainty[a.certainty.rsplit("#", 1)[-1]] += 1
    return doc.file, lines, stats, time.process_time() - started


def _extract_chunk(task: tuple[list[SourceDocument], Path, tuple[str, ...] | None]
                   ) -> list[Outcome]:
    """A worker's share: extract the documents, and write their lines as one sorted run
    at the given path (the sorting happens here, in parallel, not in the build process).
    Each outcome then carries only the lines kept for reasoning (those not starting with one
    of the given prefixes), or none when reasoning is off (None)."""
    docs, run, evidence = task
    outcomes = [_extract_one(doc) for doc in docs]
    write_run((line for _, lines, _, _ in outcomes if lines for line in lines), run)
    kept: list[Outcome] = []
    for file, lines, stats, cpu in outcomes:
        if lines is not None:  # extracted (None: failed, stats holds the error)
            lines = [x for x in lines if not x.startswith(evidence)] if evidence else []
        kept.append((file, lines, stats, cpu))
    return kept


def _chunks(docs: list[SourceDocument], size: int) -> list[list[SourceDocument]]:
    return [docs[i:i + size] for i in range(0, len(docs), size)]


def extract_all(docs: list[SourceDocument], workers: int, init_args: tuple, tools: Tools,
                 runs: SortedRuns, evidence: tuple[str, ...] | None
                 ) -> Iterator[tuple[Outcome, bool]]:
    """Every document's outcome, in input (file-name) order, and whether its lines are in
    ``runs`` already.

    The parent's tools (spaCy pipelines, matchers, compiled rules) are built once; with
    ``fork`` (Linux) the workers inherit them instead of rebuilding them, and get the
    documents in chunks.  A worker sorts its chunk's lines into a run file that ``runs``
    adopts, and sends back only the lines kept for reasoning (``evidence``: the prefixes
    left out; None: reasoning is off): the lines do not travel between processes, and
    the build process does not sort them.  With ``fork``, one worker is a process too: a
    document that kills it (a crash in native code, the memory) is then reported and
    skipped (:func:`_extract_alone`) instead of ending the build.  Without ``fork`` (whose
    fresh interpreters each load the tools) one worker extracts in the build process.
    """
    base, build_iri, index, factory = init_args
    _WORKER.update(base=base, build_iri=build_iri, index=index, tools=tools)
    forked = "fork" in get_all_start_methods()
    if not docs or not forked and (workers <= 1 or len(docs) <= 1):
        for doc in docs:
            yield _extract_one(doc), False
        return
    processes = min(workers, len(docs))
    size = max(1, min(CHUNK_DOCS, len(docs) // (processes * 4)))
    tasks = [(chunk, runs.new_run_path(), evidence) for chunk in _chunks(docs, size)]
    if forked:
        warm_up()  # lazily built pipelines: build them once, before the fork
        pool = ProcessPoolExecutor(processes, mp_context=get_context("fork"),
                                   initializer=die_with_parent, initargs=(os.getpid(),))
    else:  # fresh interpreters build their own tools
        pool = ProcessPoolExecutor(processes, mp_context=get_context("spawn"),
                                   initializer=init_worker,
                                   initargs=(base, build_iri, index, factory, os.getpid()))
    # An executor, not multiprocessing.Pool: when a worker dies (killed, out of memory, a
    # crash in native code) the Pool waits for its chunk forever; the executor raises
    # BrokenProcessPool.  Then each document not yet extracted is extracted again alone, in
    # a process of its own: those that kill it are reported and skipped.
    done = 0
    interrupted = False
    try:
        # map keeps the input (file-name) order
        for task, outcomes in zip(tasks, pool.map(_extract_chunk, tasks), strict=True):
            runs.adopt(task[1])
            done += 1
            for outcome in outcomes:
                yield outcome, True
    except BrokenProcessPool:
        pass
    except BaseException as exc:  # Ctrl-C, an error: the workers stop now
        if not isinstance(exc, GeneratorExit):  # (the build stopped reading: --strict)
            interrupted = True
            _stop_workers(pool)
        raise
    finally:  # a build that stops early (--strict) does not wait for the chunks not started
        manager = getattr(pool, "_executor_manager_thread", None)  # (shutdown forgets it)
        pool.shutdown(wait=not interrupted, cancel_futures=True)
        if interrupted:
            _await_manager(manager)
    for chunk, _, _ in tasks[done:]:
        for doc in chunk:
            yield _extract_alone(doc, runs, evidence, init_args), True


def _extract_alone(doc: SourceDocument, runs: SortedRuns, evidence: tuple[str, ...] | None,
                   init_args: tuple) -> Outcome:
    """``doc``'s outcome, extracted in a process of its own (forked, or started afresh
    without ``fork``); a process that dies gives an outcome that says how."""
    run = runs.new_run_path()
    forked = "fork" in get_all_start_methods()
    context = get_context("fork" if forked else "spawn")
    receive, send = context.Pipe(duplex=False)
    args = (doc, run, evidence, send, None if forked else init_args)
    process = context.Process(target=_extract_in_child, args=args)
    process.start()
    send.close()
    try:
        outcome = receive.recv()
    except EOFError:  # (the child died before it answered)
        outcome = None
    except BaseException:  # Ctrl-C: the child stops now
        process.kill()
        process.join()
        raise
    process.join()
    receive.close()
    if outcome is None or process.exitcode != 0:
        code = process.exitcode or 0
        how = f"killed by signal {-code} ({_signal_name(-code)})" if code < 0 \
            else f"exit status {code}"
        return (doc.file, None, f"the extraction process died ({how}); the document may "
                "trip a defect in native code, or exhaust the memory", 0.0)
    runs.adopt(run)
    return outcome


def _extract_in_child(doc: SourceDocument, run: Path, evidence: tuple[str, ...] | None,
                      send, init_args: tuple | None) -> None:  # noqa: ANN001
    leave_interrupts()
    if init_args is not None:
        init_worker(*init_args)
    (outcome,) = _extract_chunk(([doc], run, evidence))
    send.send(outcome)
    send.close()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return "unknown signal"

