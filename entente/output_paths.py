"""Output paths checked before a command's work: ``--out``, ``--timings`` and the like.

A command that finds out only at its end that it cannot write its result has wasted the work
(a build, a soak of minutes, a benchmark of an hour).  :func:`output_problem` says why a path
cannot be written, by trying: ``os.access`` does not tell every refusal (root passes it where
``/proc`` or a read-only mount refuses), so the probe opens the file (appending: an existing
file is left as it is) or makes a folder beside the first missing one, and removes what it
made.  Missing folders are made by the command itself when it writes.  (The probe once made
the missing folder itself: two commands started together, shard builds writing ``--out`` into
one new folder, then raced, one refused with "cannot create o: File exists", or one removing
the folder the other had just made to write into.)
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from entente.errors import EntenteError, UsageError

_VERSION = re.compile(r"[0-9a-f]{12}")  # a store version's name after "<store>-"


def output_problem(path: Path, *, folder: bool = False) -> str | None:
    """Why ``path`` cannot be written (a file, or with ``folder`` a folder to write into),
    or None when it can."""
    try:
        if path.is_symlink() and not path.exists():  # dangling: a write creates its target
            target = Path(os.path.realpath(path))
            if target.is_symlink():  # (realpath stops at a loop)
                return "a loop of symbolic links"
            return output_problem(target, folder=folder)
        if path.exists():
            if folder != path.is_dir():
                return "is a directory" if path.is_dir() else "is not a directory"
            if folder:
                return _probe_folder(path)
            return _probe_file(path)
        missing = path if folder else path.parent
        if missing.exists():
            return _probe_file(path)
        while not missing.parent.exists() and missing.parent != missing:
            missing = missing.parent
        if not missing.parent.is_dir():
            return f"{missing.parent} is not a directory"
        return _probe_mkdir(missing)
    except OSError as exc:  # (a name too long ...)
        return exc.strerror or str(exc)


def check_output(path: Path, what: str, *, folder: bool = False,
                 error: type[EntenteError] = EntenteError) -> None:
    """Raise ``error`` ("<path>: cannot write <what>: <why>") unless ``path`` can be written."""
    problem = output_problem(Path(path), folder=folder)
    if problem:
        raise error(f"{path}: cannot write {what}: {problem}")


def refuse_protected(out: Path, flag: str, *, store: Path | None = None,
                     inside: Sequence[tuple[Path, str]] = (), inputs: Sequence[Path] = ()
                     ) -> None:
    """A :class:`UsageError` when ``out`` is a path the command must not write: inside one of
    the folders ``inside`` names (folder, what it is), inside the store ``store`` or any of
    its versions (it replaced a live store's dump, or its manifest), or one of the command's
    ``inputs`` (replaced before it was read to the end: ``reason --data in.nq --out in.nq``)."""
    where = Path(os.path.realpath(out))  # (realpath: a symlink loop is no RuntimeError)
    folders = [(Path(os.path.realpath(folder)), what) for folder, what in inside]
    if store is not None:
        folders.append((Path(os.path.realpath(store)), "the store"))
    for folder, what in folders:
        if where.is_relative_to(folder):
            raise UsageError(f"{flag} {out} is inside {what} ({folder})")
    if store is not None:
        live = Path(os.path.realpath(store))
        for folder in where.parents:  # any version of the store, not only the live one
            if folder.parent == live.parent and folder.name.startswith(Path(store).name + "-") \
                    and _VERSION.fullmatch(folder.name[len(Path(store).name) + 1:]):
                raise UsageError(f"{flag} {out} is inside a version of the store ({folder})")
    for path in inputs:
        if where == Path(os.path.realpath(path)):
            raise UsageError(f"{flag} {out} is the command's input ({path})")


def _probe_file(path: Path) -> str | None:
    if not path.parent.is_dir():
        return f"{path.parent} is not a directory"
    existed = path.exists()
    try:
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    if not existed:
        path.unlink()
    return None


def _probe_folder(path: Path) -> str | None:
    probe = path / f".entente-probe-{os.getpid()}"
    try:
        probe.touch()
    except OSError as exc:
        return exc.strerror or str(exc)
    probe.unlink()
    return None


def _probe_mkdir(path: Path) -> str | None:
    """Whether the folder ``path`` can be made, by making one of this process's own beside
    it (``path`` is left to the commands that write into it)."""
    probe = path.parent / f".entente-probe-{os.getpid()}"
    try:
        probe.mkdir()
    except OSError as exc:
        return f"cannot create {path}: {exc.strerror or exc}"
    probe.rmdir()
    return None
