"""``entente build``: corpus -> extraction -> canonical N-Quads -> published store.

Steps: read the corpus (bad files are reported and skipped; ``--strict`` fails instead),
extract every document (in N worker processes when asked; results in file-name order;
a document whose extraction raises is reported and left out whole), add the ontology,
the reference entities, the build activity and the OWL inferences, write every quad as
one canonical, sorted N-Quads file, and publish it with :func:`entente.graph.store.publish`.
Two builds of the same corpus, rules and software give byte-identical ``dataset.nq``.
"""

from __future__ import annotations

import argparse
import ctypes
import dataclasses
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from importlib.resources import files
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from entente.graph.bundled import bundled_graph
from entente.graph.corpus import DEFAULT_MAX_BYTES, load_corpus, unread_entries
from entente.graph.extract import Tools, extract_document, warm_up
from entente.graph.model import Problem, SourceDocument
from entente.graph.namespaces import ENT, PROV, RDF, RDFS, graph_iri, id_iri
from entente.graph.rdfize import (
    Quad,
    SortedRuns,
    document_quads,
    entity_label_index,
    nquad_lines,
    skolemised_quads,
    write_run,
)
from entente.graph.store import StoreInfo, publish
from rdflib import Dataset, Graph, Literal, URIRef

from entente import __version__
from entente.config import ONTOLOGY_IRI, Settings
from entente.errors import BuildError, EntenteError

Report = Callable[[str], None]
#: The bundled reference entities (ontology/entities.ttl) as a source: what the entities graph
#: is derived from, as the ontology graph is derived from the ontology (ONTOLOGY_IRI).
ENTITIES_SOURCE_IRI = f"{ONTOLOGY_IRI}/entities"
PROGRESS_EVERY = 10  # a progress line per this many documents
CHUNK_DOCS = 16  # documents per task sent to a worker process


@dataclass
class DocStats:
    file: str
    sentences: int = 0
    mentions: int = 0
    assertions: int = 0
    by_predicate: Counter = field(default_factory=Counter)
    by_polarity: Counter = field(default_factory=Counter)
    by_certainty: Counter = field(default_factory=Counter)

    def add(self, other: DocStats) -> None:
        self.sentences += other.sentences
        self.mentions += other.mentions
        self.assertions += other.assertions
        self.by_predicate.update(other.by_predicate)
        self.by_polarity.update(other.by_polarity)
        self.by_certainty.update(other.by_certainty)


@dataclass
class BuildSummary:
    documents: int
    skipped: list[Problem]
    sentences: int
    mentions: int
    assertions: int
    by_predicate: dict[str, int]
    by_polarity: dict[str, int]
    by_certainty: dict[str, int]
    quads: int
    graphs: dict[str, int]
    seconds: float
    build_iri: str
    store: StoreInfo
    inferred: int
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float | int] = field(default_factory=dict)  # see build_timings

    def _extraction(self) -> str:
        t = self.timings
        if not t.get("extract_s"):
            return ""
        return (f" (extraction {t['extract_s']:.1f} s, {t['extract_mb_per_s']:.3f} MB of text/s;"
                f" {t['extract_mb_per_cpu_s']:.3f} MB/s per CPU second)")

    def lines(self) -> list[str]:
        def fmt(counts: dict[str, int]) -> str:
            return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"

        return [
            f"documents: {self.documents} built, {len(self.skipped)} skipped",
            f"sentences: {self.sentences}; mentions: {self.mentions}; "
            f"assertions: {self.assertions}",
            f"assertions by predicate: {fmt(self.by_predicate)}",
            f"assertions by polarity: {fmt(self.by_polarity)}",
            f"assertions by certainty: {fmt(self.by_certainty)}",
            f"quads: {self.quads} in {len(self.graphs)} graphs (inferred: {self.inferred})",
            f"time: {self.seconds:.1f} s{self._extraction()}",
            f"store: {self.store.link} -> {self.store.root.name} (version {self.store.version})",
        ]


# --- tools (one set per process) ----------------------------------------------------------


def bundled_tools(base: str) -> Tools:
    """The linker and relation extractor over the bundled entities and rules."""
    from entente.graph.linking import Linker
    from entente.graph.relations import RelationExtractor

    return Tools(Linker.from_bundled(base), RelationExtractor.from_bundled(base))


_WORKER: dict[str, object] = {}
Outcome = tuple[str, list[str] | None, "DocStats | str", float]


def _init_worker(base: str, build_iri: str, index: dict[str, str],
                 factory: Callable[[str], Tools], parent: int | None = None) -> None:
    if parent is not None:
        die_with_parent(parent)
    _WORKER.update(base=base, build_iri=build_iri, index=index, tools=factory(base))


_PR_SET_PDEATHSIG = 1  # (linux/prctl.h)


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the build process ``parent`` dies (Linux's
    ``PR_SET_PDEATHSIG``): a pool worker holds both ends of its task queue, so a build killed
    with SIGKILL otherwise leaves it waiting for a task forever.  Exits at once if ``parent``
    is already gone."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # (no prctl: the worker may outlive a killed build)
            pass
    if os.getppid() != parent:
        os._exit(1)


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
    stats = DocStats(doc.file, len(ex.sentences), len(ex.mentions), len(ex.assertions))
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


def _extract_all(docs: list[SourceDocument], workers: int, init_args: tuple, tools: Tools,
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
                                   initializer=_init_worker,
                                   initargs=(base, build_iri, index, factory, os.getpid()))
    # An executor, not multiprocessing.Pool: when a worker dies (killed, out of memory, a
    # crash in native code) the Pool waits for its chunk forever; the executor raises
    # BrokenProcessPool.  Then each document not yet extracted is extracted again alone, in
    # a process of its own: those that kill it are reported and skipped.
    done = 0
    try:
        # map keeps the input (file-name) order
        for task, outcomes in zip(tasks, pool.map(_extract_chunk, tasks), strict=True):
            runs.adopt(task[1])
            done += 1
            for outcome in outcomes:
                yield outcome, True
    except BrokenProcessPool:
        pass
    finally:  # a build that stops early (--strict) does not wait for the chunks not started
        pool.shutdown(wait=True, cancel_futures=True)
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
    if init_args is not None:
        _init_worker(*init_args)
    (outcome,) = _extract_chunk(([doc], run, evidence))
    send.send(outcome)
    send.close()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return "unknown signal"


# --- the fixed graphs ---------------------------------------------------------------------


def _bundled_graph(name: str, base: str | None = None) -> Graph:
    """``ontology/<name>`` (the parse the linker and the extractor read too): read only."""
    try:
        return bundled_graph(name, base)
    except EntenteError as exc:
        raise BuildError(str(exc)) from None


def build_hash(docs: list[SourceDocument], rules_sha256: str, reason: bool = True) -> str:
    """The build's identity: everything its output depends on -- each document's file,
    content and metadata, the rules, the bundled ontology and entities, the software version
    and whether it reasons (the same inputs give the same IRI; other inputs, another)."""
    digest = hashlib.sha256()
    for doc in docs:
        meta = json.dumps(dataclasses.asdict(doc.meta), sort_keys=True, ensure_ascii=True)
        digest.update(f"{doc.file}\t{doc.sha256}\t{meta}\n".encode("utf-8", "surrogateescape"))
    for name in ("entente.ttl", "entities.ttl"):
        data = (files("entente.ontology") / name).read_bytes()
        digest.update(f"{name}\t{hashlib.sha256(data).hexdigest()}\n".encode())
    digest.update(f"rules\t{rules_sha256}\nsoftware\t{__version__}\n"
                  f"reasoning\t{'on' if reason else 'off'}\n".encode())
    return digest.hexdigest()[:12]


def _build_activity(base: str, build_iri: str, docs: list[str], rules_sha256: str
                    ) -> list[Quad]:
    g = URIRef(graph_iri(base, "build"))
    b = URIRef(build_iri)
    software = URIRef(id_iri(base, "software", "entente"))
    quads: list[Quad] = [
        (b, RDF.type, PROV.Activity, g),
        (b, RDFS.label, Literal(f"Entente build {build_iri.rsplit('/', 1)[-1]}", lang="en"), g),
        (b, ENT.softwareVersion, Literal(__version__), g),
        (b, ENT.rulesSha256, Literal(rules_sha256), g),
        (b, PROV.wasAssociatedWith, software, g),
        (software, RDF.type, PROV.SoftwareAgent, g),
        (software, RDFS.label, Literal("Entente", lang="en"), g),
    ]
    quads += [(b, PROV.used, URIRef(id_iri(base, "document", slug)), g) for slug in docs]
    # every graph the build writes is a prov:Entity it generated, derived from its source:
    # a document graph from the document, the ontology graph from the ontology, the entities
    # graph from the bundled entities file
    for slug in docs:
        quads += _generated(g, b, graph_iri(base, f"document/{slug}"),
                            [id_iri(base, "document", slug)])
    quads += _generated(g, b, graph_iri(base, "ontology"), [ONTOLOGY_IRI])
    quads += _generated(g, b, graph_iri(base, "build"), [])  # this graph: the build's record
    quads += _generated(g, b, graph_iri(base, "entities"), [ENTITIES_SOURCE_IRI])
    quads.append((URIRef(graph_iri(base, "entities")), RDFS.comment, Literal(
        "The reference entities bundled with Entente (ontology/entities.ttl).", lang="en"), g))
    source = URIRef(ENTITIES_SOURCE_IRI)
    quads += [(source, RDF.type, PROV.Entity, g), (source, RDFS.label, Literal(
        "Entente reference entities (ontology/entities.ttl)", lang="en"), g)]
    return quads


def _generated(g: URIRef, build: URIRef, graph: str, sources: list[str]) -> list[Quad]:
    """``graph`` a prov:Entity that ``build`` generated, derived from each of ``sources``."""
    node = URIRef(graph)
    return [(node, RDF.type, PROV.Entity, g), (node, PROV.wasGeneratedBy, build, g),
            *((node, PROV.wasDerivedFrom, URIRef(source), g) for source in sources)]


def _inferred_provenance(base: str, build_iri: str, docs: list[str]) -> list[Quad]:
    """The inferred graph, generated by the build's reasoning from the ontology, the entities
    and the document graphs (in the build graph, beside the others)."""
    premises = [graph_iri(base, name) for name in ("ontology", "entities")]
    premises += [graph_iri(base, f"document/{slug}") for slug in docs]
    return _generated(URIRef(graph_iri(base, "build")), URIRef(build_iri),
                      graph_iri(base, "inferred"), premises)


def _inferred(entities: Graph, reason_lines: list[str], base: str,
              report: Report) -> tuple[list[Quad], str | None]:
    """OWL inferences over the entities and the actor/truthy part of the document graphs."""
    from entente.graph.reason import ReasonerUnavailable, infer_triples, reasoning_input

    dataset = Dataset()
    named = dataset.graph(URIRef(graph_iri(base, "entities")))
    for triple in entities:
        named.add(triple)
    if reason_lines:
        dataset.parse(data="\n".join(reason_lines), format="nquads")
    data = reasoning_input(dataset)
    try:
        inferred = infer_triples(data)
    except ReasonerUnavailable as exc:
        report(f"entente build: reasoning skipped: {exc}")
        return [], "reasoner unavailable"
    except EntenteError as exc:
        report(f"entente build: reasoning failed, inferred graph left empty: {exc}")
        return [], str(exc)
    new = Graph()
    for triple in inferred:
        if triple not in data:
            new.add(triple)
    return skolemised_quads(new, base, URIRef(graph_iri(base, "inferred"))), None


def _evidence_prefix(base: str) -> tuple[str, ...]:
    """Subjects the reasoner ignores (documents, spans, assertions): not kept for it."""
    return tuple(f"<{base}id/{kind}/" for kind in
                 ("document", "sentence", "mention", "segment", "assertion"))


# --- the build ------------------------------------------------------------------------------


@dataclass
class _Extracted:
    built: list[SourceDocument] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    total: DocStats = field(default_factory=lambda: DocStats("*"))
    reason_lines: list[str] = field(default_factory=list)
    cpu_seconds: float = 0.0  # summed over documents, in whichever process extracted them


def _extract_into(runs: SortedRuns, docs: list[SourceDocument], workers: int, init_args: tuple,
                  tools: Tools, *, strict: bool, keep_for_reasoning: bool, say: Report,
                  tell: Report) -> _Extracted:
    """Extract every document into ``runs``; failing documents are reported and left out."""
    result = _Extracted()
    evidence = _evidence_prefix(init_args[0])
    by_file = {d.file: d for d in docs}
    for n, ((file, lines, outcome, cpu), in_runs) in enumerate(
            _extract_all(docs, workers, init_args, tools, runs,
                         evidence if keep_for_reasoning else None), start=1):
        result.cpu_seconds += cpu
        if lines is None:
            problem = Problem(file, str(outcome))
            tell(f"entente build: skipped {file}: {problem.message}")
            if strict:
                raise BuildError(f"{file}: {problem.message}; --strict: nothing published")
            result.skipped.append(problem)
        else:
            if not in_runs:
                runs.add(lines)
            if keep_for_reasoning:  # (a worker process sends only these already)
                result.reason_lines.extend(lines if in_runs else
                                           (x for x in lines if not x.startswith(evidence)))
            result.built.append(by_file[file])
            result.total.add(outcome)  # type: ignore[arg-type]
        if n % PROGRESS_EVERY == 0 or n == len(docs):
            say(f"entente build: {n}/{len(docs)} documents extracted")
    return result


class _Stopwatch:
    """Wall-clock seconds per build stage (``lap`` closes the stage that just ran)."""

    def __init__(self) -> None:
        self.started = self._last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def lap(self, stage: str, ran: bool = True) -> None:
        now = time.perf_counter()
        spent = now - self._last if ran else 0.0  # a stage that did not run took no time
        self.seconds[stage] = self.seconds.get(stage, 0.0) + spent
        self._last = now if ran else self._last

    def total(self) -> float:
        return time.perf_counter() - self.started


def build_timings(watch: _Stopwatch, docs: list[SourceDocument], ex: _Extracted,
                  workers: int) -> dict[str, float | int]:
    """The build's figures per stage (see docs/extraction.md, "Build timings")."""
    text_bytes = sum(d.byte_size for d in docs)
    mb = text_bytes / 1_000_000
    extract_s = watch.seconds.get("extract_s", 0.0)
    out: dict[str, float | int] = {
        "documents": len(docs), "text_bytes": text_bytes, "workers": workers,
        "processes": min(workers, len(docs)) if workers > 1 and len(docs) > 1 else 1,
    }
    out.update({k: round(v, 4) for k, v in watch.seconds.items()})
    out["extract_cpu_s"] = round(ex.cpu_seconds, 4)
    out["extract_mb_per_s"] = round(mb / extract_s, 4) if extract_s > 0 else 0.0
    out["extract_mb_per_cpu_s"] = round(mb / ex.cpu_seconds, 4) if ex.cpu_seconds > 0 else 0.0
    out["total_s"] = round(watch.total(), 4)
    return out


def build(
    corpus: Path,
    store: Path,
    *,
    base: str,
    out: Path | None = None,
    strict: bool = False,
    workers: int = 1,
    reason: bool = True,
    progress: Report | None = None,
    warn: Report | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    tools_factory: Callable[[str], Tools] = bundled_tools,
    shard: tuple[int, int] | None = None,
) -> BuildSummary:
    """Build the dataset from ``corpus`` and publish it at ``store``; see the module docs.
    ``shard`` (k, n): only the documents of shard k of n (``corpus.in_shard``)."""
    watch = _Stopwatch()
    base = base if base.endswith("/") else base + "/"
    if out is not None:
        check_writable(Path(out), "the dataset")
    say: Report = progress or (lambda _line: None)
    tell: Report = warn or (lambda line: print(line, file=sys.stderr))
    docs, problems = load_corpus(Path(corpus), max_bytes, shard)
    for p in problems:
        verb = "warning:" if p.file == "metadata.json" else "skipped"
        tell(f"entente build: {verb} {p.file}: {p.message}")
    unread = unread_entries(Path(corpus))
    if unread:  # (not problems: a README or a PDF beside the texts is no broken document)
        shown = ", ".join(unread[:5]) + (f" and {len(unread) - 5} more" if len(unread) > 5
                                         else "")
        tell(f"entente build: note: {len(unread)} entr{'y' if len(unread) == 1 else 'ies'} "
             f"of {corpus} not read (only *.txt documents and metadata.json are): {shown}")
    if strict and problems:
        raise BuildError(f"{len(problems)} problem(s) in {corpus} (first: {problems[0].file}: "
                         f"{problems[0].message}); --strict: nothing published")
    if not docs:
        where = f"shard {shard[0]}/{shard[1]} of {corpus}" if shard else str(corpus)
        raise BuildError(f"{where}: no usable .txt documents; nothing published")
    watch.lap("read_s")
    tools = tools_factory(base)
    warm_up()  # the sentence pipeline: start-up (setup_s), not the first document's work
    rules_sha = tools.extractor.rules_sha256
    build_iri = id_iri(base, "build", build_hash(docs, rules_sha, reason))
    entities = _bundled_graph("entities.ttl", base)
    index = entity_label_index(entities)
    part = f" (shard {shard[0]}/{shard[1]})" if shard else ""
    say(f"entente build: extracting {len(docs)} documents{part} with {workers} worker(s)")

    clean_stale_work_dirs()
    with tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}{os.getpid()}-") as tmp:
        runs = SortedRuns(Path(tmp))
        init_args = (base, build_iri, index, tools_factory)
        watch.lap("setup_s")
        ex = _extract_into(runs, docs, workers, init_args, tools, strict=strict,
                           keep_for_reasoning=reason, say=say, tell=tell)
        watch.lap("extract_s")
        if not ex.built:
            raise BuildError(f"{corpus}: every document failed extraction; nothing published")
        ontology = _bundled_graph("entente.ttl")
        runs.add(nquad_lines(skolemised_quads(ontology, base, URIRef(graph_iri(base, "ontology")))))
        runs.add(nquad_lines(skolemised_quads(entities, base, URIRef(graph_iri(base, "entities")))))
        runs.add(nquad_lines(_build_activity(base, build_iri, [d.meta.slug for d in ex.built],
                                             rules_sha)))
        watch.lap("fixed_graphs_s")
        notes: list[str] = []
        inferred: set[str] = set()
        if reason:
            say("entente build: reasoning (OWL, HermiT)")
            quads, note = _inferred(entities, ex.reason_lines, base, tell)
            if note and strict and note != "reasoner unavailable":
                raise BuildError(f"reasoning failed: {note}; --strict: nothing published")
            if note:
                notes.append(f"inferred graph empty: {note}")
            inferred = nquad_lines(quads)
            runs.add(inferred)
            if inferred:
                runs.add(nquad_lines(_inferred_provenance(
                    base, build_iri, [d.meta.slug for d in ex.built])))
        watch.lap("reason_s", ran=reason)
        dump = Path(tmp) / "dataset.nq"
        runs.write(dump)
        watch.lap("write_s")
        if out is not None:  # before the publish: a build that fails leaves the store as it was
            _write_out(dump, Path(out))
            watch.lap("out_s")
        info = publish(dump, store, _extra_files(say), base_iri=base, lenient=True)
        watch.lap("publish_s")

    total = ex.total
    timings = build_timings(watch, docs, ex, workers)
    return BuildSummary(
        documents=len(ex.built), skipped=[p for p in problems if p.file != "metadata.json"]
        + ex.skipped, sentences=total.sentences, mentions=total.mentions,
        assertions=total.assertions, by_predicate=dict(total.by_predicate),
        by_polarity=dict(total.by_polarity), by_certainty=dict(total.by_certainty),
        quads=int(info.manifest["quads"]), graphs=dict(info.manifest["graphs"]),
        seconds=float(timings["total_s"]), build_iri=build_iri, store=info,
        inferred=len(inferred), notes=notes, timings=timings,
    )


WORK_PREFIX = "entente-build-"  # + pid + "-": the build's work directory in $TMPDIR


def clean_stale_work_dirs() -> None:
    """Remove work directories of killed builds (their pid is gone) from $TMPDIR."""
    pattern = re.compile(rf"^{WORK_PREFIX}(\d+)-")
    root = Path(tempfile.gettempdir())
    try:
        entries = list(root.iterdir())
    except OSError:
        return
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None or not entry.is_dir() or entry.is_symlink():
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            pass


def _extra_files(say: Report) -> dict[str, bytes | Path]:
    try:
        from entente.graph.ontodoc import render_html
    except ImportError:
        say("entente build: ontology documentation not available (graph/ontodoc.py missing)")
        return {}
    return {"ontology.html": render_html().encode("utf-8")}


def _write_out(dump: Path, out: Path) -> None:
    import pyoxigraph
    from entente.graph.namespaces import PREFIXES

    try:  # (build() checked the path before anything ran)
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".trig":
            quads = pyoxigraph.parse(path=str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
            with out.open("wb") as fh:
                pyoxigraph.serialize(quads, fh, format=pyoxigraph.RdfFormat.TRIG,
                                     prefixes=PREFIXES)
        else:
            out.write_bytes(dump.read_bytes())
    except OSError as exc:
        raise BuildError(f"{out}: cannot write the dataset: {exc.strerror or exc}") from None


# --- command line ---------------------------------------------------------------------------


def main(args: argparse.Namespace, settings: Settings) -> int:
    """``entente build`` (flags declared in entente/cli.py)."""
    corpus = args.corpus if args.corpus is not None else settings.corpus
    workers = args.workers if args.workers is not None else settings.build_workers
    quiet = bool(args.quiet)

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    timings = getattr(args, "timings", None)
    if timings is not None and str(timings) != "-":
        check_writable(Path(timings), "the timings")
    summary = build(
        corpus, settings.store, base=settings.base, out=args.out, strict=args.strict,
        workers=workers, reason=not args.no_reason, progress=None if quiet else progress,
        max_bytes=settings.max_document_bytes, shard=getattr(args, "shard", None),
    )
    for line in summary.lines():
        print(line)
    for note in summary.notes:
        print(f"note: {note}")
    if timings is not None:
        _write_timings(summary.timings, Path(timings))
    return 0


def check_writable(path: Path, what: str) -> None:
    """BuildError unless ``path`` can be written as a file (checked before anything is
    published, so that a bad --out or --timings fails the build, not after the swap)."""
    problem = None
    if path.is_dir():
        problem = "is a directory"
    else:
        ancestor = path.parent
        while not ancestor.exists() and ancestor != ancestor.parent:
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            problem = f"{ancestor} is not a directory"
        elif not os.access(ancestor, os.W_OK | os.X_OK) or (
                path.exists() and not os.access(path, os.W_OK)):
            problem = "permission denied"
    if problem:
        raise BuildError(f"{path}: cannot write {what}: {problem}")


def _write_timings(timings: dict[str, float | int], path: Path) -> None:
    text = json.dumps({"timings": timings}, sort_keys=True)
    if str(path) == "-":
        print(text, flush=True)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise BuildError(f"{path}: cannot write the timings: {exc.strerror or exc}") from None
