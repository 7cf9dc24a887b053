"""Small measuring tools: percentiles, timed repetitions, process memory, free ports."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation; 0.0 for no values."""
    if not values:
        return 0.0
    data = sorted(values)
    if len(data) == 1:
        return data[0]
    rank = (len(data) - 1) * q / 100.0
    low = int(rank)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (rank - low)


def summary_ms(durations: list[float]) -> dict[str, float]:
    """p50/p99/mean/min in milliseconds of durations given in seconds, and the run count."""
    ms = [d * 1000.0 for d in durations]
    return {
        "runs": len(ms),
        "p50_ms": round(percentile(ms, 50), 4),
        "p99_ms": round(percentile(ms, 99), 4),
        "mean_ms": round(sum(ms) / len(ms), 4) if ms else 0.0,
        "min_ms": round(min(ms), 4) if ms else 0.0,
    }


def repeat(fn: Callable[[], Any], *, runs: int, budget_s: float, warmup: int = 1,
           timed: bool = False) -> tuple[list[float], Any]:
    """Call ``fn`` ``warmup`` times, then up to ``runs`` times or until ``budget_s`` is spent
    (at least once).  Returns the durations in seconds and the last result.  With ``timed``
    ``fn`` returns ``(seconds, result)``, its own measure of the part that counts."""
    result = None
    for _ in range(warmup):
        result = fn()[1] if timed else fn()
    durations: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(durations) < runs:
        t0 = time.perf_counter()
        result = fn()
        if timed:
            seconds, result = result
            durations.append(seconds)
        else:
            durations.append(time.perf_counter() - t0)
        if time.perf_counter() > deadline:
            break
    return durations, result


def _status_kb(pid: int, field: str) -> int:
    return _kb_field(_read(Path(f"/proc/{pid}/status")), field)


def _kb_field(text: str, field: str) -> int:
    """The kB figure of ``field`` in a /proc file's text (0 when absent)."""
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def descendants(pid: int) -> list[int]:
    """``pid`` and all its descendant processes (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def tree_memory_mb(pid: int) -> dict[str, float]:
    """Memory of a process tree: sum of current RSS and of peak RSS (VmHWM), in MB."""
    pids = descendants(pid)
    rss = sum(_status_kb(p, "VmRSS") for p in pids) / 1024.0
    hwm = sum(_status_kb(p, "VmHWM") for p in pids) / 1024.0
    return {"processes": len(pids), "rss_mb": round(rss, 1), "peak_rss_mb": round(hwm, 1)}


class TreeRssSampler:
    """The highest sum of current RSS over a process tree, sampled every ``interval_s`` while
    the ``with`` block runs: the memory the tree held at one moment.  (The sum of each
    process's own peak, VmHWM, adds peaks that never coexisted -- a query child that peaked
    during one query and a sibling that peaked during another -- and is only an upper bound.)
    """

    def __init__(self, pid: int, interval_s: float = 0.2) -> None:
        self.pid, self.interval_s = pid, interval_s
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        rss = sum(_status_kb(p, "VmRSS") for p in descendants(self.pid)) / 1024.0
        self.peak_mb = max(self.peak_mb, round(rss, 1))

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self._sample()

    def __enter__(self) -> TreeRssSampler:
        self._sample()
        self._thread.start()
        return self

    def stop(self) -> float:
        """Stop sampling (once; later calls just answer) and return the peak in MB."""
        if not self._stop.is_set():
            self._stop.set()
            self._thread.join()
            self._sample()
        return self.peak_mb

    def __exit__(self, *exc: object) -> None:
        self.stop()


def self_peak_rss_mb() -> float:
    """Peak RSS of this process (VmHWM), in MB."""
    return round(_status_kb(os.getpid(), "VmHWM") / 1024.0, 1)


def free_port() -> int:
    """A TCP port that is free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def machine() -> dict[str, Any]:
    """The machine the benchmark ran on: cores, CPU model, RAM, Python."""
    import platform

    model = next((line.split(":", 1)[1].strip() for line in
                  _read(Path("/proc/cpuinfo")).splitlines() if line.startswith("model name")),
                 "unknown")
    ram_kb = _meminfo_kb("MemTotal")
    return {
        "nproc": os.cpu_count() or 1,
        "cpu": model,
        "ram_gb": round(ram_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "proactive_reclaim": proactive_reclaim(),
    }


def provenance(repo: Path | None = None) -> dict[str, Any]:
    """What ran: the commit (``+`` when the tree had changes), the UTC start time, and the
    versions of the engines and tools measured (None where one is absent)."""
    import datetime
    import importlib.metadata
    import shutil
    import subprocess

    def output(cmd: list[str], line: str = "", number: bool = False) -> str | None:
        """The first line of the command's output (the first that starts with ``line``), or
        with ``number`` the version number in it."""
        if shutil.which(cmd[0]) is None:
            return None
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=10,
                                  cwd=repo, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        lines = [x.strip() for x in (done.stdout or done.stderr).splitlines()
                 if x.strip().startswith(line)]
        if not lines or done.returncode not in (0, 1):
            return None
        found = re.search(r"\d+\.\d+[\w.+-]*", lines[0]) if number else None
        return found.group(0) if found else lines[0]

    def version(dist: str) -> str | None:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return None

    commit = output(["git", "rev-parse", "--short", "HEAD"])
    if commit and output(["git", "status", "--porcelain", "--untracked-files=no"]):
        commit += "+"
    from entente.bench import virtuoso

    return {
        "commit": commit,
        "started_utc": datetime.datetime.now(datetime.UTC).isoformat(
            timespec="seconds"),
        "versions": {**{d: version(d) for d in ("entente", "pyoxigraph", "rdflib", "flask",
                                                 "granian", "spacy")},
                     "wrk": output(["wrk", "--version"], number=True),
                     "virtuoso": output([virtuoso.SERVER, "--version"], "Version", True)},
    }


def proactive_reclaim(root: Path = Path("/sys/kernel/mm/damon/admin/kdamonds")) -> list[str]:
    """The kernel's running DAMON schemes that page memory out, one line each (empty when
    there is none): some VMs page out memory, the page cache included, that was not accessed
    for a while, so a store read a minute ago may come back from disk, and DAMON's access
    sampling costs the queries some CPU (docs/performance.md, "Runs on record")."""
    found = []
    for kdamond in sorted(root.glob("[0-9]*")):
        if _read(kdamond / "state") != "on":
            continue
        for scheme in sorted(kdamond.glob("contexts/[0-9]*/schemes/[0-9]*")):
            if _read(scheme / "action") != "pageout":
                continue
            context = scheme.parent.parent
            aggr_us = _read(context / "monitoring_attrs/intervals/aggr_us")
            age = _read(scheme / "access_pattern/age/min")
            quota = _read(scheme / "quotas/bytes")
            reset_ms = _read(scheme / "quotas/reset_interval_ms")
            try:
                idle_s = int(age) * int(aggr_us) / 1e6
                quota_mib, reset_s = int(quota) / (1 << 20), int(reset_ms) / 1000
            except ValueError:
                found.append(f"{kdamond.name}: pageout")
                continue
            found.append(f"{kdamond.name}: pageout of memory not accessed for {idle_s:g} s, "
                         f"at most {quota_mib:g} MiB per {reset_s:g} s")
    return found


def _read(path: Path) -> str:
    """A file's text without surrounding blanks; "" when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _meminfo_kb(field: str) -> int:
    return _kb_field(_read(Path("/proc/meminfo")), field)
