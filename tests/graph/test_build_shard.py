"""``entente build --shard K/N``: each document in exactly one shard, chosen by its file name;
a shard's dataset is the dataset of a build of its documents alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from entente.graph.build import build
from entente.graph.corpus import in_shard, load_corpus, parse_shard

from tests.conftest import build_cli

BASE = "https://entente.example.org/"
# the corpus's five files by the first three characters of their names, per shard
THIRDS = [["002"], ["001", "004"], ["000", "003"]]


def test_each_document_is_in_exactly_one_shard(corpus_dir: Path) -> None:
    for k, expected in enumerate(THIRDS, start=1):
        docs, problems = load_corpus(corpus_dir, shard=(k, 3))
        assert [d.file[:3] for d in docs] == expected
        assert problems == []  # the other shards' metadata entries are no orphans
    names = [f"doc-{i}.txt" for i in range(200)]
    owners = [[k for k in range(1, 5) if in_shard(name, k, 4)] for name in names]
    assert all(len(o) == 1 for o in owners)
    assert {o[0] for o in owners} == {1, 2, 3, 4}


def test_a_shards_dataset_is_that_of_its_documents_built_alone(corpus_dir: Path,
                                                               tmp_path: Path) -> None:
    alone = tmp_path / "alone"
    alone.mkdir()
    for name in ("001_2d5cd885800826b0.txt", "004_97f60897fa420449.txt"):
        shutil.copy(corpus_dir / name, alone)
    shutil.copy(corpus_dir / "metadata.json", alone)
    quiet = {"reason": False, "warn": lambda _line: None}
    sharded = build(corpus_dir, tmp_path / "s", base=BASE, shard=(2, 3), **quiet)
    separate = build(alone, tmp_path / "a", base=BASE, **quiet)
    assert sharded.documents == 2
    assert sharded.store.dump_path.read_bytes() == separate.store.dump_path.read_bytes()


def test_cli_builds_one_shard(corpus_dir: Path, tmp_path: Path) -> None:
    result = build_cli("--corpus", str(corpus_dir), "--store", str(tmp_path / "store"),
                  "--shard", "2/3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "documents: 2 built, 0 skipped"
    assert "entente build: extracting 2 documents (shard 2/3) with 1 worker(s)" in (
        result.stderr.splitlines())


def test_cli_an_empty_shard_publishes_nothing(corpus_dir: Path, tmp_path: Path) -> None:
    result = build_cli("--corpus", str(corpus_dir), "--store", str(tmp_path / "store"),
                  "--shard", "1/10")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"entente build: error: shard 1/10 of {corpus_dir}: no usable .txt documents; "
        "nothing published")
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize(("value", "message"), [
    ("3/2", "expected 1 <= K <= N, got '3/2'"),
    ("0/4", "expected 1 <= K <= N, got '0/4'"),
    ("two", "expected K/N (e.g. 1/4), got 'two'"),
    ("1/-2", "expected K/N (e.g. 1/4), got '1/-2'"),
    ("-1/2", "expected K/N (e.g. 1/4), got '-1/2'"),  # (argparse: "expected one argument")
])
def test_a_bad_shard_is_a_usage_error(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_shard(value)
    result = build_cli("--shard", value)
    assert result.returncode == 2
    assert f"argument --shard: {message}" in result.stderr
