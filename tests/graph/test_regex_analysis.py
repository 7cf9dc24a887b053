"""regex_analysis.accelerated: a first-character lookahead that leaves every match as it was."""

from __future__ import annotations

import re

import pytest
from entente.graph.regex_analysis import accelerated

TEXTS = [
    "", "while", "China, while Russia; abstained (twice) — because that is it.",
    "It is likely that 4 May 2021 they met; It was not, it seems.",
    "KELVIN \u212a and long \u017f: İstanbul ıs while WHILE WhIlE",
    "no longer\tno\nlonger, n’t can't 2019 in 2019 since the year 2008",
]


@pytest.mark.parametrize(("pattern", "lookahead"), [
    (re.compile(r"[;:]|\s[—–]\s?|—|,\s+(?:while|but)\b|\bwhile\b|\bthat\b|\(|\)"),
     r"(?=[,:;\(\)\stw—])"),
    (re.compile(r"\b(?:both sides|they)\b", re.I), "(?=[bt])"),
    (re.compile(r"(?<!\d\s)\b[lL]ikely\b(?!\s+\d)"), "(?=[Ll])"),
    (re.compile(r"\b(?:in|since)\s+(?:the\s+year\s+)?((?:19|20)\d\d)\b", re.I), "(?=[is])"),
    (re.compile(r"\W*\s*(?:said|told)\b", re.I), r"(?=[\W\s st])".replace(" ", "")),
])
def test_lookahead_and_same_matches(pattern: re.Pattern[str], lookahead: str) -> None:
    fast = accelerated(pattern)
    assert fast.pattern == f"{lookahead}(?:{pattern.pattern})"
    assert fast.flags == pattern.flags
    for text in TEXTS:
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == \
            [(m.span(), m.groups()) for m in pattern.finditer(text)]
        assert fast.sub("#", text) == pattern.sub("#", text)
        for pos in range(len(text)):
            assert bool(fast.search(text, pos, len(text) - 1)) == \
                bool(pattern.search(text, pos, len(text) - 1))


@pytest.mark.parametrize("pattern", [
    r",\s+(?:for instance|in)\b",  # opens with a literal: the engine skips ahead itself
    r"[;:]|\(",  # every branch opens with a class
    r"\b(?:a*)\b",  # may match the empty string
    r"\b(?:x|.)",  # may start with any character
    r"\b[^a]b",  # a negated class
    r"\b(?i:while)",  # scoped flags
    r"^(?:copyright|cookies)\b",  # anchored at the start
])
def test_left_unchanged(pattern: str) -> None:
    compiled = re.compile(pattern)
    assert accelerated(compiled) is compiled
