"""Read the corpus folder: every ``*.txt`` (sorted by name) plus optional ``metadata.json``.

Bad input never stops the reading: each bad file or metadata entry becomes a
:class:`Problem` with one clear message naming the file, and the rest is returned.
Text is decoded as strict UTF-8 (a leading byte order mark is not part of the text) and
otherwise left exactly as it is (no newline or Unicode normalisation), so character
offsets index the decoded file.

Only regular files inside the corpus folder are read: a ``.txt`` (or ``metadata.json``)
that is a symbolic link is followed only to a regular file inside the folder that is not
read under another name already; a named pipe, a device, a directory or a dangling link is
reported and never opened. Other entries (not ``*.txt``, not hidden) are listed by
:func:`unread_entries`, for a note: they are not documents, so they are no problem.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from entente.graph.model import DocumentMeta, Problem, SourceDocument
from entente.graph.namespaces import slugify

from entente.errors import BuildError

METADATA_FILE = "metadata.json"
#: metadata entries for files not in the folder reported one by one; the rest are counted
ABSENT_SHOWN = 20
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIX = ".txt"
_BOM = b"\xef\xbb\xbf"  # the UTF-8 byte order mark
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16's, little- and big-endian
#: (ASCII digits, to the end: \d took "２０２２" and "١٩٩٠", $ a trailing newline, each written
#: as an ill-typed xsd:gYear)
_DATE = re.compile(r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?\Z")
#: RDF's LANGTAG (BCP 47 in shape): "en", "en-GB", "zh-Hans-CN"
_LANGUAGE = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*\Z")
#: a lone surrogate: JSON's "\ud800" escape gives one; it cannot be written as UTF-8
_SURROGATE = re.compile("[\ud800-\udfff]")
_STR_FIELDS = ("title", "author_affiliation", "publisher", "series", "language", "dateline")
#: open flags: never block on a named pipe, never follow a link swapped in meanwhile
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"))


def load_corpus(
    folder: Path, max_bytes: int = DEFAULT_MAX_BYTES, shard: tuple[int, int] | None = None
) -> tuple[list[SourceDocument], list[Problem]]:
    """All usable documents of ``folder`` (sorted by file name) and the problems found.

    The documents are the folder's entries named ``*.txt`` that are regular files, or
    symbolic links to a regular file inside the folder (resolved) that no other entry
    reads; other entries named so (a link elsewhere or to a missing file, a named pipe,
    a directory, ``*.TXT``, a name that is not UTF-8) are reported, and never opened.

    With ``shard`` = (k, n), only the documents of shard k of n (:func:`in_shard`): the other
    files are not read, and metadata entries for them are not reported as orphans.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise BuildError(f"{folder}: corpus folder does not exist or is not a directory")
    root = folder.resolve()
    problems: list[Problem] = []
    with os.scandir(folder) as listing:
        entries = sorted((e for e in listing if e.name.lower().endswith(TEXT_SUFFIX)),
                         key=lambda e: e.name)
    metadata = _read_metadata(
        folder, root, {e.name for e in entries if _utf8_name(e.name) is None}, problems)
    if shard is not None:
        entries = [e for e in entries if in_shard(e.name, *shard)]
    # who reads which file: the regular files under their own names, then links in name order
    readers: dict[Path, str] = {
        root / e.name: e.name for e in entries if e.is_file(follow_symlinks=False)}
    documents: list[SourceDocument] = []
    seen_slugs: dict[str, str] = {}
    for entry in entries:
        path = _text_file(entry, root, readers, problems)
        if path is None:
            continue
        doc = _read_document(entry.name, path, max_bytes, metadata.get(entry.name), problems)
        if doc is None:
            continue
        if doc.meta.slug in seen_slugs:
            problems.append(Problem(entry.name, f"document slug {doc.meta.slug!r} is already "
                                                f"used by {seen_slugs[doc.meta.slug]}"))
            continue
        seen_slugs[doc.meta.slug] = entry.name
        documents.append(doc)
    return documents, problems


def unread_entries(folder: Path) -> list[str]:
    """The names in ``folder`` that are neither ``*.txt`` (any case) nor ``metadata.json``
    nor hidden (a leading dot), sorted: entries the build does not read, so that it can say
    so ("notes.md", "report.pdf", a subfolder). Printable names (:func:`_shown`)."""
    with os.scandir(folder) as listing:
        return sorted(_shown(e.name) for e in listing
                      if not e.name.startswith(".") and e.name != METADATA_FILE
                      and not e.name.lower().endswith(TEXT_SUFFIX))


def _shown(name: str) -> str:
    """The file name ``name`` (decoded with ``surrogateescape``, as the OS gives it) as it
    can be printed: a byte that is not UTF-8 as ``\\xe9``."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that escapes no byte
        return printable(name)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` as a report can print it: each lone surrogate as ``\\ud800`` and each
    control character escaped (``\\n``, ``\\x1b``: a file name holding a newline or a
    terminal escape made one report two lines, or drove the terminal)."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def _utf8_name(name: str) -> str | None:
    """Why the file name ``name`` (as the OS gave it) is not UTF-8, or None."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return f"byte 0x{raw[exc.start]:02x} at byte offset {exc.start}"
        return "an unpaired surrogate"
    return None


def _kind(mode: int) -> str | None:
    """What a non-regular file of ``mode`` is ("a named pipe" ...); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _follow(path: Path, root: Path) -> tuple[Path | None, str]:
    """The regular file inside ``root`` that ``path`` (an entry of the corpus folder) is, or
    (None, why not).  A symbolic link is resolved; nothing is opened."""
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    if stat.S_ISLNK(mode):
        target = Path(os.path.realpath(path))
        try:
            mode = os.stat(target).st_mode
        except FileNotFoundError:
            return None, "symbolic link to a missing file"
        except OSError as exc:
            return None, f"symbolic link that cannot be followed: {exc.strerror or exc}"
        if not target.is_relative_to(root):
            return None, f"symbolic link to {_shown(str(target))}, outside the corpus folder"
        kind = _kind(mode)
        if kind is not None:
            return None, f"symbolic link to {kind}, not to a regular file"
        return target, ""
    kind = _kind(mode)
    if kind is not None:
        return None, f"not a regular file ({kind})"
    return path, ""


def _text_file(entry: os.DirEntry, root: Path, readers: dict[Path, str],
               problems: list[Problem]) -> Path | None:
    """The file to read for the ``*.txt`` entry, or None (the reason reported)."""
    name = entry.name
    bad_name = _utf8_name(name)
    if bad_name is not None:
        problems.append(Problem(_shown(name), (
            f"file name is not valid UTF-8 ({bad_name}); not read (rename it to build it)")))
        return None
    if not name.endswith(TEXT_SUFFIX):
        problems.append(Problem(name, (
            f"file name ends in {name[-len(TEXT_SUFFIX):]!r}, not {TEXT_SUFFIX!r}; not read "
            "(rename it to build it)")))
        return None
    path, why = _follow(root / name, root)
    if path is None:
        problems.append(Problem(name, f"{why}; not read"))
        return None
    reader = readers.setdefault(path, name)
    if reader != name:
        problems.append(Problem(name, (
            f"symbolic link to the file read as {_shown(reader)}; not read twice")))
        return None
    return path


def _read_bytes(path: Path, max_bytes: int | None) -> tuple[bytes | None, str]:
    """The bytes of the regular file ``path``, or (None, why not).  The file is opened
    without blocking and checked again once open (a named pipe is never read)."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    with open(fd, "rb", closefd=True) as fh:
        try:
            info = os.fstat(fd)
            kind = _kind(info.st_mode)
            if kind is not None:
                return None, f"not a regular file ({kind})"
            if max_bytes is not None and info.st_size > max_bytes:
                return None, f"too large: {info.st_size} bytes (limit {max_bytes} bytes)"
            data = fh.read()
        except OSError as exc:
            return None, f"cannot read: {exc.strerror or exc}"
    if max_bytes is not None and len(data) > max_bytes:  # (it grew meanwhile)
        return None, f"too large: {len(data)} bytes (limit {max_bytes} bytes)"
    return data, ""


def in_shard(file_name: str, k: int, n: int) -> bool:
    """Is the document ``file_name`` in shard ``k`` of ``n`` (1 <= k <= n)?  Decided by the
    SHA-256 of the file name alone, so adding or removing documents never moves another
    document to a different shard, and every document is in exactly one shard."""
    digest = hashlib.sha256(file_name.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % n == k - 1


def parse_shard(text: str) -> tuple[int, int]:
    """``"k/n"`` -> (k, n), with 1 <= k <= n; ValueError with a clear message otherwise."""
    k_text, sep, n_text = text.partition("/")
    if not sep or not k_text.strip().isdigit() or not n_text.strip().isdigit():
        raise ValueError(f"expected K/N (e.g. 1/4), got {text!r}")
    k, n = int(k_text), int(n_text)
    if not 1 <= k <= n:
        raise ValueError(f"expected 1 <= K <= N, got {text!r}")
    return k, n


def _read_document(
    name: str, path: Path, max_bytes: int, entry: dict[str, Any] | None,
    problems: list[Problem],
) -> SourceDocument | None:
    data, why = _read_bytes(path, max_bytes)
    if data is None:
        problems.append(Problem(name, why))
        return None
    nul = data.find(b"\x00")
    if nul >= 0 and data[:2] in _UTF16_BOMS:  # (not "binary": say what it is)
        problems.append(Problem(name, "UTF-16 text (its byte order mark), not UTF-8; save it "
                                      "as UTF-8 to build it"))
        return None
    if nul >= 0:
        problems.append(Problem(name, f"binary file, not text (NUL byte at byte offset {nul})"))
        return None
    text, why = _decode(data)
    if text is None:
        problems.append(Problem(name, why))
        return None
    if not text.strip():
        problems.append(Problem(name, "empty file (no text)"))
        return None
    meta = _document_meta(name, entry, problems)
    return SourceDocument(
        file=name,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        byte_size=len(data),
        meta=meta,
    )


def _decode(data: bytes) -> tuple[str | None, str]:
    """``data`` decoded as strict UTF-8, a leading byte order mark left out (an encoding
    mark, not text: "utf-8-sig"), or (None, why not)."""
    bom = len(_BOM) if data.startswith(_BOM) else 0
    try:
        return data[bom:].decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        at = bom + exc.start  # (in the file)
        return None, f"not valid UTF-8: byte 0x{data[at]:02x} at byte offset {at}"


def _read_metadata(
    folder: Path, root: Path, present: set[str], problems: list[Problem]
) -> dict[str, dict[str, Any]]:
    """metadata.json as {file name: entry}; problems are reported, bad parts ignored."""
    path = folder / METADATA_FILE
    if not os.path.lexists(path):
        return {}
    fallback = "using metadata derived from the files instead"
    target, why = _follow(path, root)
    data, why = _read_bytes(target, None) if target is not None else (None, why)
    if data is None:
        problems.append(Problem(METADATA_FILE, f"{why}; {fallback}"))
        return {}
    text, why = _decode(data)
    if text is None:
        problems.append(Problem(METADATA_FILE, f"{why}; {fallback}"))
        return {}
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(Problem(METADATA_FILE, (
            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}; {fallback}"
        )))
        return {}
    except RecursionError:  # (arrays or objects nested ~1,000 deep: a traceback)
        problems.append(Problem(METADATA_FILE, f"malformed JSON: nested too deep; {fallback}"))
        return {}
    entries = raw.get("documents") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        problems.append(Problem(METADATA_FILE, (
            "expected an object with a 'documents' list; using metadata derived from the files"
        )))
        return {}
    result: dict[str, dict[str, Any]] = {}
    absent = 0
    for i, entry in enumerate(entries):
        file = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(file, str) or not file:
            problems.append(Problem(METADATA_FILE, f"documents[{i}] has no 'file' name; ignored"))
            continue
        if file not in present:
            absent += 1
            if absent <= ABSENT_SHOWN:
                problems.append(Problem(METADATA_FILE, (
                    f"documents[{i}] describes {printable(file)}, which is not in the corpus "
                    "folder; ignored")))
            continue
        if file in result:
            problems.append(Problem(METADATA_FILE, f"documents[{i}] repeats {file}; ignored"))
            continue
        result[file] = entry
    if absent > ABSENT_SHOWN:  # (a metadata file for a larger corpus gave a line each)
        problems.append(Problem(METADATA_FILE, (
            f"{absent - ABSENT_SHOWN} more entries describe files not in the corpus folder; "
            "ignored")))
    return result


def _document_meta(
    name: str, entry: dict[str, Any] | None, problems: list[Problem]
) -> DocumentMeta:
    derived_slug = slugify(Path(name).stem)
    if entry is None:
        return DocumentMeta(slug=derived_slug)
    where = f"{METADATA_FILE} entry for {name}"

    def text_or_none(key: str, value: Any) -> bool:
        """Is ``value`` usable as the text field ``key`` (or null)?  If not, say why."""
        if value is None or (isinstance(value, str) and value.strip()
                             and not _unpaired(where, key, value, problems)):
            return True
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(METADATA_FILE, f"{where}: '{key}' must be text or null"))
        return False

    values: dict[str, Any] = {}
    for key in _STR_FIELDS:
        value = entry.get(key)
        if text_or_none(key, value):
            values[key] = value.strip() if isinstance(value, str) else None
    language = values.get("language")
    if language is not None and not _LANGUAGE.match(language):
        problems.append(Problem(METADATA_FILE, (
            f"{where}: 'language' {language!r} is not a language tag (BCP 47, e.g. en or "
            "en-GB); ignored"
        )))
        values["language"] = None
    slug = entry.get("slug")
    values["slug"] = slugify(slug) if slug is not None and text_or_none("slug", slug) \
        else derived_slug
    authors = entry.get("authors", [])
    if authors is None:
        authors = []
    if isinstance(authors, list) and all(isinstance(a, str) and a.strip() for a in authors):
        if not any(_unpaired(where, "authors", a, problems) for a in authors):
            values["authors"] = tuple(a.strip() for a in authors)
    else:
        problems.append(Problem(METADATA_FILE, f"{where}: 'authors' must be a list of names"))
    date = entry.get("date")
    if date is None or (isinstance(date, str) and _DATE.match(date) and _calendar(date)):
        values["date"] = date
    elif isinstance(date, str) and _DATE.match(date):
        problems.append(Problem(METADATA_FILE, (
            f"{where}: 'date' {date!r} is not a date of the calendar; ignored"
        )))
    else:
        problems.append(Problem(METADATA_FILE, (
            f"{where}: 'date' {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD; ignored"
        )))
    return DocumentMeta(**values)


def _unpaired(where: str, key: str, value: str, problems: list[Problem]) -> bool:
    """Does ``value`` hold a lone surrogate (JSON's ``"\\ud800"``, which no UTF-8 output
    can hold)?  If so, it is reported."""
    found = _SURROGATE.search(value)
    if found is None:
        return False
    problems.append(Problem(METADATA_FILE, (
        f"{where}: '{key}' holds a lone surrogate (\\u{ord(found.group()):04x} at character "
        f"{found.start()}), not text; ignored"
    )))
    return True


def _calendar(date: str) -> bool:
    """Is ``date`` (YYYY, YYYY-MM or YYYY-MM-DD in shape) a day, month or year of the
    calendar (no 2022-02-30, no 2023-02-29)?"""
    year, *rest = (int(p) for p in date.split("-"))
    try:  # (XSD's year 0000, 1 BC, is a leap year like 2000; Python's calendar starts at 1)
        datetime.date(year or 2000, *(rest + [1, 1])[:2])
    except ValueError:
        return False
    return True
