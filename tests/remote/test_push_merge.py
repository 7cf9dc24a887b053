"""'entente push' of several worker builds' N-Quads (docs/scaling.md): merged per graph."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from tests.conftest import build_cli

SHARD_BASE = "https://shards.test.example/"
MERGE_BASE = "https://merge.test.example/"
RESULTS = "application/sparql-results+json"  # (XML answers lose trailing newlines)
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + n for n in ("decimal", "integer", "nonNegativeInteger", "positiveInteger",
                             "int", "long")}


def canon(term: object) -> str:
    """A term as N-Triples; numbers and booleans as their value (Virtuoso writes
    "0.20"^^xsd:decimal as "0.2", xsd:nonNegativeInteger as xsd:integer, false as "0")."""
    if isinstance(term, ox.Literal) and term.datatype.value in NUMERIC:
        return f"{Decimal(term.value).normalize()} (number)"
    if isinstance(term, ox.Literal) and term.datatype.value == XSD + "boolean":
        return f"{term.value in ('1', 'true')} (boolean)"
    return str(term)


def remote_graph(base: str, graph: str) -> set[str]:
    query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    body = requests.post(f"{base}/sparql", data={"query": query}, headers={"Accept": RESULTS},
                         timeout=30).content
    results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return {f"{s['s']} {s['p']} {canon(s['o'])}" for s in results}


def graphs_of(*files: Path) -> dict[str, set[str]]:
    """graph IRI -> its triples ('s p o' as remote_graph writes them), over all ``files``."""
    out: dict[str, set[str]] = defaultdict(set)
    for path in files:
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            out[quad.graph_name.value].add(f"{quad.subject} {quad.predicate} {canon(quad.object)}")
    return out


def write_nq(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + " .\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def worker_outputs(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    """The corpus split in two shards, each built by 'entente build --out' (in this process,
    one after the other); the folder holding their N-Quads (worker-0.nq, worker-1.nq)."""
    root = tmp_path_factory.mktemp("workers")
    meta = json.loads((corpus_dir / "metadata.json").read_text(encoding="utf-8"))
    docs = meta["documents"]
    out = root / "out"
    for k, part in enumerate((docs[: len(docs) // 2], docs[len(docs) // 2:])):
        shard = root / f"shard-{k}"
        shard.mkdir()
        for doc in part:
            shutil.copy(corpus_dir / doc["file"], shard / doc["file"])
        (shard / "metadata.json").write_text(json.dumps({**meta, "documents": part}),
                                             encoding="utf-8")
        built = build_cli("--corpus", str(shard), "--store", str(root / f"store-{k}"),
                          "--out", str(out / f"worker-{k}.nq"), "--quiet",
                          "--base-iri", SHARD_BASE)
        assert built.returncode == 0, built.stderr
    return out


def test_worker_builds_merged_by_the_push(entente, virtuoso: str, virtuoso_push_args: list[str],
                                          worker_outputs: Path, corpus_dir: Path) -> None:
    files = sorted(worker_outputs.glob("*.nq"))
    expected = graphs_of(*files)
    documents = sorted(g for g in expected if g.startswith(SHARD_BASE + "graph/document/"))
    n_docs = len(json.loads((corpus_dir / "metadata.json").read_text())["documents"])
    assert len(documents) == n_docs  # every document comes from exactly one worker
    done = entente("push", "--data", str(worker_outputs), "--base-iri", SHARD_BASE, "--quiet",
                   *virtuoso_push_args)
    assert done.returncode == 0, done.stderr
    total = sum(len(t) for t in expected.values())
    assert f"pushed {total} triples in {n_docs + 3} graphs" in done.stderr
    for graph, triples in expected.items():
        assert remote_graph(virtuoso, graph) == triples, graph
    # the shared graphs were in both outputs, identical; the build graph adds up
    per_file = [graphs_of(f) for f in files]
    for name in ("ontology", "entities"):
        graph = f"{SHARD_BASE}graph/{name}"
        assert per_file[0][graph] == per_file[1][graph] == expected[graph]
    activities = {t.split()[0] for t in expected[SHARD_BASE + "graph/build"]
                  if t.endswith("<http://www.w3.org/ns/prov#Activity>")}
    assert len(activities) == 2


def test_a_graph_with_different_content_in_two_inputs_is_an_error(
        entente, virtuoso: str, virtuoso_push_args: list[str], tmp_path: Path) -> None:
    s, p = "<http://x.example/s>", "<http://x.example/p>"
    shared = f"<{MERGE_BASE}graph/entities>"
    a = write_nq(tmp_path / "a.nq", [f'{s} {p} "one" {shared}',
                                      f'{s} {p} "a" <{MERGE_BASE}graph/document/a>'])
    b = write_nq(tmp_path / "b.nq", [f'{s} {p} "one" {shared}', f'{s} {p} "two" {shared}',
                                      f'{s} {p} "b" <{MERGE_BASE}graph/document/b>'])
    done = entente("push", "--data", str(a), "--data", str(b), "--base-iri", MERGE_BASE,
                   "--quiet", *virtuoso_push_args)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"entente push: error: {b}: graph <{MERGE_BASE}graph/entities> differs from the same "
        f"graph in {a} (2 and 1 triples); inputs may share a graph only with identical content")
    assert len(done.stderr.strip().splitlines()) == 1
    assert remote_graph(virtuoso, f"{MERGE_BASE}graph/document/a") == set()  # nothing pushed


def test_same_size_but_different_content_is_an_error_too(
        entente, virtuoso: str, virtuoso_push_args: list[str], tmp_path: Path) -> None:
    s, p, g = "<http://x.example/s>", "<http://x.example/p>", f"<{MERGE_BASE}graph/ontology>"
    a = write_nq(tmp_path / "w" / "a.nq", [f'{s} {p} "one" {g}'])
    write_nq(tmp_path / "w" / "b.nq", [f'{s} {p} "uno" {g}'])
    done = entente("push", "--data", str(tmp_path / "w"), "--base-iri", MERGE_BASE, "--quiet",
                   *virtuoso_push_args)
    assert done.returncode == 1
    assert f"differs from the same graph in {a} (1 and 1 triples)" in done.stderr


def test_identical_shared_graphs_and_union_graphs_merge(
        entente, virtuoso: str, virtuoso_push_args: list[str], tmp_path: Path) -> None:
    s, p = "<http://x.example/s>", "<http://x.example/p>"
    shared, build = f"<{MERGE_BASE}graph/entities>", f"<{MERGE_BASE}graph/build>"
    write_nq(tmp_path / "w" / "0.nq", [f'{s} {p} "e" {shared}', f'{s} {p} "run-0" {build}',
                                        f'{s} {p} "d0" <{MERGE_BASE}graph/document/d0>'])
    write_nq(tmp_path / "w" / "1.nq", [f'{s} {p} "e" {shared}', f'{s} {p} "run-1" {build}',
                                        f'{s} {p} "d1" <{MERGE_BASE}graph/document/d1>'])
    done = entente("push", "--data", str(tmp_path / "w"), "--base-iri", MERGE_BASE, "--quiet",
                   *virtuoso_push_args)
    assert done.returncode == 0, done.stderr
    assert "pushed 5 triples in 4 graphs" in done.stderr
    assert remote_graph(virtuoso, f"{MERGE_BASE}graph/entities") == {
        '<http://x.example/s> <http://x.example/p> "e"'}
    assert remote_graph(virtuoso, f"{MERGE_BASE}graph/build") == {
        '<http://x.example/s> <http://x.example/p> "run-0"',
        '<http://x.example/s> <http://x.example/p> "run-1"'}


def test_an_empty_folder_is_a_usage_error(
        entente, virtuoso_push_args: list[str], tmp_path: Path) -> None:
    done = entente("push", "--data", str(tmp_path), "--quiet", *virtuoso_push_args)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"entente push: error: {tmp_path}: no .nq files in this directory")
