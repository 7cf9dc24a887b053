"""Merging the N-Quads of several worker builds (one per corpus shard) into one dataset.

Each worker writes every graph it knows: its documents' graphs, and the ontology, entities,
build and inferred graphs. Merged graph by graph: a graph found in several inputs must have
the same content in each (the ontology and entities), except the graphs in ``union_graphs``
(the build activity of each worker, each worker's inferences), whose contents add up. Used by
``entente push --data FILE|DIR ...`` (docs/scaling.md).
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Collection, Sequence
from pathlib import Path

import pyoxigraph as ox

from entente.errors import EntenteError, StoreError, UsageError


class MergeError(EntenteError):
    """Two inputs hold the same graph with different content."""


#: Graphs that every worker build writes with content of its own, merged as a union: the
#: build graph (one prov:Activity per worker build) and the inferred graph (each worker's
#: inferences). Names relative to ``{base}graph/``.
UNION_GRAPHS = ("build", "inferred")


def input_files(data: Sequence[Path]) -> list[Path]:
    """The N-Quads inputs: files as given, a directory standing for its ``*.nq`` (sorted)."""
    files: list[Path] = []
    for path in data:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.nq") if p.is_file())
            if not found:
                raise UsageError(f"{path}: no .nq files in this directory")
            files.extend(found)
        else:
            files.append(path)
    return files


def load_nquads(store: ox.Store, path: Path) -> None:
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    except FileNotFoundError:
        raise EntenteError(f"{path}: no such file") from None
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"{path}: cannot load N-Quads: {exc}") from None


def _graph_size(store: ox.Store, graph: ox.NamedNode) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))


def merge(target: ox.Store, files: Sequence[Path], workdir: Path,
          union_graphs: Collection[str] = ()) -> dict[str, Path]:
    """Load ``files`` (one per worker build) into ``target``, graph by graph.

    A graph may appear in several inputs only with identical content (the ontology and
    entities graphs of every worker) unless it is one of ``union_graphs``, whose contents add
    up; otherwise MergeError names both files. Returns each graph's first input."""
    owner: dict[str, Path] = {}
    for index, path in enumerate(files):
        part_dir = workdir / f"part-{index}"
        part = ox.Store(str(part_dir))
        try:
            load_nquads(part, path)
            for node in sorted(part.named_graphs(), key=lambda g: g.value):
                graph = node.value
                if graph not in owner:
                    owner[graph] = path
                elif graph not in union_graphs:
                    mine, merged = _graph_size(part, node), _graph_size(target, node)
                    if mine != merged or any(
                            q not in target for q in part.quads_for_pattern(None, None, None,
                                                                              node)):
                        raise MergeError(
                            f"{path}: graph <{graph}> differs from the same graph in "
                            f"{owner[graph]} ({mine} and {merged} triples); inputs may share "
                            f"a graph only with identical content")
        finally:
            del part
            gc.collect()
            shutil.rmtree(part_dir, ignore_errors=True)
        load_nquads(target, path)
    return owner
