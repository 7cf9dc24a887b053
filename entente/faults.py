"""Injected faults during ``entente build``: SIGKILL at seeded random moments.

Each trial changes the corpus a little (so the build would publish a new version), starts
``entente build`` in a subprocess and, once the build says it is extracting (its start-up,
imports and rule compilation, writes nothing and is most of a small build's time), kills it
with SIGKILL after a seeded random delay stratified over the rest of a whole build (the
extraction, the serialisation, the bulk load and the swap).  Then it checks the store: it must
still be locatable and openable, answer a count equal to its manifest, and be either the
previous version or (when the kill came after the swap) the new one.  The phase the build was
in is read from its progress lines and from the temporary entries beside the store.  After the
trials one more build must succeed and leave no temporary directory behind (beside the store
or in its $TMPDIR).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from entente.errors import EntenteError


@dataclass
class Trial:
    n: int
    delay_s: float
    phase: str
    before: str
    after: str
    ok: bool
    problem: str = ""


def make_corpus(source: Path, target: Path, documents: int = 2, chars: int = 4000) -> Path:
    """A small corpus: the beginning of the first ``documents`` .txt files of ``source``."""
    target.mkdir(parents=True, exist_ok=True)
    texts = sorted(source.glob("*.txt"))[:documents]
    if not texts:
        raise EntenteError(f"{source}: no .txt documents to make a small corpus from")
    for path in texts:
        text = path.read_text(encoding="utf-8")[:chars]
        cut = text.rfind("\n\n")
        (target / path.name).write_text(text[:cut] if cut > 0 else text, encoding="utf-8")
    return target


def _build_command(corpus: Path, store: Path) -> list[str]:
    return [sys.executable, "-m", "entente", "build", "--corpus", str(corpus), "--store",
            str(store), "--no-reason"]


def _check_store(store: Path) -> tuple[str, str]:
    """(version, problem): the store must be locatable, openable and agree with its manifest."""
    from entente.graph import store as gstore

    try:
        info = gstore.locate(store)
    except EntenteError as exc:
        return "", str(exc)
    try:  # opened read-only, as the query processes of a server open it
        quads = len(gstore.open_read_only(info))
    except (EntenteError, OSError, RuntimeError) as exc:
        return info.version, f"cannot open {info.oxigraph_path}: {exc}"
    if quads != int(info.manifest["quads"]):
        return info.version, f"{quads} quads, the manifest says {info.manifest['quads']}"
    return info.version, ""


def _phase(log: str, store: Path) -> str:
    partial = any(p.name.endswith(".partial") for p in store.parent.iterdir())
    link = any(p.name.endswith(".link") for p in store.parent.iterdir())
    if link:
        return "swap"
    if partial:
        return "bulk load"
    if "documents extracted" in log:
        return "serialising"
    if "extracting" in log:
        return "extracting"
    return "loading"


def leftovers(store: Path, tmpdir: Path) -> list[str]:
    """Temporary entries beside the store or in ``tmpdir`` (there should be none)."""
    beside = [p.name for p in store.parent.iterdir()
              if p.name.endswith((".partial", ".link"))]
    work = [p.name for p in tmpdir.iterdir() if p.name.startswith("entente-build-")]
    return beside + work


def kill_trials(corpus: Path, store: Path, trials: int, seed: int = 1234) -> tuple[
        list[Trial], float]:
    """Run ``trials`` killed builds; returns the trials and the duration of a full build."""
    rng = random.Random(seed)
    tmpdir = store.parent / "tmp"
    tmpdir.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    log_path = store.parent / "build.log"
    started = time.monotonic()
    with log_path.open("w") as log:
        process = subprocess.Popen(_build_command(corpus, store), env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        working = _wait_for_work(process, log_path, started + 300)
        try:
            code = process.wait(timeout=max(1.0, started + 300 - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise EntenteError("the full build took more than 300 s") from None
        if code != 0:
            raise EntenteError(f"the full build failed: {log_path.read_text()[-2000:]}")
    full = time.monotonic() - started
    window = full - (working - started)  # from "extracting" to the end of the build
    results: list[Trial] = []
    docs = sorted(corpus.glob("*.txt"))
    for n in range(trials):
        before, problem = _check_store(store)
        if problem:
            raise EntenteError(f"trial {n}: the store was broken before the trial: {problem}")
        doc = docs[n % len(docs)]
        with doc.open("a", encoding="utf-8") as fh:
            fh.write(f"\n\nTrial paragraph {n} adds a sentence about the partnership.\n")
        # stratified over the working part of a build, so every phase of it is hit
        delay = window * (n + rng.random()) / trials * 1.05
        with log_path.open("w") as log:
            process = subprocess.Popen(_build_command(corpus, store), env=env, stdout=log,
                                       stderr=subprocess.STDOUT)
            working = _wait_for_work(process, log_path, time.monotonic() + 300)
            time.sleep(max(0.0, working + delay - time.monotonic()))
            phase = _phase(log_path.read_text(), store) if process.poll() is None else "done"
            process.send_signal(signal.SIGKILL)
            process.wait()
        after, problem = _check_store(store)
        ok = not problem and bool(after)
        results.append(Trial(n, round(delay, 3), phase, before, after, ok, problem))
    subprocess.run(_build_command(corpus, store), env=env, check=True, capture_output=True,
                   timeout=300)
    return results, full


def _wait_for_work(process: subprocess.Popen[bytes], log_path: Path, deadline: float) -> float:
    """The moment (``time.monotonic``) the build's log says it is extracting, or it exited."""
    while process.poll() is None and time.monotonic() < deadline:
        if "extracting" in log_path.read_text():
            return time.monotonic()
        time.sleep(0.005)
    return time.monotonic()


def clean(tmp: Path) -> None:
    shutil.rmtree(tmp, ignore_errors=True)
