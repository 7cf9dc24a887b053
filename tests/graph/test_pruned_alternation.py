"""regex_analysis.PrunedAlternation: an alternation searched with the branches a text can match
finds exactly what the whole expression finds."""

from __future__ import annotations

import re

import pytest
from entente.graph.regex_analysis import PrunedAlternation, contained_strings

CLAUSE_BREAK = (r"[;:]|\s[—–]\s?|—|,\s+(?:while|but|although|whereas|however|because|which|"
                r"who)\b|\bwhile\b|\bwhereas\b|\bbecause\b|\bif\b|\bwhen\b|\bthat\b|\(|\)")

TEXTS = [
    "", "China signed a deal with Russia", "while", "If so, that is it",
    "China, while Russia; abstained (twice) — because that is it.",
    "Moscow – and Beijing —said so: whereas Kyiv, however, did not (if ever)",
    "It is likely that 4 May 2021 they met; It was not, it seems.",
    "KELVIN \u212a and long \u017f: İstanbul ıs while WHILE WhIlE BECAUSE",
    "no longer\tno\nlonger, n’t can't 2019 in 2019 since the year 2008 “quoted”",
]


@pytest.mark.parametrize(("pattern", "flags"), [
    (CLAUSE_BREAK, 0),
    (CLAUSE_BREAK, re.I),
    (r"[;:“”\"]|\s[—–]\s?|—|\bwhen\b|\(|\)", 0),
    (r"\bboth sides\b|\bthe pair\b|they", re.I),
    (r"(?:a|b)x|[^q]z|\d+", 0),  # branches with no known strings are always kept
])
def test_same_matches_as_the_whole_expression(pattern: str, flags: int) -> None:
    whole = re.compile(pattern, flags)
    pruned = PrunedAlternation(whole)
    for text in TEXTS:
        searched = pruned.for_text(text)
        assert [m.span() for m in searched.finditer(text)] == \
            [m.span() for m in whole.finditer(text)], (pattern, text)
        assert [m.span() for m in pruned.for_text(text, text.lower()).finditer(text)] == \
            [m.span() for m in whole.finditer(text)], (pattern, text)


def test_branches_absent_from_the_text_are_left_out() -> None:
    pruned = PrunedAlternation(re.compile(CLAUSE_BREAK))
    assert pruned.for_text("China, while Russia").pattern == \
        r"(?=[,w])(?:,\s+(?:while|but|although|whereas|however|because|which|who)\b" \
        r"|\bwhile\b)"
    assert pruned.for_text("Moscow — Beijing").pattern == r"\s[—–]\s?|—"
    assert pruned.for_text("China signed a deal with Russia").search("China") is None


@pytest.mark.parametrize("pattern", [
    r"(a)|b",  # a capturing group: its number would shift
    r"[;:]",  # one branch
    r"\bx\b|y",
])
def test_searched_whole(pattern: str) -> None:
    compiled = re.compile(pattern)
    pruned = PrunedAlternation(compiled)
    if pattern == r"\bx\b|y":  # every branch has its strings: pruned, but both present here
        assert pruned.for_text("x y").pattern == pruned.whole.pattern
        return
    assert pruned.for_text("nothing here") is pruned.whole


@pytest.mark.parametrize(("pattern", "flags", "strings"), [
    (r"\b(?:[Ii]t(?!\s+(?:is|was)\b)|[Tt]he\s+country)\b", 0, {"It", "it", "country"}),
    (r"\s[—–]\s?", 0, {"—", "–"}),
    (r",\s+(?:while|but)\b", 0, {"while", "but"}),
    (r"\bWhile\b", re.I, {"while"}),
    (r"ab[cd]*e", 0, {"ab"}),
    (r"x(?i:while)", 0, {"x"}),  # scoped flags: the group's case is not the expression's
    (r"\b(?:[Ii]t|(?i:the\s+country))\b", 0, None),
    (r"a.b", 0, {"a"}),
    (r"\d+", 0, None),
])
def test_contained_strings(pattern: str, flags: int, strings: set[str] | None) -> None:
    compiled = re.compile(pattern, flags)
    found = contained_strings(compiled)
    assert found == (frozenset(strings) if strings is not None else None)
    for text in TEXTS + ["It rained", "the Country", "THE COUNTRY", "xWHILE", "abddde"]:
        if compiled.search(text) and found is not None:
            folded = text.lower() if flags & re.I else text
            assert any(s in folded for s in found), (pattern, text)
