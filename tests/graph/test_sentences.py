"""Sentence splitting: exact offsets, paragraphs never merge, abbreviations and footnotes."""

from __future__ import annotations

from pathlib import Path

import pytest
from entente.graph.chrome import segment
from entente.graph.corpus import load_corpus
from entente.graph.model import DocumentMeta, Segment, SourceDocument
from entente.graph.sentences import split_sentences
from hypothesis import given, settings
from hypothesis import strategies as st


def _doc(text: str) -> SourceDocument:
    return SourceDocument("t.txt", text, "0" * 64, len(text.encode()), DocumentMeta(slug="t"))


def _split(text: str) -> list[str]:
    doc = _doc(text)
    return [s.text for s in split_sentences(doc, [Segment(0, len(text), "content")])]


def test_offsets_exact_on_the_corpus(corpus_dir: Path) -> None:
    docs, _ = load_corpus(corpus_dir)
    counts = {}
    for doc in docs:
        segments = segment(doc)
        sentences = split_sentences(doc, segments)
        counts[doc.file] = len(sentences)
        content = [s for s in segments if s.kind == "content"]
        previous_end = 0
        for n, s in enumerate(sentences, start=1):
            assert s.index == n
            assert doc.text[s.start:s.end] == s.text
            assert s.text == s.text.strip() and s.text
            assert s.start >= previous_end
            assert any(c.start <= s.start and s.end <= c.end for c in content)
            previous_end = s.end
    assert counts == {
        "000_185ffcb42122a494.txt": 68,
        "001_2d5cd885800826b0.txt": 162,
        "002_0badbc24944c6e53.txt": 38,
        "003_68ff2a09cf71ed74.txt": 17,
        "004_97f60897fa420449.txt": 70,
    }


def test_a_straight_quote_after_a_space_opens_the_next_sentence() -> None:
    """spaCy ended the first sentence at the quote that opens the second: both evidence
    quotes were off by it (the DW text: '... he said. "' then 'While China will oppose')."""
    assert _split('"They will not support it," he said. "While China will oppose sanctions, '
                  "it will not help.\" And 'the rest' follows.") == [
        '"They will not support it," he said.',
        '"While China will oppose sanctions, it will not help."',
        "And 'the rest' follows.",
    ]
    # a quote after a space that does not touch the next word closes its sentence (scraped
    # text): it stays there
    assert _split('He said: "We will win. " Then he left.') == [
        'He said: "We will win. "', "Then he left."]


def test_abbreviations_do_not_split() -> None:
    assert _split("The U.S. and the U.N. disagreed with Dr. Li. Russia left.") == [
        "The U.S. and the U.N. disagreed with Dr. Li.",
        "Russia left.",
    ]


def test_a_dotted_name_or_abbreviation_before_the_sentences_own_point_ends_it() -> None:
    # ("U.S.." is "U.S." and the sentence's point; "Dr.." spaCy's "Dr" and "..")
    assert _split("Moscow competes with the U.S.. Angola left the U.N.. Ties grew with "
                  "Dr.. Then silence.") == [
        "Moscow competes with the U.S..",
        "Angola left the U.N..",
        "Ties grew with Dr..",
        "Then silence.",
    ]


def test_more_abbreviations_do_not_split() -> None:
    assert _split("Pres. Xi met Foreign Min. Lavrov. Russia sold approx. 200 tanks under "
                  "Order No. 14024. Ties grew.") == [
        "Pres. Xi met Foreign Min. Lavrov.",
        "Russia sold approx. 200 tanks under Order No. 14024.",
        "Ties grew.",
    ]


def test_footnote_markers_end_sentences() -> None:
    assert _split("Corruption was rampant.2 Much changed. He said it was “possible.”7 Then "
                  "ties grew.[3] Finally, trade etc. in Russia grew.") == [
        "Corruption was rampant.2",
        "Much changed.",
        "He said it was “possible.”7",
        "Then ties grew.[3]",
        "Finally, trade etc. in Russia grew.",
    ]


def test_superscript_footnote_markers_end_sentences() -> None:
    assert _split("Belarus supports Russia.³ The United States sanctioned Iran. Ties grew.¹² "
                  "Trade fell.") == [
        "Belarus supports Russia.³",
        "The United States sanctioned Iran.",
        "Ties grew.¹²",
        "Trade fell.",
    ]


def test_list_items_are_sentences_of_their_own() -> None:
    text = "- China supports Russia\n- Iran joined the SCO in 2023\n• Russia annexed Crimea in 2014"
    doc = _doc(text)
    sentences = split_sentences(doc, [Segment(0, len(text), "content")])
    assert [s.text for s in sentences] == [
        "- China supports Russia", "- Iran joined the SCO in 2023",
        "• Russia annexed Crimea in 2014"]


def test_paragraphs_and_headings_never_merge() -> None:
    text = ("Energy ties\nRussia sells gas to China and the deal is large and very long indeed\n"
            "and it continues here.\n\nA second paragraph without a full stop\n\nLast one.")
    doc = _doc(text)
    sentences = split_sentences(doc, [Segment(0, len(text), "content")])
    assert [(s.paragraph, s.text) for s in sentences] == [
        (0, "Energy ties"),
        (1, "Russia sells gas to China and the deal is large and very long indeed\n"
            "and it continues here."),
        (2, "A second paragraph without a full stop"),
        (3, "Last one."),
    ]


def test_excluded_segments_are_skipped() -> None:
    text = "Share this. Russia and China met. Copyright 2024."
    doc = _doc(text)
    segments = [Segment(0, 12, "excluded", "navigation"), Segment(12, 33, "content"),
                Segment(33, len(text), "excluded", "site-notice")]
    assert [s.text for s in split_sentences(doc, segments)] == ["Russia and China met."]


_ALPHABET = "abcXYZ .,!?\n\n\t“”\"’()[]0123 U.S.—é"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list(_ALPHABET) + ["U.S.", "rampant.2 ", "\r\n", "Share\n"]),
                max_size=120).map("".join))
def test_any_text_gives_exact_ordered_sentences(text: str) -> None:
    doc = _doc(text)
    segments = segment(doc)
    assert "".join(text[s.start:s.end] for s in segments) == text
    previous_end = 0
    for n, s in enumerate(split_sentences(doc, segments), start=1):
        assert s.index == n
        assert text[s.start:s.end] == s.text == s.text.strip() != ""
        assert s.start >= previous_end
        previous_end = s.end


@pytest.mark.parametrize(("text", "expected"), [
    ("Wait... what?! Yes, really. Then silence.",
     ["Wait... what?!", "Yes, really.", "Then silence."]),
    ("He said “Go.” Then he left!!! Nobody followed?",
     ["He said “Go.”", "Then he left!!!", "Nobody followed?"]),
    ("The U.S. and the U.N. met. Dr. Li spoke. It ended at 5 p.m. on Monday.",
     ["The U.S. and the U.N. met.", "Dr. Li spoke.", "It ended at 5 p.m. on Monday."]),
    ("(See below.) Next one. [Ends here.] Done",
     ["(See below.)", "Next one. [", "Ends here.]", "Done"]),
    ("It cost $2.5 billion. . . Then more.\tTabs\tend. Here",
     ["It cost $2.5 billion. . .", "Then more.", "Tabs\tend.", "Here"]),
    ("Moscow objects。Beijing agrees। Both sign.",
     ["Moscow objects。Beijing agrees।", "Both sign."]),
    ("1. First. 2. Second!?. Third)", ["1.", "First.", "2.", "Second!?.", "Third)"]),
])
def test_sentencizer_rule_on_punctuation_runs(text: str, expected: list[str]) -> None:
    # spaCy's sentencizer rule (read off the token arrays): after a sentence-final mark,
    # the next token that is neither punctuation nor a mark starts a sentence
    assert _split(text) == expected


def test_a_run_on_sentence_is_cut_after_its_last_clause_mark() -> None:
    clause = "China and Russia signed an agreement with Iran; "  # 48 characters
    text = "Analysis " + clause * 100 + "end."
    sentences = _split(text)
    # 2,000 characters at most: each piece ends at the last ";" before the bound
    assert [len(s) for s in sentences] == [1976, 1967, 868]
    assert all(s.endswith(";") for s in sentences[:-1])
    assert sentences[0] == ("Analysis " + clause * 41).rstrip()
    assert " ".join(sentences) == text  # nothing lost, nothing doubled


@pytest.mark.parametrize(("body", "lengths"), [
    ("word " * 900, [1999, 1999, 499]),  # no clause mark: before the last whitespace
    ("x" * 4500, [2000, 2000, 500]),  # no whitespace either: at the bound
    ("a, " * 1000 + "b; " * 10, [2000, 1028]),  # ";" only past the bound: after ","
])
def test_a_run_on_sentence_without_clause_marks(body: str, lengths: list[int]) -> None:
    text = body.strip()
    doc = _doc(text)
    sentences = split_sentences(doc, [Segment(0, len(text), "content")])
    assert [len(s.text) for s in sentences] == lengths
    assert all(text[s.start:s.end] == s.text == s.text.strip() for s in sentences)
    assert "".join(s.text for s in sentences).replace(" ", "") == text.replace(" ", "")
