"""Faults during build: SIGKILL at 4 seeded moments, one in each quarter of a build's
working part (`python bench/soak.py --trials 40` runs more), a full disk, an unwritable store
directory.  The previous store always stays intact and locatable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from entente.graph import store as gstore

from entente.errors import StoreError
from entente.faults import kill_trials, leftovers, make_corpus


def test_sigkill_during_build_never_breaks_the_store(corpus_dir: Path, tmp_path: Path) -> None:
    corpus = make_corpus(corpus_dir, tmp_path / "corpus")
    store = tmp_path / "var" / "store"
    store.parent.mkdir()
    trials, _full = kill_trials(corpus, store, trials=4, seed=20240601)
    broken = [t for t in trials if not t.ok]
    assert broken == [], broken
    # which phases were hit depends on the machine's speed: recorded, not asserted
    print("phases hit:", dict(Counter(t.phase for t in trials)))
    # the last (clean) build succeeded and removed what the killed ones left behind
    assert leftovers(store, store.parent / "tmp") == []
    info = gstore.locate(store)
    assert len(gstore.open_read_only(info)) == info.manifest["quads"]


def test_stale_partial_directories_are_cleaned_by_the_next_publish(tmp_path: Path) -> None:
    nq = tmp_path / "a.nq"
    nq.write_text("<http://a> <http://b> <http://c> <http://g> .\n", encoding="utf-8")
    store = tmp_path / "store"
    gstore.publish(nq, store)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f".store-{dead}-0123456789ab.partial"
    (stale / "oxigraph").mkdir(parents=True)
    os.symlink("store-000000000000", tmp_path / f".store-{dead}-0123456789ab.link")
    mine = tmp_path / f".store-{os.getpid()}-0123456789ab.partial"  # a live publisher's
    mine.mkdir()
    nq.write_text("<http://a> <http://b> <http://d> <http://g> .\n", encoding="utf-8")
    gstore.publish(nq, store)
    names = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".store-"))
    assert names == [mine.name]


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                            capture_output=True)
    return result.returncode == 0


def test_full_disk_is_a_clear_error_and_keeps_the_store(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "1m"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        small = tmp_path / "small.nq"
        small.write_text("<http://a> <http://b> <http://c> <http://g> .\n", encoding="utf-8")
        store = disk / "store"
        before = gstore.publish(small, store)
        big = tmp_path / "big.nq"
        with big.open("w", encoding="utf-8") as fh:
            for i in range(40_000):
                fh.write(f"<http://a/{i}> <http://b> \"{'x' * 40} {i}\" <http://g> .\n")
        with pytest.raises(StoreError) as caught:
            gstore.publish(big, store)
        message = str(caught.value)
        assert message.startswith(f"{store.absolute()}: cannot publish store: ")
        assert message.endswith("previous store left unchanged")
        after = gstore.locate(store)
        assert after.version == before.version
        assert len(gstore.open_read_only(after)) == 1
        assert [p.name for p in disk.iterdir() if p.name.endswith(".partial")] == []
        # nothing of the failed publication is still open there (a store left open by the
        # traceback that ``caught`` keeps once made the disk busy)
        unmounted = subprocess.run(["umount", str(disk)], capture_output=True, text=True)
        assert unmounted.returncode == 0, unmounted.stderr
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_unwritable_store_directory_is_a_clear_error(tmp_path: Path) -> None:
    small = tmp_path / "small.nq"
    small.write_text("<http://a> <http://b> <http://c> <http://g> .\n", encoding="utf-8")
    parent = tmp_path / "ro"
    if os.geteuid() == 0:  # root ignores permission bits: a read-only file system instead
        if not _mount_tmpfs(parent, "1m"):
            pytest.skip("cannot mount a tmpfs here")
        subprocess.run(["mount", "-o", "remount,ro", str(parent)], check=True)
    else:
        parent.mkdir()
        parent.chmod(0o500)
    try:
        with pytest.raises(StoreError) as caught:
            gstore.publish(small, parent / "store")
        assert str(caught.value).startswith(f"{parent / 'store'}: cannot publish store: "
                                            "permission denied"), caught.value
        assert list(parent.iterdir()) == []
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", str(parent)], capture_output=True)
        else:
            parent.chmod(0o700)


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_build_leaves_no_extraction_worker_behind(tmp_path: Path) -> None:
    from entente.bench.measure import descendants
    from entente.bench.synth import synth_texts

    corpus = tmp_path / "corpus"
    synth_texts(300, 7, corpus)  # (enough text that the workers are caught at work)
    command = [sys.executable, "-m", "entente", "build", "--corpus", str(corpus), "--store",
               str(tmp_path / "store"), "--no-reason", "--workers", "2", "--quiet"]
    build = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and build.poll() is None and len(workers) < 2:
        workers = _alive(descendants(build.pid)[1:])
        time.sleep(0.02)
    assert len(workers) == 2, "the build ended before its workers were seen"
    build.kill()
    build.wait()
    deadline = time.monotonic() + 20
    while _alive(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _alive(workers) == []


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_during_extraction_stops_the_build_and_its_workers(
        corpus_dir: Path, tmp_path: Path, workers: int) -> None:
    """Ctrl-C reaches the whole process group: the build stops its workers at once, exits 130
    with one line (a worker that took the signal too printed a traceback, or left the pool
    waiting for it forever), and the store it would have replaced stays."""
    from entente.bench.build_bench import replicate_corpus
    from entente.bench.synth import synth_texts

    store = tmp_path / "store"
    nq = tmp_path / "old.nq"
    nq.write_text("<http://a> <http://b> <http://c> <http://g> .\n", encoding="utf-8")
    before = gstore.publish(nq, store).root
    corpus = tmp_path / "copies"
    replicate_corpus(corpus_dir, corpus, 2)
    # and a long document, last (1.5 MB of generated text, seconds of extraction): one worker
    # is still on it when the other has run out of documents and waits for one (where a
    # worker that took the signal printed a traceback)
    synth_texts(600, 7, tmp_path / "synth")
    texts = [p.read_text(encoding="utf-8") for p in sorted((tmp_path / "synth").glob("*.txt"))]
    (corpus / "zz_long.txt").write_text("\n\n".join(texts), encoding="utf-8")
    build = subprocess.Popen(
        [sys.executable, "-m", "entente", "build", "--corpus", str(corpus), "--store",
         str(store), "--no-reason", "--workers", str(workers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert build.stderr is not None
    first = build.stderr.readline()  # "extracting 11 documents ...": the workers run
    assert "extracting 11 documents" in first, first
    # the ten copies are extracted, and so the long document is being extracted (seconds)
    progress = build.stderr.readline()
    assert progress == "entente build: 10/11 documents extracted\n", progress
    os.killpg(build.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to the whole group
    try:
        rest = build.stderr.read()
        code = build.wait(timeout=30)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert code == 130
    lines = [line for line in rest.splitlines() if not line.endswith("documents extracted")]
    assert lines == ["entente build: interrupted"], rest
    deadline = time.monotonic() + 10  # (a killed worker is reaped by init a moment later)
    while (left := subprocess.run(["pgrep", "-g", str(build.pid)], capture_output=True,
                                  text=True).stdout) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left == "", "a worker outlived the build"
    assert gstore.locate(store).root == before
