"""The linker's scan of a content segment (graph/linking/references.py): what a segment's sentences
share, found once per segment instead of once per sentence.

A content segment is tokenised once by the sentence step
(:class:`~entente.graph.sentences.SegmentTokens`); the gazetteer and demonym matchers run
over its ``Doc``, the capitalised-word test over its tokens, and each sentence (a
:class:`View`: its tokens a..b-1 in the segment) takes what lies inside it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Container
from itertools import compress, count, repeat
from operator import and_, itemgetter, sub
from typing import NamedTuple

from entente.graph.sentences import SegmentTokens
from entente.graph.tokens import Tokens
from spacy.matcher import PhraseMatcher

__all__ = ["SegmentScan", "View"]

_FIRST, _SECOND = itemgetter(0), itemgetter(1)


class SegmentScan:
    """A content segment's tokens (:class:`~entente.graph.sentences.SegmentTokens`) and what
    the linker finds in them once for all its sentences: the gazetteer matches (``labels``:
    match id -> IRI and the label's capitalised token positions) whose capitalised label
    tokens are capitalised in the text, the demonym matches (each in start
    order), and the tokens that start a pair of adjacent capitalised words.  Offsets are
    relative to ``start``, the segment's first character in the document."""

    __slots__ = ("doc", "start", "starts", "ends", "lengths", "gaz", "gaz_starts", "dem",
                 "dem_starts", "pairs", "shared", "lone", "after_name")

    def __init__(self, seg: SegmentTokens, text: str, matcher: PhraseMatcher,
                 labels: dict[int, tuple[str, tuple[int, ...]]],
                 demonym_matcher: PhraseMatcher, lone: frozenset[int] = frozenset(),
                 before_lone: frozenset[str] = frozenset()) -> None:
        c0, doc, starts, lengths, ends = seg
        self.start, self.doc, self.starts, self.lengths, self.ends = seg
        self.shared: dict = {}  # (Tokens.matches' cache for the sentences' Tokens)
        chunk = text[c0:c0 + ends[-1]] if ends else ""
        gaz = []
        # the matches of a person's one-word label ("Wang") that a capitalised word follows:
        # not that person within a sentence that holds the next word ("Wang Wenbin")
        self.lone: set[tuple[int, int]] = set()
        # ... and those right after a capitalised word that is no title, sentence adverb or
        # never-name word (``before_lone``): not that person when the word is in the sentence
        # ("Sergei Wang")
        self.after_name: set[tuple[int, int]] = set()
        for key, s, e in matcher(doc):
            iri, caps = labels[key]
            for i in caps:  # (a capitalised label token must be capitalised in the text)
                if not chunk[starts[s + i]].isupper():
                    break
            else:
                gaz.append((s, e, iri))
                if key in lone and e < len(starts) and chunk[starts[e]].isupper() \
                        and _cap_word(chunk, starts, ends, e):
                    self.lone.add((s, e))
                if key in lone and s > 0 and chunk[starts[s - 1]].isupper() \
                        and _cap_word(chunk, starts, ends, s - 1) \
                        and chunk[starts[s - 1]:ends[s - 1]].lower() not in before_lone:
                    self.after_name.add((s, e))
        # start order (a PhraseMatcher gives them so; a stable sort keeps the order of
        # matches that start alike, so a sentence sees them as the matcher gave them)
        gaz.sort(key=_FIRST)
        self.gaz, self.gaz_starts = gaz, [m[0] for m in gaz]
        self.dem = dem = sorted(demonym_matcher(doc), key=_SECOND)
        self.dem_starts = [m[1] for m in dem]
        # the tokens k where k and k + 1 are capitalised words (ActorMinter._persons' test:
        # first letter upper-case, longer than one letter, letters and hyphens); the
        # first-letter test for every token in C-level passes, the rest where it holds twice
        upper = list(map(str.isupper, map(chunk.__getitem__, starts)))
        self.pairs = [k for k in compress(count(), map(and_, upper, upper[1:]))
                      if _cap_word(chunk, starts, ends, k)
                      and _cap_word(chunk, starts, ends, k + 1)]

    def gazetteer(self, a: int, b: int) -> list[tuple[int, int, str]]:
        """The gazetteer matches inside tokens a..b-1 (start token, end token, IRI)."""
        starts = self.gaz_starts
        g = bisect_left(starts, a)
        if g == len(starts) or starts[g] >= b:
            return []
        lone, after_name = self.lone, self.after_name
        return [m for m in self.gaz[g:bisect_left(starts, b, g)] if m[1] <= b
                and (m[1] == b or not lone or (m[0], m[1]) not in lone)
                and (m[0] == a or not after_name or (m[0], m[1]) not in after_name)]

    def pair_in(self, a: int, b: int, covered: Container[int]) -> bool:
        """Whether two adjacent capitalised words lie inside tokens a..b-1, neither of them
        in ``covered`` (token indices relative to a)."""
        pairs = self.pairs
        for p in range(bisect_left(pairs, a), len(pairs)):
            k = pairs[p]
            if k + 1 >= b:
                return False  # (this pair and the later ones end beyond the sentence)
            if k - a not in covered and k + 1 - a not in covered:
                return True
        return False


def name_word(word: str) -> bool:
    """A capitalised word that may be part of a name: longer than one character, made of
    letters and hyphens."""
    return len(word) > 1 and word[:1].isupper() and word.replace("-", "").isalpha()


def _cap_word(text: str, starts: list[int], ends: list[int], k: int) -> bool:
    """Token k of ``text`` is a :func:`name_word`."""
    return name_word(text[starts[k]:ends[k]])


class View(NamedTuple):
    """A sentence's tokens a..b-1 in its segment; ``shift``: the sentence's first character
    relative to the segment's."""

    segment: SegmentScan
    a: int
    b: int
    shift: int

    def tokens(self, text: str) -> Tokens:
        """The sentence's :class:`Tokens` (``text``: the sentence's text)."""
        seg, a, b, shift = self
        starts = seg.starts[a:b]
        return Tokens(seg.doc, text, list(map(sub, starts, repeat(shift))) if shift else starts,
                      seg.lengths[a:b], a, seg.shared)
