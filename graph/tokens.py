"""A sentence's tokens as plain lists, read once from spaCy's token array: the view the
linker and the actor minter work on (spaCy builds a ``Token`` object per index access)."""

from __future__ import annotations

from bisect import bisect_left
from operator import add, le

from spacy.attrs import IDX, LENGTH
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

_IDX_LENGTH = [IDX, LENGTH]


class Tokens:
    """A sentence's tokens as plain lists (spaCy builds a ``Token`` object per index access).

    ``span(i, j)`` is ``doc[i:j].text``; offsets are the sentence's character offsets.
    ``doc`` is the sentence's ``Doc``, or a larger ``Doc`` (its paragraph) whose tokens from
    ``offset`` on are the sentence's; then ``shared`` keeps that ``Doc``'s matches per matcher
    for all its sentences.
    """

    __slots__ = ("doc", "offset", "shared", "text", "_words", "_lower", "starts", "ends", "n")

    def __init__(self, doc: Doc, text: str, starts: list[int] | None = None,
                 lengths: list[int] | None = None, offset: int = 0,
                 shared: dict | None = None) -> None:
        self.doc = doc
        self.offset = offset
        self.shared = shared
        self.text = text  # == doc.text (which spaCy rebuilds from the tokens per access)
        if starts is None or lengths is None:
            # offsets and lengths from the token array in one call (iterating the Doc makes
            # a Token object per token); a token's text is its slice of the text
            starts, lengths = doc.to_array(_IDX_LENGTH).T.tolist() if len(doc) else ([], [])
        self.starts, self.ends = starts, list(map(add, starts, lengths))
        self._words: list[str] | None = None
        self._lower: list[str] | None = None
        self.n = len(starts)

    @property
    def words(self) -> list[str]:
        """The token texts (made on first use: many sentences need only a few of them)."""
        if self._words is None:
            self._words = list(map(self.text.__getitem__, map(slice, self.starts, self.ends)))
        return self._words

    def capitalised(self, i: int) -> bool:
        """Whether token i starts with an upper-case letter."""
        return self.text[self.starts[i]].isupper()

    @property
    def lower(self) -> list[str]:
        """The lower-case token texts (made on first use: most sentences need none)."""
        if self._lower is None:
            self._lower = list(map(str.lower, self.words))
        return self._lower

    def matches(self, matcher: PhraseMatcher) -> list[tuple[int, int, int]]:
        """``matcher``'s (key, start token, end token) in this sentence (a match is a run of
        tokens: those of the larger ``Doc`` inside the sentence are the sentence's own), in
        the matcher's order."""
        if self.shared is None:
            return matcher(self.doc)
        found = self.shared.get(id(matcher))
        if found is None:
            found = self.shared[id(matcher)] = _Found(matcher(self.doc))
        a, b = self.offset, self.offset + self.n
        if found.starts is None:  # (not in start order: look at every match)
            return [(key, s - a, e - a) for key, s, e in found.matches if a <= s and e <= b]
        matches, starts = found.matches, found.starts
        first = bisect_left(starts, a)
        if first == len(starts) or starts[first] >= b:
            return []  # (many sentences hold no match of a matcher)
        out = []
        for i in range(first, bisect_left(starts, b, first)):
            key, s, e = matches[i]
            if e <= b:
                out.append((key, s - a, e - a))
        return out

    def span(self, i: int, j: int) -> str:
        j = min(j, self.n)
        return self.text[self.starts[i]:self.ends[j - 1]] if i < j else ""

    def ws(self, i: int) -> bool:
        """Whether token i is followed by a space (spaCy's ``whitespace_``)."""
        end = self.ends[i]
        return end < len(self.text) and self.text[end] == " "


class _Found:
    """A ``Doc``'s matches and, when they come in start order (as a ``PhraseMatcher``
    gives them), their start tokens, so that a sentence finds its own by bisection (a
    ``Doc`` may hold a whole content segment: looking at every match for every sentence
    would grow with the square of its length)."""

    __slots__ = ("matches", "starts")

    def __init__(self, matches: list[tuple[int, int, int]]) -> None:
        self.matches = matches
        starts = [s for _, s, _ in matches]
        self.starts: list[int] | None = starts if all(map(le, starts, starts[1:])) else None
