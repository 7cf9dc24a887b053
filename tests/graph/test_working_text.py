"""The working text: invisible format characters (soft hyphens, zero-width spaces, byte order
marks) hide no fact, long runs of spaces are cut, and every span the build writes is the
source text's own."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from entente.graph.build import build
from entente.graph.extract import extract_document
from entente.graph.linking import Linker
from entente.graph.model import DocumentMeta, SourceDocument
from entente.graph.relations import RelationExtractor
from entente.graph.store import load_dataset_into_memory
from entente.graph.working_text import FORMAT_CHARS, working_text

BASE = "https://entente.example.org/"
SHY, ZWSP, BOM, LRM = "\u00ad", "\u200b", "\ufeff", "\u200e"


def _facts(text: str, tools: tuple[Linker, RelationExtractor]) -> list[tuple[str, ...]]:
    doc = SourceDocument("t.txt", text, "0" * 64, len(text.encode()), DocumentMeta(slug="t"))
    ex = extract_document(doc, *tools)
    return [(a.subject.rsplit("/", 1)[-1], a.predicate.rsplit("#", 1)[-1],
             a.object.rsplit("/", 1)[-1]) for a in ex.assertions]


@pytest.mark.parametrize("text", [
    f"Rus{SHY}sia supports China.",  # a soft hyphen inside a name
    f"Russia supports Chi{ZWSP}na.",  # a zero-width space inside a name
    f"Russia supports China{ZWSP}.",  # ... right after it
    f"{BOM}Russia supports China.",  # a byte order mark opening a text
    f"{LRM}Russia{LRM} supports China.",  # direction marks around a name
])
def test_a_name_broken_by_a_format_character_is_still_the_name(
        text: str, tools: tuple[Linker, RelationExtractor]) -> None:
    assert _facts(text, tools) == [("russia", "supports", "china")]


def test_spans_are_the_source_texts_own(tools: tuple[Linker, RelationExtractor]) -> None:
    text = (f"Intro{ZWSP} line.\n\nMos{SHY}cow and Bei{SHY}jing held talks. "
            f"{ZWSP}Rus{SHY}sia sup{SHY}ports Chi{SHY}na{ZWSP}.")
    doc = SourceDocument("t.txt", text, "0" * 64, len(text.encode()), DocumentMeta(slug="t"))
    ex = extract_document(doc, *tools)
    assert ex.document is doc
    for s in ex.sentences:
        assert s.text == text[s.start:s.end]
    assert [s.text for s in ex.sentences][-1] == f"Rus{SHY}sia sup{SHY}ports Chi{SHY}na{ZWSP}."
    assert [(m.start, m.end, m.text) for m in ex.mentions] == [
        (text.index("Mos"), text.index("cow") + 3, f"Mos{SHY}cow"),
        (text.index("Bei"), text.index("jing") + 4, f"Bei{SHY}jing"),
        (text.index("Rus"), text.index("sia") + 3, f"Rus{SHY}sia"),
        (text.index("Chi"), text.index("na" + ZWSP) + 2, f"Chi{SHY}na"),
    ]
    for seg in ex.segments:
        assert 0 <= seg.start <= seg.end <= len(text)


def test_the_build_writes_source_offsets(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = f"Analysis\n\n{BOM}Rus{SHY}sia sup{ZWSP}ports China.\n"
    (corpus / "doc.txt").write_text(text, encoding="utf-8")
    build(corpus, tmp_path / "store", base=BASE, reason=False)
    from entente.graph.store import locate

    store = load_dataset_into_memory(locate(tmp_path / "store"))
    rows = store.query("""
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
        SELECT ?b ?e ?anchor ?entity WHERE {
          ?m itsrdf:taIdentRef ?entity ; nif:beginIndex ?b ; nif:endIndex ?e ;
             nif:anchorOf ?anchor } ORDER BY ?b""", use_default_graph_as_union=True)
    found = [(int(r["b"].value), int(r["e"].value), r["anchor"].value,
              r["entity"].value.rsplit("/", 1)[-1]) for r in rows]
    start = text.index("Rus")
    assert found[0] == (start, start + 7, f"Rus{SHY}sia", "russia")
    assert [f[3] for f in found] == ["russia", "china"]
    for b, e, anchor, _ in found:
        assert text[b:e] == anchor
    asserted = store.query("""
        PREFIX ent: <https://entente.example.org/ontology#>
        ASK { <https://entente.example.org/id/state/russia> ent:supports
              <https://entente.example.org/id/state/china> }""",
                           use_default_graph_as_union=True)
    assert bool(asserted)


def test_format_chars_are_invisible_format_characters_only() -> None:
    listed = [chr(c) for c in range(0x110000) if FORMAT_CHARS.fullmatch(chr(c))]
    assert len(listed) == 28
    assert {unicodedata.category(ch) for ch in listed} == {"Cf"}
    assert working_text("no such characters") == ("no such characters", None)
    stripped, offsets = working_text(f"a{SHY}{SHY}b{ZWSP}")
    assert stripped == "ab" and offsets is not None
    assert [offsets.start(0), offsets.start(1)] == [0, 3]
    assert [offsets.end(1, 0), offsets.end(2, 0), offsets.end(2, 1), offsets.end(1, 1)] == [
        1, 4, 4, 3]


@pytest.mark.parametrize("blank", [" ", "\t", "\u00a0", " \t"])
def test_a_long_run_of_spaces_is_cut_in_the_working_text(
        blank: str, tools: tuple[Linker, RelationExtractor]) -> None:
    """Relation expressions match a run of whitespace in every way it can be split (a
    sentence with 1,850 spaces took 0.34 s): the steps read at most 16 of a run; the
    sentence and its mentions are the source's."""
    run = blank * (900 // len(blank))
    text = f"Intro.\n\nRussia{run}supports China.\nMoscow and Beijing{run}held talks."
    assert sorted(_facts(text, tools)) == [("russia", "meetsWith", "china"),
                                           ("russia", "supports", "china")]
    doc = SourceDocument("t.txt", text, "0" * 64, len(text.encode()), DocumentMeta(slug="t"))
    ex = extract_document(doc, *tools)
    assert [s.text for s in ex.sentences][1:] == [f"Russia{run}supports China.",
                                                  f"Moscow and Beijing{run}held talks."]
    assert all(s.text == text[s.start:s.end] for s in ex.sentences)
    assert [(m.text, m.start) for m in ex.mentions] == [
        ("Russia", text.index("Russia")), ("China", text.index("China")),
        ("Moscow", text.index("Moscow")), ("Beijing", text.index("Beijing"))]
    work, offsets = working_text(text)
    assert offsets is not None and work == (f"Intro.\n\nRussia{run[:16]}supports China.\n"
                                            f"Moscow and Beijing{run[:16]}held talks.")


def test_short_runs_and_line_breaks_are_kept() -> None:
    text = "a" + " " * 16 + "b\n\n\n\n" + "\t" * 16 + "c" + "\n" * 40 + "d"
    assert working_text(text) == (text, None)
    work, offsets = working_text("a" + " " * 17 + "b")
    assert work == "a" + " " * 16 + "b" and offsets is not None
    assert [offsets.start(0), offsets.start(17), offsets.end(18, 0)] == [0, 18, 19]
