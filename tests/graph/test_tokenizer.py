"""The tokenizer the sentence splitter and the linker share (graph/tokenizer.py): the span
cache and the affix peeler give spaCy's own tokens, long affix runs take linear work, and the
special cases that would overflow a Doc are dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

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
