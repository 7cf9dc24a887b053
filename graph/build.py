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
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from entente.graph.build_graphs import (
    build_activity,
    build_hash,
    bundled_graph_or_fail,
    evidence_prefix,
    inferences,
    inferred_provenance,
)
from entente.graph.corpus import DEFAULT_MAX_BYTES, load_corpus, printable, unread_entries
from entente.graph.model import DocStats, Problem, SourceDocument
from entente.graph.namespaces import graph_iri, id_iri
from entente.graph.nquads import nquad_lines, skolemised_quads
from entente.graph.rdfize import entity_label_index
from entente.graph.sorted_runs import SortedRuns
from entente.graph.store import StoreInfo, current_version, publish
from rdflib import Graph, URIRef

from entente.config import Settings
from entente.errors import BuildError, Terminated, UsageError
from entente.output_paths import check_output, output_problem, refuse_protected

if TYPE_CHECKING:
    from entente.graph.extract import Tools

Report = Callable[[str], None]
PROGRESS_EVERY = 10  # a progress line per this many documents


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
    from entente.graph.build_workers import extract_all

    result = _Extracted()
    evidence = evidence_prefix(init_args[0])
    by_file = {d.file: d for d in docs}
    for n, ((file, lines, outcome, cpu), in_runs) in enumerate(
            extract_all(docs, workers, init_args, tools, runs,
                         evidence if keep_for_reasoning else None), start=1):
        result.cpu_seconds += cpu
        if lines is None:
            problem = Problem(file, str(outcome))
            tell(f"entente build: skipped {printable(file)}: {problem.message}")
            if strict:
                raise BuildError(f"{printable(file)}: {problem.message}; --strict: nothing "
                                 "published")
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
    tools_factory: Callable[[str], Tools] | None = None,
    shard: tuple[int, int] | None = None,
    published: list[str] | None = None,
    allocator: str = "mimalloc",
) -> BuildSummary:
    """Build the dataset from ``corpus`` and publish it at ``store``; see the module docs.
    ``shard`` (k, n): only the documents of shard k of n (``corpus.in_shard``);
    ``published``: the store is added to it the moment the new version is live (a stop after
    that leaves the build complete); ``allocator``: the store load's (``publish``);
    ``tools_factory``: the extraction's tools for a base IRI (default: the bundled ones)."""
    watch = _Stopwatch()
    base = base if base.endswith("/") else base + "/"
    if out is not None:
        _check_out(Path(out), Path(corpus), Path(store))
    _check_store_folder(Path(store))
    say: Report = progress or (lambda _line: None)
    tell: Report = warn or (lambda line: print(line, file=sys.stderr))
    docs, problems = _read_documents(Path(corpus), max_bytes, shard, strict, tell)
    watch.lap("read_s")
    # (spaCy and the extraction load here, after the checks above: a refusal is quick)
    from entente.graph.build_workers import bundled_tools
    from entente.graph.extract import warm_up

    tools_factory = tools_factory or bundled_tools
    tools = tools_factory(base)
    warm_up()  # the sentence pipeline: start-up (setup_s), not the first document's work
    rules_sha = tools.extractor.rules_sha256
    # (the reasoning the build will do, not the reasoning asked for: without Java, none)
    build_iri = id_iri(base, "build", build_hash(docs, rules_sha, reason and _can_reason()))
    entities = bundled_graph_or_fail("entities.ttl", base)
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
        ontology = bundled_graph_or_fail("entente.ttl")
        runs.add(nquad_lines(skolemised_quads(ontology, base, URIRef(graph_iri(base, "ontology")))))
        runs.add(nquad_lines(skolemised_quads(entities, base, URIRef(graph_iri(base, "entities")))))
        runs.add(nquad_lines(build_activity(base, build_iri, [d.meta.slug for d in ex.built],
                                             rules_sha)))
        watch.lap("fixed_graphs_s")
        notes: list[str] = []
        inferred: set[str] = set()
        if reason:
            say("entente build: reasoning (OWL, HermiT)")
            inferred = _add_inferences(runs, entities, ex, base, build_iri, strict, notes, tell)
        watch.lap("reason_s", ran=reason)
        dump = Path(tmp) / "dataset.nq"
        runs.write(dump)
        watch.lap("write_s")
        # --out is written beside its place first (a write that fails, a full disk, leaves
        # the store as it was), and takes that place only once the store is published: a
        # build that fails or is stopped leaves the file as it was too (it was written in
        # place, and a failed publish left a new --out beside the old store)
        written = None
        if out is not None:
            written = _write_out(dump, Path(out))
            watch.lap("out_s")

        def commit() -> None:  # (with the switch of the store: no stop comes between them)
            if written is not None:
                os.replace(written, Path(out))
            if published is not None:
                published.append(str(store))

        try:
            info = publish(dump, store, _extra_files(say), base_iri=base, lenient=True,
                           then=commit, allocator=allocator)
        except BaseException:
            if written is not None:
                written.unlink(missing_ok=True)
            raise
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


def _read_documents(corpus: Path, max_bytes: int, shard: tuple[int, int] | None, strict: bool,
                    tell: Report) -> tuple[list[SourceDocument], list[Problem]]:
    """The corpus's documents (of the shard, if any) and its problems, each told; a
    :class:`BuildError` when ``strict`` meets a problem or no document is usable."""
    docs, problems = load_corpus(corpus, max_bytes, shard)
    for p in problems:
        verb = "warning:" if p.file == "metadata.json" else "skipped"
        # (a metadata entry's message names the file already: "metadata.json entry for ...")
        said = p.message if p.message.startswith(f"{p.file} ") else f"{p.file}: {p.message}"
        tell(f"entente build: {verb} {printable(said)}")
    unread = unread_entries(corpus)
    if unread:  # (not problems: a README or a PDF beside the texts is no broken document)
        shown = ", ".join(printable(u) for u in unread[:5]) + (
            f" and {len(unread) - 5} more" if len(unread) > 5 else "")
        tell(f"entente build: note: {len(unread)} entr{'y' if len(unread) == 1 else 'ies'} "
             f"of {corpus} not read (only *.txt documents and metadata.json are): {shown}")
    if strict and problems:
        raise BuildError(f"{len(problems)} problem(s) in {corpus} (first: "
                         f"{printable(problems[0].file)}: "
                         f"{problems[0].message}); --strict: nothing published")
    if not docs:
        where = f"shard {shard[0]}/{shard[1]} of {corpus}" if shard else str(corpus)
        raise BuildError(f"{where}: no usable .txt documents; nothing published")
    return docs, problems


def _add_inferences(runs: SortedRuns, entities: Graph, ex: _Extracted, base: str, build_iri: str,
                    strict: bool, notes: list[str], tell: Report) -> set[str]:
    """The OWL reasoner's inferences over the extraction ``ex`` added to ``runs`` with their
    provenance, as N-Quads lines (none, with a note, when the reasoner gives none)."""
    quads, note = inferences(entities, ex.reason_lines, base, tell)
    if note and strict and note != "reasoner unavailable":
        raise BuildError(f"reasoning failed: {note}; --strict: nothing published")
    if note:
        notes.append(f"inferred graph empty: {note}")
    inferred = nquad_lines(quads)
    runs.add(inferred)
    if inferred:
        runs.add(nquad_lines(inferred_provenance(
            base, build_iri, [d.meta.slug for d in ex.built])))
    return inferred


def _can_reason() -> bool:
    from entente.graph.reason import reasoner_available

    return reasoner_available()


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


#: the formats --out writes, by suffix
OUT_SUFFIXES = (".nq", ".trig")


def _check_out(out: Path, corpus: Path, store: Path) -> None:
    """Refuse, before any work, an --out the build cannot or must not write: an unknown
    suffix (.ttl got N-Quads), a path inside the corpus (it overwrote a document, read as
    one by the next build) or inside the store (it replaced the live store's dump), a path
    that cannot be written."""
    if out.suffix.lower() not in OUT_SUFFIXES:
        raise UsageError(f"--out {out}: give a .nq (N-Quads) or .trig (TriG) file name")
    refuse_protected(out, "--out", store=store, inside=[(corpus, "the corpus folder")])
    check_output(out, "the dataset", error=BuildError)


def _check_store_folder(store: Path) -> None:
    """Refuse, before any work, a store whose folder the build could not write into (read
    only, or a file on its path): the publication found out at the end, after the extraction
    and the reasoning."""
    folder = store.absolute().parent
    problem = output_problem(folder, folder=True)
    if problem:
        shown = problem if str(folder) in problem else f"{folder}: {problem}"
        raise BuildError(f"{store}: cannot publish the store ({shown})")


def _write_out(dump: Path, out: Path) -> Path:
    """The dataset written for ``--out`` into a file beside it (returned; renamed to ``out``
    once the store is published)."""
    import pyoxigraph
    from entente.graph.namespaces import PREFIXES

    written = out.parent / f".{out.name}.{os.getpid()}.partial"
    try:  # (build() checked the path before anything ran)
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".trig":
            quads = pyoxigraph.parse(path=str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
            with written.open("wb") as fh:
                pyoxigraph.serialize(quads, fh, format=pyoxigraph.RdfFormat.TRIG,
                                     prefixes=PREFIXES)
        else:
            shutil.copyfile(dump, written)
    except OSError as exc:
        written.unlink(missing_ok=True)
        raise BuildError(f"{out}: cannot write the dataset: {exc.strerror or exc}") from None
    return written


# --- command line ---------------------------------------------------------------------------


def main(args: argparse.Namespace, settings: Settings) -> int:
    """``entente build`` (flags declared in entente/cli_commands.py)."""
    corpus = args.corpus if args.corpus is not None else settings.corpus
    workers = args.workers if args.workers is not None else settings.build_workers
    quiet = bool(args.quiet)

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    timings = getattr(args, "timings", None)
    if timings is not None and str(timings) != "-":
        refuse_protected(Path(timings), "--timings", store=settings.store)
        check_output(Path(timings), "the timings", error=BuildError)
    published: list[str] = []
    try:
        summary = build(
            corpus, settings.store, base=settings.base, out=args.out, strict=args.strict,
            workers=workers, reason=not args.no_reason, progress=None if quiet else progress,
            max_bytes=settings.max_document_bytes, shard=getattr(args, "shard", None),
            published=published, allocator=settings.load_allocator,
        )
        for line in summary.lines():
            print(line)
        for note in summary.notes:
            print(f"note: {note}")
        if timings is not None:
            try:
                _write_timings(summary.timings, Path(timings))
            except BuildError as exc:  # (checked before the build; a disk may fill since)
                raise BuildError(f"{exc}; the store is published all the same (version "
                                 f"{summary.store.version})") from None
    except KeyboardInterrupt as exc:
        # once the new store is published the build is done: 130 ("interrupted", the store
        # left as it was) would say otherwise
        if not published:
            raise
        name = "SIGTERM" if isinstance(exc, Terminated) else "SIGINT"
        print(f"entente build: {name} came once the new store was published (version "
              f"{current_version(settings.store)}); the build is complete, its summary "
              "not printed", file=sys.stderr)
    return 0


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
