"""The soak harness in its short mode (what CI runs once; no timing assertions)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


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
