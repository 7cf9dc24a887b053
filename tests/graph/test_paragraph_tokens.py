"""Tokenised paragraphs from split_text: one spaCy Doc per content segment, and each
paragraph's tokens exactly those its own Doc would have; matches per sentence."""

from __future__ import annotations

from pathlib import Path

import spacy
from entente.graph.chrome import segment
from entente.graph.corpus import load_corpus
from entente.graph.model import DocumentMeta, Segment, SourceDocument
from entente.graph.sentences import split_text
from entente.graph.tokens import Tokens


def _own_tokens(nlp, text: str) -> tuple[list[str], list[int]]:
    doc = nlp.make_doc(text)
    return [t.text for t in doc], [t.idx for t in doc]


def _check(doc: SourceDocument, segments: list[Segment]) -> int:
    nlp = spacy.blank("en")
    split = split_text(doc, segments)
    for p in split.paragraphs:
        n = len(p.starts)
        shared = [t.text for t in p.doc[p.offset:p.offset + n]]
        assert (shared, p.starts) == _own_tokens(nlp, doc.text[p.start:p.end])
        assert p.lengths == [len(w) for w in shared]
    return len({id(p.doc) for p in split.paragraphs})


def test_paragraph_tokens_on_the_corpus(corpus_dir: Path) -> None:
    docs, _ = load_corpus(corpus_dir)
    docs_made = [_check(doc, segment(doc)) for doc in docs]
    assert all(docs_made)


def test_paragraphs_of_one_segment_share_a_doc() -> None:
    text = ("First line of it.  Second sentence, “quoted”.\n\n  Short heading\n"
            "A paragraph (with U.S. and Dr. Smith) here.\n \n\tLast one…\u00a0really!")
    doc = SourceDocument("t.txt", text, "0" * 64, len(text.encode()), DocumentMeta(slug="t"))
    assert _check(doc, [Segment(0, len(text), "content")]) == 1
    cut = text.index("A paragraph")
    segments = [Segment(0, cut, "content"), Segment(cut, text.index("\n \n"), "excluded",
                                                    "caption"),
                Segment(text.index("\n \n"), len(text), "content")]
    assert _check(doc, segments) == 2


def test_sentence_matches_in_a_shared_doc_in_any_order() -> None:
    nlp = spacy.blank("en")
    doc = nlp.make_doc("a b c d e f g")
    found = [(1, 0, 2), (2, 2, 3), (3, 3, 5), (4, 4, 5), (5, 6, 7)]
    for matches in (found, found[::-1]):  # start order (bisection) and not (every match)

        def matcher(_doc, matches=matches):
            return matches

        sentence = Tokens(doc, "c d e", [0, 2, 4], [1, 1, 1], 2, {})  # tokens 2-4 of doc
        got = sentence.matches(matcher)
        assert got == [(k, s - 2, e - 2) for k, s, e in matches if 2 <= s and e <= 5]
        assert sorted(got) == [(2, 0, 1), (3, 1, 3), (4, 2, 3)]
        assert sentence.matches(matcher) == got  # (the second time from the shared cache)
