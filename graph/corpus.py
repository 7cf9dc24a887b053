"""Read the corpus folder: every ``*.txt`` (sorted by name) plus optional ``metadata.json``.

Bad input never stops the reading: each bad file or metadata entry becomes a
:class:`Problem` with one clear message naming the file, and the rest is returned.
Text is decoded as strict UTF-8 and otherwise left exactly as it is (no newline or
Unicode normalisation), so character offsets index the decoded file.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from entente.graph.model import DocumentMeta, Problem, SourceDocument
from entente.graph.namespaces import slugify

from entente.errors import BuildError

METADATA_FILE = "metadata.json"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
#: RDF's LANGTAG (BCP 47 in shape): "en", "en-GB", "zh-Hans-CN"
_LANGUAGE = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
_STR_FIELDS = ("title", "author_affiliation", "publisher", "series", "language", "dateline")


def load_corpus(
    folder: Path, max_bytes: int = DEFAULT_MAX_BYTES, shard: tuple[int, int] | None = None
) -> tuple[list[SourceDocument], list[Problem]]:
    """All usable documents of ``folder`` (sorted by file name) and the problems found.

    With ``shard`` = (k, n), only the documents of shard k of n (:func:`in_shard`): the other
    files are not read, and metadata entries for them are not reported as orphans.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise BuildError(f"{folder}: corpus folder does not exist or is not a directory")
    problems: list[Problem] = []
    files = sorted(p for p in folder.glob("*.txt") if p.is_file())
    metadata = _read_metadata(folder, {p.name for p in files}, problems)
    if shard is not None:
        files = [p for p in files if in_shard(p.name, *shard)]
    documents: list[SourceDocument] = []
    seen_slugs: dict[str, str] = {}
    for path in files:
        doc = _read_document(path, max_bytes, metadata.get(path.name), problems)
        if doc is None:
            continue
        if doc.meta.slug in seen_slugs:
            problems.append(Problem(path.name, f"document slug {doc.meta.slug!r} is already "
                                               f"used by {seen_slugs[doc.meta.slug]}"))
            continue
        seen_slugs[doc.meta.slug] = path.name
        documents.append(doc)
    return documents, problems


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
    path: Path, max_bytes: int, entry: dict[str, Any] | None, problems: list[Problem]
) -> SourceDocument | None:
    name = path.name
    try:
        size = path.stat().st_size
        if size > max_bytes:
            problems.append(Problem(name, f"too large: {size} bytes (limit {max_bytes} bytes)"))
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(name, f"cannot read: {exc.strerror or exc}"))
        return None
    if not data.strip():
        problems.append(Problem(name, "empty file (no text)"))
        return None
    nul = data.find(b"\x00")
    if nul >= 0:
        problems.append(Problem(name, f"binary file, not text (NUL byte at byte offset {nul})"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(
            name, f"not valid UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start}"
        ))
        return None
    meta = _document_meta(path, entry, problems)
    return SourceDocument(
        file=name,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        byte_size=len(data),
        meta=meta,
    )


def _read_metadata(
    folder: Path, present: set[str], problems: list[Problem]
) -> dict[str, dict[str, Any]]:
    """metadata.json as {file name: entry}; problems are reported, bad parts ignored."""
    path = folder / METADATA_FILE
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        problems.append(Problem(METADATA_FILE, (
            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}; "
            "using metadata derived from the files instead"
        )))
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(METADATA_FILE, f"cannot read: {exc}; using derived metadata"))
        return {}
    entries = raw.get("documents") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        problems.append(Problem(METADATA_FILE, (
            "expected an object with a 'documents' list; using metadata derived from the files"
        )))
        return {}
    result: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(entries):
        file = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(file, str) or not file:
            problems.append(Problem(METADATA_FILE, f"documents[{i}] has no 'file' name; ignored"))
            continue
        if file not in present:
            problems.append(Problem(METADATA_FILE, (
                f"documents[{i}] describes {file}, which is not in the corpus folder; ignored"
            )))
            continue
        if file in result:
            problems.append(Problem(METADATA_FILE, f"documents[{i}] repeats {file}; ignored"))
            continue
        result[file] = entry
    return result


def _document_meta(
    path: Path, entry: dict[str, Any] | None, problems: list[Problem]
) -> DocumentMeta:
    derived_slug = slugify(path.stem)
    if entry is None:
        return DocumentMeta(slug=derived_slug)
    where = f"{METADATA_FILE} entry for {path.name}"
    values: dict[str, Any] = {}
    for key in _STR_FIELDS:
        value = entry.get(key)
        if value is None or (isinstance(value, str) and value.strip()):
            values[key] = value.strip() if isinstance(value, str) else None
        else:
            problems.append(Problem(METADATA_FILE, f"{where}: '{key}' must be text or null"))
    language = values.get("language")
    if language is not None and not _LANGUAGE.match(language):
        problems.append(Problem(METADATA_FILE, (
            f"{where}: 'language' {language!r} is not a language tag (BCP 47, e.g. en or "
            "en-GB); ignored"
        )))
        values["language"] = None
    slug = entry.get("slug")
    if isinstance(slug, str) and slug.strip():
        values["slug"] = slugify(slug)
    else:
        values["slug"] = derived_slug
    authors = entry.get("authors", [])
    if authors is None:
        authors = []
    if isinstance(authors, list) and all(isinstance(a, str) and a.strip() for a in authors):
        values["authors"] = tuple(a.strip() for a in authors)
    else:
        problems.append(Problem(METADATA_FILE, f"{where}: 'authors' must be a list of names"))
    date = entry.get("date")
    if date is None or (isinstance(date, str) and _DATE.match(date)):
        values["date"] = date
    else:
        problems.append(Problem(METADATA_FILE, (
            f"{where}: 'date' {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD; ignored"
        )))
    return DocumentMeta(**values)
