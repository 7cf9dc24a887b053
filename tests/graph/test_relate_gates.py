"""The rule engine's per-sentence gates skip a rule only where it cannot fire.

A rule with a possessor argument ("Russia's invasion of Ukraine") needs a mention right
before an apostrophe (straight or curly); a rule with ``requires`` needs one of the strings
its matches hold somewhere in the sentence, in any case.  Each case holds what the gate
looks for and must fire; its near miss lacks it and must not.
"""

from __future__ import annotations

import pytest
from entente.graph.linking import Linker
from entente.graph.model import DocumentMeta, Sentence, SourceDocument
from entente.graph.relations import RelationExtractor

BASE = "https://entente.example.org/"


@pytest.fixture(scope="module")
def tools() -> tuple[Linker, RelationExtractor]:
    return Linker.from_bundled(BASE), RelationExtractor.from_bundled()


def _run(tools, text: str) -> list[tuple[str, str, str, str]]:
    """(rule, subject, property, object) of each assertion of the one-sentence text."""
    linker, extractor = tools
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    sentences = [Sentence(1, 0, len(text), text, 0)]
    mentions, minted = linker.link(doc, sentences)
    return sorted((a.rule, a.subject.removeprefix(BASE), a.predicate.rsplit("#")[-1],
                   a.object.removeprefix(BASE))
                  for a in extractor.extract(doc, sentences, mentions, minted))


PAIR = [("relationship-of-pair", "id/state/china", "cooperatesWith", "id/state/russia")]


@pytest.mark.parametrize(("text", "expected"), [
    # possessor subject, straight and curly apostrophes
    ("China and Russia's relationship has grown", PAIR),
    ("China and Russia’s relationship has grown", PAIR),
    ("China and Russia's strategic partnership endures", PAIR),
    # near miss: no possessive, no apostrophe anywhere
    ("China and Russia discussed the relationship", []),
    # an apostrophe, but not after a mention
    ("China and Russia discussed the 'relationship'", []),
])
def test_possessor_gate(tools, text: str, expected: list[tuple]) -> None:
    assert [r for r in _run(tools, text) if r[0] == "relationship-of-pair"] == expected


GROWTH = [("cooperation-growth", "id/state/china", "cooperatesWith", "id/state/russia")]


@pytest.mark.parametrize(("text", "expected"), [
    ("China and Russia deepened cooperation in 2019", GROWTH),
    ("China and Russia DEEPENED cooperation in 2019", GROWTH),
    ("China and Russia cooperation is growing", GROWTH),
    # near miss: nothing the clause must match
    ("China and Russia discussed cooperation in 2019", []),
])
def test_requires_gate(tools, text: str, expected: list[tuple]) -> None:
    assert [r for r in _run(tools, text) if r[0] == "cooperation-growth"] == expected
