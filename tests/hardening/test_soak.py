"""The soak harness in its short mode (what CI runs once; no timing assertions)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def test_short_soak_runs_and_reports(built_store, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "soak.json"
    result = subprocess.run(
        [sys.executable, "-m", "entente", "soak", "--store", str(built_store.link),
         "--duration", "4", "--clients", "8", "--runaway", "0", "--out", str(out)],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(out.read_text())
    assert report["load"]["sent"] > 0 and report["load"]["errors"] == 0
    assert report["load"]["malformed"] > 0  # the 5% malformed requests were sent, and got 4xx
    assert set(report["load"]["statuses"]) <= {"200", "400", "404", "415"}
    assert report["memory"]["samples"] >= 2


def test_soak_refuses_a_non_loopback_url() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "entente", "soak", "--url", "http://example.org:80/"],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == ("entente soak: error: --url must be a loopback address "
                                     "with a port, not http://example.org:80/")


@pytest.mark.parametrize("when", ["starting", "soaking"])
def test_sigterm_stops_the_soak_and_its_server(built_store, when: str) -> None:  # noqa: ANN001
    """SIGTERM (a CI runner's timeout, ``kill``) cleans up as Ctrl-C does: the server the soak
    started is stopped and the soak exits 143 (Python's default SIGTERM left the server
    running, serving on its port), whether it comes while the server starts or under load."""
    import signal
    import time

    from .conftest import descendants, processes  # noqa: TID252

    soak = subprocess.Popen(
        [sys.executable, "-m", "entente", "soak", "--store", str(built_store.link),
         "--duration", "60", "--clients", "2", "--runaway", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60  # a bound on waiting, not a timing assertion
        while not [p for p in descendants(soak.pid) if " serve " in p.cmdline]:
            assert soak.poll() is None and time.monotonic() < deadline, "no server started"
            time.sleep(0.1)
        if when == "soaking":  # the server answers: the soak polls it every 0.2 s
            serve = next(p for p in descendants(soak.pid) if " serve " in p.cmdline)
            port = serve.cmdline.split("--port ")[1].split()[0]
            while not _answers(f"http://127.0.0.1:{port}/healthz"):
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.1)
            time.sleep(1)
        server = [p.pid for p in descendants(soak.pid)]
        soak.send_signal(signal.SIGTERM)
        _, err = soak.communicate(timeout=60)
    finally:
        if soak.poll() is None:
            soak.kill()
    assert soak.returncode == 143, err
    assert err.strip().splitlines()[-1] == "entente soak: terminated"
    deadline = time.monotonic() + 30  # (the workers and query children end after the server)
    while True:
        left = [p for p in processes().values() if p.pid in server and p.state != "Z"]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert left == []


def _answers(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status == 200
    except OSError:
        return False
