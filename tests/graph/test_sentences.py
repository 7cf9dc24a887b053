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


_SPECIALS_FIRST = ("Dr. Li said the U.S. cannot — e.g. at the U.N. — block it; Ph.D.; don't. "
                   "Russia's exports (oil, gas) rose 12%, and China's \"imports\" fell in "
                   "2022-23, officials said.\n\nMoscow's co-operation with Beijing, 'they' "
                   "say, isn't new: it dates to 1996.")


@pytest.mark.parametrize("texts", [
    [_SPECIALS_FIRST, _SPECIALS_FIRST],  # (the second time every span is in the cache)
    [_SPECIALS_FIRST, _SPECIALS_FIRST[40:], _SPECIALS_FIRST[::-1], "Co. Inc. vs. Mr. Smith's."],
])
def test_the_span_caching_tokenizer_gives_the_tokenizers_own_tokens(texts: list[str]) -> None:
    # spans primed alone (spaCy caches none after a special case in one call) tokenise as
    # they do in context
    from entente.graph.sentences import _nlp
    from entente.graph.tokenizer import SpanCachingTokenizer

    plain = _nlp.__wrapped__()
    caching = SpanCachingTokenizer(_nlp.__wrapped__(), limit=30)
    for text in texts:
        assert [(t.text, t.idx, t.whitespace_) for t in caching(text)] == \
            [(t.text, t.idx, t.whitespace_) for t in plain.make_doc(text)]
    assert 30 <= len(caching.seen) < 30 + len(_SPECIALS_FIRST.split())  # (then no more)


def _random_long_spans(seed: int, cases: int) -> list[str]:
    """Texts with whitespace-free spans of 240-500 characters (at most EXACT_SPAN: where a
    special case may take in a peeled affix, spaCy splits the span itself): runs of
    brackets, quotes, punctuation, contractions, units and abbreviations around words
    (what spaCy splits by its affix rules and special cases)."""
    import random

    rng = random.Random(seed)
    atoms = ["(", ")", "[", "]", "{", "}", '"', "'", "“", "”", "‘", "’", "*", "=", "+", "$",
             "%", "!", "?", ",", ";", ":", ".", "..", "…", "-", "—", "#", "<", ">", "/", "|",
             "'s", "’s", "km", "1", "x", "Russia", "U.S.", "Dr.", "can't", "°C", "°F.",
             "http://example.org/a", "&", "_"]
    texts = []
    for _ in range(cases):
        parts = []
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.5:
                parts.append(rng.choice(["Russia supports China. ", "The U.S. said ", "(see "]))
            span, size = "", rng.randint(240, 500)
            while len(span) < size:
                span += rng.choice(atoms) * rng.randint(1, 60)
            parts.append(span[:size] + rng.choice([" ", "  ", "\n", "\n\n"]))
        texts.append(rng.choice(["", " ", "\n"]) + "".join(parts))
    return texts


def test_long_affix_runs_give_spacys_own_tokens() -> None:
    """Spans longer than LONG_SPAN have their affixes peeled here (spaCy takes time in the
    square of a run's length): the same tokens as spaCy's own tokenizer."""
    from entente.graph.sentences import _nlp
    from entente.graph.tokenizer import LONG_SPAN, SpanCachingTokenizer

    caching = SpanCachingTokenizer(_nlp.__wrapped__())
    plain = _nlp.__wrapped__()
    texts = _random_long_spans(7, 50)
    assert sum(len(w) > LONG_SPAN for t in texts for w in t.split()) >= 50
    for text in texts:
        assert [(t.text, t.idx, t.whitespace_) for t in caching(text)] == \
            [(t.text, t.idx, t.whitespace_) for t in plain.make_doc(text)]


_RUNS = ["(", ")", "*", "=", '"', "'", "’", "—", "!", "$"]


@pytest.mark.parametrize("before,after", [
    *((run * 20_000, run * 20_000) for run in _RUNS),
    ("", "'s" * 10_000 + "." * 5_000),  # (a run of dots is one suffix: found in one step)
], ids=[*_RUNS, "'s and dots"])
def test_a_long_run_of_affixes_is_split_in_linear_work(before: str, after: str) -> None:
    """A span opening and closing with 20,000 brackets, quotes ...: spaCy's own tokenizer
    searches the whole rest of the span for a suffix at each of the 40,000 steps (40 s;
    40,000 a side: 155 s); here the suffix searches read about 30 characters a step
    (counted, not timed)."""
    from entente.graph.sentences import _nlp
    from entente.graph.tokenizer import SpanCachingTokenizer

    nlp = _nlp.__wrapped__()
    search = nlp.tokenizer.suffix_search
    read = [0]

    def counted(string: str):  # noqa: ANN202
        read[0] += len(string)
        return search(string)

    nlp.tokenizer.suffix_search = counted
    text = "The text: " + before + "Russia" + after + " ends."
    doc = SpanCachingTokenizer(nlp)(text)
    assert doc.text == text
    words = [t.text for t in doc]
    assert words[:2] == ["The", "text"] and words[-2:] == ["ends", "."]
    assert len(words) > 10_000  # (a bracket or quote a token; "=" and "$" only as prefixes)
    assert read[0] < 100 * len(text)


def test_special_cases_that_grow_are_dropped() -> None:
    """spaCy 3.8 overflows a Doc's memory when special cases that grow ("°F." -> "°" "F" ".")
    come before enough that shrink: the process aborted on this 1.5 KB of garbage."""
    import json
    import subprocess
    import sys

    import spacy
    from entente.graph.sentences import _nlp
    from entente.graph.tokenizer import growing_special_cases

    assert growing_special_cases(spacy.blank("en")) == {"°C.", "°F.", "°K."}
    assert growing_special_cases(_nlp()) == set()
    fixture = Path(__file__).parent.parent / "fixtures" / "spacy-special-case-overflow.json"
    script = ("import json, sys\n"
              "from entente.graph.sentences import _nlp\n"
              "from entente.graph.tokenizer import SpanCachingTokenizer\n"
              "text = json.load(open(sys.argv[1], encoding='utf-8'))\n"
              "for _ in range(5):\n"
              "    tokenize = SpanCachingTokenizer(_nlp.__wrapped__())\n"
              "    assert tokenize(text).text == text\n"
              "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", script, str(fixture)], capture_output=True,
                          text=True, timeout=300)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr[-500:]
    assert len(json.loads(fixture.read_text(encoding="utf-8"))) > 1000
