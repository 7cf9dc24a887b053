"""The rules' expressions kept compiled on disk (graph/pattern_cache.py): what a later process
reads from the file is the expression ``re.compile`` makes, a damaged file is not read, and a
build that reads every expression from the file gives the same dataset."""

from __future__ import annotations

import hashlib
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
from entente.graph.store import StoreInfo

# In a child process: the bundled rules' extractor and the page-chrome rules (what a build
# compiles before it extracts, and saves), then every compiled expression of the file made
# from the cache and anew, and every analysis of regex_analysis's code kept in it made anew
# ("name(args)@code" -> the function unwrapped, on the expression).
_COMPARE = """
import ast, re, sys
from entente.graph import pattern_cache, regex_analysis
from entente.graph.extract import warm_up
from entente.graph.relations import RelationExtractor
RelationExtractor.from_bundled("https://entente.example.org/")
warm_up()
entries = pattern_cache._load()
pairs = [(pattern_cache.compiled(*key), re.compile(*key)) for key in entries if len(key) == 2]
same = sum(ours == fresh and ours.groupindex == fresh.groupindex for ours, fresh in pairs)
kept = [key for key in entries if len(key) == 3 and key[0].endswith("@" + regex_analysis._CODE)]
agree = 0
for analysis, pattern, flags in kept:
    name, rest = analysis.split("(", 1)
    args = ast.literal_eval("(" + rest.rsplit("@", 1)[0])
    fresh = getattr(regex_analysis, name).__wrapped__(re.compile(pattern, flags), *args)
    agree += type(fresh) is type(entries[analysis, pattern, flags]) \\
        and fresh == entries[analysis, pattern, flags]
print(len(pairs), same, len(kept), agree)
"""


def _run(code: str, cache: str) -> str:
    env = {**os.environ, "ENTENTE_PATTERN_CACHE": cache}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A cache folder its first process filled (its file) and what that process printed."""
    cache = tmp_path_factory.mktemp("warm") / "cache"
    printed = _run(_COMPARE, str(cache))
    files = list(cache.iterdir())
    assert len(files) == 1 and files[0].name.startswith("patterns-")
    return files[0], printed


def test_what_a_later_process_reads_is_what_re_compile_makes(warm: tuple[Path, str]) -> None:
    path, first = warm
    written = path.read_bytes()
    second = _run(_COMPARE, str(path.parent))  # (reads them all from the file)
    n, same, kept, agree = second.split()
    assert first == second and int(n) > 1000 and same == n
    assert int(kept) > 1000 and agree == kept
    assert path.read_bytes() == written  # nothing new: not written again


def test_an_analysis_kept_by_other_code_is_not_read(warm: tuple[Path, str],
                                                    tmp_path: Path) -> None:
    """Each analysis is kept under a digest of graph/regex_analysis.py: the entries of other
    code (here: the same keys under another digest, their values wrong) are not read."""
    entries = marshal.loads(warm[0].read_bytes()[32:])
    foreign = {(k[0].rsplit("@", 1)[0] + "@0123456789abcdef", *k[1:]) if len(k) == 3 else k:
               "wrong" if len(k) == 3 else v for k, v in entries.items()}
    payload = marshal.dumps(foreign)
    (tmp_path / warm[0].name).write_bytes(hashlib.sha256(payload).digest() + payload)
    assert _run(_COMPARE, str(tmp_path)) == warm[1]


def test_a_damaged_file_is_not_read_and_is_written_anew(warm: tuple[Path, str],
                                                        tmp_path: Path) -> None:
    good = warm[0].read_bytes()
    path = tmp_path / warm[0].name
    path.write_bytes(good[:100] + b"damaged" + good[107:])  # (its SHA-256 no longer agrees)
    n, same, kept, agree = _run(_COMPARE, str(tmp_path)).split()
    assert agree == kept
    again = path.read_bytes()  # (marshal's bytes may differ in its references: the entries)
    assert same == n and marshal.loads(again[32:]) == marshal.loads(good[32:])
    assert hashlib.sha256(again[32:]).digest() == again[:32]


def test_off_writes_nothing_and_an_unwritable_folder_costs_nothing(tmp_path: Path) -> None:
    code = ("from entente.graph.relations import RelationExtractor; "
            "RelationExtractor.from_bundled('https://entente.example.org/'); print('ok')")
    home = tmp_path / "home"
    home.mkdir()
    env_home = {"HOME": str(home), "XDG_CACHE_HOME": ""}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **env_home, "ENTENTE_PATTERN_CACHE": "off"},
                          timeout=120, check=False)
    assert done.stdout.strip() == "ok" and list(home.iterdir()) == []
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert _run(code, str(blocked / "cache")) == "ok"
    assert blocked.read_text() == "not a folder"


def test_the_default_folder_is_the_user_s_cache(tmp_path: Path) -> None:
    code = "from entente.graph import pattern_cache; print(pattern_cache.cache_file())"
    env = {k: v for k, v in os.environ.items()
           if k not in ("ENTENTE_PATTERN_CACHE", "XDG_CACHE_HOME")}
    for extra, folder in (({"HOME": str(tmp_path)}, tmp_path / ".cache" / "entente"),
                          ({"XDG_CACHE_HOME": str(tmp_path / "x")}, tmp_path / "x" / "entente")):
        done = subprocess.run([sys.executable, "-c", code], env={**env, **extra},
                              capture_output=True, text=True, timeout=60, check=True)
        assert Path(done.stdout.strip()).parent == folder


def test_a_build_from_the_cache_gives_the_same_dataset(
        tmp_path: Path, corpus_dir: Path, built_store: StoreInfo,
        warm: tuple[Path, str]) -> None:
    """A CLI build reading every expression from the cache against the session's store
    (built in-process with the cache as it was)."""
    env = {**os.environ, "ENTENTE_PATTERN_CACHE": str(warm[0].parent),
           "ENTENTE_BASE_IRI": "https://entente.example.org/"}
    written = warm[0].read_bytes()
    done = subprocess.run([sys.executable, "-m", "entente", "build", "--corpus",
                           str(corpus_dir), "--store", str(tmp_path / "store"), "--no-reason",
                           "--quiet"], env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "store" / "dataset.nq").read_bytes() == built_store.dump_path.read_bytes()
    assert warm[0].read_bytes() == written
