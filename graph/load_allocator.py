"""The memory allocator a store load runs under.

A third to two fifths of pyoxigraph's ``bulk_load`` CPU is ``memcmp`` and glibc's
``malloc``/``free`` of index keys (docs/performance.md, "Load 1M triples").  Under mimalloc
(Microsoft's allocator, shipped as a shared library by the ``cmeel-mimalloc`` wheel) the
publish of the 10M benchmark dump took 53.2-54.6 s against 70.4-74.6 s with glibc, the 1M
dump's 4.62-5.97 s against 5.29-5.95 s with a tenth less CPU (alternated runs, 2-core VM,
2026-12-05).  An allocator can only be chosen when a process starts
(``LD_PRELOAD``), so a large load runs in a child process started with it
(:func:`entente.graph.store_load.load_dump`).  Linux only; elsewhere, or without the wheel,
or with ``ENTENTE_LOAD_ALLOCATOR=system``, the load runs in the calling process on the
system's allocator.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from importlib import metadata
from pathlib import Path

#: The values of ``ENTENTE_LOAD_ALLOCATOR``.
ALLOCATORS = ("mimalloc", "system")
#: mimalloc's options for a load child, unless already set in the environment: memory freed is
#: kept for reuse instead of being returned to the system (the child exits after one load),
#: and large pages (transparent huge pages) back its heap.  Each was measured on the 1M
#: publish, mimalloc preloaded into the whole process: with both 4.29-4.77 s, purge delay
#: alone 4.75-5.21 s, neither 5.01-5.68 s (five runs each, alternated).
MIMALLOC_OPTIONS = {"MIMALLOC_PURGE_DELAY": "-1", "MIMALLOC_ALLOW_LARGE_OS_PAGES": "1"}
_LIBRARY_NAME = re.compile(r"libmimalloc\.so\.\d+")


@functools.cache
def mimalloc_library() -> Path | None:
    """The path of the installed mimalloc shared library, or None (not Linux, or the
    ``cmeel-mimalloc`` distribution is not installed)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        dist = metadata.distribution("cmeel-mimalloc")
    except metadata.PackageNotFoundError:
        return None
    for file in dist.files or ():
        if _LIBRARY_NAME.fullmatch(file.name):
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                return path
    return None


def preloaded_environment(library: Path) -> dict[str, str]:
    """This process's environment with ``library`` preloaded ahead of any other preload, and
    :data:`MIMALLOC_OPTIONS` where the environment does not set them."""
    env = dict(os.environ)
    env["LD_PRELOAD"] = " ".join(p for p in (str(library), env.get("LD_PRELOAD", "")) if p)
    for name, value in MIMALLOC_OPTIONS.items():
        env.setdefault(name, value)
    return env


def mapped() -> bool:
    """Whether mimalloc's library is mapped into this process (a preload the dynamic loader
    could not honour is only a warning on stderr)."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            return any("/libmimalloc" in line for line in maps)
    except OSError:
        return False
