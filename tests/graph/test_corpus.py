"""Reading the corpus: metadata, checksums, and one clear problem per bad file."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from entente.graph.corpus import load_corpus

from entente.errors import BuildError


def test_real_corpus_reads_with_metadata(corpus_dir: Path) -> None:
    docs, problems = load_corpus(corpus_dir)
    assert problems == []
    assert [d.file for d in docs] == sorted(p.name for p in corpus_dir.glob("*.txt"))
    slugs = [d.meta.slug for d in docs]
    assert slugs == [
        "prif-2022-new-sino-russian-entente",
        "euromaidan-2015-sino-russian-entente-regime",
        "dw-2022-02-03-ukraine-crisis-russia-china",
        "threat-assessment-beijing-moscow-cooperation",
        "usip-2019-china-russia-cooperation-spans-globe",
    ]
    dw = docs[2]
    assert dw.meta.authors == ("William Yang",)
    assert dw.meta.date == "2022-02-03"
    assert dw.meta.dateline == "Taipei"
    assert dw.byte_size == 6645
    raw = (corpus_dir / dw.file).read_bytes()
    assert dw.sha256 == hashlib.sha256(raw).hexdigest()
    assert dw.text == raw.decode("utf-8")
    assert docs[4].meta.title is None
    assert docs[3].meta.publisher is None and docs[3].meta.authors == ()


def _bad_corpus(tmp_path: Path, corpus_dir: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(corpus_dir / "002_0badbc24944c6e53.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes(b"Moscow and Beijing\n" + "caf\xe9".encode("latin-1"))
    (folder / "binary.txt").write_bytes(b"PK\x03\x04\x00\x00binary")
    (folder / "utf16.txt").write_bytes("Moscow and Beijing\n".encode("utf-16"))  # (its BOM)
    with (folder / "huge.txt").open("wb") as fh:  # sparse 50 MB file, created instantly
        fh.truncate(50 * 1024 * 1024)
    return folder


def test_bad_files_each_give_one_problem(tmp_path: Path, corpus_dir: Path) -> None:
    folder = _bad_corpus(tmp_path, corpus_dir)
    docs, problems = load_corpus(folder, max_bytes=20 * 1024 * 1024)
    assert [d.file for d in docs] == ["good.txt"]
    assert docs[0].meta.slug == "good"  # derived: no metadata.json
    assert docs[0].meta.title is None and docs[0].meta.language is None
    assert [(p.file, p.message) for p in problems] == [
        ("binary.txt", "binary file, not text (NUL byte at byte offset 4)"),
        ("empty.txt", "empty file (no text)"),
        ("huge.txt", "too large: 52428800 bytes (limit 20971520 bytes)"),
        ("latin1.txt", "not valid UTF-8: byte 0xe9 at byte offset 22"),
        # (it was "binary file, not text (NUL byte at byte offset 3)")
        ("utf16.txt", "UTF-16 text (its byte order mark), not UTF-8; save it as UTF-8 to "
                      "build it"),
    ]


def test_malformed_metadata_falls_back(tmp_path: Path, corpus_dir: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(corpus_dir / "003_68ff2a09cf71ed74.txt", folder)
    bad = '{"documents": [\n  {"file": "x.txt",}\n]}'
    (folder / "metadata.json").write_text(bad)
    docs, problems = load_corpus(folder)
    assert [d.meta.slug for d in docs] == ["003-68ff2a09cf71ed74"]
    # (the parser's own words and column: Python 3.11 says "Expecting property name enclosed
    # in double quotes" at column 20, 3.13 "Illegal trailing comma before end of object" at 19)
    with pytest.raises(json.JSONDecodeError) as parsed:
        json.loads(bad)
    err = parsed.value
    assert (err.lineno, err.colno) in ((2, 19), (2, 20))
    assert [(p.file, p.message) for p in problems] == [(
        "metadata.json",
        f"malformed JSON at line 2, column {err.colno}: {err.msg};"
        " using metadata derived from the files instead",
    )]


def test_metadata_for_missing_file_and_bad_fields(tmp_path: Path, corpus_dir: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(corpus_dir / "003_68ff2a09cf71ed74.txt", folder / "a.txt")
    (folder / "metadata.json").write_text(
        '{"documents": [{"file": "gone.txt", "slug": "gone"},'
        ' {"file": "a.txt", "slug": "Doc A", "date": "March 2020", "authors": "Ann"}]}'
    )
    docs, problems = load_corpus(folder)
    assert [(d.meta.slug, d.meta.date, d.meta.authors) for d in docs] == [("doc-a", None, ())]
    assert [p.message for p in problems] == [
        "documents[0] describes gone.txt, which is not in the corpus folder; ignored",
        "metadata.json entry for a.txt: 'authors' must be a list of names",
        "metadata.json entry for a.txt: 'date' 'March 2020' is not YYYY, YYYY-MM or YYYY-MM-DD;"
        " ignored",
    ]


@pytest.mark.parametrize(("language", "kept"), [
    ("en", "en"), ("en-GB", "en-GB"), ("zh-Hans-CN", "zh-Hans-CN"),
    ("english uk", None), ("en_GB", None), ("en-", None), ("toolongtag", None),
])
def test_metadata_language_must_be_a_language_tag(tmp_path: Path, corpus_dir: Path,
                                                  language: str, kept: str | None) -> None:
    """A bad tag once failed the whole build when the store loaded ``"title"@english uk``."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(corpus_dir / "003_68ff2a09cf71ed74.txt", folder / "a.txt")
    (folder / "metadata.json").write_text(json.dumps(
        {"documents": [{"file": "a.txt", "title": "T", "language": language}]}))
    docs, problems = load_corpus(folder)
    assert [d.meta.language for d in docs] == [kept]
    assert [p.message for p in problems] == ([] if kept else [
        f"metadata.json entry for a.txt: 'language' {language!r} is not a language tag "
        "(BCP 47, e.g. en or en-GB); ignored"])


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="nowhere: corpus folder does not exist"):
        load_corpus(tmp_path / "nowhere")


def test_many_metadata_entries_for_absent_files_are_counted_after_twenty(
        tmp_path: Path, corpus_dir: Path) -> None:
    """A metadata file for a larger corpus (100,000 entries) printed a line for each."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(corpus_dir / "003_68ff2a09cf71ed74.txt", folder / "a.txt")
    entries = [{"file": f"gone-{i}.txt"} for i in range(1000)] + [{"file": "a.txt"}]
    (folder / "metadata.json").write_text(json.dumps({"documents": entries}))
    docs, problems = load_corpus(folder)
    assert [d.file for d in docs] == ["a.txt"]
    messages = [p.message for p in problems]
    assert len(messages) == 21
    assert messages[19] == ("documents[19] describes gone-19.txt, which is not in the corpus "
                            "folder; ignored")
    assert messages[20] == "980 more entries describe files not in the corpus folder; ignored"
