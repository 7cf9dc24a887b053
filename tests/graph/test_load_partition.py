"""A dump cut by graph for the store load (graph/load_partition.py, graph/store_load.py): the
hash orders graphs as Oxigraph's indexes do, every line lands in exactly one part, each part
is one range of that order, and a store loaded so is the store loaded in one piece."""

from __future__ import annotations

import itertools
from pathlib import Path

import pyoxigraph
import pytest
from entente.graph import load_partition
from entente.graph import store_load as load_mod
from entente.graph.load_partition import graph_hash, graph_parts
from entente.graph.store import current_version, open_read_only, publish

from entente.errors import StoreError

GRAPHS = [f"https://example.org/graph/{i}" for i in range(12)]


def _grouped_quads(per_graph: int = 25) -> str:
    """Lines in runs of one graph, the graphs in file order (not in the store's order), then
    a triple in the default graph and one whose object is an IRI."""
    return "".join(
        f'<https://example.org/s{g}-{i}> <https://example.org/p> "v {i}" <{iri}> .\n'
        for g, iri in enumerate(GRAPHS) for i in range(per_graph)
    ) + ('<https://example.org/s> <https://example.org/p> "default" .\n'
         "<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n")


def _graph_of(line: bytes) -> str:
    return line.rsplit(b" <", 1)[1][:-4].decode()  # (b'... <g> .\n')


def test_the_hash_orders_graphs_as_the_store_does(tmp_path: Path) -> None:
    store = pyoxigraph.Store(str(tmp_path / "ox"))
    iris = [f"https://example.org/g/{i}{'x' * (i % 17)}" for i in range(60)] + ["urn:x", "u:"]
    for iri in iris:
        store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("https://example.org/s"),
                                  pyoxigraph.NamedNode("https://example.org/p"),
                                  pyoxigraph.Literal("o"), pyoxigraph.NamedNode(iri)))
    assert [g.value for g in store.named_graphs()] == sorted(
        iris, key=lambda iri: graph_hash(iri.encode()))
    # the reference implementation's test vectors (key 00..0f; inputs 00, 00 01, ...)
    k0, k1 = (int.from_bytes(bytes(range(i, i + 8)), "little") for i in (0, 8))
    for size, out in ((0, "a3817f04ba25a8e66df67214c7550293"),
                      (15, "5493e99933b0a8117e08ec0f97cfc3d9")):
        assert graph_hash(bytes(range(size)), k0, k1) == int.from_bytes(
            bytes.fromhex(out), "little")


def test_every_line_lands_in_one_part_and_each_part_is_a_range_of_graphs() -> None:
    data = _grouped_quads().encode()
    parts = graph_parts(data, 4)
    assert parts is not None and len(parts) == 4
    ranges = sorted(r for part in parts for r in part.ranges)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))  # no gap, no overlap
    assert sum(part.size for part in parts) == len(data)
    joined = [part.join(data) for part in parts]
    assert sorted(b"".join(joined).splitlines()) == sorted(data.splitlines())
    spans = []
    for chunk in joined:
        hashes = {graph_hash(_graph_of(x).encode()) for x in chunk.splitlines(keepends=True)
                  if x.endswith(b"> .\n") and _graph_of(x) in GRAPHS}
        if hashes:
            spans.append((min(hashes), max(hashes)))
    assert len(spans) == 4
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))  # disjoint, in hash order
    # each line of a part traced back to its line in the dump
    lines = data.splitlines()
    for part, chunk in zip(parts, joined, strict=True):
        for n, line in enumerate(chunk.splitlines(), start=1):
            assert lines[part.source_line(data, n) - 1] == line


@pytest.mark.parametrize("data", [
    b"".join(f"<https://example.org/s{i}> <https://example.org/p> <https://example.org/o> "
             f"<{GRAPHS[i % 2]}> .\n".encode() for i in range(400)),  # alternating graphs
    _grouped_quads().encode()[:-1],  # no newline at the end
], ids=["alternating-graphs", "no-final-newline"])
def test_a_dump_not_in_runs_of_graphs_is_left_to_the_cut_by_position(data: bytes) -> None:
    assert graph_parts(data, 2) is None


@pytest.mark.parametrize("lenient", [False, True])
def test_a_dump_cut_by_graph_loads_the_store_of_one_piece(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lenient: bool
) -> None:
    text = _grouped_quads()
    whole = publish(_write(tmp_path, "all.nq", text), tmp_path / "a" / "store", {})
    cuts = _count_cuts(monkeypatch)
    loaded = publish(_write(tmp_path, "all.nq", text), tmp_path / "b" / "store", {},
                     lenient=lenient, allocator="system")
    # 19 chunks asked for, 12 made: a graph is never cut (each of 25 lines is over the
    # 1,500-byte chunk), the two default-graph lines ride with a graph's part
    assert cuts == [12]
    assert loaded.manifest == whole.manifest
    assert loaded.manifest["graphs"] == {"": 2, **{g: 25 for g in GRAPHS}}
    assert loaded.dump_path.read_text(encoding="utf-8") == text
    assert len(open_read_only(loaded)) == 302


def test_the_load_process_maps_the_dump_and_loads_the_same_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load process maps the file into memory (``mapped``) instead of reading it."""
    text = _grouped_quads()
    nq = _write(tmp_path, "all.nq", text)
    read = load_mod.load_here(tmp_path / "a", nq, tmp_path / "a.nq")
    monkeypatch.setattr(load_mod, "CHUNK_BYTES", 1500)
    mapped = load_mod.load_here(tmp_path / "b", nq, tmp_path / "b.nq", mapped=True)
    assert (mapped.sha256, mapped.counts) == (read.sha256, read.counts)
    assert mapped.counts == {"": 2, **{g: 25 for g in GRAPHS}}
    lines = text.splitlines(keepends=True)
    lines[176] = f"<https://example.org/s> not rdf <{GRAPHS[7]}> .\n"
    bad = _write(tmp_path, "bad.nq", "".join(lines))
    with pytest.raises(StoreError, match=r"bad\.nq: invalid N-Quads: Parser error at line 177 "):
        load_mod.load_here(tmp_path / "c", bad, tmp_path / "c.nq", mapped=True)


def test_a_syntax_error_in_a_dump_cut_by_graph_names_the_line_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = tmp_path / "store"
    first = publish(_write(tmp_path, "one.nq", _grouped_quads(2)), link, {})
    monkeypatch.setattr(load_mod, "CHUNK_BYTES", 1500)
    lines = _grouped_quads().splitlines(keepends=True)
    lines[176] = f"<https://example.org/s> not rdf <{GRAPHS[7]}> .\n"  # in a run, mid-file
    bad = _write(tmp_path, "bad.nq", "".join(lines))
    with pytest.raises(StoreError, match=r"bad\.nq: invalid N-Quads: Parser error at line 177 "):
        publish(bad, link, {}, allocator="system")
    assert current_version(link) == first.version


@pytest.mark.parametrize("by_graph", [True, False])
def test_a_blank_node_in_two_chunks_stays_one_blank_node(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, by_graph: bool
) -> None:
    """Each bulk_load call names the blank nodes it reads anew: a blank node whose lines fell
    in two chunks was loaded as two (the class expression of an rdfs:range cut from it).
    Such a dump is loaded in one call.  ``by_graph``: the blank node in two graphs of a dump
    cut by graph; else in the first and last lines of a dump cut by position."""
    text = _grouped_quads()
    lines = text.splitlines(keepends=True)
    if by_graph:
        lines[0] = f"<https://example.org/p> <https://example.org/range> _:class <{GRAPHS[0]}> .\n"
        lines[-3] = f'_:class <https://example.org/label> "a class" <{GRAPHS[-1]}> .\n'
    else:  # (quads of many graphs in turn: no runs of one graph to cut by)
        lines = [line for pair in itertools.zip_longest(lines[:150], lines[150:])
                 for line in pair if line is not None]
        lines[0] = f"<https://example.org/p> <https://example.org/range> _:class <{GRAPHS[0]}> .\n"
        lines[-1] = f'_:class <https://example.org/label> "a class" <{GRAPHS[0]}> .\n'
    cuts = _count_cuts(monkeypatch)
    monkeypatch.setattr(load_mod, "_READ_BYTES", 333)  # (the file is read in such blocks)
    loaded = publish(_write(tmp_path, "all.nq", "".join(lines)), tmp_path / "store", {},
                     allocator="system")
    assert (cuts[0] > 1) == by_graph  # (the cut the dump was offered)
    rows = list(open_read_only(loaded).query(
        'SELECT ?label WHERE { GRAPH ?g { <https://example.org/p> <https://example.org/range> '
        '?c } GRAPH ?h { ?c <https://example.org/label> ?label } }'))
    assert [r[0].value for r in rows] == ["a class"]


def _count_cuts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Chunks of 1,500 bytes; the list the number of parts of each cut by graph is added to
    (0: not cut by graph)."""
    cuts: list[int] = []

    def spy(data: bytes, parts: int) -> list[load_partition.Part] | None:
        found = graph_parts(data, parts)
        cuts.append(len(found or ()))
        return found

    monkeypatch.setattr(load_mod, "CHUNK_BYTES", 1500)
    monkeypatch.setattr(load_partition, "graph_parts", spy)
    return cuts


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
