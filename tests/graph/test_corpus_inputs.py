"""Bad corpus input found by an audit: each is reported in one line and skipped (or the field
ignored), never half-loaded, never a traceback; the rest is built.

Surrogates in metadata strings, file names that are not UTF-8, documents longer than spaCy's
default ``max_length``, symbolic links and non-regular files, impossible dates, a non-text
``slug``, byte order marks.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph
import pytest
from entente.graph.chrome import segment
from entente.graph.corpus import load_corpus
from entente.graph.linking import Linker
from entente.graph.linking.spans import _longest, _longest_first
from entente.graph.model import DocumentMeta, Problem, Segment, SourceDocument
from entente.graph.sentences import split_sentences, split_text

BASE = "https://entente.example.org/"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ENT = "https://entente.example.org/ontology#"
DW = "002_0badbc24944c6e53.txt"
BOM = b"\xef\xbb\xbf"
BOM_TEXT = ("1. Skip to content\n"
            "Russia and China signed a treaty in Moscow. China supports Russia.\n")
M = "metadata.json"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    # (timeout: a build that opened the named pipe would block here)
    return subprocess.run([sys.executable, "-m", "entente", "build", "--no-reason", *args],
                          capture_output=True, text=True, timeout=300)


def _problems(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.file, p.message) for p in problems]


def _load(folder: Path, **kwargs) -> tuple[list, list[Problem]]:
    """``load_corpus`` in a thread: a regression that opens a named pipe fails, not hangs."""
    done: list = []
    reader = threading.Thread(target=lambda: done.append(load_corpus(folder, **kwargs)),
                              daemon=True)
    reader.start()
    reader.join(60)
    assert done, "load_corpus blocked (it opened a named pipe)"
    return done[0]


def _one_doc(tmp_path: Path, corpus_dir: Path, entry: dict) -> tuple[list, list[str]]:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(corpus_dir / "003_68ff2a09cf71ed74.txt", folder / "a.txt")
    (folder / M).write_text(json.dumps({"documents": [{"file": "a.txt", **entry}]}))
    docs, problems = load_corpus(folder)
    assert all(p.file == M for p in problems)
    return docs, [p.message for p in problems]


def _non_utf8_name(folder: Path) -> bool:
    """Make ``caf\\xe9.txt`` (Latin-1 bytes) in ``folder``, where the file system allows."""
    try:
        fd = os.open(os.fsencode(folder) + b"/caf\xe9.txt", os.O_WRONLY | os.O_CREAT, 0o644)
    except OSError:  # (macOS: names must be UTF-8)
        return False
    os.write(fd, b"Russia and China met.\n")
    os.close(fd)
    return True


# --- through `entente build` -------------------------------------------------------------


def test_cli_reports_every_bad_input_and_builds_the_rest(tmp_path: Path, corpus_dir: Path) -> None:
    if not hasattr(os, "mkfifo") or not hasattr(os, "symlink"):
        pytest.skip("needs named pipes and symbolic links")
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(corpus_dir / DW, folder / "good.txt")
    (folder / "bom.txt").write_bytes(BOM + BOM_TEXT.encode())
    (folder / "bomonly.txt").write_bytes(BOM + b"\n")
    (folder / "UPPER.TXT").write_text("Russia and China met.\n")
    (tmp_path / "outside.txt").write_text("Outside text about Russia and China.\n")
    os.symlink(tmp_path / "outside.txt", folder / "link-out.txt")
    os.symlink("good.txt", folder / "link-dup.txt")
    os.symlink("nowhere.txt", folder / "dangling.txt")
    os.mkfifo(folder / "fifo.txt")
    (folder / "dir.txt").mkdir()
    odd_name = _non_utf8_name(folder)
    # metadata.json with a BOM, lone surrogates, a number for a slug, an impossible date
    (folder / M).write_bytes(BOM + json.dumps({"documents": [
        {"file": "bom.txt", "slug": 42, "title": "Bad \ud800", "series": "x\ud83d",
         "date": "2022-02-30"},
        {"file": "good.txt", "slug": "dw", "date": "2022-02-03", "language": "en"},
    ]}).encode("ascii"))

    out = tmp_path / "out.nq"
    result = _cli("--corpus", str(folder), "--store", str(tmp_path / "store"), "--quiet",
                  "--out", str(out))
    assert result.returncode == 0, result.stderr
    where = "entente build: warning: metadata.json entry for bom.txt"
    assert result.stderr.splitlines() == [
        "entente build: skipped UPPER.TXT: file name ends in '.TXT', not '.txt'; not read "
        "(rename it to build it)",
        f"{where}: 'title' holds a lone surrogate (\\ud800 at character 4), not text; ignored",
        f"{where}: 'series' holds a lone surrogate (\\ud83d at character 1), not text; ignored",
        f"{where}: 'slug' must be text or null",
        f"{where}: 'date' '2022-02-30' is not a date of the calendar; ignored",
        "entente build: skipped bomonly.txt: empty file (no text)",
    ] + ([
        "entente build: skipped caf\\xe9.txt: file name is not valid UTF-8 (byte 0xe9 at byte "
        "offset 3); not read (rename it to build it)",
    ] if odd_name else []) + [
        "entente build: skipped dangling.txt: symbolic link to a missing file; not read",
        "entente build: skipped dir.txt: not a regular file (a directory); not read",
        "entente build: skipped fifo.txt: not a regular file (a named pipe); not read",
        "entente build: skipped link-dup.txt: symbolic link to the file read as good.txt; "
        "not read twice",
        f"entente build: skipped link-out.txt: symbolic link to {tmp_path / 'outside.txt'}, "
        "outside the corpus folder; not read",
    ]
    assert result.stdout.splitlines()[0] == f"documents: 2 built, {7 + odd_name} skipped"

    store = pyoxigraph.Store()
    store.load(path=str(out), format=pyoxigraph.RdfFormat.N_QUADS)
    graphs = {str(q.graph_name.value) for q in store}
    assert {g for g in graphs if "/graph/document/" in g} == {
        f"{BASE}graph/document/bom", f"{BASE}graph/document/dw"}
    assert not any("Outside text" in q.object.value for q in store
                   if isinstance(q.object, pyoxigraph.Literal))
    bom = pyoxigraph.NamedNode(f"{BASE}id/document/bom")

    def values(subject: pyoxigraph.NamedNode, predicate: str) -> list[str]:
        return sorted(q.object.value for q in store.quads_for_pattern(
            subject, pyoxigraph.NamedNode(predicate), None))

    # the BOM is not part of the stored text; offsets slice it; the first line is chrome
    assert values(bom, NIF + "isString") == [BOM_TEXT]
    assert values(bom, ENT + "byteSize") == [str(len(BOM_TEXT) + 3)]
    assert values(bom, ENT + "titleStated") == ["false"]
    assert values(bom, "http://purl.org/dc/terms/date") == []
    assert values(bom, ENT + "series") == []
    sentences = []
    for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(NIF + "referenceContext"), bom):
        anchor = values(q.subject, NIF + "anchorOf")  # (sentences and mentions)
        begin, end = values(q.subject, NIF + "beginIndex"), values(q.subject, NIF + "endIndex")
        assert anchor in ([], [BOM_TEXT[int(begin[0]):int(end[0])]])
        if "/id/sentence/" in q.subject.value:
            sentences.append(anchor[0])
    assert values(pyoxigraph.NamedNode(f"{BASE}id/segment/bom-0-18"),
                  ENT + "exclusionReason") == ["navigation"]
    assert sorted(sentences) == ["China supports Russia.",
                                 "Russia and China signed a treaty in Moscow."]

    # --strict: each of them fails the build
    strict = _cli("--corpus", str(folder), "--store", str(tmp_path / "store"), "--strict",
                  "--quiet")
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[-1] == (
        f"entente build: error: {11 + odd_name} problem(s) in {folder} (first: UPPER.TXT: file "
        "name ends in '.TXT', not '.txt'; not read (rename it to build it)); --strict: nothing "
        "published")


# --- 1. lone surrogates in metadata strings --------------------------------------------------


@pytest.mark.parametrize("key", ["title", "author_affiliation", "publisher", "series",
                                 "dateline", "language", "slug"])
def test_a_lone_surrogate_in_a_metadata_string_is_reported_and_ignored(
        tmp_path: Path, corpus_dir: Path, key: str) -> None:
    docs, messages = _one_doc(tmp_path, corpus_dir, {key: "ab\ud800c", "publisher": "P"}
                              if key != "publisher" else {key: "ab\ud800c"})
    assert messages == [f"metadata.json entry for a.txt: '{key}' holds a lone surrogate "
                        "(\\ud800 at character 2), not text; ignored"]
    meta = docs[0].meta
    assert meta == DocumentMeta(slug="a", publisher=None if key == "publisher" else "P")


def test_a_lone_surrogate_in_an_author_drops_the_authors(tmp_path: Path,
                                                         corpus_dir: Path) -> None:
    docs, messages = _one_doc(tmp_path, corpus_dir, {"authors": ["Ann", "B\udc00b"],
                                                     "title": "T"})
    assert messages == ["metadata.json entry for a.txt: 'authors' holds a lone surrogate "
                        "(\\udc00 at character 1), not text; ignored"]
    assert docs[0].meta == DocumentMeta(slug="a", title="T")


def test_a_lone_surrogate_in_a_file_name_entry_is_printable(tmp_path: Path,
                                                            corpus_dir: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(corpus_dir / DW, folder / "good.txt")
    (folder / M).write_text(json.dumps({"documents": [{"file": "caf\udce9.txt"}]}))
    docs, problems = load_corpus(folder)
    assert _problems(problems) == [(M, "documents[0] describes caf\\udce9.txt, which is not "
                                       "in the corpus folder; ignored")]
    problems[0].message.encode("utf-8")  # (no surrogate left)


# --- 2. file names that are not UTF-8 --------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_reported(tmp_path: Path, corpus_dir: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(corpus_dir / DW, folder / "good.txt")
    if not _non_utf8_name(folder):
        pytest.skip("the file system takes UTF-8 names only")
    docs, problems = load_corpus(folder)
    assert [d.file for d in docs] == ["good.txt"]
    assert _problems(problems) == [("caf\\xe9.txt", "file name is not valid UTF-8 (byte 0xe9 "
                                    "at byte offset 3); not read (rename it to build it)")]


# --- 3. texts longer than spaCy's default max_length (1,000,000 characters) -----------------


def test_a_paragraph_over_a_million_characters_is_split() -> None:
    text = "Russia and China met in Moscow. " * 32_000  # 1,024,000 characters, one paragraph
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    sentences = split_sentences(doc, [Segment(0, len(text), "content")])
    assert len(sentences) == 32_000
    assert sentences[-1][1:4] == (len(text) - 32, len(text) - 1,
                                  "Russia and China met in Moscow.")


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker.from_bundled(BASE)


def test_a_paragraph_over_a_million_characters_is_split_and_linked(linker: Linker) -> None:
    # 1,019,999 characters without sentence punctuation: tokenised as one paragraph (beyond
    # spaCy's default max_length), cut into sentences of at most 2,000 characters at spaces
    text = ("Russia and China " * 60_000).rstrip()
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    split = split_text(doc, [Segment(0, len(text), "content")])
    assert len(split.paragraphs) == 1
    assert max(s.end - s.start for s in split.sentences) <= 2000
    assert " ".join(s.text for s in split.sentences) == text
    mentions, minted = linker.link(doc, split.sentences)  # (each sentence tokenised anew)
    assert minted == [] and len(mentions) == 120_000
    assert [(m.start, m.end, m.text) for m in mentions[-2:]] == [
        (len(text) - 16, len(text) - 10, "Russia"), (len(text) - 5, len(text), "China")]
    assert linker.link(doc, split.sentences, split.paragraphs) == (mentions, minted)


def test_longest_spans_by_bisection_agree_with_the_pairwise_rule() -> None:
    """``linking.spans._longest`` (now by bisection, no longer quadratic in a sentence's spans)
    keeps exactly the spans the pairwise rule kept: longer, then earlier, first."""

    def pairwise(spans: list) -> list:
        chosen: list = []
        for span in sorted(spans, key=_longest_first):
            if not any(span[1] > c[0] and span[0] < c[1] for c in chosen):
                chosen.append(span)
        return sorted(chosen)

    rng = random.Random(7)
    for _ in range(3000):
        spans = []
        for _ in range(rng.randint(0, 25)):
            start = rng.randint(0, 50)
            spans.append((start, start + rng.randint(1, 10), rng.choice("abc"), "reference"))
        assert _longest(spans) == pairwise(spans)


# --- 4. symbolic links and files that are not regular ----------------------------------------


@pytest.fixture
def linked(tmp_path: Path, corpus_dir: Path) -> Path:
    if not hasattr(os, "mkfifo") or not hasattr(os, "symlink"):
        pytest.skip("needs named pipes and symbolic links")
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(corpus_dir / DW, folder / "good.txt")
    shutil.copy(corpus_dir / "003_68ff2a09cf71ed74.txt", folder / "sub" / "inner.md")
    os.symlink("sub/inner.md", folder / "inner.txt")  # inside the folder: read
    os.symlink("sub/inner.md", folder / "inner2.txt")  # the same file again
    os.symlink("good.txt", folder / "a-dup.txt")  # before good.txt by name: good.txt reads it
    os.symlink("/proc/cpuinfo" if Path("/proc/cpuinfo").exists() else "/etc/hosts",
               folder / "cpu.txt")
    os.symlink("sub", folder / "to-dir.txt")
    os.symlink("loop.txt", folder / "loop.txt")
    os.mkfifo(folder / "fifo.txt")
    (folder / "Mixed.Txt").write_text("Russia and China met.\n")
    (folder / "notes.md").write_text("not a document")
    return folder


def test_links_and_special_files_follow_one_rule(linked: Path) -> None:
    docs, problems = _load(linked)
    assert [(d.file, d.meta.slug) for d in docs] == [("good.txt", "good"), ("inner.txt", "inner")]
    cpu = os.path.realpath(linked / "cpu.txt")
    assert _problems(problems) == [
        ("Mixed.Txt", "file name ends in '.Txt', not '.txt'; not read (rename it to build it)"),
        ("a-dup.txt", "symbolic link to the file read as good.txt; not read twice"),
        ("cpu.txt", f"symbolic link to {cpu}, outside the corpus folder; not read"),
        ("fifo.txt", "not a regular file (a named pipe); not read"),
        ("inner2.txt", "symbolic link to the file read as inner.txt; not read twice"),
        ("loop.txt", "symbolic link that cannot be followed: Too many levels of symbolic "
                     "links; not read"),
        ("to-dir.txt", "symbolic link to a directory, not to a regular file; not read"),
    ]


def test_each_shard_reports_only_its_own_entries(linked: Path) -> None:
    _, everything = _load(linked)
    shards = [_load(linked, shard=(k, 3)) for k in (1, 2, 3)]
    assert sorted(_problems([p for _, ps in shards for p in ps])) == sorted(
        _problems(everything))
    assert sorted(d.file for docs, _ in shards for d in docs) == ["good.txt", "inner.txt"]


@pytest.mark.parametrize(("make", "reason"), [
    (lambda f: os.symlink("gone.json", f / M), "symbolic link to a missing file"),
    (lambda f: os.mkfifo(f / M), "not a regular file (a named pipe)"),
    (lambda f: (f / M).mkdir(), "not a regular file (a directory)"),
    (lambda f: os.symlink(f.parent / "elsewhere.json", f / M),
     "symbolic link to {elsewhere}, outside the corpus folder"),
])
def test_metadata_that_is_no_regular_file_is_reported(tmp_path: Path, corpus_dir: Path,
                                                      make, reason: str) -> None:
    if not hasattr(os, "mkfifo") or not hasattr(os, "symlink"):
        pytest.skip("needs named pipes and symbolic links")
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(corpus_dir / DW, folder / "good.txt")
    (tmp_path / "elsewhere.json").write_text('{"documents": []}')
    make(folder)
    docs, problems = _load(folder)
    assert [d.meta.slug for d in docs] == ["good"]
    reason = reason.format(elsewhere=os.path.realpath(tmp_path / "elsewhere.json"))
    assert _problems(problems) == [
        (M, f"{reason}; using metadata derived from the files instead")]


def test_metadata_linked_inside_the_folder_is_read(tmp_path: Path, corpus_dir: Path) -> None:
    if not hasattr(os, "symlink"):
        pytest.skip("needs symbolic links")
    folder = tmp_path / "corpus"
    (folder / "meta").mkdir(parents=True)
    shutil.copy(corpus_dir / DW, folder / "good.txt")
    (folder / "meta" / "m.json").write_text(json.dumps(
        {"documents": [{"file": "good.txt", "slug": "dw"}]}))
    os.symlink("meta/m.json", folder / M)
    docs, problems = load_corpus(folder)
    assert ([d.meta.slug for d in docs], problems) == (["dw"], [])


# --- 5. dates of no calendar -----------------------------------------------------------------


@pytest.mark.parametrize("date", ["2022-02-30", "2022-04-31", "1999-02-29", "2100-02-29"])
def test_an_impossible_date_is_reported_and_ignored(tmp_path: Path, corpus_dir: Path,
                                                    date: str) -> None:
    docs, messages = _one_doc(tmp_path, corpus_dir, {"date": date})
    assert messages == [f"metadata.json entry for a.txt: 'date' '{date}' is not a date of the "
                        "calendar; ignored"]
    assert docs[0].meta.date is None


@pytest.mark.parametrize("date", ["2024-02-29", "2000-02-29", "2022-04-30", "2022-12-31",
                                  "2022-02", "2022", "0000-02-29"])
def test_a_calendar_date_is_kept(tmp_path: Path, corpus_dir: Path, date: str) -> None:
    docs, messages = _one_doc(tmp_path, corpus_dir, {"date": date})
    assert (docs[0].meta.date, messages) == (date, [])


@pytest.mark.parametrize("date", ["\uff12\uff10\uff12\uff12", "\u0661\u0669\u0669\u0660", "2022\n",
                                  "2022-02-2\u0668"])
def test_a_date_in_other_digits_or_with_a_newline_is_reported_and_ignored(
        tmp_path: Path, corpus_dir: Path, date: str) -> None:
    """Unicode digits and a trailing newline passed, each written as an ill-typed xsd:gYear
    or xsd:date (YEAR() unbound, a FILTER on it skipped)."""
    docs, messages = _one_doc(tmp_path, corpus_dir, {"date": date})
    assert messages == [f"metadata.json entry for a.txt: 'date' {date!r} is not YYYY, "
                        "YYYY-MM or YYYY-MM-DD; ignored"]
    assert docs[0].meta.date is None


def test_metadata_nested_too_deep_is_malformed_json(tmp_path: Path, corpus_dir: Path) -> None:
    """A title of a few thousand nested arrays was a RecursionError traceback."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(corpus_dir / DW, folder / "good.txt")
    (folder / M).write_text('{"documents": [{"file": "good.txt", "title": '
                            + "[" * 5000 + "]" * 5000 + "}]}")
    docs, problems = _load(folder)
    assert [d.meta.slug for d in docs] == ["good"]
    assert _problems(problems) == [
        (M, "malformed JSON: nested too deep; using metadata derived from the files instead")]


# --- 6. a slug that is not text --------------------------------------------------------------


@pytest.mark.parametrize("slug", [42, "", "  ", ["a"], True])
def test_a_slug_that_is_not_text_is_reported(tmp_path: Path, corpus_dir: Path, slug) -> None:
    docs, messages = _one_doc(tmp_path, corpus_dir, {"slug": slug})
    assert messages == ["metadata.json entry for a.txt: 'slug' must be text or null"]
    assert docs[0].meta.slug == "a"  # the file-name slug


def test_a_null_slug_is_silent(tmp_path: Path, corpus_dir: Path) -> None:
    docs, messages = _one_doc(tmp_path, corpus_dir, {"slug": None})
    assert (docs[0].meta.slug, messages) == ("a", [])


# --- 7. byte order marks ---------------------------------------------------------------------


@pytest.mark.parametrize("data", [BOM, BOM + b" \r\n\t\n", BOM + "\u00a0\u3000\n".encode()])
def test_a_bom_with_no_text_is_empty(tmp_path: Path, data: bytes) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "bom.txt").write_bytes(data)
    (folder / "good.txt").write_text("Russia and China met.\n")
    docs, problems = load_corpus(folder)
    assert [d.file for d in docs] == ["good.txt"]
    assert _problems(problems) == [("bom.txt", "empty file (no text)")]


def test_a_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    data = BOM + BOM_TEXT.encode()
    (folder / "bom.txt").write_bytes(data)
    (folder / "bad.txt").write_bytes(BOM + b"ok \xe9")
    docs, problems = load_corpus(folder)
    assert _problems(problems) == [("bad.txt", "not valid UTF-8: byte 0xe9 at byte offset 6")]
    (doc,) = docs
    assert doc.text == BOM_TEXT
    assert (doc.byte_size, doc.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    # the first-line chrome rule matches; every sentence slices the text
    segments = segment(doc)
    assert [(s.start, s.end, s.kind, s.reason) for s in segments] == [
        (0, 18, "excluded", "navigation"), (18, len(BOM_TEXT), "content", None)]
    sentences = split_sentences(doc, segments)
    assert [(s.start, s.end, s.text) for s in sentences] == [
        (19, 62, "Russia and China signed a treaty in Moscow."),
        (63, 85, "China supports Russia.")]
    assert all(doc.text[s.start:s.end] == s.text for s in sentences)


def test_metadata_with_a_bom_is_read(tmp_path: Path, corpus_dir: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(corpus_dir / DW, folder / "good.txt")
    (folder / M).write_bytes(BOM + json.dumps(
        {"documents": [{"file": "good.txt", "slug": "dw", "title": "Título"}]},
        ensure_ascii=False).encode())
    docs, problems = load_corpus(folder)
    assert ([(d.meta.slug, d.meta.title) for d in docs], problems) == ([("dw", "Título")], [])


def test_metadata_that_is_not_utf8_is_reported(tmp_path: Path, corpus_dir: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(corpus_dir / DW, folder / "good.txt")
    (folder / M).write_bytes(BOM + b'{"documents": [{"file": "good.txt", "title": "\xe9"}]}')
    docs, problems = load_corpus(folder)
    assert [d.meta.slug for d in docs] == ["good"]
    assert _problems(problems) == [(M, "not valid UTF-8: byte 0xe9 at byte offset 49; using "
                                       "metadata derived from the files instead")]
