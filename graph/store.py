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
import hashlib
import json
import os
import re
import secrets
import shutil
import threading
import traceback
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from entente import __version__
from entente.errors import StoreError

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


def locate(store: Path) -> StoreInfo:
    """Find the published store behind ``store`` (a symlink or a version directory)."""
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
    return StoreInfo(
        link=link,
        root=root,
        version=version,
        manifest=manifest,
        oxigraph_path=oxigraph_path,
        dump_path=root / DUMP,
        ontology_html=root / ONTOLOGY_HTML,
    )


def open_read_only(info: StoreInfo) -> pyoxigraph.Store:
    """Open the oxigraph store read-only (several processes may do this at once)."""
    try:
        return pyoxigraph.Store.read_only(str(info.oxigraph_path))
    except OSError as exc:
        raise StoreError(f"{info.oxigraph_path}: cannot open store read-only: {exc}") from None


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


#: Bytes of N-Quads handed to one ``bulk_load`` call.  pyoxigraph parses and sorts one batch
#: of up to a million quads on a single thread, so a dump is cut (at line ends) into chunks
#: that :data:`LOAD_THREADS` calls load side by side (the GIL is released while they run).
#: Each chunk becomes one more sorted run in RocksDB (merged by a compaction at the end).
#: 64 MiB (~250,000 quads) published the 1M benchmark dump (248 MB) in 4.8-5.3 s, against
#: 5.0-5.5 s with 32-96 MiB and 5.8-5.9 s with 128 MiB (two chunks, one per core, so a core
#: waits for the slower one), with the same query times afterwards (2026-12-01, 2 vCPU).
CHUNK_BYTES = 64 << 20
#: Concurrent ``bulk_load`` calls (the machine this was tuned on has two cores).
LOAD_THREADS = 2
#: From this size up a dump is handed whole to one ``bulk_load(path=...)``: pyoxigraph then
#: cuts it into batches of a million quads itself and loads them on every core, with less
#: work than our chunks (10M triples, 2.5 GB, on the 2-core VM: 67 s against 85-88 s; with
#: the compaction and the counts after it 94 s against 122 s, and the same query times).  At
#: 1M (250 MB: one batch, so one thread) the chunks win, 9-10 s against 11 s.  512 MB is
#: about two million quads: two batches, two threads.
WHOLE_FILE_BYTES = 512 << 20
_READ_BYTES = 8 << 20
_LINE_IN_ERROR = re.compile(r"\bline (\d+)")


@dataclass
class _Loaded:
    sha256: str
    counts: dict[str, int]


def _chunks(source: Path) -> Iterator[tuple[int, bytes]]:
    """Yield (first line number, bytes) chunks of whole lines of ``source``."""
    line = 1
    pending: list[bytes] = []
    size = 0
    with source.open("rb") as fh:
        while True:
            block = fh.read(_READ_BYTES)
            if block:
                pending.append(block)
                size += len(block)
            if size and (size >= CHUNK_BYTES or not block):
                data = b"".join(pending)
                cut = data.rfind(b"\n") + 1 if block else len(data)
                chunk, rest = data[:cut], data[cut:]
                if chunk:
                    yield line, chunk
                    line += chunk.count(b"\n")
                pending, size = ([rest], len(rest)) if rest else ([], 0)
            if not block:
                return


def _syntax_error(dataset_nq: Path, exc: SyntaxError, first_line: int) -> StoreError:
    """The parser's message with the line number counted from the start of the file."""
    message = str(exc.args[0] if exc.args else exc)
    if exc.lineno is not None:
        absolute = first_line + exc.lineno - 1
        message = _LINE_IN_ERROR.sub(f"line {absolute}", message, count=1)
    return StoreError(f"{dataset_nq}: invalid N-Quads: {message}")


def _graph_counts(store: pyoxigraph.Store) -> dict[str, int]:
    counts: dict[str, int] = {}
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    for row in store.query(query):
        counts[row["g"].value] = int(row["n"].value)
    default = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # the default graph
    n_default = int(next(iter(default))["n"].value)
    if n_default:
        counts[""] = n_default
    return counts


def _bulk_load(oxigraph_path: Path, dataset_nq: Path, dump: Path, lenient: bool = False
               ) -> _Loaded:
    """Load ``dataset_nq`` into a new on-disk store, then copy it to ``dump`` and hash it.

    Below :data:`WHOLE_FILE_BYTES` the file is cut into chunks that :data:`LOAD_THREADS`
    concurrent ``bulk_load`` calls load; above it pyoxigraph loads the file itself, in its
    own batches on every core.  Then :func:`_finish` merges, counts, copies and hashes.  The
    file is read twice (to load, to copy), so a file that changes meanwhile (another
    identity, size or modification time afterwards) is refused: the version's hash must be
    that of what was loaded.  Returns the SHA-256 and the quads per graph IRI (``""`` for
    the default graph).
    """
    before = _identity(dataset_nq)
    store = pyoxigraph.Store(str(oxigraph_path))
    try:
        with ThreadPoolExecutor(LOAD_THREADS) as pool:
            if dataset_nq.stat().st_size >= WHOLE_FILE_BYTES:
                try:
                    store.bulk_load(path=str(dataset_nq), format=pyoxigraph.RdfFormat.N_QUADS,
                                    lenient=lenient)
                except SyntaxError as exc:
                    raise _syntax_error(dataset_nq, exc, 1) from None
                runs = 2  # pyoxigraph's batches: merge them whatever their number
            else:
                runs = _load_chunks(store, pool, dataset_nq, lenient)
            loaded = _finish(store, pool, dataset_nq, dump, merge=runs > 1)
        if _identity(dataset_nq) != before:
            raise StoreError(f"{dataset_nq}: the file changed while it was being published")
        store.flush()
    finally:
        del store
        gc.collect()  # release the RocksDB lock before the directory is renamed
    return loaded


def _load_chunks(store: pyoxigraph.Store, pool: ThreadPoolExecutor, dataset_nq: Path,
                 lenient: bool) -> int:
    """Load the chunks of ``dataset_nq`` (:func:`_chunks`), :data:`LOAD_THREADS` at a time;
    returns how many there were."""
    slots = threading.BoundedSemaphore(LOAD_THREADS)
    failed = threading.Event()

    # (the store is an argument, not a closure's variable: a failed load's traceback keeps
    # the function, and clearing its frames must let the store close)
    def load(store: pyoxigraph.Store, first_line: int, chunk: bytes) -> None:
        try:
            if not failed.is_set():
                store.bulk_load(input=chunk, format=pyoxigraph.RdfFormat.N_QUADS,
                                lenient=lenient)
        except SyntaxError as exc:
            failed.set()
            raise _syntax_error(dataset_nq, exc, first_line) from None
        except BaseException:
            failed.set()
            raise
        finally:
            slots.release()

    futures = []
    for first_line, chunk in _chunks(dataset_nq):
        slots.acquire()
        if failed.is_set():
            slots.release()
            break
        futures.append(pool.submit(load, store, first_line, chunk))
    for future in futures:
        future.result()
    return len(futures)


def _finish(store: pyoxigraph.Store, pool: ThreadPoolExecutor, dataset_nq: Path, dump: Path,
            *, merge: bool) -> _Loaded:
    """The loaded store's last steps: with ``merge`` a full compaction on one core, and on
    this thread meanwhile the quads per graph (:func:`_graph_counts`) and the copy of the
    file with its hash (:func:`_copy_and_hash`).

    Each chunk we loaded, like each batch of pyoxigraph's own ``bulk_load`` of a large file,
    is a sorted run of its own in every index; merging them keeps queries as fast as on a
    store loaded in one batch (1M in four chunks without it: every canned query 1.2-1.5x
    slower; 10M loaded whole without it: up to 2.3x, ``claims-by-source`` 35 s against 17 s).
    The compaction uses one core, so the copy and the counts cost no time beside it (1M on
    2 vCPU: 5.3-5.6 s when the copy went through Python during the loads)."""
    merging = pool.submit(store.optimize) if merge else None
    counts = _graph_counts(store)
    sha256 = _copy_and_hash(dataset_nq, dump)
    if merging is not None:
        merging.result()
    return _Loaded(sha256, counts)


def _copy_and_hash(source: Path, dump: Path) -> str:
    """Copy ``source`` to ``dump`` in the kernel (``copy_file_range``/``sendfile``: a tenth of
    the CPU of a copy through Python), then hash and sync the copy: the version's SHA-256 is
    that of the file it keeps."""
    shutil.copyfile(source, dump)
    return _sha256_file(dump, sync=True)


def _identity(path: Path) -> tuple[int, int, int, int]:
    st = path.stat()
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _sha256_file(path: Path, *, sync: bool = False) -> str:
    """The file's SHA-256; with ``sync`` the file is also written to disk (``fsync``)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(_READ_BYTES), b""):
            digest.update(block)
        if sync:
            os.fsync(fh.fileno())
    return digest.hexdigest()


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
    return StoreError(f"{link}: cannot publish store: {reason}; previous store left unchanged")


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
) -> StoreInfo:
    """Publish ``dataset_nq`` as a new store version and atomically repoint ``store`` to it.

    The file is copied into the version directory, hashed and bulk-loaded: in one pass, or
    for a large file read twice side by side (see :func:`_bulk_load`).  When a kept version
    has a dump of the same size, the file is hashed first so that identical content reuses
    that version instead of loading again.  On any failure the temporary directory is removed
    and the previous store is untouched.

    ``lenient`` skips pyoxigraph's validation of IRIs and language tags while loading (~13%
    less CPU at 1M triples).  Only for files Entente wrote itself, whose terms are valid by
    construction (the build's dataset, whose base IRI and metadata language tags are checked
    before the build; an update's dump, written by pyoxigraph); syntax errors are still found.
    """
    link = Path(store).absolute()
    source = Path(dataset_nq)
    parent = link.parent
    _check_link(link)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        size = source.stat().st_size
        sha = _sha256_file(source) if size in _kept_dump_sizes(link) else None
    except OSError as exc:
        raise _os_problem(link, exc) from None
    _clean_stale(link)
    # Installing a version, repointing the link and pruning happen under one lock: another
    # publication's prune once deleted a version this one had renamed into place but not yet
    # linked (the link then pointed at nothing).  The load itself runs outside it.
    with _publishing(link):
        final = _reusable(link, sha) if sha else None
        if final is not None:
            return _switch(link, final)
    tmp, final = _build_version_dir(source, link, extra_files or {}, base_iri, lenient)
    try:
        with _publishing(link):
            if _reusable(link, final.name[len(link.name) + 1:]) is None:
                if final.exists():  # a half-removed leftover of that version: replace it
                    shutil.rmtree(final)
                os.rename(tmp, final)
                _fsync_dir(link.parent)
            return _switch(link, final)
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


def _switch(link: Path, final: Path) -> StoreInfo:
    """Repoint the link to ``final``; keep it and the version it replaces, prune the rest."""
    previous = current_version(link)
    _swap_link(link, final)
    _prune(link, keep={final.name[len(link.name) + 1:], previous})
    return locate(link)


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
    return final


def _build_version_dir(
    dataset_nq: Path,
    link: Path,
    extra_files: dict[str, bytes | Path],
    base_iri: str | None,
    lenient: bool = False,
) -> tuple[Path, Path]:
    """Load ``dataset_nq`` into a temporary directory; returns it and its version's name
    (the caller renames it under the publication lock)."""
    parent = link.parent
    tmp = _temp_name(link, "partial")
    try:
        tmp.mkdir()
        loaded = _bulk_load(tmp / OXIGRAPH, dataset_nq, tmp / DUMP, lenient)
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
    """Delete version directories other than the current and the previous one."""
    for entry in _version_dirs(link):
        if entry.name[len(link.name) + 1:] not in keep:
            shutil.rmtree(entry, ignore_errors=True)
