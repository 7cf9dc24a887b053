"""Canned queries in-process: on pyoxigraph (our engine) and on rdflib (the baseline peer).

Queries come from ``entente.graph.canned`` with their default parameters bound the same
way the server binds them (SEP-0007 substitutions for pyoxigraph, ``initBindings`` for
rdflib).  Each engine runs in a child process that writes one JSON line per query, so that
a query running away is stopped at its time limit (the child is killed and restarted on
the remaining queries) and each engine's load time and peak memory are its own.  rdflib,
which takes minutes to load 1M triples, measures each query in a forked copy of the loaded
dataset instead, so a time-out costs no reload (pyoxigraph's store is not used across fork).
"""

from __future__ import annotations

import itertools
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from entente.bench.answers import fingerprint_boolean, fingerprint_oxigraph, fingerprint_rdflib
from entente.bench.measure import repeat, self_peak_rss_mb, summary_ms

from entente.errors import EntenteError


def canned_workload(base: str) -> dict[str, dict[str, Any]]:
    """name -> {"text", "subs"}: every canned query with its defaults bound (transport form)."""
    from entente.graph import canned

    out: dict[str, dict[str, Any]] = {}
    for name, query in sorted(canned.load_all().items()):
        subs = canned.bind(query, {}, base)
        out[name] = {"text": query.text_for(subs), "subs": {k: list(v) for k, v in subs.items()}}
    return out


def _bindings(item: dict[str, Any]) -> list[dict[str, list]]:
    """The parameter bindings a workload item runs with: ``rotate`` (one per run, in turn, so
    no cache can answer a repeat) or its one ``subs``."""
    return item.get("rotate") or [item["subs"]]


def member_pairs(oxigraph: Path, limit: int, scan: int = 5000) -> list[dict[str, str]]:
    """Up to ``limit`` pairs {"a", "b"} of actors that share an organization (ent:memberOf),
    spread over the first ``scan`` memberships the store lists; sorted, so the choice is a
    function of the data.  Opens the store read-only in a child process (RocksDB handles must
    not live in the harness, which forks load tools and servers)."""
    code = ("import json, sys; from entente.bench.engine import _member_pairs; "
            "print(json.dumps(_member_pairs(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))")
    proc = subprocess.run([sys.executable, "-c", code, str(oxigraph), str(limit), str(scan)],
                          capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        raise EntenteError(f"{oxigraph}: cannot list memberships: {tail[0]}")
    return json.loads(proc.stdout)


def _member_pairs(oxigraph: str, limit: int, scan: int) -> list[dict[str, str]]:
    import pyoxigraph

    from entente.config import ONTOLOGY_NS

    store = pyoxigraph.Store.read_only(oxigraph)
    members: dict[str, set[str]] = {}
    for row in store.query(f"SELECT ?a ?o WHERE {{ ?a <{ONTOLOGY_NS}memberOf> ?o }} "
                           f"LIMIT {int(scan)}", use_default_graph_as_union=True):
        if isinstance(row["a"], pyoxigraph.NamedNode):
            members.setdefault(row["o"].value, set()).add(row["a"].value)
    pairs = sorted({(a, b) for group in members.values() for a in group for b in group
                    if a < b})
    step = max(1, len(pairs) // max(1, limit))
    return [{"a": a, "b": b} for a, b in pairs[::step][:limit]]


#: for each parameter a canned query's variant is for (``queries/<name>--<param>.rq``), the
#: SPARQL listing values of it (``?v``): sampled by :func:`parameter_values`
PARAMETER_VALUES = {
    "document": "SELECT DISTINCT ?v WHERE { ?a <http://www.w3.org/ns/prov#wasDerivedFrom> ?v }",
    "source": "SELECT DISTINCT ?v WHERE { "
              "?a <https://entente.example.org/ontology#attributedTo> ?v }",
    # the actor parameters, which bind an assertion's subject
    **dict.fromkeys(("entity", "party", "state", "subject"),
                    "SELECT DISTINCT ?v WHERE { "
                    "?a <https://entente.example.org/ontology#subject> ?v }"),
}


def parameter_values(oxigraph: Path, param: str, limit: int, scan: int = 5000) -> list[str]:
    """Up to ``limit`` values of a variant's parameter (:data:`PARAMETER_VALUES`), spread over
    the first ``scan`` the store lists, sorted; in a child process (as :func:`member_pairs`)."""
    code = ("import json, sys; from entente.bench.engine import _parameter_values; "
            "print(json.dumps(_parameter_values(*sys.argv[1:3], *map(int, sys.argv[3:5]))))")
    proc = subprocess.run([sys.executable, "-c", code, str(oxigraph), param, str(limit),
                           str(scan)], capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        raise EntenteError(f"{oxigraph}: cannot list values of {param}: {tail[0]}")
    return json.loads(proc.stdout)


def _parameter_values(oxigraph: str, param: str, limit: int, scan: int) -> list[str]:
    import pyoxigraph

    store = pyoxigraph.Store.read_only(oxigraph)
    found = sorted(row["v"].value for row in store.query(
        f"{PARAMETER_VALUES[param]} LIMIT {int(scan)}", use_default_graph_as_union=True)
        if isinstance(row["v"], pyoxigraph.NamedNode))
    step = max(1, len(found) // max(1, limit))
    return found[::step][:limit]


def rotating_item(text: str, base: str, name: str, raws: list[dict[str, str]]
                  ) -> dict[str, Any]:
    """A workload item whose runs take the bindings of ``raws`` in turn (bound like the
    server binds query-string values)."""
    from entente.graph import canned

    query = canned.load_all()[name]
    rotate = [{k: list(v) for k, v in canned.bind(query, raw, base).items()} for raw in raws]
    return {"text": text, "subs": rotate[0], "rotate": rotate}


# --- child side ------------------------------------------------------------------------


def _open_oxigraph(source: str) -> tuple[Any, Any]:
    import pyoxigraph
    from entente.graph import canned

    store = pyoxigraph.Store.read_only(source)

    def runner(item: dict[str, Any]) -> Any:
        options = itertools.cycle([canned.to_pyoxigraph({k: tuple(v) for k, v in subs.items()})
                                   for subs in _bindings(item)])

        def execute() -> Any:
            return store.query(item["text"], use_default_graph_as_union=True,
                               substitutions=next(options))

        return _keeping_first(
            execute, lambda res: bool(res) if isinstance(res, pyoxigraph.QueryBoolean) else None,
            lambda res: (res.variables, list(res)), fingerprint_oxigraph)

    return store, runner


def _keeping_first(execute: Callable[[], Any], boolean: Callable[[Any], bool | None],
                   table: Callable[[Any], tuple[Any, list[Any]]],
                   fingerprint: Callable[[Any, list[Any]], str]) -> Callable[[], int]:
    """A query's run (``execute`` it, count its rows; an ASK answer is 1 row) that keeps its
    first answer, materialized (``table``: variables, solutions; ``boolean``: an ASK answer's
    value, None for solutions), for ``run.answer()``: that answer's fingerprint (None before
    the first run), computed when asked, outside the timing."""
    first: list[Any] = []

    def run() -> int:
        res = execute()
        value = boolean(res)
        if value is not None:
            first[:] = first or [value]
            return 1
        if first:
            return sum(1 for _ in res)
        variables, solutions = table(res)
        first.append((variables, solutions))
        return len(solutions)

    def answer() -> str | None:
        if not first:
            return None
        if isinstance(first[0], bool):
            return fingerprint_boolean(first[0])
        return fingerprint(*first[0])

    run.answer = answer  # type: ignore[attr-defined]
    return run


def rdflib_term(sub: list | tuple) -> Any:
    """A substitution as ``canned.bind`` gives it (``("iri", value)`` or ``("literal",
    lexical, datatype, lang)``) as the rdflib term ``initBindings`` takes."""
    from rdflib import Literal, URIRef

    if sub[0] == "iri":
        return URIRef(sub[1])
    lexical = sub[1]
    datatype = sub[2] if len(sub) > 2 else None
    lang = sub[3] if len(sub) > 3 else None
    return Literal(lexical, lang=lang or None, datatype=None if lang else (datatype or None))


def _open_rdflib(source: str) -> tuple[Any, Any]:
    from rdflib import Dataset, Variable

    dataset = Dataset(default_union=True)
    dataset.parse(source, format="nquads")

    def runner(item: dict[str, Any]) -> Any:
        options = itertools.cycle([{Variable(k): rdflib_term(v) for k, v in subs.items()}
                                   for subs in _bindings(item)])

        def execute() -> Any:
            return dataset.query(item["text"], initBindings=next(options))

        return _keeping_first(
            execute, lambda res: bool(res.askAnswer) if res.type == "ASK" else None,
            lambda res: (res.vars or [], list(res)), fingerprint_rdflib)

    return dataset, runner


def child_main(engine: str, source: str, job_path: str, out_path: str) -> None:
    """Child process: open ``source`` with ``engine``, run the job's steps (``[pass, name]``),
    one JSON line each (``{"load": ...}`` first), flushed as soon as it is known."""
    job = json.loads(Path(job_path).read_text())
    passes = job["passes"]
    with open(out_path, "a", encoding="utf-8") as out:
        t0 = time.perf_counter()
        handle, runner = (_open_oxigraph if engine == "oxigraph" else _open_rdflib)(source)
        out.write(json.dumps({"load": {"load_s": round(time.perf_counter() - t0, 4),
                                       "peak_rss_mb": self_peak_rss_mb()}}) + "\n")
        out.flush()
        if engine == "rdflib":  # build its SPARQL parser (~0.5 s) once, not in each fork
            handle.query("ASK {}")
        runners: dict[str, Any] = {}  # one a query, so rotating bindings go on in turn
        finished: set[str] = set()  # timed in one block, or failed: no later pass
        for step, name in job["steps"]:
            if name in finished:
                continue
            out.write(json.dumps({"start": name, "pass": step}) + "\n")
            out.flush()
            if name not in runners:
                runners[name] = runner(job["workload"][name])
            limit = (job.get("query_timeouts") or {}).get(name, job.get("query_timeout_s"))
            result = (_measure_in_fork(runners[name], job, limit) if engine == "rdflib"
                      else _measure(runners[name], job, step, passes))
            if result.get("passes") == 1 or "durations_ms" not in result:
                finished.add(name)
            out.write(json.dumps({"query": name, "pass": step, "result": result}) + "\n")
            out.flush()
        out.write(json.dumps({"done": True, "peak_rss_mb": self_peak_rss_mb()}) + "\n")
    del handle


def _measure(run: Any, job: dict[str, Any], step: int = 0, passes: int = 1) -> dict[str, Any]:
    """One pass of a query's runs: in pass 0 its first run (``first_ms``) then, if that run
    took less than one pass's share of the budget, ``runs / passes`` more within that share;
    otherwise all its runs in this one block (``"passes": 1``: a slow query is not spread).
    Durations are returned in ms (``durations_ms``) for the parent to merge the passes."""
    runs = -(-job["runs"] // passes)
    share = job["budget_s"] / passes
    try:
        first_ms = None
        if step == 0:
            t1 = time.perf_counter()
            rows = run()
            first_ms = (time.perf_counter() - t1) * 1000.0
            answer = _answer(run)
            if first_ms / 1000.0 >= job["budget_s"]:  # slow: one run is the measurement
                return {"rows": rows, "first_ms": round(first_ms, 4), "passes": 1,
                        "durations_ms": [round(first_ms, 4)], **answer}
            if first_ms / 1000.0 >= share:  # too slow to spread: one block, as one pass
                passes, runs, share = 1, job["runs"], job["budget_s"]
        durations, rows = repeat(run, runs=runs, budget_s=share, warmup=0)
        out: dict[str, Any] = {"rows": rows, "durations_ms": [round(d * 1000.0, 4)
                                                                for d in durations]}
        if first_ms is not None:
            out.update(first_ms=round(first_ms, 4), passes=passes, **answer)
        return out
    except Exception as exc:  # noqa: BLE001 - an engine failing on a query is a result
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}


def merge_passes(results: list[dict[str, Any]]) -> dict[str, Any]:
    """One query's result from its passes (pass 0 first): the rows and first run of pass 0,
    the summary of every pass's durations, and how many passes they came from."""
    first = results[0]
    if "durations_ms" not in first:  # an error or a time-out: as it is
        return first
    for later in results[1:]:
        if "durations_ms" not in later:
            return later
    durations = [d / 1000.0 for r in results for d in r["durations_ms"]]
    merged = {"rows": first["rows"], "first_ms": first["first_ms"], **summary_ms(durations),
              "passes": len(results)}
    if "answer" in first:
        merged["answer"] = first["answer"]
    return merged


def _answer(run: Any) -> dict[str, str]:
    """``{"answer": fingerprint}`` of the run's first answer (:func:`_keeping_first`),
    computed after its timing; empty before a first run."""
    value = run.answer()
    return {"answer": value} if value else {}


def _measure_in_fork(run: Any, job: dict[str, Any], limit: float | None) -> dict[str, Any]:
    """Measure one query in a forked copy of the loaded engine, so that a query over its time
    limit is killed without losing the loaded dataset (rdflib takes minutes to reload 1M)."""
    if limit is None or not hasattr(os, "fork"):
        return _measure(run, job)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the measuring copy
        os.close(read_fd)
        try:
            with os.fdopen(write_fd, "w", encoding="utf-8") as pipe:
                pipe.write(json.dumps(_measure(run, job)))
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + limit + 2 * job["budget_s"]
    with os.fdopen(read_fd, "rb") as pipe:
        while True:
            ready, _, _ = select.select([pipe], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return {"timeout_s": limit}
            chunk = os.read(pipe.fileno(), 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    try:
        return json.loads(b"".join(chunks).decode("utf-8"))
    except ValueError:
        return {"error": "the measuring process died without a result"}


# --- parent side -------------------------------------------------------------------------


def run_engine(engine: str, source: Path, workload: dict[str, dict[str, Any]], work: Path, *,
               runs: int, budget_s: float, query_timeout_s: float,
               load_timeout_s: float, max_restarts: int = 20,
               query_timeouts: dict[str, float] | None = None,
               passes: int = 1) -> dict[str, Any]:
    """Run every query of ``workload`` on ``engine`` ("oxigraph" store dir, or "rdflib" N-Quads
    file) in child processes.  A query that exceeds its time limit (``query_timeouts[name]``,
    else ``query_timeout_s``) is recorded as ``{"timeout_s": limit}`` and the remaining ones
    go on in a fresh child (at most ``max_restarts`` times).

    With ``passes`` > 1 each query's runs are spread over that many passes through all the
    queries (each pass gets ``runs / passes`` runs and ``budget_s / passes``), so that a slow
    phase of the machine touches a share of every query's runs rather than all the runs of
    the few queries timed while it lasts.  A query whose first run takes more than one pass's
    share of the budget is timed in one block, as with one pass."""
    if engine not in ("oxigraph", "rdflib"):
        raise EntenteError(f"unknown engine {engine!r}")
    work.mkdir(parents=True, exist_ok=True)
    passes = max(1, int(passes))
    limits = {n: (query_timeouts or {}).get(n, query_timeout_s) for n in workload}
    done: dict[str, list[dict[str, Any]]] = {n: [] for n in workload}  # each pass's result
    final: dict[str, Any] = {}  # a time-out, an error or a skip: the query's whole result

    loads: list[dict[str, Any]] = []
    peak = 0.0
    attempt = 0
    steps = _pending_steps(workload, passes, done, final)
    while steps:
        attempt += 1
        job = work / f"{engine}-job-{attempt}.json"
        out = work / f"{engine}-out-{attempt}.jsonl"
        job.write_text(json.dumps({"steps": steps, "passes": passes, "workload": workload,
                                   "runs": runs, "budget_s": budget_s,
                                   "query_timeout_s": query_timeout_s,
                                   "query_timeouts": limits}))
        out.unlink(missing_ok=True)
        code = ("import sys; from entente.bench.engine import child_main; "
                "child_main(*sys.argv[1:5])")
        proc = subprocess.Popen([sys.executable, "-c", code, engine, str(source), str(job),
                                 str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
        status = _supervise(proc, out, {n: t + 2 * budget_s + 5.0 for n, t in limits.items()},
                            load_timeout_s)
        records = _read_lines(out)
        for rec in records:
            if "load" in rec:
                loads.append(rec["load"])
            elif "query" in rec:
                result = rec["result"]
                if "durations_ms" in result:
                    done[rec["query"]].append(result)
                else:
                    final[rec["query"]] = result
            elif "done" in rec:
                peak = max(peak, rec["peak_rss_mb"])
        started = [r["start"] for r in records if "start" in r]
        if status == "load-timeout":
            for name in workload:
                if name not in final and not _complete(done[name], passes):
                    final[name] = {"skipped": f"load did not finish in {load_timeout_s:.0f} s"}
            break
        if status == "query-timeout":
            stuck = started[-1]
            final[stuck] = {"timeout_s": limits[stuck]}
        elif status == "failed":
            err = (proc.stderr.read() if proc.stderr else "").strip().splitlines()
            message = err[-1] if err else f"exit {proc.returncode}"
            if not loads:
                raise EntenteError(f"{engine} on {source}: {message}")
            stuck = started[-1] if started else steps[0][1]
            final.setdefault(stuck, {"error": message[:300]})
        if proc.stderr:
            proc.stderr.close()
        steps = _pending_steps(workload, passes, done, final)
        if steps and attempt > max_restarts:
            for name in {n for _, n in steps}:
                final[name] = {"skipped": f"not run: {engine} was restarted {max_restarts} "
                                          "times after time-outs (each restart reloads)"}
            break
    queries = {n: final[n] if n in final else merge_passes(done[n]) for n in workload
               if n in final or done[n]}
    load = loads[0] if loads else {}
    return {"load_s": load.get("load_s"), "reloads": max(0, len(loads) - 1),
            "peak_rss_mb": max([peak] + [x.get("peak_rss_mb", 0.0) for x in loads]),
            "queries": queries}


def _complete(results: list[dict[str, Any]], passes: int) -> bool:
    """Whether a query's passes are all measured (a query timed in one block has one)."""
    return bool(results) and (len(results) >= passes or results[0].get("passes") == 1)


def _pending_steps(workload: dict[str, Any], passes: int, done: dict[str, list],
                   final: dict[str, Any]) -> list[list[Any]]:
    """The ``[pass, name]`` steps still to run, pass by pass in name order (the workload's)."""
    return [[step, name] for step in range(passes) for name in workload
            if name not in final and not _complete(done[name], passes)
            and step >= len(done[name])]


def _read_lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:  # a line cut by a kill
                break
    return out


def _supervise(proc: subprocess.Popen, out: Path, step_limits: dict[str, float],
               load_timeout_s: float) -> str:
    """Wait for the child; kill it when the current step (the load, then each query by the
    name its ``start`` line gives) exceeds its limit."""
    seen = 0
    step_started = time.perf_counter()
    limit = load_timeout_s
    while True:
        try:
            proc.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            pass
        else:
            return "ok" if proc.returncode == 0 else "failed"
        records = _read_lines(out)
        if len(records) != seen:
            seen = len(records)
            step_started = time.perf_counter()
            last = records[-1].get("start")
            limit = step_limits.get(last, max(step_limits.values(), default=load_timeout_s))
        if time.perf_counter() - step_started > limit:
            proc.kill()
            proc.wait()
            return "load-timeout" if seen == 0 else "query-timeout"
