"""Regular expressions compiled once per machine: the rules' ~1,500 expressions kept compiled
on disk between processes.

Python compiles an expression in Python code (``re._parser``, ``re._compiler``): the rules,
the cues and the argument searches took ~0.85 s of every ``entente build``'s start-up, a
quarter of a build of the corpus.  :func:`compiled` gives the same ``re.Pattern`` as
``re.compile`` (equal: same pattern, flags and code), made from the compiled code this
machine's earlier processes saved: ``(flags, code, groups, groupindex, indexgroup)`` per
(expression, flags), what ``re._compiler.compile`` hands to ``_sre.compile``.  The file is
``marshal`` data (no code is executed on reading it) named by the interpreter and its regular
expression engine (``_sre.MAGIC``), in ``ENTENTE_PATTERN_CACHE`` (default
``$XDG_CACHE_HOME/entente``, else ``~/.cache/entente``; ``off``: no file).  An entry is the
pure function of its key, so the cache cannot be stale; an unreadable, foreign or damaged
file (each is stored with its SHA-256) is ignored, and a folder that cannot be written only
costs the time it would save.
Where the interpreter has not these internals, :func:`compiled` is ``re.compile``.
The same file keeps what graph/regex_analysis.py reads off the expressions
(:func:`remembered`), under a digest of that module's code.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

try:  # CPython's own compiler (3.11+: re._parser / re._compiler)
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another interpreter
    _sre = None  # type: ignore[assignment]

#: a cache holding more entries than this after a save keeps only the current process's
#: (the expressions of earlier rule sets are not kept for ever)
MAX_ENTRIES = 20_000

Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
#: (expression, flags) -> its compiled code; (analysis, expression, flags) -> what it found
Key = tuple[str, int] | tuple[str, str, int]
T = TypeVar("T")

_entries: dict[Key, Any] | None = None  # loaded on first use
_used: set[Key] = set()
_new = False
_ABSENT = object()


def cache_file() -> Path | None:
    """The cache's file for this interpreter, or None when it is off or not possible."""
    if _sre is None:
        return None
    folder = os.environ.get("ENTENTE_PATTERN_CACHE", "").strip()
    if folder.lower() == "off":
        return None
    if not folder:
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        try:
            folder = str(Path(xdg or Path.home() / ".cache") / "entente")
        except RuntimeError:  # (no home directory to be found: no cache)
            return None
    tag = sys.implementation.cache_tag or sys.implementation.name
    version = ".".join(map(str, sys.version_info[:3]))
    return Path(folder) / f"patterns-{tag}-{version}-{_sre.MAGIC}-{_sre.CODESIZE}.marshal"


def _load() -> dict[Key, Any]:
    global _entries
    if _entries is None:
        _entries = {}
        path = cache_file()
        try:
            raw = path.read_bytes() if path is not None else b""
            digest, payload = raw[:32], raw[32:]
            data = marshal.loads(payload) if hashlib.sha256(payload).digest() == digest else {}
        except (OSError, EOFError, ValueError, TypeError):
            data = {}
        if isinstance(data, dict):
            _entries = data
    return _entries


def _compiled(pattern: str, flags: int) -> Entry:
    """What ``re._compiler.compile`` passes to ``_sre.compile`` for ``pattern``."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # (opcodes: int subclasses)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex,
            tuple(indexgroup))


def compiled(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the cache's compiled code when it has it."""
    flags = int(flags)
    if _sre is None or not isinstance(pattern, str) or flags & re.DEBUG:
        return re.compile(pattern, flags)
    global _new
    entries = _load()
    key = (pattern, flags)
    entry = entries.get(key)
    if entry is None:
        entry = entries[key] = _compiled(pattern, flags)
        _new = True
    _used.add(key)
    try:
        return _sre.compile(pattern, entry[0], entry[1], entry[2], entry[3], entry[4])
    except Exception:  # noqa: BLE001 - an entry this engine refuses: compile it anew
        entries[key] = _compiled(pattern, flags)
        _new = True
        return re.compile(pattern, flags)


def remembered(analysis: str, pattern: str, flags: int, compute: Callable[[], T]) -> T:
    """``compute()``: what ``analysis`` reads off the expression (``pattern``, ``flags``), from
    the cache when it holds it.  The value must be a pure function of the three, and
    ``analysis`` must name the code that computes it (graph/regex_analysis.py puts its
    source's digest in it): an entry is never computed again.  A value ``marshal`` cannot
    write (or a mutable one: the cache hands out the object it holds) is not kept."""
    global _new
    entries = _load()
    key = (analysis, pattern, flags)
    value = entries.get(key, _ABSENT)
    if value is _ABSENT:
        value = compute()
        if value is None or isinstance(value, (bool, str, frozenset, tuple)):
            try:
                marshal.dumps(value)
            except ValueError:
                return value
            entries[key] = value
            _new = True
        else:
            return value
    _used.add(key)
    return value  # type: ignore[return-value]


def save() -> None:
    """Write the cache if this process compiled anything new (atomically: a reader sees the
    old file or the new one); a folder that cannot be written is left alone."""
    global _new
    path = cache_file()
    if not _new or path is None or _entries is None:
        return
    keep: dict[Key, Any] = _entries
    if len(keep) > MAX_ENTRIES:
        keep = {key: _entries[key] for key in _used if key in _entries}
    tmp: str | None = None
    try:
        payload = marshal.dumps(keep)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as fh:
            fh.write(hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
        tmp = None
        _new = False
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
