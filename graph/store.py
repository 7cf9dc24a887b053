"""The on-disk store: layout, atomic publication and read-only opening.

Layout (``--store var/store``)::

    var/store -> store-<hash12>/      a symlink, repointed atomically (os.replace)
    var/store-<hash12>/
        oxigraph/                     pyoxigraph (RocksDB) store with every named graph
        dataset.nq                    canonical sorted N-Quads (the dump)
        manifest.json                 version, sha256, counts, software version, base IRI
        ontology.html                 (and any other extra files handed to publish())

Version directories are named ``<link name>-<hash12>`` (``store-<hash12>`` for the
default link ``var/store``), where ``hash12`` is the first 12 hex digits of the
SHA-256 of ``dataset.nq``.  Publishing keeps the previous version (a running server
may still read it) and deletes older ones.  This module never imports Flask or the
extractor: the server uses it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gc
import json
import os
import re
import secrets
import shutil
import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from entente.graph.store_load import load_dump, sha256_file

from entente import __version__
from entente.errors import StoreError, UsageError

MANIFEST = "manifest.json"
DUMP = "dataset.nq"
OXIGRAPH = "oxigraph"
ONTOLOGY_HTML = "ontology.html"
_HASH12 = re.compile(r"^[0-9a-f]{12}$")


@dataclass(frozen=True)
class StoreInfo:
    """A located, published store version."""

    link: Path  # the path the user names (usually a symlink)
    root: Path  # the version directory it points to
    version: str  # hash12 of dataset.nq
    manifest: dict
    oxigraph_path: Path
    dump_path: Path
    ontology_html: Path


# --- reading -----------------------------------------------------------------------------


def locate(store: Path, base_iri: str | None = None) -> StoreInfo:
    """Find the published store behind ``store`` (a symlink or a version directory).

    With ``base_iri`` (a command's --base-iri / ENTENTE_BASE_IRI), the store must have been
    built with that base: the IRIs a command makes from it (the gold's, the reasoner's, a
    page's) would match nothing, and eval, reason and serve answered 0 matches, 8
    inferences instead of 69 and 404s with exit 0.  A UsageError names both."""
    link = Path(store)
    if link.is_symlink():
        root = link.resolve()
        if not root.is_dir():
            raise StoreError(f"{link}: store link points to missing {root} (run 'entente build')")
    elif link.is_dir():
        root = link
    elif link.exists():
        raise StoreError(f"{link}: not a store (a file, expected a directory or a symlink)")
    else:
        raise StoreError(f"{link}: no store here (run 'entente build' first)")
    manifest_path = root / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{link}: not an Entente store (no {MANIFEST} in {root})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"{manifest_path}: cannot read manifest: {exc}") from None
    except json.JSONDecodeError as exc:
        raise StoreError(
            f"{manifest_path}: corrupt manifest (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    version = manifest.get("version") if isinstance(manifest, dict) else None
    if not isinstance(version, str) or not _HASH12.match(version):
        raise StoreError(f"{manifest_path}: corrupt manifest (no valid 'version')")
    oxigraph_path = root / OXIGRAPH
    if not oxigraph_path.is_dir():
        raise StoreError(f"{link}: store is incomplete (missing {oxigraph_path})")
    built_with = manifest.get("base_iri")
    if base_iri is not None and isinstance(built_with, str) and \
            _with_slash(built_with) != _with_slash(base_iri):
        raise UsageError(
            f"{link}: the store was built with base IRI {built_with}, not {base_iri} "
            "(--base-iri, ENTENTE_BASE_IRI): give the store's base, or build again with this one")
    return StoreInfo(
        link=link,
        root=root,
        version=version,
        manifest=manifest,
        oxigraph_path=oxigraph_path,
        dump_path=root / DUMP,
        ontology_html=root / ONTOLOGY_HTML,
    )


def _with_slash(base: str) -> str:
    return base if base.endswith("/") else base + "/"


def open_read_only(info: StoreInfo) -> pyoxigraph.Store:
    """Open the oxigraph store read-only (several processes may do this at once)."""
    try:
        return pyoxigraph.Store.read_only(str(info.oxigraph_path))
    except OSError as exc:
        raise StoreError(f"{info.oxigraph_path}: cannot open store read-only: {exc}") from None
    except RuntimeError as exc:  # (RocksDB reports damaged files as RuntimeError)
        raise StoreError(f"{info.oxigraph_path}: cannot open store read-only: "
                         f"{' '.join(str(exc).split())} (build it again)") from None


def load_dataset_into_memory(info: StoreInfo) -> pyoxigraph.Store:
    """An in-memory store loaded from the version's ``dataset.nq`` (handy for tests)."""
    store = pyoxigraph.Store()
    try:
        store.bulk_load(path=str(info.dump_path), format=pyoxigraph.RdfFormat.N_QUADS)
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"{info.dump_path}: cannot load dataset: {exc}") from None
    return store


def current_version(store: Path) -> str | None:
    """The version the store link points to now (readlink only), or None if there is none."""
    link = Path(store)
    try:
        target = os.readlink(link)
    except OSError:
        return None
    name = Path(target).name
    prefix = f"{link.name}-"
    if name.startswith(prefix) and _HASH12.match(name[len(prefix):]):
        return name[len(prefix):]
    return None


# --- publishing --------------------------------------------------------------------------


def _fsync_tree(root: Path) -> None:
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(dirpath))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on directories
        pass
    finally:
        os.close(fd)


def _read_manifest(root: Path) -> dict | None:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _os_problem(link: Path, exc: OSError) -> StoreError:
    if exc.errno == errno.ENOSPC:
        reason = "no space left on device"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = f"permission denied ({exc.filename or link.parent})"
    else:
        reason = str(exc)
    left = "previous store left unchanged" if os.path.lexists(link) else "no store published"
    return StoreError(f"{link}: cannot publish store: {reason}; {left}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _temp_name(link: Path, suffix: str) -> Path:
    """A temporary entry beside the link, named after this process (see _clean_stale)."""
    return link.parent / f".{link.name}-{os.getpid()}-{secrets.token_hex(6)}.{suffix}"


def _clean_stale(link: Path) -> None:
    """Remove temporary directories and links left by publications that were killed.

    Their names carry the pid of the process that made them; only those whose process is
    gone are removed, so a concurrent publication is left alone.
    """
    pattern = re.compile(rf"^\.{re.escape(link.name)}-(\d+)-[0-9a-f]{{12}}\.(partial|link)$")
    try:
        entries = list(link.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None or _alive(int(match.group(1))):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()


def _check_link(link: Path) -> None:
    if link.is_symlink() or not link.exists():
        return
    if link.is_dir():
        if not any(link.iterdir()):
            link.rmdir()  # an empty placeholder directory: harmless to replace
            return
        raise StoreError(
            f"{link}: exists and is a real directory, not an Entente store link; "
            "refusing to replace it (move it away or choose another --store)"
        )
    raise StoreError(f"{link}: exists and is a file, not an Entente store link")


def publish(
    dataset_nq: Path,
    store: Path,
    extra_files: dict[str, bytes | Path] | None = None,
    *,
    base_iri: str | None = None,
    lenient: bool = False,
    then: Callable[[], None] | None = None,
    allocator: str = "mimalloc",
) -> StoreInfo:
    """Publish ``dataset_nq`` as a new store version and atomically repoint ``store`` to it.

    The file is copied into the version directory, hashed and bulk-loaded: in one pass, or
    for a large file read twice side by side (:func:`entente.graph.store_load.load_dump`).
    When a kept version has a dump of the same size, the file is hashed first so that
    identical content reuses that version instead of loading again.  On any failure the
    temporary directory is removed and the previous store is untouched.

    ``lenient`` skips pyoxigraph's validation of IRIs and language tags while loading (~13%
    less CPU at 1M triples).  Only for files Entente wrote itself, whose terms are valid by
    construction (the build's dataset, whose base IRI and metadata language tags are checked
    before the build; an update's dump, written by pyoxigraph); syntax errors are still found.
    ``allocator`` ("mimalloc" or "system", ``ENTENTE_LOAD_ALLOCATOR``) is the allocator a large
    load runs under (:func:`entente.graph.store_load.allocator_for`).

    The switch (and ``then``, what the caller commits with it: the build's ``--out``) is not
    cut by Ctrl-C or SIGTERM: one that comes meanwhile is held until it is done, then
    delivered (the caller knows from ``then`` that the version is live).  The load before it
    stops at once.
    """
    link = Path(store).absolute()
    source = Path(dataset_nq)
    parent = link.parent
    _check_link(link)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        size = source.stat().st_size
        sha = sha256_file(source) if size in _kept_dump_sizes(link) else None
    except OSError as exc:
        raise _os_problem(link, exc) from None
    _clean_stale(link)
    # Installing a version, repointing the link and pruning happen under one lock: another
    # publication's prune once deleted a version this one had renamed into place but not yet
    # linked (the link then pointed at nothing).  The load itself runs outside it.
    with _publishing(link), _signals_held():
        final = _reusable(link, sha) if sha else None
        if final is not None:
            return _switch(link, final, then)
    tmp, final = _build_version_dir(source, link, extra_files or {}, base_iri, lenient,
                                    allocator)
    try:
        with _publishing(link), _signals_held():
            if _reusable(link, final.name[len(link.name) + 1:]) is None:
                if final.exists():  # a half-removed leftover of that version: replace it
                    shutil.rmtree(final)
                os.rename(tmp, final)
                _fsync_dir(link.parent)
            return _switch(link, final, then)
    except OSError as exc:
        raise _os_problem(link, exc) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone once renamed; else not needed


@contextlib.contextmanager
def _publishing(link: Path) -> Iterator[None]:
    """An exclusive lock on the directory that holds the link and its versions (flock on
    the directory itself: no lock file is left beside the store)."""
    try:
        fd = os.open(link.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise _os_problem(link, exc) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _switch(link: Path, final: Path, then: Callable[[], None] | None) -> StoreInfo:
    """Repoint the link to ``final``, keep it and the version it replaces, prune the rest,
    and run ``then``: its failure is reported as what it is (the store is published)."""
    previous = current_version(link)
    _swap_link(link, final)
    _prune(link, keep={final.name[len(link.name) + 1:], previous})
    info = locate(link)
    if then is not None:
        try:
            then()
        except OSError as exc:
            raise StoreError(f"{link}: the store is published (version {info.version}), but "
                             f"what goes with it failed: {exc.strerror or exc}") from None
    return info


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM held for the block's length: recorded, then delivered again once
    the handlers before are back (a Python handler, not a signal mask: a thread of a native
    library could take a process's signal).  Python runs handlers in the main thread only:
    in another thread nothing is held."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    stopping = (signal.SIGINT, signal.SIGTERM)
    before = {number: signal.getsignal(number) for number in stopping}
    for number in stopping:
        if before[number] not in (signal.SIG_IGN, None):
            signal.signal(number, lambda signum, _frame: held.append(signum))
    try:
        yield
    finally:
        for number, handler in before.items():
            if handler is not None:
                signal.signal(number, handler)
        for number in dict.fromkeys(held):
            signal.raise_signal(number)


def _kept_dump_sizes(link: Path) -> set[int]:
    sizes = set()
    for entry in _version_dirs(link):
        with contextlib.suppress(OSError):
            sizes.add((entry / DUMP).stat().st_size)
    return sizes


def _version_dirs(link: Path) -> list[Path]:
    prefix = f"{link.name}-"
    try:
        entries = list(link.parent.iterdir())
    except OSError:
        return []
    return [e for e in entries if e.name.startswith(prefix) and _HASH12.match(e.name[len(prefix):])
            and e.is_dir() and not e.is_symlink()]


def _reusable(link: Path, sha: str) -> Path | None:
    """The existing version directory holding exactly this content, if any (``sha``: the
    content's SHA-256, or its first 12 characters, the version name)."""
    final = link.parent / f"{link.name}-{sha[:12]}"
    existing = _read_manifest(final) if final.is_dir() else None
    if (existing is None or not str(existing.get("sha256", "")).startswith(sha)
            or not (final / OXIGRAPH).is_dir()):
        return None
    try:  # (a damaged store is loaded again, not reused: RocksDB checks its files' sizes and
        # footers on opening; damage inside a block is found only by a query that reads it)
        pyoxigraph.Store.read_only(str(final / OXIGRAPH))
    except (OSError, RuntimeError):
        return None
    return final


def _build_version_dir(
    dataset_nq: Path,
    link: Path,
    extra_files: dict[str, bytes | Path],
    base_iri: str | None,
    lenient: bool = False,
    allocator: str = "mimalloc",
) -> tuple[Path, Path]:
    """Load ``dataset_nq`` into a temporary directory; returns it and its version's name
    (the caller renames it under the publication lock)."""
    parent = link.parent
    tmp = _temp_name(link, "partial")
    try:
        tmp.mkdir()
        loaded = load_dump(tmp / OXIGRAPH, dataset_nq, tmp / DUMP, lenient, allocator)
        for name, content in sorted(extra_files.items()):
            if "/" in name or name in (DUMP, MANIFEST, OXIGRAPH):
                raise StoreError(f"{link}: bad extra file name {name!r}")
            target = tmp / name
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                shutil.copyfile(content, target)
        manifest = {
            "version": loaded.sha256[:12],
            "sha256": loaded.sha256,
            "quads": sum(loaded.counts.values()),
            "graphs": dict(sorted(loaded.counts.items())),
            "software_version": __version__,
            "base_iri": base_iri,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        _fsync_tree(tmp)
        return tmp, parent / f"{link.name}-{loaded.sha256[:12]}"
    except OSError as exc:
        _close_stores_of(exc)
        shutil.rmtree(tmp, ignore_errors=True)
        raise _os_problem(link, exc) from None
    except BaseException as exc:
        _close_stores_of(exc)
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _close_stores_of(exc: BaseException) -> None:
    """Let the store a failed load opened close before its directory is removed.  The frames
    of the exception's tracebacks (and of the exceptions it chains) still hold it, and while
    it is open RocksDB may still write files into the directory being removed (a failed
    chunked load once left its ``.partial`` directory behind that way).  The tracebacks keep
    their lines; only the frames' local variables go."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        pending += [current.__cause__, current.__context__]
    gc.collect()


def _swap_link(link: Path, final: Path) -> None:
    tmp_link = _temp_name(link, "link")
    try:
        os.symlink(final.name, tmp_link)  # relative target: the tree can be moved
        os.replace(tmp_link, link)
        _fsync_dir(link.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp_link.unlink()
        raise _os_problem(link, exc) from None


def _prune(link: Path, keep: set[str | None]) -> None:
    """Delete version directories other than the current and the previous one: those a
    publication made (a manifest of that version, an ``oxigraph`` store, or nothing but what
    a publication writes: a deletion cut short), not a folder someone else named like one."""
    for entry in _version_dirs(link):
        version = entry.name[len(link.name) + 1:]
        if version in keep:
            continue
        manifest = _read_manifest(entry)
        try:  # (a version a deletion left half-done holds only what a publication writes)
            ours = {e.name for e in entry.iterdir()} <= {OXIGRAPH, DUMP, MANIFEST, ONTOLOGY_HTML}
        except OSError:
            ours = False
        if (manifest is not None and manifest.get("version") == version) \
                or (entry / OXIGRAPH).is_dir() or ours:
            shutil.rmtree(entry, ignore_errors=True)
