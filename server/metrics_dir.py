"""The directory of the server's metrics, shared by its web workers.

prometheus_client's multiprocess mode: before granian forks the workers, ``entente serve``
points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh private directory, where every worker writes
its values to memory-mapped files of its own and /metrics sums them (server/ops.py).  The
directory also holds when the server started, for /healthz's uptime: a worker may be
younger than the server.  This module does not import prometheus_client (it must see the
variable set at its first import).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from entente.errors import EntenteError

#: prometheus_client's multiprocess directory; ``entente serve`` sets it for its workers
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
STARTED_FILE = "server-started"

METRICS_PREFIX = "entente-metrics-"


def remove_stale_metrics_directories(base: str) -> list[str]:
    """Remove the metrics directories in ``base`` left by servers that were killed (SIGKILL
    gives no chance to clean up): those named after a process that no longer exists and
    owned by this user.  Returns the removed paths."""
    removed = []
    try:
        names = os.listdir(base)
    except OSError:
        return removed
    for name in names:
        pid = name[len(METRICS_PREFIX):].split("-", 1)[0]
        if not name.startswith(METRICS_PREFIX) or not pid.isdigit():
            continue
        path = os.path.join(base, name)
        try:
            if os.stat(path).st_uid != os.getuid() or _alive(int(pid)):
                continue
        except OSError:
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


@contextlib.contextmanager
def metrics_directory() -> Iterator[str]:
    """A fresh private ``PROMETHEUS_MULTIPROC_DIR`` for the workers' metrics (prometheus_client
    multiprocess mode), set before granian forks them and removed when the server stops.

    On tmpfs where there is one (each worker writes to memory-mapped files there on every
    request).  Only the process that made it removes it (a worker forked inside
    ``serve`` must not, should it unwind this same stack).  The name holds the owner's
    pid, so that a directory left by a server killed with SIGKILL is removed when the next
    one starts.  prometheus_client must not be imported before: it picks its per-process or
    shared values once, at import.
    """
    if "prometheus_client.values" in sys.modules:
        raise EntenteError(f"prometheus_client was imported before {MULTIPROC_ENV} was set: "
                           "the workers' metrics could not be shared")
    shm = "/dev/shm"
    base = shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else tempfile.gettempdir()
    remove_stale_metrics_directories(base)
    owner, before = os.getpid(), os.environ.get(MULTIPROC_ENV)
    path = tempfile.mkdtemp(prefix=f"{METRICS_PREFIX}{owner}-", dir=base)
    # when the server started, for /healthz's uptime (a worker may be younger)
    Path(path, STARTED_FILE).write_text(repr(time.time()), encoding="ascii")
    os.environ[MULTIPROC_ENV] = path
    try:
        yield path
    finally:
        if os.getpid() == owner:
            shutil.rmtree(path, ignore_errors=True)
            if before is None:
                os.environ.pop(MULTIPROC_ENV, None)
            else:
                os.environ[MULTIPROC_ENV] = before


def server_started(directory: str) -> float | None:
    """When the server that made ``directory`` started (seconds since the epoch), if known."""
    try:
        return float(Path(directory, STARTED_FILE).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None
