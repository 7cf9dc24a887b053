"""The build: the dataset's shape, determinism, bad input, --strict and the store swap."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from entente.graph.build import build
from entente.graph.extract import Tools
from entente.graph.model import (
    Assertion,
    DocumentExtraction,
    DocumentMeta,
    Segment,
    Sentence,
    SourceDocument,
)
from entente.graph.rdfize import SortedRuns, document_quads, write_run
from entente.graph.store import StoreInfo, current_version, load_dataset_into_memory, locate

BASE = "https://entente.example.org/"
ENT = "https://entente.example.org/ontology#"
SENTENCES = {
    "prif-2022-new-sino-russian-entente": 68,
    "euromaidan-2015-sino-russian-entente-regime": 162,
    "dw-2022-02-03-ukraine-crisis-russia-china": 38,
    "threat-assessment-beijing-moscow-cooperation": 17,
    "usip-2019-china-russia-cooperation-spans-globe": 70,
}
EXCLUDED = {
    "prif-2022-new-sino-russian-entente": 3,
    "euromaidan-2015-sino-russian-entente-regime": 9,
    "dw-2022-02-03-ukraine-crisis-russia-china": 4,
    "threat-assessment-beijing-moscow-cooperation": 4,
    "usip-2019-china-russia-cooperation-spans-globe": 2,
}
PREFIX = f"PREFIX ent: <{ENT}>\nPREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>\n"


def _rows(info: StoreInfo, query: str) -> list[tuple[str, ...]]:
    store = load_dataset_into_memory(info)
    return sorted(tuple(t.value for t in row) for row in store.query(PREFIX + query,
                                                                       use_default_graph_as_union=True))


def test_dataset_is_canonical(built_store: StoreInfo) -> None:
    text = built_store.dump_path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert text.endswith("\n")
    assert lines == sorted(set(lines))
    assert not any(re.search(r"(^| )_:", line) for line in lines)
    assert built_store.manifest["quads"] == len(lines)
    assert "<html" in built_store.ontology_html.read_text(encoding="utf-8").lower()
    graphs = set(built_store.manifest["graphs"])
    assert graphs == {f"{BASE}graph/{g}" for g in ["ontology", "entities", "build"]} | {
        f"{BASE}graph/document/{slug}" for slug in SENTENCES
    }


def test_the_store_serves_the_dump_quad_for_quad(built_store: StoreInfo) -> None:
    """Oxigraph keeps literals in a canonical form (every integer type as xsd:integer,
    decimals without trailing zeros): the dump is written in that form, so the SPARQL
    endpoint serves exactly the published dataset.nq."""
    store = pyoxigraph.Store.read_only(str(built_store.oxigraph_path))
    served = {str(q) for q in store}
    dumped = {str(q) for q in pyoxigraph.parse(path=str(built_store.dump_path),
                                               format=pyoxigraph.RdfFormat.N_QUADS)}
    assert len(dumped) == built_store.manifest["quads"]
    assert served - dumped == set() and dumped - served == set()


def test_sentences_and_segments_per_document(built_store: StoreInfo) -> None:
    rows = _rows(built_store, """
        SELECT ?doc (COUNT(?s) AS ?n) WHERE {
          ?s a ent:Sentence ; nif:referenceContext ?doc } GROUP BY ?doc""")
    assert rows == sorted((f"{BASE}id/document/{k}", str(v)) for k, v in SENTENCES.items())
    rows = _rows(built_store, """
        SELECT ?doc (COUNT(?s) AS ?n) WHERE {
          ?s a ent:ExcludedSegment ; nif:referenceContext ?doc } GROUP BY ?doc""")
    assert rows == sorted((f"{BASE}id/document/{k}", str(v)) for k, v in EXCLUDED.items())
    # every anchor is exactly the slice of the document text it claims
    bad = _rows(built_store, """
        SELECT ?s WHERE {
          ?s nif:referenceContext ?doc ; nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?a .
          ?doc nif:isString ?text .
          FILTER (SUBSTR(?text, ?b + 1, ?e - ?b) != ?a) }""")
    assert bad == []


def test_document_metadata(built_store: StoreInfo) -> None:
    usip = f"{BASE}id/document/usip-2019-china-russia-cooperation-spans-globe"
    rows = _rows(built_store, f"""
        SELECT ?p ?o WHERE {{ <{usip}> ?p ?o
          FILTER (?p IN (ent:titleStated, <http://purl.org/dc/terms/date>,
                         <http://purl.org/dc/terms/title>, ent:sourceFile)) }}""")
    assert rows == [
        ("http://purl.org/dc/terms/date", "2019"),
        (f"{ENT}sourceFile", "004_97f60897fa420449.txt"),
        (f"{ENT}titleStated", "false"),
    ]
    rows = _rows(built_store, """
        SELECT ?name WHERE {
          ?d <http://purl.org/dc/terms/creator> ?p .
          ?p <http://www.w3.org/2004/02/skos/core#prefLabel> ?name }""")
    assert rows == [("Andreas Umland",), ("Mikhail Polianskii",), ("Pascal Abb",),
                    ("William Yang",)]


def test_truthy_triples_only_for_affirmed_asserted(built_store: StoreInfo) -> None:
    rows = _rows(built_store, """
        SELECT ?a WHERE {
          ?a a ent:Assertion ; ent:subject ?s ; ent:predicate ?p ; ent:object ?o ;
             ent:polarity ?pol ; ent:certainty ?c .
          FILTER NOT EXISTS { ?a ent:evidence/nif:anchorOf ?q . ?a ent:quote ?q }
        }""")
    assert rows == []
    store = load_dataset_into_memory(built_store)
    assertions = list(store.query(PREFIX + """
        SELECT ?s ?p ?o ?pol ?c ?g WHERE { GRAPH ?g {
          ?a a ent:Assertion ; ent:subject ?s ; ent:predicate ?p ; ent:object ?o ;
             ent:polarity ?pol ; ent:certainty ?c } }"""))
    truthy = {(r["s"].value, r["p"].value, r["o"].value, r["g"].value) for r in store.query(
        "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    for r in assertions:
        key = (r["s"].value, r["p"].value, r["o"].value, r["g"].value)
        if r["pol"].value == f"{ENT}Affirmed" and r["c"].value == f"{ENT}Asserted":
            assert key in truthy


def test_rdfize_document_shape() -> None:
    text = "Russia and China met. Russia did not invade Kazakhstan."
    meta = DocumentMeta(slug="d", title=None, publisher="Example Institute", date="2019-02")
    doc = SourceDocument("d.txt", text, "ab" * 32, len(text), meta)
    ex = DocumentExtraction(
        document=doc,
        segments=[Segment(0, len(text), "content")],
        sentences=[Sentence(1, 0, 21, text[:21], 0), Sentence(2, 22, len(text), text[22:], 0)],
        assertions=[
            Assertion(f"{BASE}id/state/russia", f"{ENT}meetsWith", f"{BASE}id/state/china", 1,
                      "meet", date="2019"),
            Assertion(f"{BASE}id/state/russia", f"{ENT}invades", f"{BASE}id/state/kazakhstan",
                      2, "invade", negated=True),
        ],
    )
    lines = set(document_quads(ex, BASE, f"{BASE}id/build/x"))
    g = f"<{BASE}graph/document/d>"
    doc_iri = f"<{BASE}id/document/d>"
    publisher = f"<{BASE}id/institution/example-institute>"
    expected = [
        f'{doc_iri} <{ENT}titleStated> "false"^^<http://www.w3.org/2001/XMLSchema#boolean> {g} .',
        f'{doc_iri} <http://purl.org/dc/terms/date> '
        f'"2019-02"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> {g} .',
        f"{doc_iri} <http://purl.org/dc/terms/publisher> {publisher} {g} .",
        f"<{BASE}id/assertion/d-1> <{ENT}attributedTo> {publisher} {g} .",
        f'<{BASE}id/assertion/d-1> <{ENT}date> '
        f'"2019"^^<http://www.w3.org/2001/XMLSchema#gYear> {g} .',
        f'<{BASE}id/assertion/d-1> <{ENT}quote> "Russia and China met." {g} .',
        f"<{BASE}id/state/russia> <{ENT}meetsWith> <{BASE}id/state/china> {g} .",
        f"<{BASE}id/assertion/d-2> <{ENT}polarity> <{ENT}Negated> {g} .",
    ]
    for line in expected:
        assert line in lines
    assert f"<{BASE}id/state/russia> <{ENT}invades> <{BASE}id/state/kazakhstan> {g} ." not in lines


def test_two_builds_are_byte_identical(corpus_dir: Path, tmp_path: Path) -> None:
    # both builds run at the same time, so they read the same rules and entities
    cmd = [sys.executable, "-m", "entente", "build", "--no-reason", "--quiet",
           "--corpus", str(corpus_dir), "--store"]
    procs = [
        subprocess.Popen([*cmd, str(tmp_path / "one" / "store")], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True),
        subprocess.Popen([*cmd, str(tmp_path / "two" / "store"), "--workers", "2",
                          "--timings", str(tmp_path / "timings.json")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    one, two = locate(tmp_path / "one" / "store"), locate(tmp_path / "two" / "store")
    # --timings FILE: the stages' seconds, and what the throughput is computed from
    timings = json.loads((tmp_path / "timings.json").read_text(encoding="utf-8"))["timings"]
    assert set(timings) == {
        "documents", "text_bytes", "workers", "processes", "read_s", "setup_s", "extract_s",
        "extract_cpu_s", "extract_mb_per_s", "extract_mb_per_cpu_s", "fixed_graphs_s",
        "reason_s", "write_s", "publish_s", "total_s"}
    assert (timings["documents"], timings["workers"], timings["processes"]) == (5, 2, 2)
    assert timings["text_bytes"] == sum(f.stat().st_size for f in corpus_dir.glob("*.txt"))
    assert timings["reason_s"] == 0.0  # --no-reason: the stage is empty
    assert timings["extract_cpu_s"] > 0 and timings["extract_mb_per_s"] > 0
    assert two.version == one.version
    assert two.dump_path.read_bytes() == one.dump_path.read_bytes()
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == ["store", f"store-{one.version}"]


class _Exploding:
    rules_sha256 = "0" * 64

    def link(self, doc, sentences, paragraphs=None):
        if doc.file.startswith("bad"):
            raise RuntimeError("linker broke")
        return [], []

    def extract(self, doc, sentences, mentions, minted):
        return []


def _exploding_tools(base: str) -> Tools:
    return Tools(_Exploding(), _Exploding())


def test_failing_document_is_skipped_whole(corpus_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(corpus_dir / "003_68ff2a09cf71ed74.txt", corpus / "good.txt")
    shutil.copy(corpus_dir / "003_68ff2a09cf71ed74.txt", corpus / "bad.txt")
    warnings: list[str] = []
    summary = build(corpus, tmp_path / "store", base=BASE, reason=False, out=tmp_path / "x.trig",
                    warn=warnings.append, tools_factory=_exploding_tools)
    assert warnings == ["entente build: skipped bad.txt: extraction failed: RuntimeError: "
                        "linker broke"]
    assert summary.documents == 1 and [p.file for p in summary.skipped] == ["bad.txt"]
    assert f"{BASE}graph/document/good" in summary.graphs
    assert not any("/document/bad" in g for g in summary.graphs)
    # --out FILE.trig: the same dataset as TriG
    trig = pyoxigraph.Store()
    trig.load(path=str(tmp_path / "x.trig"), format=pyoxigraph.RdfFormat.TRIG)
    assert len(trig) == summary.quads == len(load_dataset_into_memory(summary.store))


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "entente", "build", "--no-reason", *args],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def bad_corpus(tmp_path: Path, corpus_dir: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(corpus_dir / "002_0badbc24944c6e53.txt", folder)
    shutil.copy(corpus_dir / "metadata.json", folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02")
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    return folder


def test_cli_bad_input_is_reported_and_the_rest_builds(bad_corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "var" / "store"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    result = _cli("--corpus", str(bad_corpus), "--store", str(store), "--quiet",
                  env={"TMPDIR": str(tmp)})
    assert result.returncode == 0, result.stderr
    problems = [line for line in result.stderr.splitlines()
                if "skipped" in line or "warning" in line]
    assert problems == [
        f"entente build: warning: metadata.json: documents[{i}] describes {f}, which is not in"
        " the corpus folder; ignored"
        for i, f in [(0, "000_185ffcb42122a494.txt"), (1, "001_2d5cd885800826b0.txt"),
                     (3, "003_68ff2a09cf71ed74.txt"), (4, "004_97f60897fa420449.txt")]
    ] + [
        "entente build: skipped binary.txt: binary file, not text (NUL byte at byte offset 0)",
        "entente build: skipped empty.txt: empty file (no text)",
        "entente build: skipped huge.txt: too large: 52428800 bytes (limit 20971520 bytes)",
        "entente build: skipped latin1.txt: not valid UTF-8: byte 0xe9 at byte offset 3",
    ]
    assert "documents: 1 built, 4 skipped" in result.stdout
    info = locate(store)
    assert list(info.manifest["graphs"]).count(
        f"{BASE}graph/document/dw-2022-02-03-ukraine-crisis-russia-china") == 1
    # no temporary files or partial directories are left behind
    assert list(tmp.iterdir()) == []
    assert sorted(p.name for p in store.parent.iterdir()) == ["store", f"store-{info.version}"]

    # --strict: exit 1, and the previous store stays as it was
    before = current_version(store)
    (bad_corpus / "new.txt").write_text("Russia and China signed a treaty.", encoding="utf-8")
    strict = _cli("--corpus", str(bad_corpus), "--store", str(store), "--strict", "--quiet")
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[-1].startswith("entente build: error: ")
    assert "--strict: nothing published" in strict.stderr
    assert current_version(store) == before
    assert sorted(p.name for p in store.parent.iterdir()) == ["store", f"store-{info.version}"]


def test_cli_malformed_metadata(corpus_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(corpus_dir / "003_68ff2a09cf71ed74.txt", folder)
    (folder / "metadata.json").write_text("{\"documents\": [}", encoding="utf-8")
    result = _cli("--corpus", str(folder), "--store", str(tmp_path / "store"))
    assert result.returncode == 0, result.stderr
    assert "entente build: 1/1 documents extracted" in result.stderr.splitlines()  # progress
    assert result.stdout.splitlines()[0] == "documents: 1 built, 0 skipped"
    version = locate(tmp_path / "store").version
    assert result.stdout.splitlines()[-1].endswith(f"(version {version})")
    assert ("entente build: warning: metadata.json: malformed JSON at line 1, column 16: "
            "Expecting value; using metadata derived from the files instead") in result.stderr
    assert f"{BASE}graph/document/003-68ff2a09cf71ed74" in locate(tmp_path / "store").manifest[
        "graphs"]


def test_cli_missing_corpus_fails(tmp_path: Path) -> None:
    result = _cli("--corpus", str(tmp_path / "nowhere"), "--store", str(tmp_path / "store"))
    assert result.returncode == 1
    assert result.stderr.strip() == (f"entente build: error: {tmp_path / 'nowhere'}: corpus folder"
                                     " does not exist or is not a directory")


class _FixedFacts:
    """A stand-in extractor: 'Russia met China' in the first sentence of every document."""

    rules_sha256 = "1" * 64

    def link(self, doc, sentences, paragraphs=None):
        return [], []

    def extract(self, doc, sentences, mentions, minted):
        return [Assertion(f"{BASE}id/state/russia", f"{ENT}meetsWith", f"{BASE}id/state/china",
                          1, "fixed")]


def _fixed_tools(base: str) -> Tools:
    return Tools(_FixedFacts(), _FixedFacts())


def _met_in_beijing(tmp_path: Path, names: tuple[str, ...]) -> Path:
    """A corpus of one-sentence documents for the reasoner (skips without Java)."""
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (HermiT needs it)")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in names:
        (corpus / f"{name}.txt").write_text("Russia and China met in Beijing.\n",
                                            encoding="utf-8")
    return corpus


@pytest.mark.slow
def test_reasoning_fills_the_inferred_graph(tmp_path: Path) -> None:
    corpus = _met_in_beijing(tmp_path, ("a",))
    warnings: list[str] = []
    summary = build(corpus, tmp_path / "store", base=BASE, reason=True, warn=warnings.append,
                    tools_factory=_fixed_tools)
    assert warnings == []
    lines = summary.store.dump_path.read_text(encoding="utf-8").splitlines()
    inferred = [line for line in lines if line.endswith(f"<{BASE}graph/inferred> .")]
    assert summary.inferred == len(inferred) > 0
    # meetsWith is symmetric: the reverse direction is materialised, the stated one is not
    assert (f"<{BASE}id/state/china> <{ENT}meetsWith> <{BASE}id/state/russia> "
            f"<{BASE}graph/inferred> .") in inferred
    assert not any(line.startswith(f"<{BASE}id/state/russia> <{ENT}meetsWith> ")
                   for line in inferred)


@pytest.mark.slow
def test_reasoning_with_workers_gives_the_same_dataset(tmp_path: Path) -> None:
    # the workers send back only the lines kept for reasoning; the inferences must not change
    corpus = _met_in_beijing(tmp_path, ("a", "b", "c"))
    dumps = []
    for workers in (1, 2):
        summary = build(corpus, tmp_path / f"w{workers}" / "store", base=BASE, reason=True,
                        workers=workers, warn=lambda _line: None, tools_factory=_fixed_tools)
        assert summary.inferred > 0
        dumps.append(summary.store.dump_path.read_bytes())
    assert dumps[0] == dumps[1]


def test_sorted_runs_merge_equals_sorted_set(tmp_path: Path) -> None:
    lines = [f"<https://example.org/s{n % 7}> <https://example.org/p> \"{n % 5}\" ." for n in
             range(40)] + ["<https://example.org/s> <https://example.org/p> \"é\" ."]
    runs = SortedRuns(tmp_path, run_lines=3)  # many small runs on disk
    for i in range(0, len(lines), 2):
        runs.add(lines[i:i + 2])
    out = tmp_path / "all.nq"
    assert runs.write(out) == len(set(lines))
    assert out.read_text(encoding="utf-8") == "".join(f"{x}\n" for x in sorted(set(lines)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.nq"]


def test_sorted_runs_adopted_and_merged_in_tiers(tmp_path: Path) -> None:
    lines = [f"<https://example.org/s{n % 11}> <https://example.org/p> \"{n % 3}\" ." for n in
             range(60)]
    runs = SortedRuns(tmp_path, run_lines=4, fan_in=2)  # a merge at every second run
    for i in range(0, len(lines), 6):
        if i % 12:
            runs.add(lines[i:i + 6])
        else:  # a run sorted elsewhere (as a worker process writes it)
            runs.adopt(write_run(lines[i:i + 6], runs.new_run_path()))
        assert len(list(tmp_path.glob("run-*.nq"))) <= 4  # merged as they come, not one per run
    out = tmp_path / "all.nq"
    assert runs.write(out) == len(set(lines))
    assert out.read_text(encoding="utf-8") == "".join(f"{x}\n" for x in sorted(set(lines)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.nq"]
