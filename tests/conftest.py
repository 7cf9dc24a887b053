"""Shared fixtures: the real corpus folder and one store built from it for the whole session."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from entente.graph.store import StoreInfo

from entente.cli import main

REPO = Path(__file__).resolve().parent.parent
BASE = "https://entente.example.org/"


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C as in a terminal, in the test processes and the commands they start: a suite
    started in the background of a script (``make test &``, ``nohup``) inherits SIGINT
    ignored, and so did every child, so the tests of what Ctrl-C does failed there (a
    command started so rightly ignores it).  Each xdist worker runs this too."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def build_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``entente build --no-reason ARGS``: its exit code and what it printed.  Run in this
    process (``main``, as the console script calls it), whose bundled tools are built once
    (a child process spends ~1.7 s importing and building them); with ``env``, in a child
    process with those environment variables."""
    argv = ["build", "--no-reason", *args]
    if env is not None:
        return subprocess.run([sys.executable, "-m", "entente", *argv], capture_output=True,
                              text=True, timeout=300, env={**os.environ, **env})
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # (argparse's usage errors)
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The project's corpus/ folder (five .txt files and metadata.json)."""
    return REPO / "corpus"


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> StoreInfo:
    """The real corpus built once (no OWL reasoning, for speed); returns the StoreInfo."""
    from entente.graph.build import build

    root = tmp_path_factory.mktemp("built")
    summary = build(corpus_dir, root / "store", base=BASE, reason=False, warn=lambda _l: None)
    return summary.store


# --- a private Virtuoso (Debian's virtuoso-opensource) with the corpus pushed, served by
# 'entente serve --backend' (tests/remote/, and the canned-row tests' second backend) -------

_VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/v.db
ErrorLogFile = {d}/v.log
LockFile = {d}/v.lck
TransactionFile = {d}/v.trx
xa_persistent_file = {d}/v.pxa
[TempDatabase]
DatabaseFile = {d}/v-temp.db
TransactionFile = {d}/v-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{isql}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(url: str, proc, what: str, seconds: float = 60.0) -> None:  # noqa: ANN001
    import time

    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer {url} within {seconds:.0f} s")


def _stop(proc) -> None:  # noqa: ANN001
    import subprocess

    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """A private Virtuoso on loopback (empty temporary database); yields its base URL."""
    import shutil
    import subprocess

    exe = shutil.which("virtuoso-t")
    if exe is None:
        pytest.skip("Debian's virtuoso-opensource is not installed (scripts/install-test-deps.sh "
                    "installs it when run as root)")
    work = tmp_path_factory.mktemp("virtuoso")
    http = _free_port()
    ini = work / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(d=work, isql=_free_port(), http=http))
    log = (work / "stdout.log").open("w")
    proc = subprocess.Popen([exe, "+foreground", "+configfile", str(ini)], cwd=work,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{http}"
    try:
        _wait_http(f"{base}/sparql?query=ASK%7B%7D", proc, f"virtuoso-t (log: {work}/v.log)", 90)
        yield base
    finally:
        _stop(proc)
        log.close()


@pytest.fixture(scope="session")
def virtuoso_push_args(virtuoso: str) -> list[str]:
    """'entente push' arguments for the test Virtuoso (Graph Store endpoint, digest auth)."""
    base = virtuoso
    return ["--endpoint", f"{base}/sparql", "--graph-store", f"{base}/sparql-graph-crud-auth",
            "--user", "dba", "--password", "dba", "--auth", "digest"]


@pytest.fixture(scope="session")
def virtuoso_corpus(virtuoso: str, virtuoso_push_args: list[str], built_store: StoreInfo) -> str:
    """The built corpus pushed into the test Virtuoso with 'entente push'; its base URL."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "entente", "push", "--store", str(built_store.link), "--quiet",
         *virtuoso_push_args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return virtuoso


@pytest.fixture(scope="session")
def remote_served(virtuoso_corpus: str, built_store: StoreInfo):  # noqa: ANN201
    """'entente serve --backend <virtuoso>/sparql' on loopback; yields its URL (ends in /).

    ENTENTE_STORE points to the built store, so the dump and the ontology page come from it."""
    import os
    import subprocess
    import sys
    import tempfile

    port = _free_port()
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "entente", "serve", "--backend", f"{virtuoso_corpus}/sparql",
         "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--store", str(built_store.link)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ENTENTE_BASE_IRI": BASE})
    url = f"http://127.0.0.1:{port}/"
    try:
        try:
            _wait_http(url + "healthz", proc, "entente serve --backend")
        except RuntimeError as exc:
            log.seek(0)
            raise RuntimeError(f"{exc}: {log.read()[-2000:]}") from None
        yield url
    finally:
        _stop(proc)
        log.close()
