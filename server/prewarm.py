"""Warm the operating system's page cache with the store's files when the server starts.

A store that has not been read for a while (after a reboot, a long idle spell, or on VMs whose
host reclaims idle file pages) is read back by the first queries one 4 KB block at a time.
On the 2-core AMD benchmark VM the 1M store's first `about-actor` took 2.9 s after the caches
were dropped against 1.1 s warm, and 7-23 s in benchmark runs whose long peer stages had left
the store unread; its files read ahead in order (large requests, `posix_fadvise(WILLNEED)`)
took 0.08 s there (docs/performance.md).  The advice is given from a
background thread, so start-up does not wait for it, and only up to a budget
(``ENTENTE_PREWARM_MB``, at most half the memory available), so a store larger than memory
does not push everything else out of the cache.  Page-cache pages are not the server's
resident memory.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

#: one advice per this many bytes (Linux reads ahead at most ~8 MB per call)
_STEP = 8 << 20


def plan(store_dir: Path, budget_bytes: int) -> list[tuple[Path, int]]:
    """(file, bytes to read ahead from its start) for the store's files in name order, up to
    ``budget_bytes`` in all (the last file cut at the budget)."""
    out: list[tuple[Path, int]] = []
    left = budget_bytes
    for path in sorted(p for p in store_dir.rglob("*") if p.is_file()):
        if left <= 0:
            break
        size = min(path.stat().st_size, left)
        if size:
            out.append((path, size))
            left -= size
    return out


def available_bytes() -> int | None:
    """MemAvailable from /proc/meminfo (None where there is none)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def budget(prewarm_mb: int) -> int:
    """The bytes to read ahead: ``prewarm_mb``, at most half the memory available."""
    wanted = prewarm_mb << 20
    free = available_bytes()
    return wanted if free is None else min(wanted, free // 2)


def _advise(files: list[tuple[Path, int]]) -> None:
    # (runs beside the server's start: only system calls here, no logging or imports, whose
    # locks a fork of the web workers could copy while held)
    for path, size in files:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue  # (a file RocksDB removed meanwhile)
        try:
            for offset in range(0, size, _STEP):
                os.posix_fadvise(fd, offset, min(_STEP, size - offset), os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)


def start(store_dir: Path, prewarm_mb: int) -> tuple[int, threading.Thread | None]:
    """Read ahead up to ``prewarm_mb`` MB of the files under ``store_dir`` in a daemon thread;
    returns (bytes planned, the thread) or (0, None) where there is nothing to do or no
    ``posix_fadvise``."""
    if prewarm_mb <= 0 or not hasattr(os, "posix_fadvise"):
        return 0, None
    files = plan(store_dir, budget(prewarm_mb))
    if not files:
        return 0, None
    thread = threading.Thread(target=_advise, args=(files,), name="entente-prewarm",
                              daemon=True)
    thread.start()
    return sum(size for _, size in files), thread
