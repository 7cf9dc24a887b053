"""Line rules and language scores of the chrome step on lines with and without non-ASCII
characters: the substring gates and the ASCII word split must not change a decision."""

from __future__ import annotations

import pytest
from entente.graph.chrome import segment
from entente.graph.model import DocumentMeta, SourceDocument

BODY = ("Moscow and Beijing have deepened their ties over the past decade, and the talks "
        "in the capital were seen as a sign of that by many of the observers.")


def _reasons(*lines: str) -> list[str | None]:
    text = "\n\n".join((BODY, *lines, BODY))
    doc = SourceDocument("x.txt", text, "0" * 64, len(text.encode()),
                         DocumentMeta(slug="x", language="en"))
    out: list[str | None] = []
    for line in lines:
        start = text.index(line)
        kinds = [s.reason for s in segment(doc) if s.start <= start < s.end]
        out.append(kinds[0])
    return out


@pytest.mark.parametrize("line", [
    "Please join our community of readers today",
    "Please JOİN OUR COMMUNİTY of readers today",  # İ matches i under IGNORECASE
    "Please joın our communıty of readers today",  # so does ı
    "Please ſupport us with a small gift today",  # and ſ matches s
])
def test_donation_appeal_found_with_and_without_case_traps(line: str) -> None:
    assert _reasons(line) == ["donation-appeal"]


@pytest.mark.parametrize(("line", "reason"), [
    ("Read our cookie policy here", "site-notice"),
    ("Read our COOKİE policy here", "site-notice"),
    ("Image: Sergei Ivanov", "caption"),
    ("the talks went on (left) for hours", "caption"),
    ("The talks about the cookies went on", None),
])
def test_gated_line_rules(line: str, reason: str | None) -> None:
    assert _reasons(line) == [reason]


@pytest.mark.parametrize(("line", "reason"), [
    # inline links, figure and table captions, photograph credits, unbracketed notes
    ("Read more: China supports Russia – but at what price?", "navigation"),
    ("Go deeper: Russia's oil exports to India hit record", "navigation"),
    ("Figure 3. Russia supplies gas to China via Power of Siberia, 2019–2024", "caption"),
    ("Table 2: Russia's oil exports to India", "caption"),
    ("Putin and Xi shake hands. Photograph: Sergei Karpukhin/AP", "caption"),
    ("1. Alexander Gabuev, “Why India imports oil from Russia,” Foreign Affairs, 2023.",
     "references"),
    ("Putin and Xi in Moscow (Reuters/Pool)", "caption"),
    ("thirty-year contract signed in 2014 (Reuters 2014)", None),  # a citation
    # ... but not sentences that look like them
    ("By February, Russia had invaded Ukraine.", None),
    ("The big picture: China supports Russia in every way.", None),
    ("1. China supports Russia in the Security Council.", None),
])
def test_more_chrome_lines(line: str, reason: str | None) -> None:
    assert _reasons(line) == [reason]


@pytest.mark.parametrize(("line", "reason"), [
    ("Die Gespräche in der Hauptstadt sind für beide Seiten wichtig und nicht neu",
     "foreign-language"),
    ("Die Gesprache in der Hauptstadt sind fur beide Seiten wichtig und nicht neu",
     "foreign-language"),  # ASCII only
    ("Der2 die3 das_ und-ist im", "foreign-language"),  # words split at digits and _
    ("„Der“ Vertrag—die Frage—und “das” Ende İst für alle", "foreign-language"),
    ("“The” talks—and “the” mood—Dër2 dïe3 dás", None),  # words split at non-ASCII marks
    ("Kinijos ir Rusijos santykiai yra svarbus, kad ir kaip", "foreign-language"),
    ("The talks in der Hauptstadt were long and the mood was good", None),
    # name particles are no function words
    ("Ursula von der Leyen said the EU supports Ukraine.", None),
    ("The EU supports Ukraine, von der Leyen said.", None),
    ("Der Besuch von Putin in Peking ist ein Signal", "foreign-language"),
])
def test_language_of_lines(line: str, reason: str | None) -> None:
    assert _reasons(line) == [reason]


def test_a_pull_quote_printed_again_in_the_text_is_a_duplicate() -> None:
    quote = "“China supports Russia, but on its own terms.”"
    body = "Diplomats are cautious. “China supports Russia, but on its own terms,” one said."
    assert _reasons(quote, body) == ["duplicate", None]
    assert _reasons("“China supports Russia, but on its own terms.”") == [None]
