"""The chrome step's line rules: the first rule (in LINE_RULES order) that matches a line
decides, though the anchored rules are tried as one expression before the others."""

from __future__ import annotations

import pytest
from entente.graph.chrome import LINE_RULES, segment
from entente.graph.model import DocumentMeta, SourceDocument

BODY = ("Moscow and Beijing have deepened their ties over the past decade, and the talks "
        "in the capital were seen as a sign of that by many of the observers.")


def _reason(line: str) -> str | None:
    text = "\n\n".join((BODY, line, BODY))
    doc = SourceDocument("x.txt", text, "0" * 64, len(text.encode()),
                         DocumentMeta(slug="x", language="en"))
    start = text.index(line)
    return next(s.reason for s in segment(doc) if s.start <= start < s.end)


def _first_rule(line: str) -> str | None:
    """The reason of the first line rule that applies to and matches ``line``."""
    words = len(line.split())
    return next((r.reason for r in LINE_RULES if (r.max_words is None or words <= r.max_words)
                 and r.pattern.search(line)), None)


@pytest.mark.parametrize(("line", "reason"), [
    # an unanchored rule listed before an anchored one that matches too
    ("By: support us today", "donation-appeal"),
    ("Copyright 2024 - please donate now", "site-notice"),
    # an anchored rule listed before an unanchored one that matches too
    ("Skip to content (left)", "navigation"),
    ("Authors: Anna Dubois (left)", "byline"),
    # anchored rules, each only within its word limit
    ("View all stories", "navigation"),
    ("View all of the stories here", None),
    ("Notes:", "references"),
    ("3 March 2022", "byline"),
    ("[12] See the annex of the treaty", "references"),
])
def test_first_matching_rule_decides(line: str, reason: str | None) -> None:
    assert _first_rule(line) == reason
    assert _reason(line) == reason
